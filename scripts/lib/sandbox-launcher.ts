// Starts the sandbox as a child process, the way a user would
// (`npm run sandbox`), and learns its URLs from its ready line. The suite
// never imports sandbox code: the sandbox is just another HTTP target.
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import * as readline from 'node:readline';

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
}

export interface RunningSandbox {
  urls: SandboxUrls;
  startMs: number;
  stop(): Promise<void>;
}

export function startSandbox(args: string[] = [], timeoutMs = 20_000): Promise<RunningSandbox> {
  const child: ChildProcess = spawn(process.execPath, ['--require', 'ts-node/register/transpile-only', path.join(ROOT, 'sandbox', 'main.ts'), '--ephemeral-ports', '--ready-json', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    // Its own process group: a Ctrl-C meant for the run must not stop the sandbox
    // before the launcher has removed what the run left in Kong. It still exits
    // when the launcher goes (the IPC channel closes).
    detached: true,
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' },
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (stderr.length > 20_000) stderr = stderr.slice(-20_000);
  });
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
      const ready = JSON.parse(line.slice(READY_PREFIX.length)) as { urls: SandboxUrls; startMs: number };
      resolve({ urls: ready.urls, startMs: ready.startMs, stop });
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the sandbox exited before it was ready (${signal ?? `exit code ${code}`})${stderr ? `:\n${stderr.trim()}` : ''}`));
    });
  });
}

/** The settings an external run would use, pointing at this sandbox with auto provisioning. */
export function sandboxEnv(urls: SandboxUrls): Record<string, string> {
  return {
    GG_ADMIN_URL: urls.kongAdmin,
    GG_PROXY_URL: urls.kongProxy,
    OXD_HOST: urls.oxd,
    CE_URL: urls.oxauth,
    UPSTREAM_URL: urls.upstream,
    ECHO_UPSTREAM_URL: urls.echo,
    UMA_TLS_INSECURE: 'true',
  };
}
