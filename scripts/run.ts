// `npm test`: removes what earlier killed runs left in Kong (their journals),
// validates the configuration, starts the sandbox when no external
// environment is configured, runs the Cucumber features in a child process,
// removes whatever Kong objects the run left behind, and exits
//   0    conformant (known divergences allowed; recorded security weaknesses are findings, never red)
//   1    conformance failures
//   2    configuration or environment problem
//   130  interrupted (SIGINT, SIGTERM): the reports name the scenarios cut short
// Arguments after `--` go to Cucumber (e.g. --tags @tutorial, --parallel 2).
import { spawn } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ConfigError, loadConfig, type SuiteConfig } from '../support/config';
import { DivergenceLedger } from '../support/divergences';
import { WeaknessLedger } from '../support/weaknesses';
import { originOnly } from '../support/mask';
import { BREAKER_FILE, breakerLine, readBreakerMarker } from '../support/circuit-breaker';
import { cucumberArgProblems, featurePaths, isDryRun } from './lib/cucumber-args';
import { startSandbox, sandboxEnv, type RunningSandbox } from './lib/sandbox-launcher';
import { markKnownDivergencesInFile } from './lib/junit-divergences';
import { rewriteRunResults } from './lib/report/allure-truth';
import { lockReports } from './lib/reports-lock';
import { REPORTS, ROOT } from './lib/reports-dir';
import { interruptedLine, reportsPointer, summarize, summaryLine } from './lib/run-summary';
import { sweepEarlierRuns, sweepJournal, sweepLines, sweepSettings, type SweepOutcome } from './lib/sweep';
import { configProblemReport, doctorTimeoutFromEnv, renderDoctorTable, runDoctor, targetLine, writeAllureDoctorResult, type DoctorReport } from './lib/doctor';
import { markEnvironmentInterrupted, writeCategories, writeEnvironment, writeExecutor } from './lib/allure-files';
import { completeInterruptedRun, junitComplete, markAllureInterrupted, readEnvelopes, writeJunit, type InterruptedScenario } from './lib/interrupted-run';
import { writeRunHeader } from '../support/journal';

const MESSAGES = path.join(REPORTS, 'cucumber-messages.ndjson');
const JUNIT = path.join(REPORTS, 'junit.xml');
/** One folder per run (support/journal.ts); a run's folder outlives the run until the next run has swept it. */
const JOURNAL_ROOT = path.join(REPORTS, '.journal');
const JOURNAL_SHOWN = path.relative(process.cwd(), JOURNAL_ROOT) || JOURNAL_ROOT;
/** The reports folder as the user reaches it from where npm runs (the project root); absolute when outside it. */
const REPORTS_SHOWN = ((rel) => (rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : REPORTS))(path.relative(process.cwd(), REPORTS));
const RESULTS = path.join(REPORTS, 'allure-results');
// The package's bin entry; its "exports" map does not expose it to require.resolve.
const CUCUMBER_BIN = path.join(ROOT, 'node_modules', '@cucumber', 'cucumber', 'bin', 'cucumber.js');
const INTERRUPT_SIGNAL = path.join(ROOT, 'support', 'interrupt-signal.js');
/** After the first interrupt, how long the scenarios in flight may take to finish before Cucumber is stopped outright. */
const GRACE_MS = 6000;

/** The journal is not among these: it goes only once swept (scripts/lib/sweep.ts). */
function cleanReports(): void {
  for (const entry of ['allure-results', 'traces', 'cucumber-messages.ndjson', 'junit.xml', 'cucumber-report.html', 'sandbox.log', BREAKER_FILE]) {
    fs.rmSync(path.join(REPORTS, entry), { recursive: true, force: true });
  }
  fs.mkdirSync(path.join(REPORTS, 'allure-results'), { recursive: true });
}

interface CucumberRun {
  done: Promise<number>;
  /** Asks the run to stop: scenarios not started are skipped, the ones in flight finish (support/interrupt-signal.js). */
  stop(): void;
  /** Ends every Cucumber process at once; the launcher then writes the reports and sweeps Kong. */
  abort(): void;
}

/**
 * Cucumber runs in a process group of its own (with its workers; Playwright
 * puts Chromium in yet another), so a terminal's Ctrl-C or a CI runner's
 * signal to the group reaches the launcher only, which decides what Cucumber
 * gets; support/interrupt-signal.js says why Cucumber must not get SIGINT.
 */
