// Command-line options of `npm run sandbox`. Parsing is separate from start-up
// so that bad options get one clear line and exit code 2, never a trace.
import { FAULTS, Faults, isFaultName, type FaultName } from './faults';
import { defaultSettings, TUTORIAL_ADMIN_AS_SETTINGS, type AsSettings, type Ports, type SandboxSettings } from './settings';
import { PRESETS, type PresetName } from './preset';
import { LISTENERS, type ListenerName } from './stack';

export interface CliOptions {
  settings: SandboxSettings;
  only: ListenerName[];
  /** In the order given; each at most once. */
  presets: PresetName[];
  printEnv: boolean;
  /** Not "--env-file": Node 20 takes that option for itself even after the script name. */
  writeEnv?: string;
  /** Test instrumentation: every secret the AS hands out is appended to this file. */
  recordSecrets?: string;
  readyJson: boolean;
  /** `--claims-redirect-uri`: the tutorial preset's consumer client claims redirect URI (else the tutorial's placeholder). */
  claimsRedirectUri?: string;
  /** The oxAuth settings the presets changed as their administrator does (printed at start). */
  adminAsSettings: Partial<AsSettings>;
  help: boolean;
  listFaults: boolean;
}

export class UsageError extends Error {}

export const USAGE = `Usage: npm run sandbox -- [options]

Starts an emulation of Gluu Gateway 4.2 (Kong Admin API and proxy with the
gluu-uma-auth / gluu-openid-connect / gluu-uma-pep plugins), oxd 4.2, Gluu
Server 4.2 (oxAuth UMA AS and OpenID Provider, with one test user), the first
tutorial's demo API and the second tutorial's demo website, on loopback.
Stops on Ctrl-C (SIGINT) or SIGTERM. The components' logs (secrets masked) go
to stderr.

  --preset tutorial         also perform the UMA tutorial's manual Gluu Gateway steps
                            (service, routes, plugins, consumers, OP clients) and its
                            admin's oxAuth setting umaGrantAccessIfNoPolicies=true
                            (CES 4.2 ships false; --as-setting overrides it)
  --preset oidc-uma         also perform the OpenID Connect + UMA PEP tutorial's steps
                            (service oidc-uma-demo → the demo website, a route with
                            host localhost, both plugins, its OP client); repeat
                            --preset to have both tutorials' objects
  --claims-redirect-uri URL with --preset tutorial: the consumer OP client's claims
                            redirect URI, an absolute http(s) URL (default the tutorial's
                            placeholder https://rqp.example.com/cgi-bin/index.py);
                            change it later with oxd update-site (printed at start)
  --admin tutorial          only the tutorial administrator's oxAuth settings
                            (umaGrantAccessIfNoPolicies=true), no Kong objects;
                            \`npm test\` starts its sandbox so
  --print-env               print the settings an external run needs, with the
                            test user's login (secrets masked)
  --write-env PATH          write those settings, secrets included, to PATH (mode 600)
  --ephemeral-ports         bind every listener to a free port
  --port NAME=PORT          one listener's port; NAME is one of ${LISTENERS.join(', ')}
  --public-url NAME=URL     the URL clients use for a listener (behind a proxy or
                            load balancer); the AS builds every URL it hands out from it
  --as-setting KEY=VALUE    an oxAuth setting, e.g. umaGrantAccessIfNoPolicies=true
                            (the defaults are CES 4.2's)
  --fault NAME              start with a fault profile (repeatable); see --list-faults
  --list-faults             list the fault profiles and exit
  --only NAME[,NAME]        start only these listeners (e.g. --only echo)
  --ready-json              print one machine-readable ready line (used by the suite;
                            it carries the test user's password: not for a console)
  --record-secrets PATH     append every secret the AS hands out (client secrets, tokens,
                            RPTs, PCTs, session cookies, the test user's password)
                            to PATH, for leak tests
  --help                    this text
`;

const AS_NUMBER_KEYS = ['umaRptLifetime', 'umaTicketLifetime', 'cleanServiceInterval', 'cleanerTimerTick', 'umaPctLifetime', 'umaResourceLifetime', 'accessTokenLifetime'] as const;
const AS_BOOLEAN_KEYS = ['umaGrantAccessIfNoPolicies', 'umaValidateClaimToken', 'umaAddScopesAutomatically', 'errorReasonEnabled'] as const;

function listenerName(name: string, option: string): ListenerName {
  if ((LISTENERS as string[]).includes(name)) return name as ListenerName;
  throw new UsageError(`${option}: unknown listener "${name}" (one of ${LISTENERS.join(', ')})`);
}

function keyValue(arg: string | undefined, option: string): [string, string] {
  const eq = arg?.indexOf('=') ?? -1;
  if (!arg || eq <= 0) throw new UsageError(`${option} needs NAME=VALUE`);
  return [arg.slice(0, eq), arg.slice(eq + 1)];
}

/** An absolute http(s) URL with a host, as the AS will redirect the browser to it. */
function absoluteHttpUrl(value: string, option: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) throw new UsageError(`${option}: "${value}" is not an absolute http(s) URL`);
  // The fragment never reaches a redirect target (RFC 6749 §3.1.2 forbids one in a redirection URI).
  if (url.hash) throw new UsageError(`${option}: "${value}" has a fragment (#…); a redirect URI cannot carry one`);
  return value;
}

