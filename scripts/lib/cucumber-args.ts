// The arguments a user passes to Cucumber after `npm test --`, checked before
// the sandbox starts: an unknown option, a missing value, a bad tag
// expression, shard, profile, formatter or feature path is a configuration
// problem (exit 2, one line each), not a stack trace later.
import * as fs from 'node:fs';
import * as path from 'node:path';
import parseTagExpression from '@cucumber/tag-expressions';
import { printable } from '../../support/mask';

const ROOT = path.resolve(__dirname, '..', '..');

interface CucumberOption {
  /** Its names, the long one first (`--tags`, `-t`). */
  names: string[];
  takesValue: boolean;
}

/**
 * Cucumber 12's options, exactly: @cucumber/cucumber
 * lib/configuration/argv_parser.js (12.9.0), plus commander's own -h/--help.
 * test/self/cucumber-args.test.ts compares this list with `cucumber-js --help`.
 */
export const CUCUMBER_OPTIONS: CucumberOption[] = [
  { names: ['--version', '-v'], takesValue: false },
  { names: ['--backtrace', '-b'], takesValue: false },
  { names: ['--config', '-c'], takesValue: true },
  { names: ['--dry-run', '-d'], takesValue: false },
  { names: ['--force-exit', '--exit'], takesValue: false },
  { names: ['--fail-fast'], takesValue: false },
  { names: ['--format', '-f'], takesValue: true },
  { names: ['--format-options'], takesValue: true },
  { names: ['--i18n-keywords'], takesValue: true },
  { names: ['--i18n-languages'], takesValue: false },
  { names: ['--import', '-i'], takesValue: true },
  { names: ['--loader', '-l'], takesValue: true },
  { names: ['--language'], takesValue: true },
  { names: ['--name'], takesValue: true },
  { names: ['--order'], takesValue: true },
  { names: ['--profile', '-p'], takesValue: true },
  { names: ['--parallel'], takesValue: true },
  { names: ['--plugin'], takesValue: true },
  { names: ['--plugin-options'], takesValue: true },
  { names: ['--publish'], takesValue: false },
  { names: ['--require', '-r'], takesValue: true },
  { names: ['--require-module'], takesValue: true },
  { names: ['--retry'], takesValue: true },
  { names: ['--retry-tag-filter'], takesValue: true },
  { names: ['--shard'], takesValue: true },
  { names: ['--strict'], takesValue: false },
  { names: ['--no-strict'], takesValue: false },
  { names: ['--tags', '-t'], takesValue: true },
  { names: ['--world-parameters'], takesValue: true },
  { names: ['--help', '-h'], takesValue: false },
];

const BY_NAME = new Map(CUCUMBER_OPTIONS.flatMap((o) => o.names.map((n) => [n, o] as const)));

/** Cucumber 12.9's built-in formatters (lib/formatter/builtin/index.js). */
const BUILTIN_FORMATS = ['html', 'junit', 'pretty', 'message', 'json', 'progress', 'progress-bar', 'rerun', 'snippets', 'summary', 'usage', 'usage-json'];

interface ParsedArgs {
  /** Each option given, by its long name, with its value when it takes one. */
  options: Array<{ name: string; value?: string }>;
  paths: string[];
  problems: string[];
}

