// uma-rs-protect, uma-rs-check-access, introspect-rpt (oxd.md §4.6–§4.8).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { nowSeconds } from '../../../sandbox/lib/ids';
import { javaHashOrder, javaListHash, javaStringHash } from '../../../sandbox/oxd/java-compat';
import type { FakeOxAuth } from '../doubles/fake-oxauth';
import { OxdHarness, TUTORIAL_RESOURCE, bearer, challenge, type Site } from './harness';
import { assertSwagger } from './swagger';

const err = (error: string, error_description: string) => ({ error, error_description });

/** The AS resource ids registered with this name, oldest first. */
function resourceIds(fake: FakeOxAuth, name: string): string[] {
  return [...fake.resources.values()].filter((r) => r.body.name === name).map((r) => r._id);
}

function lastResourceId(fake: FakeOxAuth, name: string): string {
  const ids = resourceIds(fake, name);
  assert.ok(ids.length > 0, `no AS resource named ${name}`);
  return ids[ids.length - 1];
}

const perm = (resource_id: string, scopes: string[]) => ({ resource_id, resource_scopes: scopes, exp: nowSeconds() + 3600 });

describe('uma-rs-protect (oxd.md §4.6)', () => {
  let h: OxdHarness;
  before(async () => {
    h = await OxdHarness.start();
  });
  after(() => h.close());

  test('one AS resource per (path, condition), named "[GET] /posts/??", the expression sent as a JSON string', async () => {
    const site = await h.registerSite();
    const token = await h.clientToken(site);
    const before = h.fake.calls.length;
    const r = await h.post('/uma-rs-protect', { oxd_id: site.oxd_id, resources: [TUTORIAL_RESOURCE] }, bearer(token));
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, { oxd_id: site.oxd_id });
    assertSwagger('/uma-rs-protect', r.json);
    const calls = h.fake.calls.slice(before);
    const pat = calls.find((c) => c.path === '/oxauth/restv1/token' && c.form?.get('scope') === 'uma_protection openid');
    assert.ok(pat, 'a PAT is obtained with scope "uma_protection openid"');
    const reg = calls.filter((c) => c.path === '/oxauth/restv1/host/rsrc/resource_set');
    assert.equal(reg.length, 1);
    const patToken = h.fake.accessTokens.get(String(reg[0].headers.authorization).replace(/^Bearer /, ''));
    assert.deepEqual(patToken?.scopes, ['uma_protection', 'openid']);
    assert.deepEqual(reg[0].json, {
      name: '[GET] /posts/??',
      scope_expression: '{"rule":{"and":[{"var":0}]},"data":["claim_gathering"]}',
      resource_scopes: ['claim_gathering'],
    });
  });

  test('several methods and conditions: "[GET, POST] /a", "[DELETE] /a"; plain scopes; iat/exp forwarded', async () => {
    const site = await h.registerSite();
    const token = await h.clientToken(site);
    const before = h.fake.calls.length;
    const r = await h.post(
      '/uma-rs-protect',
      {
        oxd_id: site.oxd_id,
        resources: [
          {
            path: '/a',
            iat: 1700000000,
            exp: 1900000000,
            conditions: [
              { httpMethods: ['GET', 'POST'], scopes: ['read'] },
              { httpMethods: ['DELETE'], scopes: ['admin'], ticketScopes: ['admin'] },
            ],
          },
        ],
      },
      bearer(token),
    );
    assert.equal(r.status, 200);
    const bodies = h.fake.calls.slice(before).filter((c) => c.path === '/oxauth/restv1/host/rsrc/resource_set').map((c) => c.json);
    assert.deepEqual(bodies, [
      { name: '[GET, POST] /a', resource_scopes: ['read'], iat: 1700000000, exp: 1900000000 },
      { name: '[DELETE] /a', resource_scopes: ['admin'], iat: 1700000000, exp: 1900000000 },
    ]);
  });

  test('errors: empty list, duplicate method on a path, invalid scope expressions, protection exists', async () => {
    const site = await h.registerSite();
    const token = await h.clientToken(site);
    const protect = (body: Record<string, unknown>) => h.post('/uma-rs-protect', { oxd_id: site.oxd_id, ...body }, bearer(token));
    const EMPTY = err('invalid_uma_request', 'Resources list to protect is empty or blank. Please check it according to protocol definition at https://gluu.org/docs/oxd');
    for (const body of [{}, { resources: [] }, { resources: null }]) {
      const r = await protect(body);
      assert.equal(r.status, 400);
      assert.deepEqual(r.json, EMPTY);
    }
    const dup = await protect({
      resources: [
        { path: '/x', conditions: [{ httpMethods: ['GET'], scopes: ['a'] }] },
        { path: '/x', conditions: [{ httpMethods: ['GET'], scopes: ['b'] }] },
      ],
    });
    assert.equal(dup.status, 400);
    assert.deepEqual(dup.json, err('http_method_not_unique', 'HTTP method defined in JSON must be unique within given PATH (but occurs more then one time).'));
    const INVALID_EXPR = err('invalid_scope_expression', 'The scope expression is invalid. Please check the documentation and make sure it is a valid JsonLogic expression.');
    for (const expr of [
      { rule: { and: [{ var: 0 }] }, data: [] },
      { rule: { '!': [{ var: 0 }] }, data: ['a'] },
      { data: ['a'] },
      ['a'],
      'claim_gathering',
      { rule: { nope: [1] }, data: ['a'] },
    ]) {
      const r = await protect({ resources: [{ path: '/y', conditions: [{ httpMethods: ['GET'], scope_expression: expr }] }] });
      assert.equal(r.status, 400, JSON.stringify(expr));
      assert.deepEqual(r.json, INVALID_EXPR, JSON.stringify(expr));
    }
    const or = await protect({ resources: [{ path: '/z', conditions: [{ httpMethods: ['GET'], scope_expression: { rule: { or: [{ var: 0 }, { var: 1 }] }, data: ['a', 'b'] } }] }] });
    assert.equal(or.status, 200, 'an "or" of data scopes is valid');
    const again = await protect({ resources: [TUTORIAL_RESOURCE] });
    assert.equal(again.status, 400);
    assert.deepEqual(
      again.json,
      err(
        'uma_protection_exists',
        'Server already has UMA Resources registered for this oxd_id. It is possible to overwrite it if provide overwrite=true for uma_rs_protect command (existing resources will be removed and new UMA Resources added).',
      ),
    );
  });

  test('overwrite: true deletes the existing AS resources first', async () => {
    const { site, token } = await h.protectedSite();
    const oldId = lastResourceId(h.fake, '[GET] /posts/??');
    const before = h.fake.calls.length;
    const r = await h.post('/uma-rs-protect', { oxd_id: site.oxd_id, overwrite: true, resources: [TUTORIAL_RESOURCE] }, bearer(token));
    assert.equal(r.status, 200);
    const calls = h.fake.calls.slice(before).map((c) => `${c.method} ${c.path}`);
    assert.ok(calls.includes(`DELETE /oxauth/restv1/host/rsrc/resource_set/${oldId}`));
    assert.equal(h.fake.resources.has(oldId), false);
    assert.ok(calls.indexOf(`DELETE /oxauth/restv1/host/rsrc/resource_set/${oldId}`) < calls.indexOf('POST /oxauth/restv1/host/rsrc/resource_set'));
  });

  test('the AS refusing a resource (no scopes) → PAT refreshed and retried, then a container error', async () => {
    const site = await h.registerSite();
    const token = await h.clientToken(site);
    const r = await h.post('/uma-rs-protect', { oxd_id: site.oxd_id, resources: [{ path: '/n', conditions: [{ httpMethods: ['GET'] }] }] }, bearer(token));
    assert.equal(r.status, 400);
    assert.deepEqual(r.json, { code: 400, message: 'HTTP 400 Bad Request' });
  });
});

