// `npm run bench`: how fast the suite is against the embedded sandbox, on
// this machine, in one run. See `npm run bench -- --help` and
// scripts/lib/bench/options.ts. Results: a table on the console and
// reports/bench.json. The suite runs use their own reports folders
// (reports/bench-runs/<kind>/, the last repetition kept) so that nothing
// else's reports are overwritten.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BENCH_USAGE, BenchUsageError, parseBenchArgs, type BenchOptions } from './lib/bench/options';
import { browserAvailable, childrenCpuMs, machine, waitForQuiet, watchContention, type Contention, type Machine } from './lib/bench/machine';
import { ROOT, runSuite, type SuiteRun } from './lib/bench/suite-run';
import { NODE_TS_ARGS } from './lib/node-ts';
import { SCENARIOS as FIRST_BARE_SCENARIOS, type BareFlowResult } from './lib/bench/bare-flow';
import { OIDC_SCENARIOS } from './lib/bench/bare-oidc-flow';
import { combinedRatio, pairScenarios } from './lib/bench/pairing';
import { featureScenarios, withoutBaseline } from './lib/bench/feature-scenarios';
import type { FloorResult } from './lib/bench/floor';
import { browserStepRatios } from './lib/bench/browser-steps';
import { measureLatency, type LatencyResult } from './lib/bench/latency';
import { ratio, spread, type Spread } from './lib/bench/stats';
import { outcomeCount, secs, spreadMs, spreadS, table } from './lib/bench/table';

/** The scenarios the first bare flow (scripts/lib/bench/bare-flow.ts) also does: the first tutorial's, update-site step included. */
const FIRST_TUTORIAL = '@tutorial and not @oidc-uma';
/**
 * The second tutorial's feature files the second bare flow (scripts/lib/bench/bare-oidc-flow.ts) does
 * scenario for scenario (test/bench/bare-flows.test.ts holds it to every scenario of these files): all of
 * features/oidc-uma/. A @tutorial scenario added without a bare counterpart is left out of the ratio
 * rather than compared with nothing, and the bench names it.
 */
const SECOND_TUTORIAL_FILES = [...new Set(OIDC_SCENARIOS.map((s) => s.feature))];
const BARE_FIRST = path.join(ROOT, 'scripts', 'lib', 'bench', 'bare-flow.ts');
const BARE_SECOND = path.join(ROOT, 'scripts', 'lib', 'bench', 'bare-oidc-flow.ts');
const FLOOR = path.join(ROOT, 'scripts', 'lib', 'bench', 'floor.ts');
/** Repetitions of each shape per floor measurement (after one warm-up). */
const FLOOR_REPS = 5;
/** Issue 15: a browser step at most 1.2 × the Chromium floor of the same shape. */
const BROWSER_STEP_TARGET = 1.2;

const TARGETS = { startupMs: 2000, tutorialRatio: 1.5, fullSuiteMs: 20_000 };
const RUNS_DIR = path.join(ROOT, 'reports', 'bench-runs');

interface BareRun {
  exitCode: number;
  wallMs: number;
  cpuMs?: number;
  result?: BareFlowResult;
  error?: string;
}

interface StartupPieces {
  /** launch → "Sandbox started" on the launcher's console. */
  toSandboxReady?: Spread;
  /** The sandbox's own start, from its ready line. */
  sandboxOwnStart?: Spread;
  /** Spawning a sandbox process → its ready line (node + ts-node + sandbox start), from the bare flow and latency runs. */
  sandboxProcessSpawnToReady?: Spread;
  /** The launcher's own start: its process start → spawning the sandbox (measured in the launcher, UMA_BENCH_MARKS). */
  launcherOwnStart?: Spread;
  /** In the suite runs themselves: spawning the sandbox → its ready line. */
  sandboxSpawnToReadyInRun?: Spread;
  /** sandbox ready → the doctor's summary line. */
  doctor?: Spread;
  /** doctor done → Cucumber's testRunStarted (Cucumber's process, support code, features). */
  cucumberStart?: Spread;
  /** testRunStarted → the first scenario (BeforeAll hooks). */
  beforeFirstScenario?: Spread;
  /** launch → first testCaseStarted: the start-up. */
  total?: Spread;
  /** last scenario finished → launcher exit (AfterAll, formatters, sweep, sandbox stop). */
  shutdown?: Spread;
}

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

