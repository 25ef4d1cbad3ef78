// gluu-uma-pep matching a decoded request path whose element is the Lua tree's
// rule key "#" (`/posts/%23`, path-wildcard-tree.lua @ version_4.2.2): the
// walk steps into the rule table, so the path is not protected.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { C_ID, echoed, startHarness } from './harness';

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