describe('uma-rs-check-access (oxd.md §4.7)', () => {
  let h: OxdHarness;
  let site: Site;
  let token: string;
  let resourceId: string;
  before(async () => {
    h = await OxdHarness.start();
    ({ site, token } = await h.protectedSite());
    resourceId = lastResourceId(h.fake, '[GET] /posts/??');
  });
  after(() => h.close());

  const check = (body: Record<string, unknown>) => h.post('/uma-rs-check-access', { oxd_id: site.oxd_id, path: '/posts/??', http_method: 'GET', ...body }, bearer(token));

  test('granted: an active RPT with a permission for this resource sharing a scope → {"access":"granted"}', async () => {
    const rpt = h.fake.issueRpt('@!C1', [perm(resourceId, ['claim_gathering'])]);
    const r = await check({ rpt: rpt.token });
    assert.equal(r.status, 200);
    assert.equal(r.text, '{"access":"granted"}');
    assertSwagger('/uma-rs-check-access', r.json);
    const status = h.fake.callsTo('POST', '/oxauth/restv1/rpt/status').at(-1);
    assert.equal(status?.form?.get('token'), rpt.token);
  });

  test('denied without RPT: 200, exact WWW-Authenticate value, ticket registered at the AS for this resource and scope', async () => {
    const before = h.fake.calls.length;
    const r = await check({ rpt: '' });
    assert.equal(r.status, 200);
    assertSwagger('/uma-rs-check-access', r.json);
    const body = r.json as { access: string; ticket: string };
    assert.deepEqual(Object.keys(body), ['access', 'www-authenticate_header', 'ticket']);
    assert.deepEqual(r.json, { access: 'denied', 'www-authenticate_header': challenge(h.fake.issuer, body.ticket), ticket: body.ticket });
    assert.ok(!/, /.test((r.json as Record<string, string>)['www-authenticate_header']), 'no spaces after commas');
    assert.deepEqual(h.fake.tickets.get(body.ticket), [{ resource_id: resourceId, resource_scopes: ['claim_gathering'], exp: h.fake.tickets.get(body.ticket)?.[0].exp }]);
    const calls = h.fake.calls.slice(before);
    assert.deepEqual(
      calls.map((c) => c.path),
      ['/oxauth/restv1/introspection', '/oxauth/restv1/rpt/status', '/.well-known/uma2-configuration', '/oxauth/restv1/host/rsrc_pr'],
      'caller token check, RPT introspection (even for an empty RPT), uma-rs reads {op_host}/.well-known/uma2-configuration afresh, permission',
    );
    assert.equal(calls[1].form?.get('token'), '');
    assert.deepEqual(calls[3].json, [{ resource_id: resourceId, resource_scopes: ['claim_gathering'] }]);
  });

  test('denied with an insufficient RPT: other resource, other scope, inactive — each denial registers a new ticket', async () => {
    const otherResource = h.fake.issueRpt('@!C1', [perm('some-other-resource', ['claim_gathering'])]);
    const otherScope = h.fake.issueRpt('@!C1', [perm(resourceId, ['something_else'])]);
    const inactive = h.fake.issueRpt('@!C1', [perm(resourceId, ['claim_gathering'])], false);
    const tickets = new Set<string>();
    for (const rpt of [otherResource.token, otherScope.token, inactive.token, 'unknown-rpt']) {
      const r = await check({ rpt });
      assert.equal(r.status, 200);
      const body = r.json as { access: string; ticket: string };
      assert.equal(body.access, 'denied', rpt);
      assert.equal((r.json as Record<string, string>)['www-authenticate_header'], challenge(h.fake.issuer, body.ticket));
      tickets.add(body.ticket);
    }
    assert.equal(tickets.size, 4);
  });

  test('unknown path or method → 400 invalid_request "Resource is not protected…"', async () => {
    for (const [path, method] of [
      ['/posts/1', 'GET'],
      ['/posts/??', 'POST'],
      ['/posts/??/', 'GET'],
    ]) {
      const r = await check({ rpt: '', path, http_method: method });
      assert.equal(r.status, 400, `${method} ${path}`);
      assert.equal(r.headers['content-type'], 'application/json');
      assert.deepEqual(
        r.json,
        err(
          'invalid_request',
          `Resource is not protected with path: ${path} and httpMethod: ${method}. Please protect your resource first with uma_rs_protect command. Check details on https://gluu.org/docs/oxd`,
        ),
      );
    }
  });

  test('path and method are looked up ignoring case', async () => {
    const rpt = h.fake.issueRpt('@!C1', [perm(resourceId, ['claim_gathering'])]);
    const r = await check({ rpt: rpt.token, path: '/POSTS/??', http_method: 'get' });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, { access: 'granted' });
  });

  test('blank http_method / path → 400 invalid_http_method / invalid_path_parameter', async () => {
    const m = await check({ rpt: '', http_method: '' });
    assert.equal(m.status, 400);
    assert.deepEqual(
      m.json,
      err('invalid_http_method', 'http_method is not specified or otherwise not GET or POST or PUT or DELETE. Please check it according to protocol definition at https://gluu.org/docs/oxd'),
    );
    const p = await check({ rpt: '', path: '' });
    assert.equal(p.status, 400);
    assert.deepEqual(p.json, err('invalid_path_parameter', 'path parameter is not specified or otherwise not valid'));
  });

  test('request scopes replace the resource scopes for the decision and the ticket (a scope the resource lacks → AS 400 → 500)', async () => {
    const rpt = h.fake.issueRpt('@!C1', [perm(resourceId, ['claim_gathering'])]);
    const r = await check({ rpt: rpt.token, scopes: ['other'] });
    assert.equal(r.status, 500, 'not granted; the AS refuses a ticket for a scope the resource does not have');
    assert.deepEqual(r.json, err('internal_error', 'Unknown internal server error occurs.'));
    const pr = h.fake.callsTo('POST', '/oxauth/restv1/host/rsrc_pr').at(-1);
    assert.deepEqual(pr?.json, [{ resource_id: resourceId, resource_scopes: ['other'] }]);
  });

  test('ticket registration failing at the AS → 500 internal_error; rpt/status failing → container error with the AS body', async () => {
    h.fake.failNext('POST /oxauth/restv1/host/rsrc_pr', 500, '{"error":"server_error"}');
    const t = await check({ rpt: '' });
    assert.equal(t.status, 500);
    assert.deepEqual(t.json, err('internal_error', 'Unknown internal server error occurs.'));
    h.fake.failNext('POST /oxauth/restv1/rpt/status', 500, 'introspection broke', 'text/plain');
    const s = await check({ rpt: 'x' });
    assert.equal(s.status, 500);
    assert.deepEqual(s.json, { code: 500, message: 'introspection broke' });
  });

  test('rpt/status 401 → the PAT is refreshed and the introspection retried', async () => {
    const patsBefore = h.fake.callsTo('POST', '/oxauth/restv1/token').filter((c) => c.form?.get('scope') === 'uma_protection openid').length;
    h.fake.failNext('POST /oxauth/restv1/rpt/status', 401, '{"error":"access_denied"}');
    const rpt = h.fake.issueRpt('@!C1', [perm(resourceId, ['claim_gathering'])]);
    const r = await check({ rpt: rpt.token });
    assert.deepEqual(r.json, { access: 'granted' });
    const pats = h.fake.callsTo('POST', '/oxauth/restv1/token').filter((c) => c.form?.get('scope') === 'uma_protection openid').length;
    assert.equal(pats, patsBefore + 1);
  });
});

