// One run of the suite exactly as a user starts it (`npm test`, i.e.
// scripts/run.ts) in a child process with its own process group and its own
// reports folder (UMA_REPORTS_DIR), its console output kept in a log file.
// A run that outlives its bound, or a self-verification that is interrupted,
// is stopped the way Ctrl-C stops `npm test`: SIGINT to the whole group,
// SIGKILL if it is still there after a grace period.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { summarize, type RunSummary } from '../run-summary';
import { NODE_TS_ARGS } from '../node-ts';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const LAUNCHER = path.join(ROOT, 'scripts', 'run.ts');
const GRACE_MS = 15_000;

export interface SuiteRunRequest {
  /** Short name of the run, e.g. "clean" or the fault; names its folder. */
  label: string;
  /** Extra options for the embedded sandbox (UMA_SANDBOX_ARGS); empty for a clean run. */
  sandboxArgs: string[];
  /** Arguments for the launcher (Cucumber's). */
  args: string[];
  /** The run's reports folder; its console output goes to console.log in it. */
  reportsDir: string;
  timeoutMs: number;
  /** Stop the run (as Ctrl-C does) once a scenario has failed: enough to know a fault was caught. */
  stopAtFirstFailure?: boolean;
  /** Settings of this run only, e.g. UMA_WEAKNESSES_FILE for the "ledger entry removed" run. */
  env?: Record<string, string>;
}

export interface SuiteRunResult {
  label: string;
  exitCode: number | null;
  signal: string | null;
  ms: number;
  timedOut: boolean;
  interrupted: boolean;
  /** Stopped on purpose after the first failed scenario (stopAtFirstFailure). */
  stoppedAtFirstFailure: boolean;
  /**
   * "Feature › Scenario" of each scenario the console reported failed. A run
   * stopped with SIGINT may not have flushed its last messages to
   * cucumber-messages.ndjson; the console line was printed all the same.
   */
  consoleFailures: string[];
  summary: RunSummary;
  /** Cucumber's random-order seed, when it printed one. */
  seed?: string;
  /** Why a run ended without scenarios (exit 2 and the like), in one line. */
  problem?: string;
  logFile: string;
}

/** The one-line reason a run stopped before or outside the scenarios, from its console output. */
export function problemOf(output: string): string | undefined {
  const lines = output.split('\n').map((l) => l.trimEnd());
  // Configuration problems are listed above the "Preflight FAILED" line, which only counts them.
  const listed = lines.findIndex((l) => /^The configuration has (a problem|problems|\d+ problems):$/.test(l));
  if (listed >= 0) {
    const end = lines.findIndex((l, i) => i > listed && !l.trim());
    const block = lines.slice(listed + 1, end < 0 ? undefined : end).map((l) => l.trim().replace(/^- /, ''));
    if (block.length) return block.join(' ');
  }
  const preflight = lines.find((l) => /^Preflight FAILED\b/.test(l));
  if (preflight) return preflight;
  const launcher = lines.find((l) => l.startsWith('uma-claims-conformance: '));
  if (launcher) return launcher;
  const error = lines.find((l) => /^\s*(Error|TypeError|SyntaxError)\b|error:/i.test(l));
  if (error) return error.trim();
  return lines.filter((l) => l.trim()).slice(-1)[0]?.trim();
}

/** The console formatter's line for a failed scenario ("✘"; a known divergence is "≈"). */
export const FAILED_LINE = /^\s*\d+\/\d+ ✘ /;

/** Cucumber prints "Random order using seed: N" when it chose the seed itself. */
export function seedOf(output: string): string | undefined {
  return /Random order using seed: (\S+)/.exec(output)?.[1];
}

/** The environment of a suite run: the user's, minus settings that would point the run elsewhere. */
export function runEnv(base: NodeJS.ProcessEnv, req: Pick<SuiteRunRequest, 'sandboxArgs' | 'reportsDir' | 'env'>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, ...req.env, UMA_REPORTS_DIR: req.reportsDir };
  if (req.sandboxArgs.length) env.UMA_SANDBOX_ARGS = req.sandboxArgs.join(' ');
  else delete env.UMA_SANDBOX_ARGS;
  return env;
}