function runCucumber(args: string[], env: NodeJS.ProcessEnv): CucumberRun {
  const child = spawn(process.execPath, ['--require', INTERRUPT_SIGNAL, CUCUMBER_BIN, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: true,
    env: { ...env, UMA_LAUNCHER_PID: String(process.pid) },
  });
  const done = new Promise<number>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 130 : 1))));
  const group = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  return { done, stop: () => group('SIGUSR2'), abort: () => group('SIGKILL') };
}

/** SIGINT and SIGTERM, from the first moment: what came, and what to do about it at each stage. */
class Interruption {
  signal?: NodeJS.Signals;
  count = 0;
  private onSignal: (count: number) => void = () => undefined;

  constructor() {
    for (const sig of ['SIGINT', 'SIGTERM'] as const) {
      process.on(sig, () => {
        this.signal ??= sig;
        this.count++;
        this.onSignal(this.count);
      });
    }
  }

  /** What a signal does from now on (before Cucumber: only noted; the stages check `signal`). */
  handle(fn: (count: number) => void): void {
    this.onSignal = fn;
  }
}

function printSweep(outcome: SweepOutcome, whose: string): void {
  const lines = sweepLines(outcome, whose, JOURNAL_SHOWN);
  for (const l of lines.out) process.stdout.write(`${l}\n`);
  for (const l of lines.err) process.stderr.write(`${l}\n`);
}

/**
 * JUnit and Allure of an interrupted run, or of one whose Cucumber ended
 * without its JUnit file: completed from the message stream.
 */
function completeReports(interruptedBy: string | undefined): InterruptedScenario[] {
  const completed = completeInterruptedRun(readEnvelopes(MESSAGES));
  writeJunit(JUNIT, completed.envelopes);
  markAllureInterrupted(RESULTS, completed.interrupted);
  writeCategories(RESULTS);
  if (interruptedBy) markEnvironmentInterrupted(RESULTS, interruptedBy);
  return completed.interrupted;
}

/** An interrupt before Cucumber started: nothing ran, and the reports say so. */
function stopBeforeScenarios(signal: NodeJS.Signals): number {
  completeReports(signal);
  process.stdout.write(`Interrupted (${signal}) before any scenario ran.\n`);
  return 130;
}

/** Stops the run before any scenario: the table on the console, the reason in the Allure report. */
function stopAtPreflight(report: DoctorReport): number {
  process.stderr.write(`${renderDoctorTable(report)}\n\nNothing was run: fix the above and run again (npm run doctor checks only this).\n`);
  writeCategories(RESULTS);
  writeAllureDoctorResult(RESULTS, report);
  return 2;
}

async function browserVersion(config: SuiteConfig): Promise<string> {
  // Only the origin: a grid's endpoint path or query often carries its access token.
  if (config.browser.wsEndpoint) return `remote Playwright browser at ${originOnly(config.browser.wsEndpoint) ?? '(an endpoint that is not a URL)'}`;
  // Loaded here, not at the top: Playwright takes a quarter of a second to load, off the start-up path.
  const { chooseExecutable } = require('../support/clients/claims-browser') as typeof import('../support/clients/claims-browser');
  const exe = chooseExecutable(config.browser.executablePath);
  if (!exe) return "Playwright's bundled Chromium";
  try {
    return (await promisify(execFile)(exe, ['--version'], { timeout: 5000, encoding: 'utf8' })).stdout.trim();
  } catch {
    return exe;
  }
}

/** environment.properties and friends; written while the scenarios already run. */
async function recordEnvironment(config: SuiteConfig, report: DoctorReport): Promise<void> {
  const detail = (id: string) => report.checks.find((c) => c.id === id)?.detail;
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
  writeCategories(RESULTS);
  writeExecutor(RESULTS);
  writeEnvironment(RESULTS, {
    Target: config.target === 'sandbox' ? 'embedded sandbox (emulation of GG 4.2 + Gluu Server 4.2)' : 'external deployment',
    Provisioning: config.provision,
    'Kong Admin API': detail('kong-admin') ?? config.ggAdminUrl,
    'Kong proxy': config.ggProxyUrl,
    oxd: detail('oxd') ?? config.oxdUrl,
    'Authorization server (issuer)': config.ceUrl,
    'UMA discovery': detail('as-discovery'),
    Browser: await browserVersion(config),
    'Suite version': `uma-claims-conformance ${pkg.version}`,
    'Node.js': process.version,
  });
}

