// gateway.md §6.3: every response of the table the plugins produce (R1–R12,
// R16; R13–R15 are in claims-mode.test.ts), driven through the proxy with
// the fake oxd. Each case pins status, headers and body.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeOxd } from '../doubles/fake-oxd';
import { C_ID, echoed, startHarness, type Harness, type Reply, type TutorialIds, type TutorialOptions } from './harness';

const JSON_UTF8 = 'application/json; charset=utf-8';
const AXIOS_ACCEPT = 'application/json, text/plain, */*';

async function withTutorial(options: TutorialOptions, fn: (h: Harness, ids: TutorialIds) => Promise<void>): Promise<void> {
  const h = await startHarness();
  try {
    const ids = await h.tutorial(options);
    await fn(h, ids);
  } finally {
    await h.close();
  }
}

function assertExit(r: Reply, status: number, message: string): void {
  assert.equal(r.status, status, r.text);
  assert.equal(r.headers['content-type'], JSON_UTF8);
  // lua-cjson escapes "/" (e.g. "path\/method")
  assert.equal(r.text, JSON.stringify({ message }).replace(/\//g, '\\/'));
  assert.deepEqual(r.json, { message });
  assert.equal(r.headers.server, 'kong/2.2.1');
  assert.match(String(r.headers['x-kong-response-latency']), /^\d+$/);
  assert.equal(r.headers.via, undefined);
}

test('R1: no token, anonymous set, protected path → 401 with oxd\'s challenge copied verbatim', async () => {
  await withTutorial({}, async (h) => {
    const r = await h.get('/posts/1');
    assertExit(r, 401, 'Unauthorized');
    assert.equal(r.headers['www-authenticate'], `UMA realm="rs",as_uri="https://as.example.org",error="insufficient_scope",ticket="${FakeOxd.ticket(1)}"`);
  });
});

test('R1: the WWW-Authenticate value is whatever oxd sent, byte for byte', async () => {
  await withTutorial({}, async (h) => {
    const odd = 'UMA realm="rs",as_uri="https://as.example.org/",error="insufficient_scope",ticket="T-odd"';
    h.oxd.script('uma-rs-check-access', () => ({ status: 200, body: { access: 'denied', 'www-authenticate_header': odd, ticket: 'T-odd' } }));
    const r = await h.get('/posts/1');
    assert.equal(r.status, 401);
    assert.equal(r.headers['www-authenticate'], odd);
  });
});

test('R2: no token, anonymous unset → 401 without WWW-Authenticate', async () => {
  await withTutorial({ auth: { anonymous: ' ' } }, async (h) => {
    const r = await h.get('/posts/1');
    assertExit(r, 401, 'Failed to get bearer token from Authorization header');
    assert.equal(r.headers['www-authenticate'], undefined);
    assert.deepEqual(h.oxd.commands(), []);
  });
});

test('R2: a non-Bearer Authorization counts as no token', async () => {
  await withTutorial({ auth: { anonymous: ' ' } }, async (h) => {
    const r = await h.get('/posts/1', { Authorization: 'Basic dXNlcjpwYXNz' });
    assertExit(r, 401, 'Failed to get bearer token from Authorization header');
  });
});

test('R3: inactive/unknown RPT, anonymous set, protected path → 401 with a new ticket', async () => {
  await withTutorial({}, async (h) => {
    const r = await h.get('/posts/1', { Authorization: 'Bearer garbage' });
    assertExit(r, 401, 'Unauthorized');
    assert.equal(r.headers['www-authenticate'], h.oxd.challenge(FakeOxd.ticket(1)));
    const again = await h.get('/posts/1', { Authorization: 'Bearer garbage' });
    assert.equal(again.headers['www-authenticate'], h.oxd.challenge(FakeOxd.ticket(2)));
  });
});

test('R4: inactive RPT, anonymous unset → 401 Invalid access token', async () => {
  await withTutorial({ auth: { anonymous: ' ' } }, async (h) => {
    const r = await h.get('/posts/1', { Authorization: 'Bearer garbage' });
    assertExit(r, 401, 'Invalid access token provided in Authorization header');
    assert.equal(r.headers['www-authenticate'], undefined);
  });
});

test('R5: valid RPT of a client with no consumer → 401 Unknown consumer, even with anonymous set', async () => {
  await withTutorial({}, async (h) => {
    h.oxd.activeRpt('RPT-stranger', { client_id: '@!no-such-consumer' });
    const r = await h.get('/posts/1', { Authorization: 'Bearer RPT-stranger' });
    assertExit(r, 401, 'Unknown consumer');
    assert.equal(r.headers['www-authenticate'], undefined);
  });
});

test('R6: valid RPT, granted → the upstream answer with Kong\'s proxy headers', async () => {
  await withTutorial({}, async (h) => {
    h.oxd.activeRpt('RPT', { client_id: C_ID });
    const r = await h.get('/posts/1?x=1', { Authorization: 'Bearer RPT' });
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(r.headers.via, 'kong/2.2.1');
    assert.match(String(r.headers['x-kong-upstream-latency']), /^\d+$/);
    assert.match(String(r.headers['x-kong-proxy-latency']), /^\d+$/);
    assert.equal(r.headers.server, 'openresty', 'the echo upstream sends no Server: nginx adds its own');
    const e = echoed(r);
    assert.deepEqual([e.method, e.path, e.query], ['GET', '/posts/1', 'x=1']);
  });
});

test('R7: valid RPT, denied → 403 without WWW-Authenticate (the ticket oxd registered is dropped)', async () => {
  await withTutorial({}, async (h) => {
    h.oxd.activeRpt('RPT', { client_id: C_ID, grants: [] });
    const r = await h.get('/posts/1', { Authorization: 'Bearer RPT' });
    assertExit(r, 403, 'You are not authorized to access this resource');
    assert.equal(r.headers['www-authenticate'], undefined);
  });
});

test('R8: valid RPT, unprotected path or method, deny_by_default=true → 403', async () => {
  await withTutorial({}, async (h) => {
    h.oxd.activeRpt('RPT', { client_id: C_ID });
    assertExit(await h.get('/todos', { Authorization: 'Bearer RPT' }), 403, 'Unprotected path/method are not allowed');
    const post = await h.proxy('POST', '/posts/1', { Host: 'gathering.example.com', Authorization: 'Bearer RPT' }, '{}');
    assertExit(post, 403, 'Unprotected path/method are not allowed');
  });
});

test('R9: no token (anonymous), unprotected path, deny_by_default=true → 403', async () => {
  await withTutorial({}, async (h) => {
    assertExit(await h.get('/todos'), 403, 'Invalid request, no token and no protected path');
    assert.deepEqual(h.oxd.commands(), []);
  });
});

test('R10: unprotected path with deny_by_default=false is proxied, with or without a valid token', async () => {
  await withTutorial({ pep: { deny_by_default: false } }, async (h) => {
    h.oxd.activeRpt('RPT', { client_id: C_ID });
    const anon = await h.get('/todos');
    assert.equal(anon.status, 200);
    assert.equal(echoed(anon).path, '/todos');
    assert.equal(echoed(anon).headers['x-anonymous-consumer'], 'true');
    const withToken = await h.get('/todos', { Authorization: 'Bearer RPT' });
    assert.equal(withToken.status, 200);
    assert.equal(echoed(withToken).headers['x-consumer-custom-id'], C_ID);
    assert.deepEqual(h.oxd.commands(), ['get-client-token', 'introspect-rpt']);
  });
});

const R11_CASES: Array<[string, TutorialOptions, (h: Harness, ids: TutorialIds) => Promise<Record<string, string>>]> = [
  ['check-access answers 500', {}, async (h) => {
    h.oxd.script('uma-rs-check-access', () => ({ status: 500, body: { error: 'internal_error', error_description: 'Unknown internal server error occurs.' } }));
    return {};
  }],
  ['check-access answers 400 (path not protected at oxd)', { pep: { uma_scope_expression: JSON.stringify([{ path: '/posts/??', conditions: [{ httpMethods: ['GET', 'DELETE'] }] }]) } }, async (h) => {
    h.oxd.script('uma-rs-check-access', (b) => (b.http_method === 'GET' ? { status: 400, body: { error: 'invalid_request' } } : undefined));
    return {};
  }],
  ['check-access 403 (bad protection token)', {}, async (h) => {
    h.oxd.script('uma-rs-check-access', () => ({ status: 403, body: { error: 'invalid_access_token' } }));
    return {};
  }],
  ['check-access 200 without access', {}, async (h) => {
    h.oxd.script('uma-rs-check-access', () => ({ status: 200, body: { ticket: 'x' } }));
    return {};
  }],
  ['check-access denied without www-authenticate_header for rpt ""', {}, async (h) => {
    h.oxd.script('uma-rs-check-access', () => ({ status: 200, body: { access: 'denied', ticket: 'x' } }));
    return {};
  }],
  ['check-access granted for rpt ""', {}, async (h) => {
    h.oxd.script('uma-rs-check-access', () => ({ status: 200, body: { access: 'granted' } }));
    return {};
  }],
  ['check-access with an unknown access value', {}, async (h) => {
    h.oxd.script('uma-rs-check-access', () => ({ status: 200, body: { access: 'maybe' } }));
    return {};
  }],
  ['get-client-token fails (oxd 500)', {}, async (h) => {
    h.oxd.script('get-client-token', () => ({ status: 500, body: { error: 'internal_error', error_description: 'Unknown internal server error occurs.' } }));
    return {};
  }],
  ['require_id_token without a token', { pep: { require_id_token: true } }, async () => ({})],
  ['anonymous consumer not found', { auth: { anonymous: '77777777-7777-4777-8777-777777777777' } }, async () => ({})],
  ['anonymous given as a custom_id (docs bug: loaded by id)', { auth: { anonymous: 'anonymous' } }, async () => ({})],
  ['introspect-rpt active but missing iat', {}, async (h) => {
    h.oxd.activeRpt('RPT', { client_id: C_ID, fields: { iat: undefined } });
    return { Authorization: 'Bearer RPT' };
  }],
  ['introspect-rpt answers 403', {}, async (h) => {
    h.oxd.script('introspect-rpt', () => ({ status: 403, body: { error: 'invalid_access_token' } }));
    return { Authorization: 'Bearer RPT' };
  }],
  ['introspect-rpt answers 400', {}, async (h) => {
    h.oxd.script('introspect-rpt', () => ({ status: 400, body: { error: 'invalid_oxd_id' } }));
    return { Authorization: 'Bearer RPT' };
  }],
];

for (const [name, options, arrange] of R11_CASES) {
  test(`R11: ${name} → 502 "An unexpected error ocurred"`, async () => {
    await withTutorial(options, async (h, ids) => {
      const headers = await arrange(h, ids);
      const r = await h.get('/posts/1', headers);
      assertExit(r, 502, 'An unexpected error ocurred');
      assert.equal(r.headers['www-authenticate'], undefined);
    });
  });
}

const R12_CASES: Array<[string, TutorialOptions, (h: Harness) => Record<string, string>]> = [
  ['oxd unreachable on check-access', {}, (h) => {
    h.oxd.script('uma-rs-check-access', () => 'unreachable');
    return {};
  }],
  ['oxd answers non-JSON on check-access', {}, (h) => {
    h.oxd.script('uma-rs-check-access', () => ({ status: 200, raw: 'Invalid parameters. Message: x' }));
    return {};
  }],
  ['oxd unreachable on get-client-token', {}, (h) => {
    h.oxd.script('get-client-token', () => 'unreachable');
    return {};
  }],
  ['oxd non-JSON on introspect-rpt', {}, (h) => {
    h.oxd.script('introspect-rpt', () => ({ status: 500, raw: 'There was an error' }));
    return { Authorization: 'Bearer RPT' };
  }],
  ['invalid JSON in uma_scope_expression (Q6)', { pep: { uma_scope_expression: '[{"path":"/posts/??",' } }, () => ({})],
  ['?? as a method in the expression', { pep: { uma_scope_expression: JSON.stringify([{ path: '/posts/??', conditions: [{ httpMethods: ['??'] }] }]) } }, () => ({})],
];

for (const [name, options, arrange] of R12_CASES) {
  test(`R12: ${name} → Kong's own 500 "An unexpected error occurred"`, async () => {
    await withTutorial(options, async (h) => {
      const headers = arrange(h);
      const r = await h.get('/posts/1', { ...headers, Accept: AXIOS_ACCEPT });
      assert.equal(r.status, 500);
      assert.equal(r.headers['content-type'], JSON_UTF8);
      assert.equal(r.text, '{\n  "message":"An unexpected error occurred"\n}');
      assert.deepEqual(r.json, { message: 'An unexpected error occurred' });
      assert.equal(r.headers.server, 'kong/2.2.1');
      assert.match(String(r.headers['x-kong-response-latency']), /^\d+$/);
    });
  });
}

test('R12: Kong\'s error page follows Accept; without one it is text/plain (error_default_type)', async () => {
  await withTutorial({ pep: { uma_scope_expression: '[' } }, async (h) => {
    const plain = await h.get('/posts/1');
    assert.equal(plain.status, 500);
    assert.equal(plain.headers['content-type'], 'text/plain; charset=utf-8');
    assert.equal(plain.text, 'An unexpected error occurred\n');
    const html = await h.get('/posts/1', { Accept: 'text/html' });
    assert.equal(html.headers['content-type'], 'text/html; charset=utf-8');
    assert.match(html.text, /<p>An unexpected error occurred\.<\/p>/);
  });
});

test('R16: no route matched → 404', async () => {
  await withTutorial({}, async (h) => {
    const r = await h.proxy('GET', '/posts/1', { Host: 'unknown.example.com' });
    assertExit(r, 404, 'no Route matched with those values');
  });
});

test('a route without a service: the plugins run, then 503', async () => {
  const h = await startHarness();
  try {
    await h.admin('POST', '/routes', { hosts: ['lonely.example.com'] });
    const r = await h.proxy('GET', '/', { Host: 'lonely.example.com' });
    assertExit(r, 503, 'no Service found with those values');
  } finally {
    await h.close();
  }
});

test('upstream down → 502 "An invalid response was received from the upstream server" with proxy headers', async () => {
  const h = await startHarness();
  try {
    const s = await h.admin('POST', '/services', { name: 'down', url: 'http://127.0.0.1:1' });
    await h.admin('POST', '/routes', { hosts: ['down.example.com'], service: { id: (s.json as { id: string }).id } });
    const r = await h.proxy('GET', '/x', { Host: 'down.example.com', Accept: AXIOS_ACCEPT });
    assert.equal(r.status, 502);
    assert.equal(r.headers['content-type'], JSON_UTF8);
    assert.deepEqual(r.json, { message: 'An invalid response was received from the upstream server' });
    assert.equal(r.headers.via, 'kong/2.2.1');
    assert.match(String(r.headers['x-kong-upstream-latency']), /^\d+$/);
  } finally {
    await h.close();
  }
});

test('Q4: the plugin 502 says "ocurred", Kong\'s 500 says "occurred"', async () => {
  await withTutorial({ pep: { require_id_token: true } }, async (h) => {
    const r502 = await h.get('/posts/1');
    assert.deepEqual(r502.json, { message: 'An unexpected error ocurred' });
  });
  await withTutorial({ pep: { uma_scope_expression: '[' } }, async (h) => {
    const r500 = await h.get('/posts/1', { Accept: 'application/json' });
    assert.deepEqual(r500.json, { message: 'An unexpected error occurred' });
  });
});

test('an https-only route reached over http: 426, or the configured redirect', async () => {
  const h = await startHarness();
  try {
    const s = await h.admin('POST', '/services', { name: 'tls', url: h.echoUrl });
    const sid = (s.json as { id: string }).id;
    await h.admin('POST', '/routes', { hosts: ['tls.example.com'], protocols: ['https'], service: { id: sid } });
    await h.admin('POST', '/routes', { hosts: ['tls2.example.com'], protocols: ['https'], https_redirect_status_code: 301, service: { id: sid } });
    const r = await h.proxy('GET', '/x', { Host: 'tls.example.com' });
    assertExit(r, 426, 'Please use HTTPS protocol');
    assert.equal(r.headers.upgrade, 'TLS/1.2, HTTP/1.1');
    const moved = await h.proxy('GET', '/x?y=1', { Host: 'tls2.example.com:8000' });
    assert.equal(moved.status, 301);
    assert.equal(moved.headers.location, 'https://tls2.example.com/x?y=1');
    assert.equal(moved.text, '');
  } finally {
    await h.close();
  }
});
