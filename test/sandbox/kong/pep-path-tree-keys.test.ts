// gluu-uma-pep matching a decoded request path whose element is the Lua tree's
// rule key "#" (`/posts/%23`, path-wildcard-tree.lua @ version_4.2.2): the
// walk steps into the rule table, so the path is not protected.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { C_ID, echoed, startHarness } from './harness';
import { FakeOxd } from '../doubles/fake-oxd';

const EXPRESSION = [
  { path: '/posts', conditions: [{ httpMethods: ['GET'], scope_expression: { rule: { and: [{ var: 0 }] }, data: ['claim_gathering'] } }] },
  { path: '/posts/??', conditions: [{ httpMethods: ['GET'], scope_expression: { rule: { and: [{ var: 0 }] }, data: ['claim_gathering'] } }] },
];

test('GET /posts/%23 with rules /posts and /posts/??: no rule matches (unprotected), /posts/%23/path/len is a Lua error', async () => {
  const h = await startHarness();
  try {
    await h.tutorial({ pep: { uma_scope_expression: JSON.stringify(EXPRESSION), deny_by_default: false } });
    const protectedOne = await h.get('/posts/1');
    assert.equal(protectedOne.status, 401, 'the wildcard protects /posts/1');
    h.oxd.clearCalls();

    const r = await h.get('/posts/%23');
    assert.equal(r.status, 200, r.text);
    assert.equal(echoed(r).path, '/posts/%23');
    assert.deepEqual(h.oxd.commands(), [], 'no check-access: no protected path');


    const err = await h.get('/posts/%23/path/len');
    assert.equal(err.status, 500);
    assert.equal(err.headers['content-type'], 'text/plain; charset=utf-8');
    assert.equal(err.text, 'An unexpected error occurred\n');
  } finally {
    await h.close();
  }
});

test('deny_by_default (the default): an authenticated request to /posts/%23 is refused 403 as unprotected', async () => {
  const h = await startHarness();
  try {
    await h.tutorial({ pep: { uma_scope_expression: JSON.stringify(EXPRESSION) } });
    h.oxd.activeRpt('RPT', { client_id: C_ID });
    const r = await h.get('/posts/%23', { Authorization: 'Bearer RPT' });
    assert.equal(r.status, 403, r.text);
    assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
    assert.deepEqual(r.json, { message: 'Unprotected path/method are not allowed' });
    assert.ok(!h.oxd.commands().includes('uma-rs-check-access'));
  } finally {
    await h.close();
  }
});

test('fix-hash-element-protected (SEC-GW-05): GET /posts/%23 with rules /posts and /posts/?? is protected by /posts/??: 401 with the ticket', async () => {
  const h = await startHarness({ faults: ['fix-hash-element-protected'] });
  try {
    await h.tutorial({ pep: { uma_scope_expression: JSON.stringify(EXPRESSION), deny_by_default: false } });
    h.oxd.clearCalls();
    const r = await h.get('/posts/%23');
    assert.equal(r.status, 401, r.text);
    assert.equal(r.headers['www-authenticate'], h.oxd.challenge(FakeOxd.ticket(1)));
    const check = h.oxd.calls.find((c) => c.command === 'uma-rs-check-access');
    assert.ok(check, 'check-access asked');
    assert.equal(check.body.path, '/posts/??');
    assert.equal(check.body.rpt, '');
    // the walk never enters the rule table: no Lua error further down either
    const deeper = await h.get('/posts/%23/path/len');
    assert.equal(deeper.status, 401, deeper.text);
    // /posts as stock GG matches it: /posts/?? wins over the exact /posts (gateway.md §5 Q5)
    h.oxd.clearCalls();
    assert.equal((await h.get('/posts')).status, 401);
    assert.equal(h.oxd.calls.find((c) => c.command === 'uma-rs-check-access')?.body.path, '/posts/??');
  } finally {
    await h.close();
  }
});
