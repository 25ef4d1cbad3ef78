// An "existing environment" run: the sandbox started with --preset tutorial
// (the tutorial's manual Gluu Gateway steps made for us), and the suite
// pointed at it with the settings the sandbox wrote, UMA_TARGET=external and
// UMA_PROVISION=existing. The tutorial scenarios pass and Kong is left as the
// preset made it: the suite creates nothing there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseEnvFile } from '../../support/config';
import { startSandbox } from '../../scripts/lib/sandbox-launcher';
import { NODE_TS_ARGS } from '../../scripts/lib/node-ts';

const ROOT = path.resolve(__dirname, '..', '..');

async function kongInventory(admin: string): Promise<string[]> {
  const ids: string[] = [];
  for (const kind of ['services', 'routes', 'consumers', 'plugins']) {
    const res = await fetch(`${admin}/${kind}?size=1000`);
    const body = (await res.json()) as { data: Array<{ id: string }> };
    ids.push(...body.data.map((e) => `${kind}/${e.id}`));
  }
  return ids.sort();
}

test('the tutorial scenarios pass against a preset sandbox with UMA_PROVISION=existing, creating nothing in Kong', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uma-existing-'));
  const envFile = path.join(dir, 'sandbox.env');
  const sandbox = await startSandbox(['--preset', 'tutorial', '--write-env', envFile]);
  try {
    const env = parseEnvFile(fs.readFileSync(envFile, 'utf8'), envFile).values;
    assert.equal(env.UMA_TARGET, 'external');
    assert.equal(env.UMA_PROVISION, 'existing');
    const before = await kongInventory(env.GG_ADMIN_URL);
    assert.ok(before.length >= 8, 'the preset made the tutorial objects');
    let output = '';
    const code = await new Promise<number | null>((resolve) => {
      // The first tutorial's scenarios: the second tutorial's need --preset oidc-uma (below).
      const child = spawn(process.execPath, [...NODE_TS_ARGS, path.join(ROOT, 'scripts', 'run.ts'), '--tags', '@tutorial and not @oidc-uma'], {
        cwd: ROOT,
        env: { ...process.env, UMA_ENV_FILE: envFile, UMA_REPORTS_DIR: path.join(dir, 'reports') },
      });
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      child.on('exit', resolve);
    });
    assert.equal(code, 0, output.slice(-3000));
    // The update-site scenarios included: the list form passes, the tutorial's string form is DIV-TUT-01.
    assert.match(output, /^15 passed, 0 failed \(1 known divergence\)$/m);
    assert.deepEqual(await kongInventory(env.GG_ADMIN_URL), before);
  } finally {
    await sandbox.stop();
  }
});

test("the second tutorial's main flow passes against --preset oidc-uma alone with UMA_PROVISION=existing, creating nothing in Kong", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uma-existing-oidc-'));
  const envFile = path.join(dir, 'sandbox.env');
  const sandbox = await startSandbox(['--preset', 'oidc-uma', '--write-env', envFile]);
  try {
    const env = parseEnvFile(fs.readFileSync(envFile, 'utf8'), envFile).values;
    assert.equal(env.UMA_PROVISION, 'existing');
    assert.ok(env.OIDC_UMA_URL && env.TEST_USER_NAME && env.TEST_USER_PASSWORD, 'the preset wrote the website and the test user');
    const before = await kongInventory(env.GG_ADMIN_URL);
    let output = '';
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, [...NODE_TS_ARGS, path.join(ROOT, 'scripts', 'run.ts'), '--tags', '@oidc-uma and @blocker'], {
        cwd: ROOT,
        env: { ...process.env, UMA_ENV_FILE: envFile, UMA_REPORTS_DIR: path.join(dir, 'reports') },
      });
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      child.on('exit', resolve);
    });
    assert.equal(code, 0, output.slice(-3000));
    assert.match(output, /^1 passed, 0 failed$/m);
    assert.doesNotMatch(output, new RegExp(env.TEST_USER_PASSWORD.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    assert.deepEqual(await kongInventory(env.GG_ADMIN_URL), before);
  } finally {
    await sandbox.stop();
  }
});