function startupOf(runs: SuiteRun[], sandboxSpawns: number[]): StartupPieces {
  const diff = (f: (r: SuiteRun) => number | undefined) => spread(runs.map(f).filter((v): v is number => v !== undefined));
  return {
    // Measured inside the launcher (its process start → spawning the sandbox), not estimated by a
    // difference of two runs' times, which went negative (−197 ms) when the sandbox's spawn varied.
    launcherOwnStart: diff((r) => r.launcherToSpawnMs),
    sandboxSpawnToReadyInRun: diff((r) => r.sandboxSpawnToReadyMs),
    toSandboxReady: diff((r) => r.marks.sandboxReady),
    sandboxOwnStart: diff((r) => r.sandboxStartMs),
    sandboxProcessSpawnToReady: spread(sandboxSpawns),
    doctor: diff((r) => (r.marks.doctorDone !== undefined && r.marks.sandboxReady !== undefined ? r.marks.doctorDone - r.marks.sandboxReady : undefined)),
    cucumberStart: diff((r) => (r.marks.testRunStarted !== undefined && r.marks.doctorDone !== undefined ? r.marks.testRunStarted - r.marks.doctorDone : undefined)),
    beforeFirstScenario: diff((r) => (r.marks.firstScenarioStarted !== undefined && r.marks.testRunStarted !== undefined ? r.marks.firstScenarioStarted - r.marks.testRunStarted : undefined)),
    total: diff((r) => r.marks.firstScenarioStarted),
    shutdown: diff((r) => (r.marks.lastScenarioFinished !== undefined ? r.wallMs - r.marks.lastScenarioFinished : undefined)),
  };
}

