// Something answers, but not the product: an HTML page, a body that is not
// JSON, a truncated body, JSON sent as text. Every probe that needs JSON says
// so in a FAIL row (exit 2), without a stack trace.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BAD_BODIES, EXISTING, raw, runDoctorCli, STACK_TRACE, startFakeEnvironment, type Answer, type Route } from './fake-environment';
import { row, summary } from './table';


const PROBES: Array<{ route: Route; check: string; setting: string }> = [
  { route: 'kong-root', check: 'Kong Admin API', setting: 'GG_ADMIN_URL' },
  { route: 'oxd-health', check: 'oxd-server', setting: 'OXD_HOST' },
  { route: 'as-discovery', check: 'AS discovery', setting: 'CE_URL' },
  { route: 'as-scope', check: 'Claims-gathering scope', setting: 'UMA_CLAIMS_SCOPE' },
  { route: 'oxd-client-token', check: 'Consumer OP client', setting: 'CLIENT_ID/CLIENT_SECRET' },
  { route: 'kong-consumers', check: 'Kong consumer', setting: 'CLIENT_ID' },
];

const EXPECTED: Record<string, RegExp> = {
  'an HTML page': /answered an HTML page \(HTTP 200 text\/html, title "Welcome to nginx!"\), not JSON/,
  'a non-JSON body': /answered HTTP 200 application\/json with a body that is not valid JSON \(truncated or malformed\): "OK, not JSON at all"/,
  'a truncated JSON body': /answered HTTP 200 application\/json with a body that is not valid JSON \(truncated or malformed\): "\{"version":"2\.2\.1","status":"runn"/,
  'a wrong content type': /answered HTTP 200 text\/plain instead of JSON: "\{"version"/,
};

describe('bad bodies on every JSON probe', { concurrency: 4 }, () => {
  for (const p of PROBES) {
    for (const [kind, answer] of Object.entries(BAD_BODIES)) {
      test(`${p.check} answering ${kind}: FAIL, exit 2`, async () => {
        const env = await startFakeEnvironment({ answers: { [p.route]: answer } });
        try {
          const r = await runDoctorCli(env.settings(EXISTING));
          assert.equal(r.code, 2, r.output);
          const failed = row(r.stdout, p.check);
          assert.equal(failed.status, 'FAIL', r.stdout);
          assert.match(failed.detail, EXPECTED[kind]);
          assert.ok(failed.fix, 'a FAIL says what to do');
          assert.match(summary(r.stdout), new RegExp(`^Preflight FAILED: ${p.setting.replace('/', '\\/')}: `));
          assert.doesNotMatch(r.output, STACK_TRACE);
          assert.equal(r.stderr, '');
        } finally {
          await env.close();
        }
      });
    }
  }
});

const ERROR_PAGES: Array<{ route: Route; check: string; what: string; answer: Answer; expected: RegExp }> = [
  { route: 'kong-root', what: 'an HTML 404 page', check: 'Kong Admin API', answer: raw(404, 'text/html', '<html><title>404 Not Found</title></html>'), expected: /answered an HTML page \(HTTP 404 text\/html, title "404 Not Found"\)/ },
  { route: 'kong-root', what: '401: credentials wanted', check: 'Kong Admin API', answer: raw(401, 'application/json', '{"message":"No API key found in request"}'), expected: /answered HTTP 401 application\/json: the Admin API wants credentials/ },
  { route: 'kong-root', what: 'JSON without a version', check: 'Kong Admin API', answer: raw(200, 'application/json', '{"tagline":"hello"}'), expected: /answered JSON without a version: this is not the Kong Admin API/ },
  { route: 'kong-root', what: 'a JSON array', check: 'Kong Admin API', answer: raw(200, 'application/json', '[1,2]'), expected: /with JSON that is not an object: "\[1,2\]"/ },
  { route: 'oxd-health', what: 'status starting', check: 'oxd-server', answer: raw(200, 'application/json', '{"status":"starting"}'), expected: /answered status "starting", not "running"/ },
  { route: 'oxd-health', what: '502 JSON', check: 'oxd-server', answer: raw(502, 'application/json', '{"message":"bad gateway"}'), expected: /answered HTTP 502 application\/json: "\{"message":"bad gateway"\}"/ },
  { route: 'as-discovery', what: 'an empty body', check: 'AS discovery', answer: raw(200, 'application/json', ''), expected: /answered HTTP 200 application\/json with an empty body instead of JSON/ },
  { route: 'as-discovery', what: '404 JSON', check: 'AS discovery', answer: raw(404, 'application/json', '{"error":"not_found"}'), expected: /answered HTTP 404 application\/json/ },
  { route: 'as-gather-claims', what: 'an HTML 400 page', check: 'Claims redirect URI', answer: raw(400, 'text/html', '<html><title>Bad Request</title></html>'), expected: /answered an HTML page \(HTTP 400 text\/html, title "Bad Request"\)/ },
];

describe('error pages and foreign JSON', { concurrency: 4 }, () => {
  for (const e of ERROR_PAGES) {
    test(`${e.check} answering ${e.what}: FAIL, exit 2`, async () => {
      const env = await startFakeEnvironment({ answers: { [e.route]: e.answer } });
      try {
        const r = await runDoctorCli(env.settings(EXISTING));
        assert.equal(r.code, 2, r.output);
        const failed = row(r.stdout, e.check);
        assert.equal(failed.status, 'FAIL');
        assert.match(failed.detail, e.expected);
        assert.doesNotMatch(r.output, STACK_TRACE);
      } finally {
        await env.close();
      }
    });
  }
});

test('the Kong proxy answering HTML is only a warning (a load balancer may front Kong): exit 0', async () => {
  const env = await startFakeEnvironment({ answers: { proxy: BAD_BODIES['an HTML page'] } });
  try {
    const r = await runDoctorCli(env.settings());
    assert.equal(r.code, 0, r.output);
    const warned = row(r.stdout, 'Kong proxy');
    assert.equal(warned.status, 'WARN');
    assert.match(warned.detail, /answered an HTML page \(HTTP 200 text\/html, title "Welcome to nginx!"\), not JSON; Kong answers an unknown host with JSON 404 "no Route matched with those values"$/);
    assert.equal(summary(r.stdout), 'Preflight passed: 4 OK, 1 warning (Kong proxy).');
  } finally {
    await env.close();
  }
});
