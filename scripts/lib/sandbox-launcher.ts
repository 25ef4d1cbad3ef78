// Starts the sandbox as a child process, the way a user would
// (`npm run sandbox`), and learns its URLs from its ready line. The suite
// never imports sandbox code: the sandbox is just another HTTP target.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { NODE_TS_ARGS } from './node-ts';

/** The line the sandbox prints when it is ready (sandbox/main.ts --ready-json). */
const READY_PREFIX = 'UMA_SANDBOX_READY ';
const ROOT = path.resolve(__dirname, '..', '..');

export interface SandboxUrls {
  kongAdmin: string;
  kongProxy: string;
  oxd: string;
  oxauth: string;
  upstream: string;
  echo: string;
  website: string;
}

/** The AS's test user (contract §2); the password is a secret: never printed. */
export interface TestUserLogin {
  username: string;
  password: string;
}

export interface RunningSandbox {
  urls: SandboxUrls;
  /** From the ready line; absent when the sandbox has no test user. */
  testUser?: TestUserLogin;
  /** The sandbox's own start time, from its ready line. */
  startMs: number;
  /** From spawning the process to its ready line: Node, the TypeScript loader and the sandbox's own start. */
  spawnToReadyMs: number;
  pid: number;
  stop(): Promise<void>;
}

/** The stderr line the launcher writes for the bench when UMA_BENCH_MARKS=1. */
export const BENCH_MARK_PREFIX = 'uma-bench-marks ';

/** `logFile`: where the sandbox's components log (its stderr), for diagnosing a run afterwards. */
export function startSandbox(args: string[] = [], timeoutMs = 20_000, logFile?: string): Promise<RunningSandbox> {
  const spawnedAt = performance.now();
  const child: ChildProcess = spawn(process.execPath, [...NODE_TS_ARGS, path.join(ROOT, 'sandbox', 'main.ts'), '--ephemeral-ports', '--ready-json', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    // Its own process group: a Ctrl-C meant for the run must not stop the sandbox
    // before the launcher has removed what the run left in Kong. It still exits
    // when the launcher goes (the IPC channel closes).
    detached: true,
    env: { ...process.env },
  });
  let stderr = '';
  const log = logFile ? fs.createWriteStream(logFile, { flags: 'a', mode: 0o600 }) : undefined;
  child.stderr!.on('data', (d: Buffer) => {
    log?.write(d);
    stderr += d.toString();
    if (stderr.length > 20_000) stderr = stderr.slice(-20_000);
  });
  child.once('exit', () => log?.end());
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const force = setTimeout(() => child.kill('SIGKILL'), 3000);
      child.once('exit', () => {
        clearTimeout(force);
        resolve();
      });
      child.kill('SIGTERM');
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`the sandbox did not become ready within ${timeoutMs} ms${stderr ? `:\n${stderr}` : ''}`));
    }, timeoutMs);
    const lines = readline.createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (!line.startsWith(READY_PREFIX)) return;
      clearTimeout(timer);
      const ready = JSON.parse(line.slice(READY_PREFIX.length)) as { urls: SandboxUrls; startMs: number; testUser?: TestUserLogin };
      const spawnToReadyMs = Math.round(performance.now() - spawnedAt);
      // For `npm run bench` (scripts/lib/bench/suite-run.ts): this process's own start, measured in it.
      if (process.env.UMA_BENCH_MARKS === '1') process.stderr.write(`${BENCH_MARK_PREFIX}${JSON.stringify({ launcherToSpawnMs: Math.round(spawnedAt), spawnToReadyMs })}\n`);
      resolve({ urls: ready.urls, testUser: ready.testUser, startMs: ready.startMs, spawnToReadyMs, pid: child.pid!, stop });
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the sandbox exited before it was ready (${signal ?? `exit code ${code}`})${stderr ? `:\n${stderr.trim()}` : ''}`));
    });
  });
}

/**
 * The settings an external run would use, pointing at this sandbox with auto
 * provisioning (contract §3): the listeners' URLs, WEBSITE_UPSTREAM_URL (the
 * demo website as Kong reaches it) and, given the ready line's test user,
 * TEST_USER_NAME and TEST_USER_PASSWORD.
 */
export function sandboxEnv(urls: SandboxUrls, testUser?: TestUserLogin): Record<string, string> {
  return {
    GG_ADMIN_URL: urls.kongAdmin,
    GG_PROXY_URL: urls.kongProxy,
    OXD_HOST: urls.oxd,
    CE_URL: urls.oxauth,
    UPSTREAM_URL: urls.upstream,
    ECHO_UPSTREAM_URL: urls.echo,
    WEBSITE_UPSTREAM_URL: urls.website,
    UMA_TLS_INSECURE: 'true',
    ...(testUser ? { TEST_USER_NAME: testUser.username, TEST_USER_PASSWORD: testUser.password } : {}),
  };
}