export class SuiteRunner {
  private current?: { pid: number; stop: () => void };
  private aborted = false;

  /** Stops the run under way (SIGINT to its group) and any later one. */
  abort(): void {
    this.aborted = true;
    this.current?.stop();
  }

  get wasAborted(): boolean {
    return this.aborted;
  }

  run(req: SuiteRunRequest): Promise<SuiteRunResult> {
    fs.rmSync(req.reportsDir, { recursive: true, force: true });
    fs.mkdirSync(req.reportsDir, { recursive: true });
    const logFile = path.join(req.reportsDir, 'console.log');
    const log = fs.createWriteStream(logFile);
    const started = Date.now();
    const child = spawn(process.execPath, [...NODE_TS_ARGS, LAUNCHER, ...req.args], {
      cwd: ROOT,
      env: runEnv(process.env, req),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    const keep = (d: Buffer) => {
      log.write(d);
      output += d.toString();
      // Enough for the seed (printed first) and the reason (printed last).
      if (output.length > 2_000_000) output = output.slice(0, 100_000) + output.slice(-1_000_000);
    };
    let timedOut = false;
    let stoppedAtFirstFailure = false;
    let partial = '';
    const consoleFailures: string[] = [];
    child.stdout!.on('data', (d: Buffer) => {
      keep(d);
      partial += d.toString();
      const lines = partial.split('\n');
      partial = lines.pop() ?? '';
      const failedNow = lines.filter((l) => FAILED_LINE.test(l)).map((l) => l.replace(FAILED_LINE, '').trim());
      consoleFailures.push(...failedNow);
      if (req.stopAtFirstFailure && !stoppedAtFirstFailure && failedNow.length) {
        stoppedAtFirstFailure = true;
        stop();
      }
    });
    child.stderr!.on('data', keep);

    let killer: NodeJS.Timeout | undefined;
    const signalGroup = (signal: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        // the group is gone already
      }
    };
    const stop = () => {
      if (killer) return;
      signalGroup('SIGINT');
      killer = setTimeout(() => signalGroup('SIGKILL'), GRACE_MS);
    };
    this.current = { pid: child.pid!, stop };
    if (this.aborted) stop();
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, req.timeoutMs);

    return new Promise((resolve) => {
      const finish = (code: number | null, signal: string | null) => {
        clearTimeout(timer);
        if (killer) clearTimeout(killer);
        this.current = undefined;
        log.end(() =>
          resolve({
            label: req.label,
            exitCode: code,
            signal,
            ms: Date.now() - started,
            timedOut,
            interrupted: this.aborted,
            stoppedAtFirstFailure,
            consoleFailures,
            summary: summarize(path.join(req.reportsDir, 'cucumber-messages.ndjson')),
            seed: seedOf(output),
            problem: code === 0 || code === 1 || stoppedAtFirstFailure ? undefined : problemOf(output),
            logFile,
          }),
        );
      };
      let done = false;
      const once = (code: number | null, signal: string | null) => {
        if (done) return;
        done = true;
        finish(code, signal);
      };
      child.once('error', (err) => {
        output += `\numa-claims-conformance: could not start the launcher: ${err.message}\n`;
        once(null, null);
      });
      // "close": the output is complete (the pipes are drained), not only the process ended;
      // a process left behind holding the pipes must not hold the self-verification too.
      child.once('close', (code, signal) => once(code, signal));
      child.once('exit', (code, signal) => setTimeout(() => once(code, signal), 5000).unref());
    });
  }
}

/** Keeps the console log; removes the rest of a run's reports (Allure results, messages, traces) unless asked to keep it. */
export function pruneRun(reportsDir: string, keepAll: boolean): void {
  if (keepAll) return;
  for (const entry of fs.readdirSync(reportsDir)) {
    if (entry !== 'console.log') fs.rmSync(path.join(reportsDir, entry), { recursive: true, force: true });
  }
}