/** A failure that is the environment's or the set-up's (support/errors.ts, support/http.ts), by its error class. */
const ENVIRONMENT_FAILURE = /^(EnvironmentError|SetupError): /;

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(
      'npm test [-- <Cucumber arguments>]: runs the conformance features against the embedded sandbox, or against\n' +
        'UMA_TARGET=external (settings: `npm run doctor -- --help`; README.md). Exit 0 conformant, 1 conformance\n' +
        'failures, 2 configuration or environment problem, 130 interrupted. Cucumber\'s own options follow.\n\n',
    );
    return runCucumber(['--help'], process.env).done;
  }
  const interruption = new Interruption();
  const lock = lockReports(REPORTS);
  if ('heldBy' in lock) {
    process.stderr.write(`Another run (pid ${lock.heldBy}) is using ${path.relative(process.cwd(), REPORTS) || REPORTS}: wait for it, or give this run its own folder with UMA_REPORTS_DIR.\n`);
    return 2;
  }
  // Before Cucumber a second signal ends the launcher at once: nothing of this run is in Kong yet
  // (the sandbox ends with the launcher), and the reports, once cleaned, say that nothing ran.
  let cleaned = false;
  interruption.handle((count) => {
    if (count < 2) return;
    if (cleaned) completeReports(interruption.signal);
    process.exit(130);
  });
  const timeout = doctorTimeoutFromEnv(process.env);
  let config: SuiteConfig | undefined;
  const problems: string[] = [...cucumberArgProblems(args), ...(timeout.problem ? [timeout.problem] : [])];
  try {
    config = loadConfig();
    // The ledger is configuration too: a broken one stops the run here, not in a worker.
    DivergenceLedger.load(config.divergencesFile);
    WeaknessLedger.load(config.weaknessesFile);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    problems.unshift(...err.problems);
  }
  // What killed runs left in Kong goes first: the lock says no run that still
  // lives uses this folder, so every journal under it is an earlier run's.
  printSweep(await sweepEarlierRuns(JOURNAL_ROOT, sweepSettings(config)), 'earlier interrupted or killed runs');
  cleanReports();
  cleaned = true;
  if (problems.length || !config) return stopAtPreflight(configProblemReport(problems, timeout.timeoutMs));
  if (interruption.signal) return stopBeforeScenarios(interruption.signal);
  const runId = crypto.randomBytes(3).toString('hex');
  const journalDir = path.join(JOURNAL_ROOT, runId);
  const env: NodeJS.ProcessEnv = { ...process.env, UMA_RUN_ID: runId, UMA_JOURNAL_DIR: journalDir, UMA_REPORTS_DIR: REPORTS };

  let sandbox: RunningSandbox | undefined;
  if (config.target === 'sandbox') {
    try {
      // UMA_SANDBOX_ARGS: extra sandbox options, e.g. "--fault policy-disabled" (self-verification).
      // --admin tutorial: the AS as the tutorial's administrator set it (umaGrantAccessIfNoPolicies=true,
      // CES 4.2 ships false); "--as-setting umaGrantAccessIfNoPolicies=false" in UMA_SANDBOX_ARGS gives CES's default.
      sandbox = await startSandbox(['--admin', 'tutorial', ...(process.env.UMA_SANDBOX_ARGS ?? '').split(/\s+/).filter(Boolean)], undefined, path.join(REPORTS, 'sandbox.log'));
    } catch (err) {
      if (interruption.signal) return stopBeforeScenarios(interruption.signal);
      return stopAtPreflight(configProblemReport([`the embedded sandbox could not start: ${(err as Error).message}`], timeout.timeoutMs));
    }
    if (interruption.signal) {
      await sandbox.stop();
      return stopBeforeScenarios(interruption.signal);
    }
    Object.assign(env, sandboxEnv(sandbox.urls, sandbox.testUser));
    config = loadConfig(env);
    process.stdout.write(`Sandbox started in ${sandbox.startMs} ms (Kong admin ${sandbox.urls.kongAdmin}, proxy ${sandbox.urls.kongProxy}, oxd ${sandbox.urls.oxd}, AS ${sandbox.urls.oxauth})\n`);
  }

  const report = await runDoctor(config, { timeoutMs: timeout.timeoutMs });
  if (interruption.signal) {
    await sandbox?.stop();
    return stopBeforeScenarios(interruption.signal);
  }
  if (report.exitCode !== 0) {
    await sandbox?.stop();
    return stopAtPreflight(report);
  }
  const warnings = report.checks.filter((c) => c.status === 'WARN');
  // An external run names what it hit (the sandbox's start line already does for the sandbox).
  if (!sandbox) process.stdout.write(`${targetLine(config, false)}\n`);
  process.stdout.write(warnings.length ? `${renderDoctorTable(report)}\n` : `${report.summary}\n`);
  // Feature paths on the command line replace the profile's features/**/*.feature (cucumber.js).
  if (featurePaths(args).length) env.UMA_FEATURE_PATHS_GIVEN = '1';
  writeRunHeader(journalDir, { runId, pid: process.pid, target: config.target, startedAt: new Date().toISOString() });
  const cucumber = runCucumber(args, env);
  const environmentRecorded = recordEnvironment(config, report);
  let grace: NodeJS.Timeout | undefined;
  interruption.handle((count) => {
    if (count > 1) {
      process.stdout.write(`\n${interruption.signal} again: stopping Cucumber now; Kong is still swept.\n`);
      cucumber.abort();
      return;
    }
    process.stdout.write(`\nInterrupted (${interruption.signal}): the scenarios in flight may finish (up to ${GRACE_MS / 1000} s), the others are not started; interrupt again to stop now.\n`);
    cucumber.stop();
    grace = setTimeout(() => cucumber.abort(), GRACE_MS);
  });
  const code = await cucumber.done;
  clearTimeout(grace);
  // From here on a signal changes nothing: the reports and the sweep are bounded and must happen.
  interruption.handle(() => undefined);
  await environmentRecorded;

  // Reports first (local, quick), then Kong: a CI runner that follows its signal with SIGKILL gets both more often.
  const cut = interruption.signal || !junitComplete(JUNIT) ? completeReports(interruption.signal) : [];
  if (!interruption.signal) markKnownDivergencesInFile(JUNIT);
  // Known divergences and findings: "skipped" with the known flag in the Allure results too, as in JUnit.
  rewriteRunResults(RESULTS, ROOT, env);
  // Circuit breaker (support/circuit-breaker.ts): the target stopped answering mid-run. The sweep probes
  // each Admin API once and keeps the journal of one that does not answer for the next run.
  const breaker = readBreakerMarker(REPORTS, runId);
  printSweep(await sweepJournal(journalDir, sweepSettings(config), config.target === 'sandbox'), 'the run');
  if (sandbox) await sandbox.stop();

  const summary = summarize(MESSAGES);
  if (interruption.signal) {
    process.stdout.write(`${interruptedLine(interruption.signal, cut, summary)}\n`);
    return 130;
  }
  process.stdout.write(`\n${summaryLine(summary)}\n`);
  if (breaker) process.stderr.write(`${breakerLine(breaker)}\n`);
  if (summary.counts.failed > 0) {
    process.stdout.write(`${reportsPointer(REPORTS_SHOWN, process.env.UMA_REPORTS_DIR || undefined)}\n`);
    // A run whose every failure is the environment's (unreachable, a browser that
    // cannot start, a set-up step refused) judged nothing: exit 2, not 1.
    const failed = summary.scenarios.filter((s) => s.outcome === 'failed');
    if (failed.every((s) => ENVIRONMENT_FAILURE.test(s.message ?? ''))) {
      process.stderr.write('Every failure above is an environment or set-up problem, not a conformance finding: fix it and run again.\n');
      return 2;
    }
    return 1;
  }
  // The breaker stopped the run (its failure was in a clean-up) before some scenarios: they are untested.
  if (breaker && summary.counts.skipped > 0) return 2;
  const ran = summary.scenarios.length - summary.counts.skipped;
  if (code === 0 && ran === 0 && !isDryRun(args)) {
    process.stderr.write('No scenario ran: the arguments (tags, name, shard or paths) selected none, or every selected scenario was skipped. Nothing was tested.\n');
    return 2;
  }
  if (code !== 0 && summary.scenarios.length === 0) {
    process.stderr.write('Cucumber stopped before running any scenario (its message is above): check the arguments after `--` and the settings.\n');
    return 2;
  }
  // Cucumber failed without a failing scenario: a suite problem (e.g. an After hook).
  if (code !== 0 && summary.counts['known divergence'] === 0 && summary.counts['known weakness'] === 0) return 1;
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`uma-claims-conformance: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  },
);
