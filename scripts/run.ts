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
import { ConfigError, loadConfig } from '../support/config';
import { startSandbox, sandboxEnv, type RunningSandbox } from './lib/sandbox-launcher';
import { summarize, summaryLine } from './lib/run-summary';
import { sweepJournal } from './lib/sweep';

const ROOT = path.resolve(__dirname, '..');
const REPORTS = path.join(ROOT, 'reports');
const MESSAGES = path.join(REPORTS, 'cucumber-messages.ndjson');
const JOURNAL_DIR = path.join(REPORTS, '.journal');
// The package's bin entry; its "exports" map does not expose it to require.resolve.
const CUCUMBER_BIN = path.join(ROOT, 'node_modules', '@cucumber', 'cucumber', 'bin', 'cucumber.js');

function cleanReports(): void {
  for (const entry of ['allure-results', '.journal', 'traces', 'cucumber-messages.ndjson', 'junit.xml', 'cucumber-report.html']) {
    fs.rmSync(path.join(REPORTS, entry), { recursive: true, force: true });
  }
  fs.mkdirSync(path.join(REPORTS, 'allure-results'), { recursive: true });
}

function runCucumber(args: string[], env: NodeJS.ProcessEnv): { done: Promise<number>; kill: () => void } {
  const child = spawn(process.execPath, [CUCUMBER_BIN, ...args], { cwd: ROOT, stdio: 'inherit', env });
  const done = new Promise<number>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 130 : 1))));
  return { done, kill: () => child.kill('SIGINT') };
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n\nNothing was run. See README.md "Running against your environment".\n`);
      return 2;
    }
    throw err;
  }
  cleanReports();
  const runId = crypto.randomBytes(3).toString('hex');
  const env: NodeJS.ProcessEnv = { ...process.env, UMA_RUN_ID: runId, UMA_JOURNAL_DIR: JOURNAL_DIR, TS_NODE_TRANSPILE_ONLY: 'true' };

  let sandbox: RunningSandbox | undefined;
  if (config.target === 'sandbox') {
    try {
      sandbox = await startSandbox();
    } catch (err) {
      process.stderr.write(`The embedded sandbox could not start: ${(err as Error).message}\n`);
      return 2;
    }
    Object.assign(env, sandboxEnv(sandbox.urls));
    process.stdout.write(`Sandbox started in ${sandbox.startMs} ms (Kong admin ${sandbox.urls.kongAdmin}, proxy ${sandbox.urls.kongProxy}, oxd ${sandbox.urls.oxd}, AS ${sandbox.urls.oxauth})\n`);
  }

  let interrupted = false;
  const cucumber = runCucumber(args, env);
  const onSignal = () => {
    interrupted = true;
    cucumber.kill();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const code = await cucumber.done;
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);

  const leftovers = await sweepJournal(JOURNAL_DIR, config);
  if (leftovers.removed) process.stdout.write(`Removed ${leftovers.removed} Kong object(s) the run left behind.\n`);
  for (const p of leftovers.problems) process.stderr.write(`Could not remove: ${p}\n`);
  if (sandbox) await sandbox.stop();

  const summary = summarize(MESSAGES);
  if (interrupted) {
    process.stdout.write(`Interrupted. ${summaryLine(summary)}\n`);
    return 130;
  }
  process.stdout.write(`\n${summaryLine(summary)}\n`);
  if (summary.counts.failed > 0) return 1;
  // Cucumber failed without a failing scenario: a suite or configuration problem (e.g. a BeforeAll hook).
  if (code !== 0 && summary.counts['known divergence'] === 0) return summary.scenarios.length ? 1 : 2;
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`uma-claims-conformance: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  },
);