/** How commander reads the arguments: `--opt value`, `--opt=value`, `-t value`, `-tvalue`, `-bd`, `--` before paths. */
function parse(args: string[]): ParsedArgs {
  const out: ParsedArgs = { options: [], paths: [], problems: [] };
  const take = (given: string, option: CucumberOption, inline: string | undefined, next: () => string | undefined) => {
    const name = option.names[0];
    if (!option.takesValue) {
      if (inline !== undefined) out.problems.push(`${given}=…: Cucumber's ${name} takes no value`);
      out.options.push({ name });
      return;
    }
    const value = inline ?? next();
    if (value === undefined) out.problems.push(`${given} needs a value (e.g. ${example(name)})`);
    else out.options.push({ name, value });
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const next = () => (i + 1 < args.length ? args[++i] : undefined);
    if (arg === '--') {
      out.paths.push(...args.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const given = eq > 0 ? arg.slice(0, eq) : arg;
      const option = BY_NAME.get(given);
      if (!option) out.problems.push(unknown(given));
      else take(given, option, eq > 0 ? arg.slice(eq + 1) : undefined, next);
    } else if (arg.startsWith('-') && arg.length > 1) {
      // A cluster of short options; the first that takes a value takes the rest, or the next argument.
      for (let c = 1; c < arg.length; c++) {
        const given = `-${arg[c]}`;
        const option = BY_NAME.get(given);
        if (!option) {
          out.problems.push(unknown(given));
          break;
        }
        if (option.takesValue) {
          take(given, option, c + 1 < arg.length ? arg.slice(c + 1) : undefined, next);
          break;
        }
        take(given, option, undefined, next);
      }
    } else {
      out.paths.push(arg);
    }
  }
  return out;
}

function unknown(given: string): string {
  return `${printable(given)} is not a Cucumber option (\`npm test -- --help\` lists them)`;
}

function example(name: string): string {
  const examples: Record<string, string> = { '--tags': '--tags @smoke', '--shard': '--shard 1/2', '--parallel': '--parallel 2', '--profile': '--profile default', '--format': '--format progress' };
  return examples[name] ?? `${name} <value>`;
}

function values(parsed: ParsedArgs, name: string): string[] {
  return parsed.options.filter((o) => o.name === name && o.value !== undefined).map((o) => o.value!);
}

/** Feature files or folders named on the command line (`features/a.feature:12` keeps its line). */
export function featurePaths(args: string[]): string[] {
  return parse(args).paths;
}

export function isDryRun(args: string[]): boolean {
  return parse(args).options.some((o) => o.name === '--dry-run');
}

/** The profiles of the Cucumber configuration file, or undefined when it cannot be read here (Cucumber will say). */
function profiles(configFile: string | undefined): { file: string; names: string[] } | undefined {
  const file = path.resolve(ROOT, configFile ?? 'cucumber.js');
  if (!/\.c?js$/.test(file) || !fs.existsSync(file)) return undefined;
  try {
    const loaded = require(file) as Record<string, unknown>;
    return { file: path.relative(ROOT, file), names: Object.keys(loaded).filter((k) => k !== '__esModule') };
  } catch {
    return undefined;
  }
}

/** A formatter is built in, a file, or an installed module (TYPE of `TYPE[:PATH]`, quotes as Cucumber allows them). */
function formatProblem(descriptor: string): string | undefined {
  const m = /^"([^"]*)"(?::.*)?$/.exec(descriptor) ?? /^([^:]*)(?::.*)?$/.exec(descriptor);
  const type = m ? m[1] : descriptor;
  if (BUILTIN_FORMATS.includes(type) || /^file:/.test(descriptor)) return undefined;
  if (type.startsWith('.') || path.isAbsolute(type)) {
    return fs.existsSync(path.resolve(ROOT, type)) ? undefined : `--format "${printable(descriptor)}": no formatter file ${printable(type)}`;
  }
  const pkg = type.startsWith('@') ? type.split('/').slice(0, 2).join('/') : type.split('/')[0];
  if (pkg && fs.existsSync(path.join(ROOT, 'node_modules', pkg))) return undefined;
  return `--format "${printable(descriptor)}": not a Cucumber formatter (built in: ${BUILTIN_FORMATS.join(', ')}; or a formatter file or installed module)`;
}

function jsonObjectProblem(name: string, value: string): string | undefined {
  try {
    const v: unknown = JSON.parse(value);
    if (v && typeof v === 'object' && !Array.isArray(v)) return undefined;
  } catch {
    // said below
  }
  return `${name} "${printable(value)}": give a JSON object (e.g. ${name} '{"key":"value"}')`;
}

/** Every problem with the arguments, one plain sentence each. */
export function cucumberArgProblems(args: string[]): string[] {
  const parsed = parse(args);
  const problems = [...parsed.problems];
  for (const name of ['--tags', '--retry-tag-filter']) {
    for (const value of values(parsed, name)) {
      try {
        parseTagExpression(value);
      } catch (err) {
        problems.push(`${name} "${printable(value)}": ${(err as Error).message}`);
      }
    }
  }
  for (const value of values(parsed, '--shard')) {
    const m = /^(\d+)\/(\d+)$/.exec(value);
    if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2])) problems.push(`--shard "${printable(value)}": give the shard as i/n, with 1 ≤ i ≤ n (e.g. --shard 1/2)`);
  }
  for (const value of values(parsed, '--parallel')) {
    if (!/^\d+$/.test(value)) problems.push(`--parallel "${printable(value)}": give a number of workers (e.g. --parallel 2)`);
  }
  for (const value of values(parsed, '--retry')) {
    if (!/^\d+$/.test(value)) problems.push(`--retry "${printable(value)}": give a number of retries (e.g. --retry 1)`);
  }
  for (const value of values(parsed, '--order')) {
    // Cucumber's schema (configuration/check_schema.js) takes these; "reverse", offered by its --help, it refuses.
    if (!/^(defined|random|random:.*)$/.test(value)) problems.push(`--order "${printable(value)}": give defined, random or random:<seed>`);
  }
  for (const name of ['--format-options', '--world-parameters', '--plugin-options']) {
    for (const value of values(parsed, name)) {
      const p = jsonObjectProblem(name, value);
      if (p) problems.push(p);
    }
  }
  const wanted = values(parsed, '--profile');
  if (wanted.length) {
    const known = profiles(values(parsed, '--config').pop());
    for (const name of wanted) {
      if (known && !known.names.includes(name)) problems.push(`--profile "${printable(name)}": ${known.file} has no such profile (profiles: ${known.names.join(', ')})`);
    }
  }
  for (const value of values(parsed, '--format')) {
    const p = formatProblem(value);
    if (p) problems.push(p);
  }
  for (const p of parsed.paths) {
    const file = p.replace(/(:\d+)+$/, '');
    if (!fs.existsSync(file)) problems.push(`"${printable(p)}": no such feature file or folder (give paths like features/tutorial/claims-gathering.feature)`);
  }
  return problems;
}