describe('uma-rs-check-access: ticket scopes and registration order', () => {
  test('ticketScopes replace the required scopes on the ticket when the request names none', async () => {
    const h = await OxdHarness.start();
    try {
      const { site, token } = await h.protectedSite([{ path: '/docs', conditions: [{ httpMethods: ['GET'], scopes: ['read', 'write'], ticketScopes: ['read'] }] }]);
      const id = lastResourceId(h.fake, '[GET] /docs');
      const check = (body: Record<string, unknown>) => h.post('/uma-rs-check-access', { oxd_id: site.oxd_id, path: '/docs', http_method: 'GET', ...body }, bearer(token));
      const denied = await check({ rpt: '' });
      assert.equal((denied.json as { access: string }).access, 'denied');
      assert.deepEqual(h.fake.callsTo('POST', '/oxauth/restv1/host/rsrc_pr').at(-1)?.json, [{ resource_id: id, resource_scopes: ['read'] }]);
      const withScopes = await check({ rpt: '', scopes: ['write'] });
      assert.equal((withScopes.json as { access: string }).access, 'denied');
      assert.deepEqual(h.fake.callsTo('POST', '/oxauth/restv1/host/rsrc_pr').at(-1)?.json, [{ resource_id: id, resource_scopes: ['write'] }]);
      const writeRpt = h.fake.issueRpt('@!C1', [perm(id, ['write'])]);
      assert.deepEqual((await check({ rpt: writeRpt.token })).json, { access: 'granted' }, 'the decision uses scopes, not ticketScopes: any shared scope');
    } finally {
      await h.close();
    }
  });

  test('paths equal ignoring case: the resource oxd stored last wins (HashMap order of the registration keys)', async () => {
    const h = await OxdHarness.start();
    try {
      const resources = [
        { path: '/posts/??', conditions: [{ httpMethods: ['GET'], scopes: ['lower'] }] },
        { path: '/POSTS/??', conditions: [{ httpMethods: ['GET'], scopes: ['upper'] }] },
      ];
      const { site, token } = await h.protectedSite(resources);
      // RsProtectOperation.persist iterates a HashMap<Key(path, methods), id>: the later bucket is stored last.
      const keyHash = (path: string) => (Math.imul(31, javaStringHash(path)) + javaListHash(['GET'])) | 0;
      const stored = javaHashOrder(['/posts/??', '/POSTS/??'], keyHash);
      const winner = stored[stored.length - 1];
      const winnerScope = winner === '/posts/??' ? 'lower' : 'upper';
      const winnerId = lastResourceId(h.fake, `[GET] ${winner}`);
      const r = await h.post('/uma-rs-check-access', { oxd_id: site.oxd_id, rpt: '', path: '/Posts/??', http_method: 'GET' }, bearer(token));
      assert.equal((r.json as { access: string }).access, 'denied');
      assert.deepEqual(h.fake.callsTo('POST', '/oxauth/restv1/host/rsrc_pr').at(-1)?.json, [{ resource_id: winnerId, resource_scopes: [winnerScope] }]);
    } finally {
      await h.close();
    }
  });
});