function runBare(script: string, outFile: string): Promise<BareRun> {
  fs.rmSync(outFile, { force: true });
  const cpu0 = childrenCpuMs();
  const t0 = performance.now();
  // Loaded the way `npm test` loads the launcher, so that the TypeScript loader costs both sides alike.
  const child = spawn(process.execPath, [...NODE_TS_ARGS, script, outFile], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  return new Promise((resolve) => {
    child.on('exit', (code) => {
      const wallMs = Math.round(performance.now() - t0);
      const cpu1 = childrenCpuMs();
      const cpuMs = cpu0 !== undefined && cpu1 !== undefined ? cpu1 - cpu0 : undefined;
      const result = fs.existsSync(outFile) ? (JSON.parse(fs.readFileSync(outFile, 'utf8')) as BareFlowResult) : undefined;
      resolve({ exitCode: code ?? 1, wallMs, cpuMs, result, error: code === 0 ? undefined : stderr.trim() });
    });
  });
}

/** The Chromium floor (floor.ts) in a child process, like the bare flows. */
function runFloor(outFile: string): Promise<{ exitCode: number; result?: FloorResult; error?: string }> {
  fs.rmSync(outFile, { force: true });
  const child = spawn(process.execPath, [...NODE_TS_ARGS, FLOOR, outFile, String(FLOOR_REPS)], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  return new Promise((resolve) => {
    child.on('exit', (code) => {
      const result = fs.existsSync(outFile) ? (JSON.parse(fs.readFileSync(outFile, 'utf8')) as FloorResult) : undefined;
      resolve({ exitCode: code ?? 1, result, error: code === 0 ? undefined : stderr.trim() });
    });
  });
}

function describeRun(r: SuiteRun): string {
  const counts = Object.entries(r.counts)
    .map(([k, v]) => outcomeCount(k, v))
    .join(', ');
  return `${secs(r.wallMs)} s (CPU ${secs(r.cpuMs)} s), exit ${r.exitCode} (${counts || 'no scenarios'})`;
}

/** Per scenario: median of the suite's times and of the bare flow's, by scenario name, and the names on one side only. */
function perScenario(suite: SuiteRun[], bare: BareRun[], baseline: string[]) {
  return pairScenarios(
    suite.map((r) => r.timings.scenarios),
    bare.map((b) => b.result?.scenarios ?? []),
    baseline,
  );
}

/** One tutorial through the suite against its bare flow. */
function tutorialSummary(suite: SuiteRun[], bare: BareRun[], baseline: string[]) {
  const ok = bare.filter((b) => b.exitCode === 0);
  const suiteWallMs = spread(suite.map((r) => r.wallMs));
  const suiteScenarioSumMs = spread(suite.map((r) => r.scenarioSumMs));
  const bareWallMs = spread(ok.map((b) => b.wallMs));
  const bareScenarioSumMs = spread(bare.filter((b) => b.result).map((b) => b.result!.scenarioSumMs));
  const pairing = perScenario(suite, bare, baseline);
  return {
    suiteWallMs,
    suiteScenarioSumMs,
    bareWallMs,
    bareScenarioSumMs,
    suiteCpuMs: spread(cpuOf(suite)),
    bareCpuMs: spread(cpuOf(ok)),
    cpuRatio: ratio(spread(cpuOf(suite)), spread(cpuOf(ok))),
    bareBrowserLaunchMs: spread(bare.map((b) => b.result?.browserLaunchMs).filter((v): v is number => v !== undefined)),
    wallRatio: ratio(suiteWallMs, bareWallMs),
    scenarioSumRatio: ratio(suiteScenarioSumMs, bareScenarioSumMs),
    perScenario: pairing.pairs,
    /** Scenarios the suite ran that the bare flow does not do (the wall ratio is then unfair), and the reverse. */
    suiteOnly: pairing.suiteOnly,
    bareOnly: pairing.bareOnly,
  };
}

/** Where a run's scenario time went: the steps and hooks that took longest, summed over scenarios. */
function topSteps(run: SuiteRun | undefined, n = 12) {
  return run?.timings.steps.slice(0, n) ?? [];
}

function cpuOf(runs: Array<{ cpuMs?: number }>): number[] {
  return runs.map((r) => r.cpuMs).filter((v): v is number => v !== undefined);
}

/**
 * Another suite run, or CPU used by processes that are not the benchmark's
 * (machine.ts watchContention follows the benchmark's own processes, reparented
 * ones included): on an idle machine only the kernel's threads are left, a few
 * per cent of the capacity; another suite or build takes a core's worth.
 */
const OTHER_CPU_SKEWED = 0.15;

function isSkewed(c: Contention): boolean {
  return c.foreignShare > 0 || (c.otherCpuShare ?? 0) > OTHER_CPU_SKEWED;
}

/**
 * A run's CPU time: its reaped children's (cutime), or what the per-process
 * samples saw, when more: processes reparented to init are never reaped by
 * the run (a --parallel run's Cucumber workers and their Chromiums).
 */
function withOwnCpu<T>(result: T, c: Contention): T {
  if (c.ownCpuMs === undefined || typeof result !== 'object' || result === null || !('cpuMs' in result)) return result;
  const r = result as { cpuMs?: number };
  if (r.cpuMs === undefined || c.ownCpuMs > r.cpuMs) r.cpuMs = c.ownCpuMs;
  return result;
}

function verdict(value: number | undefined, target: number): string {
  if (value === undefined) return 'not measured';
  return value < target ? 'met' : 'MISSED';
}

/** For the targets stated as "at most". */
function verdictAtMost(value: number | undefined, target: number): string {
  if (value === undefined) return 'not measured';
  return value <= target ? 'met' : 'MISSED';
}

async function main(): Promise<number> {
  let opts: BenchOptions;
  try {
    opts = parseBenchArgs(process.argv.slice(2));
  } catch (err) {
    if (err instanceof BenchUsageError) {
      process.stderr.write(`bench: ${err.message} (npm run bench -- --help lists the options)\n`);
      return 2;
    }
    throw err;
  }
  if (opts.help) {
    process.stdout.write(BENCH_USAGE);
    return 0;
  }
  const wantsBrowser = opts.sections.has('suite') || opts.sections.has('tutorial') || opts.sections.has('parallel');
  if (wantsBrowser && !browserAvailable()) {
    process.stderr.write('bench: no Chromium found (install one, or set UMA_BROWSER_PATH); nothing was measured\n');
    return 2;
  }

  const m: Machine = machine();
  const contention: Array<{ run: string; waitedS: number } & Contention> = [];
  /** One measured run: first wait (bounded) for other suite runs to end, then watch whether one starts meanwhile. */
  const measured = async <T>(label: string, fn: () => Promise<T>): Promise<T> => {
    const t = Date.now();
    if (opts.waitQuietS > 0 && !(await waitForQuiet(1000))) {
      log(`  the machine is busy (other suite runs or CPU load): waiting up to ${opts.waitQuietS} s before ${label}…`);
      if (!(await waitForQuiet(opts.waitQuietS * 1000))) log(`  still busy: measuring ${label} anyway`);
    }
    const waitedS = Math.round((Date.now() - t) / 1000);
    const watch = watchContention();
    const run = await fn();
    const c = watch.stop();
    const result = withOwnCpu(run, c);
    contention.push({ run: label, waitedS, ...c });
    if (isSkewed(c)) log(`  ! other work on this machine during ${label} (other suite runs ${Math.round(c.foreignShare * 100)}% of the time, others' CPU ${Math.round((c.otherCpuShare ?? 0) * 100)}% of capacity): its numbers are skewed`);
    return result;
  };
  log(`bench: ${m.cpuCount} × ${m.cpuModel}, ${m.totalMemoryMiB} MiB, Node ${m.node}, ${m.chromium}; ${opts.runs} run(s), sections: ${[...opts.sections].join(', ')}`);
  fs.mkdirSync(RUNS_DIR, { recursive: true });

  const full: SuiteRun[] = [];
  const tutorial: SuiteRun[] = [];
  const tutorial2: SuiteRun[] = [];
  const parallel: SuiteRun[] = [];
  const bare: BareRun[] = [];
  const bare2: BareRun[] = [];
  const floors: FloorResult[] = [];
  let failures = 0;
  const wantsFull = opts.sections.has('suite') || opts.sections.has('parallel');

  // Repetitions are interleaved (full, tutorial, bare, parallel, full, …) so that a slow phase of the machine spreads over all kinds.
  for (let i = 1; i <= opts.runs; i++) {
    const tag = `${i}/${opts.runs}`;
    if (wantsFull) {
      const r = await measured(`suite ${tag}`, () => runSuite(`suite ${tag}`, [], path.join(RUNS_DIR, 'suite')));
      full.push(r);
      if (r.exitCode !== 0) failures++;
      log(`suite ${tag}: ${describeRun(r)}`);
    }
    if (opts.sections.has('tutorial')) {
      const r = await measured(`tutorial ${tag}`, () => runSuite(`tutorial ${tag}`, ['--tags', FIRST_TUTORIAL], path.join(RUNS_DIR, 'tutorial')));
      tutorial.push(r);
      if (r.exitCode !== 0) failures++;
      log(`suite --tags "${FIRST_TUTORIAL}" ${tag}: ${describeRun(r)}`);
      const b = await measured(`bare flow ${tag}`, () => runBare(BARE_FIRST, path.join(RUNS_DIR, 'bare-flow.json')));
      bare.push(b);
      if (b.exitCode !== 0) failures++;
      log(`bare flow ${tag}: ${secs(b.wallMs)} s (CPU ${secs(b.cpuMs)} s), exit ${b.exitCode}${b.error ? ` — ${b.error.split('\n')[0]}` : ''}`);
      const r2 = await measured(`tutorial 2 ${tag}`, () => runSuite(`tutorial 2 ${tag}`, SECOND_TUTORIAL_FILES, path.join(RUNS_DIR, 'tutorial-2')));
      tutorial2.push(r2);
      if (r2.exitCode !== 0) failures++;
      log(`suite ${SECOND_TUTORIAL_FILES.join(' ')} ${tag}: ${describeRun(r2)}`);
      const b2 = await measured(`bare oidc flow ${tag}`, () => runBare(BARE_SECOND, path.join(RUNS_DIR, 'bare-oidc-flow.json')));
      bare2.push(b2);
      if (b2.exitCode !== 0) failures++;
      log(`bare oidc flow ${tag}: ${secs(b2.wallMs)} s (CPU ${secs(b2.cpuMs)} s), exit ${b2.exitCode}${b2.error ? ` — ${b2.error.split('\n')[0]}` : ''}`);
      const f = await measured(`Chromium floor ${tag}`, () => runFloor(path.join(RUNS_DIR, 'floor.json')));
      if (f.result) floors.push(f.result);
      else failures++;
      log(`Chromium floor ${tag}: ${f.result ? `claims shape ${f.result.claims.total.median} ms, oidc shape ${f.result.oidc.total.median} ms` : `failed — ${f.error?.split('\n')[0]}`}`);
    }
    if (opts.sections.has('parallel')) {
      const r = await measured(`parallel ${tag}`, () => runSuite(`parallel ${tag}`, ['--parallel', String(opts.workers)], path.join(RUNS_DIR, 'parallel')));
      parallel.push(r);
      if (r.exitCode !== 0) failures++;
      log(`suite --parallel ${opts.workers} ${tag}: ${describeRun(r)}`);
    }
  }

  let latency: LatencyResult | undefined;
  if (opts.sections.has('latency')) {
    log(`latency: ${opts.requests} requests per series, ${opts.coldRpts} cold RPTs…`);
    latency = await measured('latency', () => measureLatency(opts.requests, opts.coldRpts));
    for (const s of latency.series) if (s.unexpected) failures++;
  }

  // ---- summary ----
  const sandboxSpawns = [...bare.map((b) => b.result?.sandboxSpawnToReadyMs), ...bare2.map((b) => b.result?.sandboxSpawnToReadyMs), latency?.sandboxSpawnToReadyMs].filter((v): v is number => v !== undefined);
  const fullWall = spread(full.map((r) => r.wallMs));
  const startup = startupOf(full.length ? full : tutorial, sandboxSpawns);
  const first = tutorial.length ? tutorialSummary(tutorial, bare, FIRST_BARE_SCENARIOS.map((x) => x.name)) : undefined;
  const second = tutorial2.length ? tutorialSummary(tutorial2, bare2, OIDC_SCENARIOS.map((x) => x.name)) : undefined;
  const baseline = [...FIRST_BARE_SCENARIOS, ...OIDC_SCENARIOS].map((x) => x.name);
  const tutorialScenarios = featureScenarios(ROOT).filter((x) => x.tags.includes('@tutorial'));
  const okWall = (b: BareRun) => (b.exitCode === 0 ? b.wallMs : undefined);
  const allWall = combinedRatio([tutorial.map((r) => r.wallMs), tutorial2.map((r) => r.wallMs)], [bare.map(okWall), bare2.map(okWall)]);
  const allSum = combinedRatio([tutorial.map((r) => r.scenarioSumMs), tutorial2.map((r) => r.scenarioSumMs)], [bare.map((b) => b.result?.scenarioSumMs), bare2.map((b) => b.result?.scenarioSumMs)]);
  const allTutorials = first && second
    ? {
        scenariosWithBaseline: tutorialScenarios.filter((x) => baseline.includes(x.name)).length,
        tutorialScenarios: tutorialScenarios.length,
        withoutBaseline: withoutBaseline(tutorialScenarios, baseline),
        suiteWallMs: allWall.suiteMs,
        bareWallMs: allWall.bareMs,
        wallRatio: allWall.ratio,
        suiteScenarioSumMs: allSum.suiteMs,
        bareScenarioSumMs: allSum.bareMs,
        scenarioSumRatio: allSum.ratio,
      }
    : undefined;
  const browserSteps = floors.length ? browserStepRatios([...tutorial, ...tutorial2].map((r) => r.timings.steps), floors) : undefined;
  const parWall = spread(parallel.map((r) => r.wallMs));
  const summary = {
    fullSuite: full.length
      ? { wallMs: fullWall, cpuMs: spread(cpuOf(full)), scenarioSumMs: spread(full.map((r) => r.scenarioSumMs)), scenarios: full[0]?.timings.scenarios.length }
      : undefined,
    startup: full.length || tutorial.length ? startup : undefined,
    /** The first tutorial (@tutorial and not @oidc-uma) against bare-flow.ts. */
    tutorial: first,
    /** The second tutorial's features (features/oidc-uma/) against bare-oidc-flow.ts. */
    secondTutorial: second ? { features: SECOND_TUTORIAL_FILES, ...second } : undefined,
    /** Both together: every @tutorial scenario that has a bare baseline (the ratio target's scope). */
    allTutorials,
    /** Chromium alone on trivial local pages of each flow's shape (issue 15), and each suite browser step against it. */
    floor: floors.length
      ? {
          reps: FLOOR_REPS,
          runs: floors,
          claimsShapeMs: spread(floors.map((f) => f.claims.total.median)),
          oidcShapeMs: spread(floors.map((f) => f.oidc.total.median)),
          browserSteps,
        }
      : undefined,
    parallel: parallel.length
      ? { workers: opts.workers, wallMs: parWall, cpuMs: spread(cpuOf(parallel)), serialCpuMs: spread(cpuOf(full)), serialWallMs: fullWall, speedUp: ratio(fullWall, parWall), scenarioSumMs: spread(parallel.map((r) => r.scenarioSumMs)), startup: startupOf(parallel, []) }
      : undefined,
    latency,
    targets: {
      startupUnder2s: verdict(startup.total?.median, TARGETS.startupMs),
      /** Over every @tutorial scenario with a bare baseline (both tutorials once both ran). */
      tutorialRatioUnder1_5: verdict(allTutorials ? allTutorials.wallRatio : first?.wallRatio, TARGETS.tutorialRatio),
      tutorialScenarioSumRatioUnder1_5: verdict(allTutorials ? allTutorials.scenarioSumRatio : first?.scenarioSumRatio, TARGETS.tutorialRatio),
      firstTutorialRatioUnder1_5: verdict(first?.wallRatio, TARGETS.tutorialRatio),
      firstTutorialScenarioSumRatioUnder1_5: verdict(first?.scenarioSumRatio, TARGETS.tutorialRatio),
      secondTutorialRatioUnder1_5: verdict(second?.wallRatio, TARGETS.tutorialRatio),
      secondTutorialScenarioSumRatioUnder1_5: verdict(second?.scenarioSumRatio, TARGETS.tutorialRatio),
      fullSuiteUnder20s: verdict(fullWall?.median, TARGETS.fullSuiteMs),
      /** Issue 15: every browser step ≤ 1.2 × its floor; the worst one decides. */
      browserStepsUnder1_2xFloor: verdictAtMost(browserSteps?.some((b) => b.ratio !== undefined) ? Math.max(...browserSteps.map((b) => b.ratio ?? 0)) : undefined, BROWSER_STEP_TARGET),
    },
  };

  const report = {
    machine: { ...m, loadAverageAtEnd: os.loadavg().map((l) => Math.round(l * 100) / 100) },
    options: { runs: opts.runs, requests: opts.requests, coldRpts: opts.coldRpts, workers: opts.workers, sections: [...opts.sections], waitQuietS: opts.waitQuietS, quick: opts.quick },
    contention,
    summary,
    whereTheTimeGoes: {
      fullSuiteTopSteps: topSteps(full[full.length - 1]),
      tutorialTopSteps: topSteps(tutorial[tutorial.length - 1]),
      secondTutorialTopSteps: topSteps(tutorial2[tutorial2.length - 1]),
    },
    runs: {
      full: full.map(slim),
      tutorial: tutorial.map(slim),
      tutorial2: tutorial2.map(slim),
      parallel: parallel.map(slim),
      bare,
      bare2,
    },
  };
  const out = path.resolve(ROOT, opts.out);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);

  process.stdout.write(`\n${render(report.machine, summary, opts, report.whereTheTimeGoes.fullSuiteTopSteps)}\n`);
  const skewed = contention.filter(isSkewed);
  if (skewed.length) {
    process.stdout.write(`\nWARNING: other suite or sandbox runs were on this machine during ${skewed.length} of ${contention.length} measured runs (${skewed.map((c) => c.run).join(', ')}); their numbers are skewed (see "contention" in ${path.relative(ROOT, out)}).\n`);
  }
  process.stdout.write(`\nWritten to ${path.relative(ROOT, out)}${failures ? `; ${failures} measured run(s) did not pass, so some numbers are suspect` : ''}.\n`);
  return failures ? 1 : 0;
}

type TutorialSummary = ReturnType<typeof tutorialSummary>;

/** Each missed target in plain words, with the numbers. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function missedTargets(s: any): string[] {
  const out: string[] = [];
  const t = s.targets;
  if (t.fullSuiteUnder20s === 'MISSED') {
    const f = s.fullSuite;
    const perScenario = f.scenarios ? Math.round(f.wallMs.median / f.scenarios) : undefined;
    const budget = f.scenarios ? Math.round((TARGETS.fullSuiteMs - (s.startup?.total?.median ?? 0)) / f.scenarios) : undefined;
    const left = budget === undefined ? '' : budget > 0 ? ` (${budget} ms per scenario after the start-up)` : ' (the start-up alone leaves nothing for the scenarios)';
    out.push(`full suite: ${secs(f.wallMs.median)} s for ${f.scenarios} scenarios (${perScenario} ms each on average, CPU ${secs(f.cpuMs?.median)} s in all), target < ${TARGETS.fullSuiteMs / 1000} s${left}`);
  }
  if (t.browserStepsUnder1_2xFloor === 'MISSED') {
    const over = (s.floor.browserSteps as Array<{ label: string; ratio?: number }>).filter((b) => (b.ratio ?? 0) > BROWSER_STEP_TARGET);
    out.push(`browser steps over ${BROWSER_STEP_TARGET} × the Chromium floor: ${over.map((b) => `${b.label} ${b.ratio}`).join('; ')}`);
  }
  if (t.startupUnder2s === 'MISSED') out.push(`start-up: ${secs(s.startup.total.median)} s, target < ${TARGETS.startupMs / 1000} s`);
  const ratioLine = (name: string, verdict: string, value: number | undefined) => {
    if (verdict === 'MISSED') out.push(`${name}: suite / bare ${value}, target < ${TARGETS.tutorialRatio}`);
  };
  ratioLine('1st tutorial, wall', t.firstTutorialRatioUnder1_5, s.tutorial?.wallRatio);
  ratioLine('1st tutorial, sum of scenarios', t.firstTutorialScenarioSumRatioUnder1_5, s.tutorial?.scenarioSumRatio);
  ratioLine('2nd tutorial, wall', t.secondTutorialRatioUnder1_5, s.secondTutorial?.wallRatio);
  ratioLine('2nd tutorial, sum of scenarios', t.secondTutorialScenarioSumRatioUnder1_5, s.secondTutorial?.scenarioSumRatio);
  if (s.allTutorials) {
    ratioLine('both tutorials, wall', t.tutorialRatioUnder1_5, s.allTutorials.wallRatio);
    ratioLine('both tutorials, sum of scenarios', t.tutorialScenarioSumRatioUnder1_5, s.allTutorials.scenarioSumRatio);
  }
  return out;
}

/** A suite run without its per-step detail (kept in whereTheTimeGoes for the last runs). */
function slim(r: SuiteRun) {
  return {
    label: r.label,
    args: r.args,
    exitCode: r.exitCode,
    wallMs: r.wallMs,
    cpuMs: r.cpuMs,
    marks: r.marks,
    sandboxStartMs: r.sandboxStartMs,
    scenarioSumMs: r.scenarioSumMs,
    counts: r.counts,
    runHooks: r.timings.runHooks.map((h) => ({ what: h.what, durationMs: Math.round(h.durationMs) })),
    scenarios: r.timings.scenarios.map((s) => ({ name: s.name, key: s.key, status: s.status, durationMs: Math.round(s.durationMs), workerId: s.workerId })),
    reportsDir: path.relative(ROOT, r.reportsDir),
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function render(m: Machine & { loadAverageAtEnd: number[] }, s: any, opts: BenchOptions, steps: Array<{ what: string; totalMs: number; count: number }>): string {
  const parts: string[] = [];
  parts.push(`Machine: ${m.cpuCount} × ${m.cpuModel}, ${m.totalMemoryMiB} MiB, ${m.os}, Node ${m.node}, ${m.chromium}, ${m.date} (load ${m.loadAverage.join(' ')} → ${m.loadAverageAtEnd.join(' ')})`);
  parts.push(`Runs: ${opts.runs} per measurement; times are median (min–max).`);
  const rows: Array<Array<string | number | undefined>> = [];
  if (s.fullSuite) {
    rows.push([`(a) full suite, wall (${s.fullSuite.scenarios} scenarios)`, spreadS(s.fullSuite.wallMs), '< 20 s', s.targets.fullSuiteUnder20s]);
    rows.push(['    sum of scenario times', spreadS(s.fullSuite.scenarioSumMs), '', '']);
    rows.push(['    CPU time, all processes', spreadS(s.fullSuite.cpuMs), '', '']);
  }
  if (s.startup) {
    const st = s.startup as StartupPieces;
    rows.push(['(b) start-up: launch → first scenario', spreadS(st.total), '< 2 s', s.targets.startupUnder2s]);
    rows.push(['    launch → "Sandbox started" line', spreadS(st.toSandboxReady), '', '']);
    rows.push(['      of which the sandbox\'s own start', spreadS(st.sandboxOwnStart), '', '']);
    rows.push(['      the launcher\'s own start (its process → spawning the sandbox)', spreadS(st.launcherOwnStart), '', '']);
    rows.push(['      spawning the sandbox → its ready line', spreadS(st.sandboxSpawnToReadyInRun), '', '']);
    rows.push(['      (a sandbox process alone: spawn → ready)', spreadS(st.sandboxProcessSpawnToReady), '', '']);
    rows.push(['    doctor', spreadS(st.doctor), '', '']);
    rows.push(['    Cucumber start (→ testRunStarted)', spreadS(st.cucumberStart), '', '']);
    rows.push(['    testRunStarted → first scenario', spreadS(st.beforeFirstScenario), '', '']);
    rows.push(['    after the last scenario → exit', spreadS(st.shutdown), '', '']);
  }
  const tutorialRows = (label: string, t: TutorialSummary, wallVerdict: string, sumVerdict?: string) => {
    rows.push([`${label} through the suite, wall (${t.perScenario.length} scenarios)`, spreadS(t.suiteWallMs), '', '']);
    rows.push(['    bare flow (plain HTTP + Playwright), wall', spreadS(t.bareWallMs), '', '']);
    rows.push(['    ratio suite / bare, wall', t.wallRatio, '< 1.5', wallVerdict]);
    rows.push(['    suite, sum of scenario times', spreadS(t.suiteScenarioSumMs), '', '']);
    rows.push(['    bare flow, sum of scenario times', spreadS(t.bareScenarioSumMs), '', '']);
    rows.push(['    ratio suite / bare, sum of scenarios', t.scenarioSumRatio, '< 1.5', sumVerdict ?? '']);
    rows.push(['    CPU time suite / bare (all processes)', `${secs(t.suiteCpuMs?.median)} / ${secs(t.bareCpuMs?.median)} = ${t.cpuRatio ?? '–'}`, '', '']);
  };
  if (s.tutorial) tutorialRows('(c) 1st tutorial', s.tutorial, s.targets.firstTutorialRatioUnder1_5, s.targets.firstTutorialScenarioSumRatioUnder1_5);
  if (s.secondTutorial) tutorialRows("(c') 2nd tutorial", s.secondTutorial, s.targets.secondTutorialRatioUnder1_5, s.targets.secondTutorialScenarioSumRatioUnder1_5);
  if (s.allTutorials) {
    const a = s.allTutorials;
    rows.push([`(c'') both, ${a.scenariosWithBaseline} of ${a.tutorialScenarios} @tutorial scenarios: suite / bare, wall`, `${secs(a.suiteWallMs?.median)} / ${secs(a.bareWallMs?.median)} = ${a.wallRatio ?? '–'}`, '< 1.5', s.targets.tutorialRatioUnder1_5]);
    rows.push(['    same, sum of scenario times', `${secs(a.suiteScenarioSumMs?.median)} / ${secs(a.bareScenarioSumMs?.median)} = ${a.scenarioSumRatio ?? '–'}`, '< 1.5', s.targets.tutorialScenarioSumRatioUnder1_5]);
  } else if (s.tutorial) {
    rows.push(['    (the ratio target: 1st tutorial only)', '', '< 1.5', s.targets.tutorialRatioUnder1_5]);
  }
  if (s.parallel) {
    const p = s.parallel;
    rows.push([`(e) full suite --parallel ${p.workers}, wall`, spreadS(p.wallMs), '', '']);
    rows.push(['    serial, wall', spreadS(p.serialWallMs), '', '']);
    rows.push(['    speed-up serial / parallel', p.speedUp, '', '']);
    rows.push(['    CPU time parallel / serial', `${secs(p.cpuMs?.median)} / ${secs(p.serialCpuMs?.median)}`, '', '']);
  }
  if (rows.length) parts.push(table(['measurement', 'seconds', 'target', 'verdict'], rows));

  for (const [label, t] of [['first', s.tutorial], ['second', s.secondTutorial]] as Array<[string, TutorialSummary | undefined]>) {
    if (!t) continue;
    parts.push(`Per ${label}-tutorial scenario (ms):\n` + table(['scenario', 'suite', 'bare', 'ratio'], t.perScenario.map((p) => [p.name.slice(0, 70), spreadMs(p.suiteMs), spreadMs(p.bareMs), p.ratio])));
    if (t.suiteOnly.length) parts.push(`WARNING: the ${label} tutorial's suite run had ${t.suiteOnly.length} scenario(s) the bare flow does not do, so its wall ratio is unfair: ${t.suiteOnly.join('; ')}`);
    if (t.bareOnly.length) parts.push(`WARNING: the ${label} tutorial's bare flow does ${t.bareOnly.length} scenario(s) the suite did not run under that name (renamed?): ${t.bareOnly.join('; ')}`);
  }
  if (s.floor) {
    const f = s.floor;
    parts.push(
      `Chromium floor (trivial local pages, same shapes, ${f.reps} repetitions after a warm-up, medians): claims shape ${spreadMs(f.claimsShapeMs)} ms, oidc shape ${spreadMs(f.oidcShapeMs)} ms.\n` +
        'Suite browser steps against the floor of the same shape (mean per use; target ≤ 1.2, issue 15):\n' +
        table(
          ['step', 'uses', 'suite ms', 'floor ms', 'ratio', 'note'],
          (f.browserSteps as Array<{ label: string; count: number; suiteMs?: number; floorMs?: number; ratio?: number; note?: string }>).map((b) => [b.label, b.count, b.suiteMs, b.floorMs, b.ratio, b.note ?? '']),
        ),
    );
  }
  if (s.allTutorials?.withoutBaseline.length) {
    const w = s.allTutorials.withoutBaseline as Array<{ feature: string; count: number }>;
    parts.push(`No bare baseline yet, so outside the ratio: ${w.map((x) => `${x.feature} (${x.count})`).join(', ')}.`);
  }
  const missed = missedTargets(s);
  if (missed.length) parts.push(`Targets missed:\n${missed.map((m) => `  - ${m}`).join('\n')}`);
  if (s.latency) {
    const l = s.latency as LatencyResult;
    parts.push(
      `(d) sandbox latency per request, one keep-alive connection (ms; sandbox --preset tutorial, its own start ${l.sandboxStartMs} ms):\n` +
        table(
          ['request', 'n', 'p50', 'p90', 'p99', 'max', 'bad status'],
          l.series.map((x) => [x.what, x.ms?.n, x.ms?.p50, x.ms?.p90, x.ms?.p99, x.ms?.max, x.unexpected]),
        ),
    );
    if (l.wrk?.length) {
      parts.push(
        'wrk (3 s each; the token-less 401s count as non-2xx):\n' +
          table(['request', 'connections', 'requests', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx/3xx'], l.wrk.map((w) => [w.what, w.connections, w.requests, w.requestsPerSecond, w.p50Ms, w.p99Ms, w.non2xx3xx])),
      );
    } else if (l.wrkNote) parts.push(`wrk: ${l.wrkNote}`);
  }
  if (steps.length) {
    parts.push(
      'Where the full suite\'s scenario time goes (last serial run, summed over scenarios):\n' +
        table(
          ['step or hook', 'total s', 'count', 'mean ms'],
          steps.slice(0, 10).map((x) => [x.what.slice(0, 90), secs(x.totalMs), x.count, Math.round(x.totalMs / x.count)]),
        ),
    );
  }
  return parts.join('\n\n');
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bench: could not measure: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exit(2);
  },
);

