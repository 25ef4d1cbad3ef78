// `npm run sandbox`: the emulated Gluu Gateway + Gluu Server stack as a
// program of its own. It keeps no state between starts.
import * as fs from 'node:fs';
import { faultList, parseCli, USAGE, UsageError, type CliOptions } from './cli';
import { applyTutorialPreset, autoProvisionEnv } from './preset';
import { startStack, type Stack } from './stack';

export const READY_PREFIX = 'UMA_SANDBOX_READY ';

function maskValue(value: string): string {
  return value.length <= 4 ? '****' : `${value.slice(0, 2)}…(masked, ${value.length} chars)`;
}

function envLines(env: Record<string, string>, secretKeys: string[], mask: boolean): string {
  return Object.entries(env)
    .map(([k, v]) => `${k}=${mask && secretKeys.includes(k) ? maskValue(v) : v}`)
    .join('\n');
}

function fail(message: string, code: number): never {
  process.stderr.write(`sandbox: ${message}\n`);
  process.exit(code);
}

async function run(opts: CliOptions): Promise<void> {
  const started = Date.now();
  // The components' own logs (what Kong's error.log, oxd-server.log and oxAuth's log would say), secrets masked.
  const log = (component: string, message: string) => process.stderr.write(`${new Date().toISOString()} [${component}] ${message}\n`);
  let stack: Stack;
  try {
    const file = opts.recordSecrets;
    const recordSecret = file ? (value: string) => fs.appendFileSync(file, `${value}\n`, { mode: 0o600 }) : undefined;
    stack = await startStack(opts.settings, { only: opts.only, log, recordSecret });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE') fail(`a port is already in use (${e.message}); choose others with --port NAME=PORT or --ephemeral-ports`, 2);
    if (e.code === 'EACCES') fail(`not allowed to bind (${e.message}); choose ports above 1024`, 2);
    throw err;
  }

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    if (!opts.readyJson) process.stdout.write(`\nsandbox: ${signal} received, stopping\n`);
    stack.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  // The suite starts the sandbox as a child: when the parent goes, so do we.
  process.on('disconnect', () => stop('parent gone'));

  let env = autoProvisionEnv(stack.urls);
  let secretKeys: string[] = [];
  if (opts.preset === 'tutorial') {
    try {
      ({ env, secretKeys } = await applyTutorialPreset(stack.urls));
    } catch (err) {
      await stack.close();
      fail(`--preset tutorial failed: ${(err as Error).message}`, 1);
    }
  }
  if (opts.writeEnv) {
    fs.writeFileSync(opts.writeEnv, envLines(env, secretKeys, false) + '\n', { mode: 0o600 });
  }

  const ms = Date.now() - started;
  if (opts.readyJson) {
    process.stdout.write(`${READY_PREFIX}${JSON.stringify({ urls: stack.urls, started: stack.started, faults: opts.settings.faults.list(), startMs: ms })}\n`);
    return;
  }
  const names: Record<string, string> = {
    kongAdmin: 'Kong Admin API',
    kongProxy: 'Kong proxy',
    oxd: 'oxd-server',
    oxauth: 'oxAuth (UMA AS)',
    upstream: 'demo API (upstream)',
    echo: 'echo upstream',
    website: 'demo website',
  };
  const lines = stack.started.map((n) => `  ${names[n].padEnd(22)} ${stack.urls[n]}`);
  process.stdout.write(`UMA sandbox ready in ${ms} ms (Kong ${opts.settings.kong.version} + gluu-uma-auth/pep, oxd 4.2, oxAuth 4.2 emulation)\n${lines.join('\n')}\n`);
  const faults = opts.settings.faults.list();
  if (faults.length) process.stdout.write(`  faults: ${faults.join(', ')}\n`);
  if (opts.preset) process.stdout.write(`  preset: tutorial (service claim-gathering, hosts ${env.HOST_WITH_CLAIMS} and ${env.HOST_WITHOUT_CLAIMS})\n`);
  if (opts.writeEnv) process.stdout.write(`  settings for an external run written to ${opts.writeEnv}\n`);
  if (opts.printEnv) process.stdout.write(`\n# settings for an external run${secretKeys.length ? ' (secrets masked; --write-env PATH writes them)' : ''}\n${envLines(env, secretKeys, true)}\n`);
  process.stdout.write('Press Ctrl-C to stop.\n');
}

function main(): void {
  let opts: CliOptions;
  try {
    opts = parseCli(process.argv.slice(2));
  } catch (err) {
    if (err instanceof UsageError) fail(err.message, 2);
    throw err;
  }
  if (opts.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (opts.listFaults) {
    process.stdout.write(faultList() + '\n');
    return;
  }
  run(opts).catch((err: unknown) => fail(`could not start: ${err instanceof Error ? err.message : String(err)}`, 1));
}

main();