describe('fault check-access-ignores-resource', () => {
  for (const faulty of [false, true]) {
    test(faulty ? 'with the fault: an RPT for another resource is granted' : 'clean: an RPT for another resource is denied', async () => {
      const h = await OxdHarness.start({ faults: faulty ? ['check-access-ignores-resource'] : [] });
      try {
        const { site, token } = await h.protectedSite([
          { path: '/posts/??', conditions: [{ httpMethods: ['GET'], scopes: ['claim_gathering'] }] },
          { path: '/other', conditions: [{ httpMethods: ['GET'], scopes: ['non_claim_gathering'] }] },
        ]);
        const otherId = lastResourceId(h.fake, '[GET] /other');
        const rpt = h.fake.issueRpt('@!C1', [perm(otherId, ['non_claim_gathering'])]);
        const r = await h.post('/uma-rs-check-access', { oxd_id: site.oxd_id, rpt: rpt.token, path: '/posts/??', http_method: 'GET' }, bearer(token));
        assert.equal(r.status, 200);
        if (faulty) assert.deepEqual(r.json, { access: 'granted' });
        else assert.equal((r.json as { access: string }).access, 'denied');
      } finally {
        await h.close();
      }
    });
  }
});

describe('introspect-rpt (oxd.md §4.8)', () => {
  let h: OxdHarness;
  let site: Site;
  let token: string;
  before(async () => {
    h = await OxdHarness.start();
    site = await h.registerSite();
    token = await h.clientToken(site);
  });
  after(() => h.close());

  test('active: the fields of CorrectRptIntrospectionResponse in order, pct_claims dropped, nulls left out', async () => {
    const rpt = h.fake.issueRpt('@!C1', [perm('res-1', ['claim_gathering'])]);
    const r = await h.post('/introspect-rpt', { oxd_id: site.oxd_id, rpt: rpt.token }, bearer(token));
    assert.equal(r.status, 200);
    assertSwagger('/introspect-rpt', r.json);
    assert.equal(
      r.text,
      JSON.stringify({
        active: true,
        exp: rpt.exp,
        iat: rpt.iat,
        permissions: [{ resource_id: 'res-1', resource_scopes: ['claim_gathering'], exp: rpt.permissions[0].exp }],
        client_id: '@!C1',
        aud: '@!C1',
      }),
    );
    const call = h.fake.callsTo('POST', '/oxauth/restv1/rpt/status').at(-1);
    const pat = h.fake.accessTokens.get(String(call?.headers.authorization).replace(/^Bearer /, ''));
    assert.ok(pat?.scopes.includes('uma_protection'), 'introspected with the PAT');
  });

  test('unknown or inactive → {"active":false}', async () => {
    for (const rpt of ['nope', h.fake.issueRpt('@!C1', [], false).token]) {
      const r = await h.post('/introspect-rpt', { oxd_id: site.oxd_id, rpt }, bearer(token));
      assert.equal(r.status, 200);
      assert.equal(r.text, '{"active":false}');
      assertSwagger('/introspect-rpt', r.json);
    }
  });
});

