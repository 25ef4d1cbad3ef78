// Endpoints that cannot be reached: refused, silent, trickling, TLS that does
// not verify, the wrong protocol. Each is a FAIL naming the endpoint and its
// setting, exit 2, within a few seconds, and never a stack trace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closedPort, CUT_CONNECTION, NEVER, runDoctorCli, STACK_TRACE, startFakeEnvironment, TRICKLE, type Route } from './fake-environment';
import { row, summary } from './table';

/**
 * The doctor CLI's own cost (node, the TypeScript loader, a full preflight against an
 * environment that answers everything), measured once in this file under the same load
 * as the runs it is subtracted from: the bounds below are about the waiting, not about
 * how fast this machine starts a process (a loaded CI machine once took 8 s for a 4 s wait).
 */
let cliCost: Promise<number> | undefined;
function cliCostMs(): Promise<number> {
  cliCost ??= (async () => {
    const env = await startFakeEnvironment();
    try {
      return (await runDoctorCli(env.settings())).elapsedMs;
    } finally {
      await env.close();
    }
  })();
  return cliCost;
}

const ENDPOINTS = [
  { setting: 'GG_ADMIN_URL', check: 'Kong Admin API', scheme: 'http' },
  { setting: 'GG_PROXY_URL', check: 'Kong proxy', scheme: 'http' },
  { setting: 'OXD_HOST', check: 'oxd-server', scheme: 'https' },
  { setting: 'CE_URL', check: 'AS discovery', scheme: 'https' },
] as const;

for (const e of ENDPOINTS) {
  test(`${e.setting} on a closed port: exit 2 naming it, within a few seconds`, async () => {
    const env = await startFakeEnvironment();
    try {
      const port = await closedPort();
      const r = await runDoctorCli(env.settings({ [e.setting]: `${e.scheme}://127.0.0.1:${port}` }));
      assert.equal(r.code, 2, r.output);
      // A refused connection fails at once: no waiting beyond the CLI's own cost.
      assert.ok(r.elapsedMs - (await cliCostMs()) < 3000, `took ${r.elapsedMs} ms (the CLI alone ${await cliCostMs()} ms)`);
      const failed = row(r.stdout, e.check);
      assert.equal(failed.status, 'FAIL');
      assert.match(failed.detail, new RegExp(`at ${e.scheme}://127\\.0\\.0\\.1:${port} refused the connection`));
      assert.match(failed.fix ?? '', new RegExp(`correct the host and port in ${e.setting}`));
      assert.match(summary(r.stdout), new RegExp(`^Preflight FAILED: ${e.setting}: .*refused the connection`));
      // Only that endpoint failed; the others were reached.
      for (const other of ENDPOINTS.filter((o) => o !== e)) assert.equal(row(r.stdout, other.check).status, 'OK', other.check);
      assert.doesNotMatch(r.output, STACK_TRACE);
    } finally {
      await env.close();
    }
  });
}

test('everything refused at once: one FAIL per endpoint, dependent checks skipped, fast', async () => {
  const port = await closedPort();
  const r = await runDoctorCli({
    UMA_TARGET: 'external',
    GG_ADMIN_URL: `http://127.0.0.1:${port}`,
    GG_PROXY_URL: `http://127.0.0.1:${port}`,
    OXD_HOST: `https://127.0.0.1:${port}`,
    CE_URL: `https://127.0.0.1:${port}`,
  });
  assert.equal(r.code, 2, r.output);
  assert.ok(r.elapsedMs - (await cliCostMs()) < 3000, `took ${r.elapsedMs} ms (the CLI alone ${await cliCostMs()} ms)`);
  for (const e of ENDPOINTS) assert.equal(row(r.stdout, e.check).status, 'FAIL');
  assert.deepEqual(row(r.stdout, 'Claims-gathering scope'), { status: 'SKIP', detail: 'not checked: AS discovery (CE_URL) did not pass', fix: undefined });
  assert.match(summary(r.stdout), /^Preflight FAILED: GG_ADMIN_URL: .*; also Kong proxy \(GG_PROXY_URL\), oxd-server \(OXD_HOST\), AS discovery \(CE_URL\)\.$/);
});

test('an endpoint that never answers fails at the default 4 s timeout, not later', async () => {
  const env = await startFakeEnvironment({ answers: { 'oxd-health': NEVER } });
  try {
    const r = await runDoctorCli(env.settings());
    assert.equal(r.code, 2, r.output);
    // 4 s of waiting plus the CLI's own cost, well under the 8 s a two-step chain would wait.
    const waited = r.elapsedMs - (await cliCostMs());
    assert.ok(r.elapsedMs >= 4000 && waited < 6000, `took ${r.elapsedMs} ms (the CLI alone ${await cliCostMs()} ms)`);
    assert.match(row(r.stdout, 'oxd-server').detail, /^oxd-server at https:\/\/127\.0\.0\.1:\d+ did not answer in time: no answer within 4000 ms$/);
    assert.match(row(r.stdout, 'oxd-server').fix ?? '', /reachable from this machine .* or raise UMA_DOCTOR_TIMEOUT_MS/);
  } finally {
    await env.close();
  }
});