function applyAsSetting(as: AsSettings, key: string, value: string): void {
  if (!(AS_BOOLEAN_KEYS as readonly string[]).includes(key) && !(AS_NUMBER_KEYS as readonly string[]).includes(key)) {
    throw new UsageError(`--as-setting: unknown key "${key}" (one of ${[...AS_BOOLEAN_KEYS, ...AS_NUMBER_KEYS].join(', ')})`);
  }
  if ((AS_BOOLEAN_KEYS as readonly string[]).includes(key)) {
    if (value !== 'true' && value !== 'false') throw new UsageError(`--as-setting ${key} must be true or false, got "${value}"`);
    (as as unknown as Record<string, boolean>)[key] = value === 'true';
    return;
  }
  if ((AS_NUMBER_KEYS as readonly string[]).includes(key)) {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--as-setting ${key} must be a positive whole number of seconds, got "${value}"`);
    (as as unknown as Record<string, number>)[key] = n;
  }
}

/** The oxAuth settings a preset's administrator changed and the command line did not set itself. */
export function presetAsSettings(presets: PresetName[], explicit: ReadonlySet<string>): Partial<AsSettings> {
  if (!presets.includes('tutorial')) return {};
  return Object.fromEntries(Object.entries(TUTORIAL_ADMIN_AS_SETTINGS).filter(([k]) => !explicit.has(k))) as Partial<AsSettings>;
}

export function parseCli(argv: string[]): CliOptions {
  const settings = defaultSettings();
  const faults: FaultName[] = [];
  const opts: CliOptions = { settings, only: [], presets: [], printEnv: false, readyJson: false, adminAsSettings: {}, help: false, listFaults: false };
  const ports: Partial<Ports> = {};
  const explicitAs = new Set<string>();
  let adminOnly = false;
  let ephemeral = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${arg} needs a value`);
      return v;
    };
    switch (arg) {
      case '--help':
      case '-h':
        opts.help = true;
        break;
      case '--list-faults':
        opts.listFaults = true;
        break;
      case '--preset': {
        const v = next();
        if (!(PRESETS as readonly string[]).includes(v)) throw new UsageError(`--preset: unknown preset "${v}" (one of ${PRESETS.join(', ')})`);
        if (!opts.presets.includes(v as PresetName)) opts.presets.push(v as PresetName);
        break;
      }
      case '--claims-redirect-uri':
        opts.claimsRedirectUri = absoluteHttpUrl(next(), arg);
        break;
      case '--admin': {
        const v = next();
        if (v !== 'tutorial') throw new UsageError(`--admin: unknown administrator's settings "${v}" (only tutorial)`);
        adminOnly = true;
        break;
      }
      case '--print-env':
        opts.printEnv = true;
        break;
      case '--write-env':
        opts.writeEnv = next();
        break;
      case '--ephemeral-ports':
        ephemeral = true;
        break;
      case '--port': {
        const [name, value] = keyValue(next(), arg);
        const port = Number(value);
        if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port ${name}: "${value}" is not a port number`);
        ports[listenerName(name, arg)] = port;
        break;
      }
      case '--public-url': {
        const [name, value] = keyValue(next(), arg);
        let url: URL;
        try {
          url = new URL(value);
        } catch {
          throw new UsageError(`--public-url ${name}: "${value}" is not a URL`);
        }
        if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--public-url ${name}: only http and https URLs`);
        settings.publicUrls[listenerName(name, arg)] = value.replace(/\/+$/, '');
        break;
      }
      case '--as-setting': {
        const [key, value] = keyValue(next(), arg);
        applyAsSetting(settings.as, key, value);
        explicitAs.add(key);
        break;
      }
      case '--fault': {
        const name = next();
        if (!isFaultName(name)) throw new UsageError(`--fault: unknown fault "${name}"; --list-faults shows them`);
        faults.push(name);
        break;
      }
      case '--only':
        opts.only = next()
          .split(',')
          .map((n) => listenerName(n.trim(), arg));
        break;
      case '--record-secrets':
        opts.recordSecrets = next();
        break;
      case '--ready-json':
        opts.readyJson = true;
        break;
      default:
        throw new UsageError(`unknown option "${arg}"; --help lists the options`);
    }
  }
  if (ephemeral) for (const name of LISTENERS) settings.ports[name] = 0;
  Object.assign(settings.ports, ports);
  settings.faults = new Faults(faults);
  opts.adminAsSettings = presetAsSettings(adminOnly ? [...opts.presets, 'tutorial'] : opts.presets, explicitAs);
  Object.assign(settings.as, opts.adminAsSettings);
  if (opts.claimsRedirectUri !== undefined && !opts.presets.includes('tutorial')) throw new UsageError('--claims-redirect-uri needs --preset tutorial (it is the consumer OP client the preset registers)');
  if (opts.presets.length && opts.only.length) throw new UsageError(`--preset ${opts.presets[0]} needs the whole stack; drop --only`);
  return opts;
}

export function faultList(): string {
  const width = Math.max(...Object.keys(FAULTS).map((n) => n.length));
  return Object.entries(FAULTS)
    .map(([name, f]) => `${name.padEnd(width)}  [${f.component}] ${f.description}`)
    .join('\n');
}