describe('resource and ticket registration read {op_host}/.well-known/uma2-configuration (uma-rs ServiceProvider)', () => {
  let h: OxdHarness;
  before(async () => {
    h = await OxdHarness.start();
    // An issuer with a path: the configuration endpoint stays at the root, the issuer's UMA document is elsewhere.
    h.fake.oidcConfigurationOverrides.issuer = `${h.fake.url}/tenant`;
  });
  after(() => h.close());

  /** Registered through the configuration endpoint: Rp.op_host becomes the discovered issuer (RegisterSiteOperation line 429). */
  async function protectedSite(): Promise<{ site: Site; token: string }> {
    const site = await h.registerSite({ op_configuration_endpoint: `${h.fake.url}/.well-known/openid-configuration` });
    const token = await h.clientToken(site);
    const r = await h.post('/uma-rs-protect', { oxd_id: site.oxd_id, resources: [TUTORIAL_RESOURCE] }, bearer(token));
    assert.equal(r.status, 200, r.text);
    return { site, token };
  }

  test('protect and check-access fetch the issuer-based document on every call; overwrite deletes via the configuration endpoint', async () => {
    h.fake.umaDiscoveryAlsoAt.add('/tenant/.well-known/uma2-configuration');
    try {
      const { site, token } = await protectedSite();
      assert.equal(site.op_host, `${h.fake.url}/tenant`);
      const atIssuer = () => h.fake.callsTo('GET', '/tenant/.well-known/uma2-configuration').length;
      assert.equal(atIssuer(), 1, 'protect read the issuer document');
      for (let i = 1; i <= 2; i++) {
        const r = await h.post('/uma-rs-check-access', { oxd_id: site.oxd_id, path: '/posts/??', http_method: 'GET', rpt: '' }, bearer(token));
        assert.equal(r.status, 200);
        const body = r.json as { ticket: string };
        assert.deepEqual(r.json, { access: 'denied', 'www-authenticate_header': challenge(`${h.fake.url}/tenant`, body.ticket), ticket: body.ticket });
        assert.equal(atIssuer(), 1 + i, 'no cache: one fetch per check-access');
      }
      const before = h.fake.calls.length;
      const again = await h.post('/uma-rs-protect', { oxd_id: site.oxd_id, overwrite: true, resources: [TUTORIAL_RESOURCE] }, bearer(token));
      assert.equal(again.status, 200);
      const calls = h.fake.calls.slice(before).map((c) => `${c.method} ${c.path}`);
      const del = calls.findIndex((c) => c.startsWith('DELETE /oxauth/restv1/host/rsrc/resource_set/'));
      const issuerDoc = calls.indexOf('GET /tenant/.well-known/uma2-configuration');
      assert.ok(del >= 0 && issuerDoc > del, `delete first (cached DiscoveryService document), then the issuer document for registering: ${calls.join(', ')}`);
    } finally {
      h.fake.umaDiscoveryAlsoAt.clear();
    }
  });

  test('protect: the issuer document is read before the PAT, once per call, and kept for the retry after a 401', async () => {
    h.fake.umaDiscoveryAlsoAt.add('/tenant/.well-known/uma2-configuration');
    try {
      const site = await h.registerSite({ op_configuration_endpoint: `${h.fake.url}/.well-known/openid-configuration` });
      const token = await h.clientToken(site);
      h.fake.failNext('POST /oxauth/restv1/host/rsrc/resource_set', 401, '{"error":"invalid_token"}');
      const before = h.fake.calls.length;
      const r = await h.post('/uma-rs-protect', { oxd_id: site.oxd_id, resources: [TUTORIAL_RESOURCE] }, bearer(token));
      assert.equal(r.status, 200, r.text);
      const calls = h.fake.calls
        .slice(before)
        .filter((c) => c.path !== '/oxauth/restv1/introspection' && !(c.path === '/oxauth/restv1/token' && c.form?.get('scope') === 'openid'))
        .map((c) => `${c.method} ${c.path}${c.form?.get('scope') ? ` ${c.form.get('scope')}` : ''}`);
      assert.deepEqual(calls, [
        'GET /tenant/.well-known/uma2-configuration',
        'POST /oxauth/restv1/token uma_protection openid',
        'POST /oxauth/restv1/host/rsrc/resource_set',
        'POST /oxauth/restv1/token uma_protection openid',
        'POST /oxauth/restv1/host/rsrc/resource_set',
      ]);
    } finally {
      h.fake.umaDiscoveryAlsoAt.clear();
    }
  });

  test('no UMA document at the issuer: check-access → 500 internal_error, protect → the 404 as a container error', async () => {
    h.fake.umaDiscoveryAlsoAt.add('/tenant/.well-known/uma2-configuration');
    const { site, token } = await protectedSite();
    h.fake.umaDiscoveryAlsoAt.clear();
    const check = await h.post('/uma-rs-check-access', { oxd_id: site.oxd_id, path: '/posts/??', http_method: 'GET', rpt: '' }, bearer(token));
    assert.equal(check.status, 500);
    assert.equal(check.headers['content-type'], 'application/json');
    assert.deepEqual(check.json, err('internal_error', 'Unknown internal server error occurs.'));

    const other = await h.registerSite({ op_configuration_endpoint: `${h.fake.url}/.well-known/openid-configuration` });
    const otherToken = await h.clientToken(other);
    const registered = h.fake.callsTo('POST', '/oxauth/restv1/host/rsrc/resource_set').length;
    const protect = await h.post('/uma-rs-protect', { oxd_id: other.oxd_id, resources: [TUTORIAL_RESOURCE] }, bearer(otherToken));
    assert.equal(protect.status, 404);
    assert.deepEqual(protect.json, { code: 404, message: 'HTTP 404 Not Found' });
    assert.equal(h.fake.callsTo('POST', '/oxauth/restv1/host/rsrc/resource_set').length, registered, 'no resource registered, no retry (404 is not 400/401)');
  });
});
