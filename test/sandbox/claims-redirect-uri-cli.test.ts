// `npm run sandbox -- --preset tutorial --claims-redirect-uri URL` (issue 14
// item 12): validated (an absolute http(s) URL, else exit 2 with one line),
// registered on the consumer OP client, written as CLAIMS_REDIRECT_URL, and
// printed with how to change it later (oxd update-site, a JSON list). Without
// it the tutorial's placeholder is used and printed as such.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { parseCli, USAGE, UsageError } from '../../sandbox/cli';
import { claimsRedirectLines, TUTORIAL } from '../../sandbox/preset';
import { jsonOf, postJson } from '../../sandbox/lib/http-client';
import { NODE_TS_ARGS } from '../../scripts/lib/node-ts';

const ROOT = path.resolve(__dirname, '..', '..');
const MAIN = path.join(ROOT, 'sandbox', 'main.ts');

test('--claims-redirect-uri: an absolute http(s) URL with --preset tutorial; anything else is a usage error', () => {
  assert.equal(parseCli(['--preset', 'tutorial', '--claims-redirect-uri', 'https://rqp.test/cgi-bin/index.py']).claimsRedirectUri, 'https://rqp.test/cgi-bin/index.py');
  assert.equal(parseCli(['--claims-redirect-uri', 'http://localhost:8080/cb?rp=1', '--preset', 'tutorial']).claimsRedirectUri, 'http://localhost:8080/cb?rp=1');
  assert.equal(parseCli(['--preset', 'tutorial']).claimsRedirectUri, undefined);
  for (const bad of ['rqp.test/cb', '/cgi-bin/index.py', 'ftp://rqp.test/cb', 'javascript:alert(1)', 'https://', 'mailto:a@b.c']) {
    assert.throws(() => parseCli(['--preset', 'tutorial', '--claims-redirect-uri', bad]), new UsageError(`--claims-redirect-uri: "${bad}" is not an absolute http(s) URL`), bad);
  }
  assert.throws(
    () => parseCli(['--preset', 'tutorial', '--claims-redirect-uri', 'https://rqp.test/cb#x']),
    new UsageError('--claims-redirect-uri: "https://rqp.test/cb#x" has a fragment (#…); a redirect URI cannot carry one'),
  );
  assert.throws(() => parseCli(['--preset', 'tutorial', '--claims-redirect-uri']), new UsageError('--claims-redirect-uri needs a value'));
  assert.throws(
    () => parseCli(['--claims-redirect-uri', 'https://rqp.test/cb']),
    new UsageError('--claims-redirect-uri needs --preset tutorial (it is the consumer OP client the preset registers)'),
  );
  assert.throws(() => parseCli(['--preset', 'oidc-uma', '--claims-redirect-uri', 'https://rqp.test/cb']), /needs --preset tutorial/);
  assert.match(USAGE, /--claims-redirect-uri URL with --preset tutorial: the consumer OP client's claims\n/);
});

test("the printout: the value, whether it is the tutorial's placeholder, and the update-site command with a JSON list", () => {
  assert.equal(TUTORIAL.claimsRedirectUrl, 'https://rqp.example.com/cgi-bin/index.py');
  assert.deepEqual(claimsRedirectLines(TUTORIAL.claimsRedirectUrl, false, 'https://127.0.0.1:18443', 'OXD-1'), [
    "  claims redirect URI of consumer_op_client: https://rqp.example.com/cgi-bin/index.py (the tutorial's placeholder; set yours with --claims-redirect-uri URL)",
    '    change it later with oxd update-site (a JSON list; oxd 4.2 checks no token), then set CLAIMS_REDIRECT_URL to it:',
    `    curl -k -X POST https://127.0.0.1:18443/update-site -H 'Content-Type: application/json' -d '{"oxd_id":"OXD-1","claims_redirect_uri":["<URL>"]}'`,
  ]);
  assert.match(claimsRedirectLines('https://rqp.test/cb', true, 'https://o', 'X')[0], /: https:\/\/rqp\.test\/cb \(from --claims-redirect-uri\)$/);
});

test('a bad --claims-redirect-uri: exit 2 and one line on stderr, nothing started', () => {
  const r = spawnSync(process.execPath, [...NODE_TS_ARGS, MAIN, '--preset', 'tutorial', '--claims-redirect-uri', 'rqp.test/cb'], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
  assert.equal(r.status, 2);
  assert.equal(r.stderr, 'sandbox: --claims-redirect-uri: "rqp.test/cb" is not an absolute http(s) URL\n');
  assert.equal(r.stdout, '');
});

/** Starts the sandbox with `args`, collects stdout up to "Press Ctrl-C", runs `probe` while it is up, stops it. */
async function withSandbox(args: string[], probe: (out: string) => Promise<void>): Promise<void> {
  const child = spawn(process.execPath, [...NODE_TS_ARGS, MAIN, '--ephemeral-ports', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr.resume();
  const lines: string[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    for await (const line of readline.createInterface({ input: child.stdout })) {
      lines.push(line);
      if (line === 'Press Ctrl-C to stop.') break;
    }
    await probe(lines.join('\n'));
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

test('--preset tutorial --claims-redirect-uri: registered on the consumer client, in the settings, printed with update-site', { timeout: 60_000 }, async () => {
  await withSandbox(['--preset', 'tutorial', '--claims-redirect-uri', 'https://rqp.test/cgi-bin/index.py', '--print-env'], async (out) => {
    assert.match(out, /^CLAIMS_REDIRECT_URL=https:\/\/rqp\.test\/cgi-bin\/index\.py$/m);
    assert.match(out, /^ {2}claims redirect URI of consumer_op_client: https:\/\/rqp\.test\/cgi-bin\/index\.py \(from --claims-redirect-uri\)$/m);
    const oxdId = /^CLIENT_OXD_ID=(.+)$/m.exec(out)?.[1];
    const oxd = /^OXD_HOST=(.+)$/m.exec(out)?.[1];
    assert.ok(oxdId && oxd);
    assert.ok(out.includes(`curl -k -X POST ${oxd}/update-site -H 'Content-Type: application/json' -d '{"oxd_id":"${oxdId}","claims_redirect_uri":["<URL>"]}'`), out);
    const rp = jsonOf(await postJson(`${oxd}/get-rp`, { oxd_id: oxdId })) as { node: { claims_redirect_uri: string[]; redirect_uris: string[] } };
    assert.deepEqual(rp.node.claims_redirect_uri, ['https://rqp.test/cgi-bin/index.py']);
    assert.deepEqual(rp.node.redirect_uris, ['https://rqp.test/cgi-bin/index.py']);
  });
});

test("--preset tutorial alone: the tutorial's placeholder, said to be one", { timeout: 60_000 }, async () => {
  await withSandbox(['--preset', 'tutorial', '--print-env'], async (out) => {
    assert.match(out, /^CLAIMS_REDIRECT_URL=https:\/\/rqp\.example\.com\/cgi-bin\/index\.py$/m);
    assert.match(out, /^ {2}claims redirect URI of consumer_op_client: https:\/\/rqp\.example\.com\/cgi-bin\/index\.py \(the tutorial's placeholder; set yours with --claims-redirect-uri URL\)$/m);
    assert.match(out, /^ {4}change it later with oxd update-site \(a JSON list; oxd 4\.2 checks no token\), then set CLAIMS_REDIRECT_URL to it:$/m);
  });
});
