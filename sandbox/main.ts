// `npm run sandbox`: the emulated Gluu Gateway + Gluu Server stack as a
// program of its own. It keeps no state between starts.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { faultList, parseCli, USAGE, UsageError, type CliOptions } from './cli';
import { applyPresets, autoProvisionEnv, claimsRedirectLines } from './preset';
import { OIDC_UMA, oidcUmaBase } from './preset-oidc-uma';
import type { SandboxSettings } from './settings';
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

/** The AS's test user (contract §2) as suite settings; the password is a secret. */
function testUserEnv(settings: SandboxSettings): { env: Record<string, string>; secretKeys: string[] } {
  const user = settings.as.users[0];
  if (!user) return { env: {}, secretKeys: [] };
  return { env: { TEST_USER_NAME: user.username, TEST_USER_PASSWORD: user.password }, secretKeys: ['TEST_USER_PASSWORD'] };
}

/**
 * The settings file and the secrets record hold the test user's password and the clients'
 * secrets. Node's `mode` applies only to a file it creates: an existing file (say 644 from an
 * editor) would keep its mode, so the file is made owner-only before anything goes in.
 * `flag`: 'w' replaces the file, 'a' appends to it.
 */
function writeOwnerOnly(file: string, flag: 'w' | 'a', text: string): void {
  const fd = fs.openSync(file, flag, 0o600);
  try {
    fs.fchmodSync(fd, 0o600);
    if (text) fs.writeSync(fd, text);
  } finally {
    fs.closeSync(fd);
  }
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
    if (file) writeOwnerOnly(file, 'a', '');
    const recordSecret = file ? (value: string) => writeOwnerOnly(file, 'a', `${value}\n`) : undefined;
    stack = await startStack(opts.settings, { only: opts.only, log, recordSecret });
    // The test users' passwords are secrets the suite types into the login page: leak tests look for them too.
    for (const user of opts.settings.as.users) recordSecret?.(user.password);
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
  if (opts.presets.length) {
    try {
      ({ env, secretKeys } = await applyPresets(stack.urls, opts.presets, [], { claimsRedirectUri: opts.claimsRedirectUri }));
    } catch (err) {
      await stack.close();
      fail(`--preset failed: ${(err as Error).message}`, 1);
    }
  }
  const user = testUserEnv(opts.settings);
  Object.assign(env, user.env);
  secretKeys.push(...user.secretKeys);
  const envFile = opts.writeEnv ? path.resolve(opts.writeEnv) : undefined;
  if (envFile) {
    try {
      writeOwnerOnly(envFile, 'w', envLines(env, secretKeys, false) + '\n');
    } catch (err) {
      await stack.close();
      fail(`--write-env: could not write ${envFile}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, 2);
    }
  }

  const ms = Date.now() - started;
  if (opts.readyJson) {
    // The launcher reads the test user's login from here and never prints the password.
    const testUser = user.env.TEST_USER_NAME ? { username: user.env.TEST_USER_NAME, password: user.env.TEST_USER_PASSWORD } : undefined;
    process.stdout.write(`${READY_PREFIX}${JSON.stringify({ urls: stack.urls, started: stack.started, faults: opts.settings.faults.list(), startMs: ms, testUser })}\n`);
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
  process.stdout.write(`UMA sandbox ready in ${ms} ms (Kong ${opts.settings.kong.version} + gluu-uma-auth/gluu-openid-connect/gluu-uma-pep, oxd 4.2, oxAuth 4.2 emulation)\n${lines.join('\n')}\n`);
  const faults = opts.settings.faults.list();
  if (faults.length) process.stdout.write(`  faults: ${faults.join(', ')}\n`);
  if (opts.presets.includes('tutorial')) {
    process.stdout.write(`  preset: tutorial (service claim-gathering, hosts ${env.HOST_WITH_CLAIMS} and ${env.HOST_WITHOUT_CLAIMS})\n`);
    process.stdout.write(`${claimsRedirectLines(env.CLAIMS_REDIRECT_URL, opts.claimsRedirectUri !== undefined, stack.urls.oxd, env.CLIENT_OXD_ID).join('\n')}\n`);
  }
  const adminChanged = Object.entries(opts.adminAsSettings).map(([k, v]) => `${k}=${String(v)}`);
  if (adminChanged.length) process.stdout.write(`  oxAuth settings the tutorial's admin changes in oxTrust (CES 4.2 ships the opposite): ${adminChanged.join(', ')}\n`);
  if (opts.presets.includes('oidc-uma')) {
    const { host, base } = oidcUmaBase(stack.urls.kongProxy);
    process.stdout.write(`  preset: oidc-uma (service ${OIDC_UMA.serviceName}, route host ${host}; open ${base}/settings/ in a browser)\n`);
  }
  if (user.env.TEST_USER_NAME) process.stdout.write(`  test user: ${user.env.TEST_USER_NAME} / password ${maskValue(user.env.TEST_USER_PASSWORD)}\n`);
  if (envFile) process.stdout.write(`  settings for an external run written to ${envFile} (mode 600; run the suite on them with UMA_ENV_FILE=${envFile} npm test)\n`);
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
