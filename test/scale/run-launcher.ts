// Shared by the scale-out checks: run `npm test`'s launcher (or Cucumber's
// dry run) as a child process with its own reports folder, and read which
// scenarios it ran from its messages file. These checks run the real suite
// against the sandbox, so they are gated: `npm run test:scale` (UMA_SCALE=1).
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readMessages, runTimings, type ScenarioTiming } from '../../scripts/lib/bench/messages';
import { cleanEnv, LAUNCHER, ROOT } from '../../scripts/lib/bench/suite-run';
import { ancestors } from '../../scripts/lib/bench/machine';

export const SCALE_ENABLED = process.env.UMA_SCALE === '1';
export const SKIP_REASON = 'runs the whole suite: npm run test:scale (or UMA_SCALE=1)';
const CUCUMBER_BIN = path.join(ROOT, 'node_modules', '@cucumber', 'cucumber', 'bin', 'cucumber.js');

export interface LauncherRun {
  code: number;
  output: string;
  reportsDir: string;
  /** Scenarios that ran, in the order they started. */
  scenarios: ScenarioTiming[];
  /** Pid of the launcher, to tell its descendants apart. */
  pid: number;
}

export function reportsDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `uma-scale-${label}-`));
}

function run(args: string[], env: Record<string, string>, dir: string, onSpawn?: (pid: number) => void): Promise<LauncherRun> {
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: cleanEnv({ UMA_REPORTS_DIR: dir, ...env }) });
  onSpawn?.(child.pid!);
  let output = '';
  const keep = (d: Buffer) => (output = (output + d.toString()).slice(-20_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      const scenarios = runTimings(readMessages(path.join(dir, 'cucumber-messages.ndjson'))).scenarios.sort((a, b) => a.startedAt - b.startedAt);
      resolve({ code: code ?? (signal ? 128 : 1), output, reportsDir: dir, scenarios, pid: child.pid! });
    });
  });
}

/** `npm test -- <args>` against a fresh sandbox. */
export function runLauncher(args: string[], dir: string, env: Record<string, string> = {}, onSpawn?: (pid: number) => void): Promise<LauncherRun> {
  return run([...LAUNCHER, ...args], env, dir, onSpawn);
}

/** Every scenario the suite has, in its defined order, without running anything (Cucumber --dry-run). */
export function dryRun(dir: string, args: string[] = []): Promise<LauncherRun> {
  return run([CUCUMBER_BIN, '--dry-run', ...args], {}, dir);
}


/** Chromium processes (their pids) that descend from `root`. */
export function chromiumDescendants(root: number): number[] {
  const found: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let cmd: string;
    try {
      cmd = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (!/chrom(e|ium)/i.test(cmd.split('\0')[0] ?? '')) continue;
    if (ancestors(Number(entry)).slice(1).includes(root)) found.push(Number(entry));
  }
  return found;
}

export function tail(text: string, lines = 40): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}
