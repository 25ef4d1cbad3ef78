// Command-line options of `npm run test:self`. Parsing is separate from the
// runs so that a bad option gets one clear line and exit code 2, never a trace.

export type Order = 'defined' | 'random';

export interface SelfVerifyOptions {
  /** Fault names to run (empty: every fault the sandbox lists). */
  only: string[];
  /** Cucumber workers per suite run; 1 runs serially (no --parallel). */
  parallel: number;
  /** Stability mode: run the clean suite this many times, no faults. */
  repeat?: number;
  order: Order;
  /** Stop each fault run at its first failed scenario (faster; names only the first catchers). */
  firstCatch: boolean;
  /** Rewrite fault-catchers.json from this run's catchers (scripts/lib/self-verify/catch-hints.ts). */
  writeHints: boolean;
  /** Upper bound of one suite run, in seconds; a run that takes longer is stopped. */
  runTimeoutS: number;
  /** Arguments after `--`, passed to every suite run (and so to Cucumber). */
  cucumberArgs: string[];
  help: boolean;
}

export class UsageError extends Error {}

export const USAGE = `Usage: npm run test:self -- [options] [-- cucumber options]

Self-verification of the conformance suite against its embedded sandbox:
runs the suite once clean (it must pass, exit 0), then once per fault profile
of the sandbox (each must fail, exit 1, with at least one failed scenario
that is not a known divergence), and prints the mutation score. Then, for
each security weakness, proves its probe both ways with @security runs: red
with its known-weaknesses entry removed, passed with its fix profile (a
profile whose description starts "Removes weakness SEC-…: ") on.
Writes reports/self-verify.json; each run's console output goes to
reports/self-verify/<run>/console.log.

  --only FAULT[,FAULT]   run only these faults or fix profiles (repeatable); the clean run
                         always runs; a fix profile proves only its own weakness
  --parallel N           Cucumber workers per suite run (default 2; 1 = serial)
  --repeat N             stability instead: run the clean suite N times and list every
                         scenario that did not pass in some run (exit 1 if any)
  --first-catch          stop each fault run at its first failed scenario: faster, but
                         the table names only the scenarios that failed by then. Each
                         fault run first tries the scenarios that caught it last time
                         (scripts/lib/self-verify/fault-catchers.json), then the whole
                         suite if they do not; the weakness runs select the probes only
  --write-hints          rewrite fault-catchers.json from the scenarios that caught each fault
  --order random         run the scenarios of each suite run in a random order
                         (the seed of each run is printed); default: defined
  --run-timeout SECONDS  stop a suite run that takes longer (default 600)
  --help                 this text

Exit codes: 0 every fault caught and the clean run(s) green; 1 a fault missed,
the clean run red, or (--repeat) an unstable scenario; 2 bad options or the
fault list could not be read.
`;

function positiveInt(option: string, value: string | undefined, max: number): number {
  if (value === undefined || value.startsWith('--')) throw new UsageError(`${option} needs a number`);
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isInteger(n) || n < 1 || n > max) throw new UsageError(`${option} must be a whole number from 1 to ${max}, got "${value}"`);
  return n;
}

export function parseOptions(argv: string[]): SelfVerifyOptions {
  const opts: SelfVerifyOptions = { only: [], parallel: 2, order: 'defined', firstCatch: false, writeHints: false, runTimeoutS: 600, cucumberArgs: [], help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    // "--name=value" is accepted as well as "--name value".
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const value = () => (eq > 0 ? arg.slice(eq + 1) : argv[++i]);
    switch (name) {
      case '--':
        opts.cucumberArgs = argv.slice(i + 1);
        i = argv.length;
        break;
      case '--help':
      case '-h':
        opts.help = true;
        break;
      case '--only': {
        const v = value();
        if (v === undefined || v.startsWith('--') || !v.trim()) throw new UsageError('--only needs one or more fault names, e.g. --only policy-disabled,state-dropped');
        opts.only.push(...v.split(',').map((s) => s.trim()).filter(Boolean));
        break;
      }
      case '--parallel':
        opts.parallel = positiveInt(name, value(), 16);
        break;
      case '--first-catch':
        if (eq > 0) throw new UsageError('--first-catch takes no value');
        opts.firstCatch = true;
        break;
      case '--write-hints':
        if (eq > 0) throw new UsageError('--write-hints takes no value');
        opts.writeHints = true;
        break;
      case '--repeat':
        opts.repeat = positiveInt(name, value(), 100);
        break;
      case '--run-timeout':
        opts.runTimeoutS = positiveInt(name, value(), 24 * 3600);
        break;
      case '--order': {
        const v = value();
        if (v !== 'random' && v !== 'defined') throw new UsageError(`--order must be "random" or "defined", got ${v === undefined ? 'nothing' : `"${v}"`}`);
        opts.order = v;
        break;
      }
      default:
        throw new UsageError(`unknown option "${arg}"; --help lists the options (Cucumber options go after "--")`);
    }
  }
  if (opts.repeat !== undefined && opts.only.length) throw new UsageError('--repeat runs the clean suite only; it cannot be combined with --only');
  if (opts.repeat !== undefined && opts.firstCatch) throw new UsageError('--repeat runs the clean suite only; it cannot be combined with --first-catch');
  if (opts.repeat !== undefined && opts.writeHints) throw new UsageError('--repeat runs no faults; it cannot be combined with --write-hints');
  return opts;
}

/** Checks --only against the sandbox's fault list; an unknown name is a usage error naming the known ones. */
export function selectFaults<T extends { name: string }>(all: T[], only: string[]): T[] {
  if (!only.length) return all;
  const unknown = only.filter((n) => !all.some((f) => f.name === n));
  if (unknown.length) throw new UsageError(`--only: unknown fault${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `"${n}"`).join(', ')}; the sandbox knows: ${all.map((f) => f.name).join(', ')}`);
  return all.filter((f) => only.includes(f.name));
}
