// `npm test`: validates the configuration, starts the sandbox when no
// external environment is configured, runs the Cucumber features in a child
// process, removes whatever Kong objects the run left behind, and exits
//   0  conformant (known divergences allowed)
//   1  conformance failures
//   2  configuration or environment problem
// Arguments after `--` go to Cucumber (e.g. --tags @tutorial, --parallel 2).
import { spawn } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ConfigError, loadConfig, type SuiteConfig } from '../support/config';
import { DivergenceLedger } from '../support/divergences';
import { originOnly } from '../support/mask';
import { BREAKER_FILE, breakerLine, originAnswers, probeTimeoutMs, readBreakerMarker } from '../support/circuit-breaker';
import { cucumberArgProblems, featurePaths, isDryRun } from './lib/cucumber-args';
import { startSandbox, sandboxEnv, type RunningSandbox } from './lib/sandbox-launcher';
import { markKnownDivergencesInFile } from './lib/junit-divergences';
import { lockReports } from './lib/reports-lock';
import { REPORTS, ROOT } from './lib/reports-dir';
import { summarize, summaryLine } from './lib/run-summary';
import { sweepJournal } from './lib/sweep';
import { configProblemReport, doctorTimeoutFromEnv, renderDoctorTable, runDoctor, writeAllureDoctorResult, type DoctorReport } from './lib/doctor';
import { writeCategories, writeEnvironment, writeExecutor } from './lib/allure-files';

const MESSAGES = path.join(REPORTS, 'cucumber-messages.ndjson');
const JOURNAL_DIR = path.join(REPORTS, '.journal');
// The package's bin entry; its "exports" map does not expose it to require.resolve.
const RESULTS = path.join(REPORTS, 'allure-results');
const CUCUMBER_BIN = path.join(ROOT, 'node_modules', '@cucumber', 'cucumber', 'bin', 'cucumber.js');

function cleanReports(): void {
  for (const entry of ['allure-results', '.journal', 'traces', 'cucumber-messages.ndjson', 'junit.xml', 'cucumber-report.html', 'sandbox.log', BREAKER_FILE]) {
    fs.rmSync(path.join(REPORTS, entry), { recursive: true, force: true });
  }
  fs.mkdirSync(path.join(REPORTS, 'allure-results'), { recursive: true });
}

function runCucumber(args: string[], env: NodeJS.ProcessEnv): { done: Promise<number>; kill: () => void } {
  const child = spawn(process.execPath, [CUCUMBER_BIN, ...args], { cwd: ROOT, stdio: 'inherit', env });
  const done = new Promise<number>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 130 : 1))));
  return { done, kill: () => child.kill('SIGINT') };
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
  const lock = lockReports(REPORTS);
  if ('heldBy' in lock) {
    process.stderr.write(`Another run (pid ${lock.heldBy}) is using ${path.relative(process.cwd(), REPORTS) || REPORTS}: wait for it, or give this run its own folder with UMA_REPORTS_DIR.\n`);
    return 2;
  }
  const timeout = doctorTimeoutFromEnv(process.env);
  let config: SuiteConfig | undefined;
  const problems: string[] = [...cucumberArgProblems(args), ...(timeout.problem ? [timeout.problem] : [])];
  try {
    config = loadConfig();
    // The ledger is configuration too: a broken one stops the run here, not in a worker.
    DivergenceLedger.load(config.divergencesFile);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    problems.unshift(...err.problems);
  }
  if (problems.length || !config) {
    cleanReports();
    return stopAtPreflight(configProblemReport(problems, timeout.timeoutMs));
  }
  cleanReports();
  const runId = crypto.randomBytes(3).toString('hex');
  const env: NodeJS.ProcessEnv = { ...process.env, UMA_RUN_ID: runId, UMA_JOURNAL_DIR: JOURNAL_DIR, UMA_REPORTS_DIR: REPORTS };

  let sandbox: RunningSandbox | undefined;
  if (config.target === 'sandbox') {
    try {
      // UMA_SANDBOX_ARGS: extra sandbox options, e.g. "--fault policy-disabled" (self-verification).
      sandbox = await startSandbox((process.env.UMA_SANDBOX_ARGS ?? '').split(/\s+/).filter(Boolean), undefined, path.join(REPORTS, 'sandbox.log'));
    } catch (err) {
      return stopAtPreflight(configProblemReport([`the embedded sandbox could not start: ${(err as Error).message}`], timeout.timeoutMs));
    }
    Object.assign(env, sandboxEnv(sandbox.urls));
    config = loadConfig(env);
    process.stdout.write(`Sandbox started in ${sandbox.startMs} ms (Kong admin ${sandbox.urls.kongAdmin}, proxy ${sandbox.urls.kongProxy}, oxd ${sandbox.urls.oxd}, AS ${sandbox.urls.oxauth})\n`);
  }

  const report = await runDoctor(config, { timeoutMs: timeout.timeoutMs });
  if (report.exitCode !== 0) {
    await sandbox?.stop();
    return stopAtPreflight(report);
  }
  const warnings = report.checks.filter((c) => c.status === 'WARN');
  process.stdout.write(warnings.length ? `${renderDoctorTable(report)}\n` : `${report.summary}\n`);
  let interrupted = false;
  // Feature paths on the command line replace the profile's features/**/*.feature (cucumber.js).
  if (featurePaths(args).length) env.UMA_FEATURE_PATHS_GIVEN = '1';
  const cucumber = runCucumber(args, env);
  const environmentRecorded = recordEnvironment(config, report);
  const onSignal = () => {
    interrupted = true;
    cucumber.kill();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const code = await cucumber.done;
  await environmentRecorded;
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);

  // Circuit breaker (support/circuit-breaker.ts): the target stopped answering mid-run. A Kong Admin API
  // that still does not answer is not swept object by object, each after a timeout.
  const breaker = readBreakerMarker(REPORTS, runId);
  const adminDown = breaker !== undefined && !(await originAnswers(config.ggAdminUrl, probeTimeoutMs(config.httpTimeoutMs)));
  const leftovers = adminDown
    ? { removed: 0, problems: [`the run's Kong objects: the Kong Admin API at ${originOnly(config.ggAdminUrl)} does not answer (they stay listed in ${JOURNAL_DIR})`] }
    : await sweepJournal(JOURNAL_DIR, config);
  if (leftovers.removed) process.stdout.write(`Removed ${leftovers.removed} Kong object(s) the run left behind.\n`);
  for (const p of leftovers.problems) process.stderr.write(`Could not remove: ${p}\n`);
  if (sandbox) await sandbox.stop();

  const summary = summarize(MESSAGES);
  markKnownDivergencesInFile(path.join(REPORTS, 'junit.xml'));
  if (interrupted) {
    process.stdout.write(`Interrupted. ${summaryLine(summary)}; a scenario cut short by the interrupt counts as failed, so judge only a complete run.\n`);
    return 130;
  }
  process.stdout.write(`\n${summaryLine(summary)}\n`);
  if (breaker) process.stderr.write(`${breakerLine(breaker)}\n`);
  if (summary.counts.failed > 0) {
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
  if (code !== 0 && summary.counts['known divergence'] === 0) return 1;
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`uma-claims-conformance: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  },
);
