// What the statement says about the target, from the environment.properties
// the launcher wrote next to the results (scripts/run.ts recordEnvironment):
// each URL by its origin only (a path or query may carry a token), the
// product versions the preflight found, the provisioning mode.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { originOnly } from '../../../support/mask';

export interface RunFacts {
  /** "embedded sandbox (…)" or "external deployment". */
  kind: string;
  mode: string;
  origins: Array<{ name: string; origin: string }>;
  versions: string[];
  browser?: string;
  suiteVersion: string;
  interrupted?: string;
  preflightFailed: boolean;
}

/** Java properties (as allure-files.ts `propertyLine` writes them), one key=value a line. */
export function parseProperties(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    if (!raw.trim() || /^[#!]/.test(raw)) continue;
    let key = '';
    let i = 0;
    for (; i < raw.length; i++) {
      const ch = raw[i];
      if (ch === '\\' && i + 1 < raw.length) {
        key += raw[++i];
        continue;
      }
      if (ch === '=' || ch === ':') break;
      key += ch;
    }
    const value = raw
      .slice(i + 1)
      .replace(/^\\ /, ' ')
      .replace(/\\n/g, '\n')
      .replace(/\\\\/g, '\\');
    out[key] = value;
  }
  return out;
}

const URL_KEYS = ['Kong Admin API', 'Kong proxy', 'oxd', 'Authorization server (issuer)'];

export function runFacts(resultsDir: string, suiteVersion: string, preflightFailed = false): RunFacts {
  const file = path.join(resultsDir, 'environment.properties');
  const props = fs.existsSync(file) ? parseProperties(fs.readFileSync(file, 'utf8')) : {};
  const origins: RunFacts['origins'] = [];
  const versions: string[] = [];
  for (const name of URL_KEYS) {
    const value = props[name];
    if (!value) continue;
    const url = /\b[a-z][a-z0-9+.-]*:\/\/[^\s;,)]+/i.exec(value)?.[0];
    const origin = url ? originOnly(url) : undefined;
    if (origin) origins.push({ name, origin });
    const version = /^([A-Za-z][\w .-]*?) (\d+(?:\.\d+)+\S*)/.exec(value);
    if (version) versions.push(`${version[1]} ${version[2]}`);
  }
  return {
    kind: props.Target ?? 'unknown (no environment.properties in the results)',
    mode: props.Provisioning ?? 'unknown',
    origins,
    versions,
    browser: props.Browser,
    suiteVersion: props['Suite version'] ?? suiteVersion,
    interrupted: props.Run?.startsWith('interrupted') ? props.Run : undefined,
    preflightFailed,
  };
}
