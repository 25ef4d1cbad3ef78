// `npm run bench -- [options]`: what to measure and how often.

export const SECTIONS = ['suite', 'tutorial', 'latency', 'parallel'] as const;
export type Section = (typeof SECTIONS)[number];

export interface BenchOptions {
  runs: number;
  /** Requests per latency series (token-less, warm RPT, upstream). */
  requests: number;
  /** Fresh RPTs whose first (cold-cache) request is timed. */
  coldRpts: number;
  /** Workers of the parallel comparison. */
  workers: number;
  sections: Set<Section>;
  out: string;
  /** Before each measured run, wait up to this long for other suite runs on the machine to end (0: do not wait). */
  waitQuietS: number;
  quick: boolean;
  help: boolean;
}

export const BENCH_USAGE = `Usage: npm run bench -- [options]

Measures, in one run on this machine, against the embedded sandbox:
  suite     wall time of the whole suite (npm test's launcher, all features)
            and its start-up (launch → first scenario, with its pieces)
  tutorial  each tutorial's scenarios through the suite against a bare flow (plain HTTP +
            Playwright, no test framework) doing the same calls and browser steps: the first
            tutorial's (@tutorial and not @oidc-uma), and the second tutorial's features
            (features/oidc-uma/); per scenario and both together;
            and the Chromium floor: the browser alone on trivial local pages of each
            flow's shape, with each suite browser step's ratio to it
  latency   the sandbox's own latency per request through Kong → oxd → AS
            (token-less 401 + ticket, RPT with cold and warm caches)
  parallel  the whole suite with --parallel against serial (reuses "suite")

  --runs N          repetitions of each timed run (default 3)
  --requests N      requests per latency series (default 500)
  --cold N          fresh RPTs for the cold-cache series (default 100)
  --workers N       workers of the parallel run (default 2)
  --only LIST       only these sections, comma-separated (${SECTIONS.join(', ')})
  --skip LIST       all sections but these
  --out FILE        where the results go (default reports/bench.json)
  --wait-quiet S    before each measured run, wait up to S seconds while the
                    machine is busy: other suite or sandbox runs, or over 15 % of
                    the CPU in use (default 120; 0: never)
  --quick           1 run, 100 requests, 20 cold RPTs (CI smoke)
  --help            this text

Exit codes: 0 measured, 1 a measured run failed (numbers written, but suspect),
2 bad options or the environment could not be measured.
`;

export class BenchUsageError extends Error {}

function positiveInt(name: string, value: string | undefined, max: number): number {
  if (value === undefined || !/^\d+$/.test(value)) throw new BenchUsageError(`${name} needs a whole number, got ${value === undefined ? 'nothing' : `"${value}"`}`);
  const n = Number(value);
  if (n < 1 || n > max) throw new BenchUsageError(`${name} must be between 1 and ${max}, got ${n}`);
  return n;
}

function sectionList(name: string, value: string | undefined): Section[] {
  if (!value) throw new BenchUsageError(`${name} needs a comma-separated list of sections (${SECTIONS.join(', ')})`);
  const list = value.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = list.filter((s) => !(SECTIONS as readonly string[]).includes(s));
  if (unknown.length || !list.length) throw new BenchUsageError(`${name}: unknown section${unknown.length === 1 ? '' : 's'} ${unknown.join(', ') || '(none)'}; known: ${SECTIONS.join(', ')}`);
  return list as Section[];
}

export function parseBenchArgs(argv: string[]): BenchOptions {
  const o: BenchOptions = { runs: 3, requests: 500, coldRpts: 100, workers: 2, sections: new Set(SECTIONS), out: 'reports/bench.json', waitQuietS: 120, quick: false, help: false };
  const explicit = new Set<string>();
  let only: Section[] | undefined;
  let skip: Section[] | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--runs':
        o.runs = positiveInt(flag, value(), 50);
        explicit.add('runs');
        break;
      case '--requests':
        o.requests = positiveInt(flag, value(), 100_000);
        explicit.add('requests');
        break;
      case '--cold':
        o.coldRpts = positiveInt(flag, value(), 10_000);
        explicit.add('cold');
        break;
      case '--workers':
        o.workers = positiveInt(flag, value(), 16);
        if (o.workers < 2) throw new BenchUsageError('--workers must be at least 2 (1 is the serial run)');
        break;
      case '--only':
        only = sectionList(flag, value());
        break;
      case '--skip':
        skip = sectionList(flag, value());
        break;
      case '--out': {
        const v = value();
        if (!v || v.startsWith('--')) throw new BenchUsageError('--out needs a file name');
        o.out = v;
        break;
      }
      case '--wait-quiet': {
        const v = value();
        if (v === '0') o.waitQuietS = 0;
        else o.waitQuietS = positiveInt(flag, v, 3600);
        break;
      }
      case '--quick':
        o.quick = true;
        break;
      case '--help':
      case '-h':
        o.help = true;
        break;
      default:
        throw new BenchUsageError(`unknown option "${arg}"`);
    }
  }
  if (only && skip) throw new BenchUsageError('--only and --skip cannot be combined');
  if (only) o.sections = new Set(only);
  if (skip) o.sections = new Set(SECTIONS.filter((s) => !skip!.includes(s)));
  if (!o.sections.size) throw new BenchUsageError('--skip leaves nothing to measure');
  if (o.quick) {
    if (!explicit.has('runs')) o.runs = 1;
    if (!explicit.has('requests')) o.requests = 100;
    if (!explicit.has('cold')) o.coldRpts = 20;
  }
  return o;
}