const SLOW: Array<{ route: Route; check: string; how: string; answer: typeof NEVER }> = [
  { route: 'kong-root', check: 'Kong Admin API', how: 'never answers', answer: NEVER },
  { route: 'as-discovery', check: 'AS discovery', how: 'trickles a body forever', answer: TRICKLE },
];
for (const s of SLOW) {
  test(`${s.check} ${s.how}: FAIL after UMA_DOCTOR_TIMEOUT_MS`, async () => {
    const env = await startFakeEnvironment({ answers: { [s.route]: s.answer } });
    try {
      const r = await runDoctorCli(env.settings({ UMA_DOCTOR_TIMEOUT_MS: '700' }));
      assert.equal(r.code, 2, r.output);
      // 700 ms of waiting, not the default 4 s.
      assert.ok(r.elapsedMs - (await cliCostMs()) < 3000, `took ${r.elapsedMs} ms (the CLI alone ${await cliCostMs()} ms)`);
      assert.equal(row(r.stdout, s.check).status, 'FAIL');
      assert.match(row(r.stdout, s.check).detail, /did not answer in time: no answer within 700 ms/);
      assert.match(r.stdout, /each probe limited to 700 ms/);
    } finally {
      await env.close();
    }
  });
}

test('TLS: a self-signed certificate with UMA_TLS_INSECURE=false fails naming TLS and the fix', async () => {
  const env = await startFakeEnvironment();
  try {
    const r = await runDoctorCli(env.settings({ UMA_TLS_INSECURE: 'false' }));
    assert.equal(r.code, 2, r.output);
    for (const check of ['oxd-server', 'AS discovery']) {
      const failed = row(r.stdout, check);
      assert.equal(failed.status, 'FAIL', check);
      assert.match(failed.detail, /presents a self-signed TLS certificate \(set UMA_TLS_INSECURE=true to accept it\)/);
      assert.match(failed.fix ?? '', /^TLS: the certificate of https:\/\/127\.0\.0\.1:\d+ does not verify\. .* or set UMA_TLS_INSECURE=true/);
    }
    assert.equal(row(r.stdout, 'Kong Admin API').status, 'OK');
    assert.match(summary(r.stdout), /^Preflight FAILED: OXD_HOST: oxd-server at https:\/\/127\.0\.0\.1:\d+ presents a self-signed TLS certificate/);
  } finally {
    await env.close();
  }
});

test('https where the server speaks http (EPROTO): FAIL saying http vs https', async () => {
  const env = await startFakeEnvironment({ plainHttp: true });
  try {
    const r = await runDoctorCli(env.settings({ OXD_HOST: env.urls.oxd.replace('http:', 'https:') }));
    assert.equal(r.code, 2, r.output);
    const failed = row(r.stdout, 'oxd-server');
    assert.equal(failed.status, 'FAIL');
    assert.match(failed.detail, /does not speak the expected protocol \(http vs https\?\)/);
    assert.match(failed.fix ?? '', /OXD_HOST says https but the server speaks plain http: write http:\/\/127\.0\.0\.1:\d+/);
  } finally {
    await env.close();
  }
});

test('http where the server speaks https: FAIL suggesting https', async () => {
  const env = await startFakeEnvironment();
  try {
    const r = await runDoctorCli(env.settings({ CE_URL: env.urls.as.replace('https:', 'http:') }));
    assert.equal(r.code, 2, r.output);
    const failed = row(r.stdout, 'AS discovery');
    assert.equal(failed.status, 'FAIL');
    assert.match(failed.fix ?? '', /if it serves HTTPS, write https:\/\/127\.0\.0\.1:\d+/);
  } finally {
    await env.close();
  }
});

test('a connection cut in the middle of the body: FAIL, no stack trace', async () => {
  const env = await startFakeEnvironment({ answers: { 'kong-root': CUT_CONNECTION } });
  try {
    const r = await runDoctorCli(env.settings());
    assert.equal(r.code, 2, r.output);
    const failed = row(r.stdout, 'Kong Admin API');
    assert.equal(failed.status, 'FAIL');
    assert.match(failed.detail, /^Kong Admin API at http:\/\/127\.0\.0\.1:\d+ (closed the connection without answering|failed \(.+\))$/);
    assert.doesNotMatch(r.output, STACK_TRACE);
  } finally {
    await env.close();
  }
});
