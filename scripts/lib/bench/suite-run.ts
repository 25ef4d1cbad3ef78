// One run of `npm test`'s launcher (scripts/run.ts) as a child process, timed
// from the outside: wall time, when its console said the sandbox and the
// doctor were ready, and what its messages file says about the scenarios.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { readMessages, runTimings, type RunTimings } from './messages';
import { childrenCpuMs } from './machine';
import { NODE_TS_ARGS } from '../node-ts';
import { BENCH_MARK_PREFIX } from '../sandbox-launcher';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
/** What `npm test` runs (package.json), without npm's own start-up. */
export const LAUNCHER = [...NODE_TS_ARGS, path.join(ROOT, 'scripts', 'run.ts')];

export interface SuiteRun {
  label: string;
  args: string[];
  exitCode: number;
  wallMs: number;
  /** CPU time (user + system) of the launcher and everything it started: sandbox, Cucumber, Chromium. */
  cpuMs?: number;
  /** Milliseconds after the launch, as seen on the launcher's console / in the messages. */
  marks: {
    sandboxReady?: number;
    doctorDone?: number;
    testRunStarted?: number;
    firstScenarioStarted?: number;
    lastScenarioFinished?: number;
    testRunFinished?: number;
  };
  /** The sandbox's own start time, from its ready line ("Sandbox started in N ms"). */
  sandboxStartMs?: number;
  /** From the launcher's stderr mark (UMA_BENCH_MARKS): its process start → spawning the sandbox, and that spawn → ready. */
  launcherToSpawnMs?: number;
  sandboxSpawnToReadyMs?: number;
  timings: RunTimings;
  scenarioSumMs: number;
  counts: Record<string, number>;
  reportsDir: string;
  logFile: string;
}

/** Settings that would point the suite elsewhere than a fresh sandbox, or change how it runs. */
const NOT_PASSED_ON = /^(UMA_(TARGET|PROVISION|ENV_FILE|SANDBOX_ARGS|BROWSER_WS|RUN_ID|JOURNAL_DIR|REPORTS_DIR|DIVERGENCES_FILE)|GG_ADMIN_URL|GG_PROXY_URL|OXD_HOST|CE_URL|API_PATH|HOST_WITH(OUT)?_CLAIMS|CLIENT_(OXD_ID|ID|SECRET)|CLAIMS_REDIRECT_URL|UPSTREAM_URL|ECHO_UPSTREAM_URL)$/;

export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!NOT_PASSED_ON.test(k)) env[k] = v;
  return { ...env, NO_COLOR: '1', ...extra };
}

export async function runSuite(label: string, args: string[], reportsDir: string, extraEnv: Record<string, string> = {}): Promise<SuiteRun> {
  fs.rmSync(reportsDir, { recursive: true, force: true });
  fs.mkdirSync(reportsDir, { recursive: true });
  const logFile = path.join(reportsDir, 'launcher.log');
  const log = fs.createWriteStream(logFile);
  const marks: SuiteRun['marks'] = {};
  let sandboxStartMs: number | undefined;

  const cpu0 = childrenCpuMs();
  const launchedAt = Date.now();
  const t0 = performance.now();
  const child = spawn(process.execPath, [...LAUNCHER, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: cleanEnv({ UMA_REPORTS_DIR: reportsDir, UMA_BENCH_MARKS: '1', ...extraEnv }),
  });
  const since = () => Math.round(performance.now() - t0);
  readline.createInterface({ input: child.stdout! }).on('line', (line) => {
    const at = since();
    log.write(`[${String(at).padStart(6)} ms] ${line}\n`);
    const sandbox = /^Sandbox started in (\d+) ms/.exec(line);
    if (sandbox && marks.sandboxReady === undefined) {
      marks.sandboxReady = at;
      sandboxStartMs = Number(sandbox[1]);
    }
    if (/^Preflight (passed|FAILED)/.test(line) && marks.doctorDone === undefined) marks.doctorDone = at;
  });
  let benchMarks: { launcherToSpawnMs?: number; spawnToReadyMs?: number } = {};
  readline.createInterface({ input: child.stderr! }).on('line', (line) => {
    if (line.startsWith(BENCH_MARK_PREFIX)) {
      try {
        benchMarks = JSON.parse(line.slice(BENCH_MARK_PREFIX.length)) as typeof benchMarks;
      } catch {
        // a cut line: the start-up pieces stay unmeasured
      }
      return;
    }
    log.write(`[${String(since()).padStart(6)} ms] (stderr) ${line}\n`);
  });
  const exitCode = await new Promise<number>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1))));
  const wallMs = since();
  const cpu1 = childrenCpuMs();
  const cpuMs = cpu0 !== undefined && cpu1 !== undefined ? cpu1 - cpu0 : undefined;
  await new Promise<void>((resolve) => log.end(resolve));

  const timings = runTimings(readMessages(path.join(reportsDir, 'cucumber-messages.ndjson')));
  const rel = (epoch?: number) => (epoch === undefined ? undefined : Math.round(epoch - launchedAt));
  marks.testRunStarted = rel(timings.testRunStartedAt);
  marks.firstScenarioStarted = rel(timings.firstScenarioStartedAt);
  marks.lastScenarioFinished = rel(timings.lastScenarioFinishedAt);
  marks.testRunFinished = rel(timings.testRunFinishedAt);
  const counts: Record<string, number> = {};
  for (const s of timings.scenarios) counts[s.status] = (counts[s.status] ?? 0) + 1;
  const scenarioSumMs = Math.round(timings.scenarios.reduce((a, s) => a + s.durationMs, 0));
  return { label, args, exitCode, wallMs, cpuMs, marks, sandboxStartMs, launcherToSpawnMs: benchMarks.launcherToSpawnMs, sandboxSpawnToReadyMs: benchMarks.spawnToReadyMs, timings, scenarioSumMs, counts, reportsDir, logFile };
}
