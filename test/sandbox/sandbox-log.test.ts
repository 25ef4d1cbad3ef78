// The sandbox log through a whole stack (issue 14 item 13): the tutorial's
// flow with the answers a user needs to see (Kong's 401, need_info at oxAuth
// and oxd, an invalid_claims_redirect_uri redirect, update-site refused and
// done), and no secret in full anywhere.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, type Stack } from '../../sandbox/stack';
import { defaultSettings, TUTORIAL_ADMIN_AS_SETTINGS } from '../../sandbox/settings';
import { applyTutorialPreset, TUTORIAL } from '../../sandbox/preset';
import { jsonOf, postJson, request } from '../../sandbox/lib/http-client';

let stack: Stack;
const lines: string[] = [];
let env: Record<string, string>;

before(async () => {
  const settings = defaultSettings();
  for (const name of Object.keys(settings.ports) as Array<keyof typeof settings.ports>) settings.ports[name] = 0;
  Object.assign(settings.as, TUTORIAL_ADMIN_AS_SETTINGS);
  stack = await startStack(settings, { log: (c, m) => lines.push(`[${c}] ${m}`) });
  ({ env } = await applyTutorialPreset(stack.urls));
});

after(() => stack.close());

/** 'finish' may fire just after the client read the answer: wait for the line, never a fixed sleep. */
async function line(pattern: RegExp): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const found = lines.find((l) => pattern.test(l));
    if (found) return found;
    await new Promise((r) => setImmediate(r));
  }
  assert.fail(`no log line matches ${pattern}:\n${lines.join('\n')}`);
}

test('the tutorial flow: 401, need_info, an error redirect, update-site; secrets shortened', { timeout: 30_000 }, async () => {
  const denied = await request('GET', `${stack.urls.kongProxy}${TUTORIAL.apiPath}`, { Host: TUTORIAL.hostWithClaims });
  assert.equal(denied.status, 401);
  const ticket = /ticket="([^"]+)"/.exec(String(denied.headers['www-authenticate']))?.[1] ?? '';
  assert.ok(ticket);
  assert.match(await line(/^\[kongProxy\] GET \/posts\/1 → 401 /), /^\[kongProxy\] GET \/posts\/1 → 401 "Unauthorized"$/);

  const token = jsonOf(
    await postJson(`${stack.urls.oxd}/get-client-token`, { client_id: env.CLIENT_ID, client_secret: env.CLIENT_SECRET, op_host: stack.urls.oxauth, scope: ['openid', 'oxd'] }),
  ) as { access_token: string };
  const needInfo = await postJson(`${stack.urls.oxd}/uma-rp-get-rpt`, { oxd_id: env.CLIENT_OXD_ID, ticket }, { Authorization: `Bearer ${token.access_token}` });
  assert.equal(needInfo.status, 403);
  const newTicket = (jsonOf(needInfo) as { ticket: string }).ticket;
  assert.equal(await line(/^\[oxauth\] POST \/oxauth\/restv1\/token → 403/), `[oxauth] POST /oxauth/restv1/token → 403 need_info claims country, city new ticket ${newTicket.slice(0, 4)}…`);
  assert.equal(await line(/^\[oxd\] POST \/uma-rp-get-rpt → 403/), `[oxd] POST /uma-rp-get-rpt → 403 need_info claims country, city new ticket ${newTicket.slice(0, 4)}…`);

  const gather = `${stack.urls.oxauth}/oxauth/restv1/uma/gather_claims?client_id=${env.CLIENT_ID}&ticket=${newTicket}&claims_redirect_uri=https://evil.example/cb&state=st4t3value`;
  const redirected = await request('GET', gather);
  assert.equal(redirected.status, 302);
  assert.equal(
    await line(/invalid_claims_redirect_uri/),
    `[oxauth] GET /oxauth/restv1/uma/gather_claims?client_id=${env.CLIENT_ID}&ticket=${newTicket.slice(0, 4)}…&claims_redirect_uri=https://evil.example/cb&state=st4t… → 302 error=invalid_claims_redirect_uri to https://evil.example/cb (state st4t…)`,
  );

  const refused = await postJson(`${stack.urls.oxd}/update-site`, { oxd_id: env.CLIENT_OXD_ID, claims_redirect_uri: 'https://rqp.test/cb' });
  assert.equal(refused.status, 400);
  assert.equal(
    await line(/^\[oxd\] POST \/update-site → 400/),
    '[oxd] POST /update-site → 400 Invalid parameters. Message: Cannot deserialize instance of `java.util.ArrayList<java.lang.String>` out of VALUE_STRING token',
  );
  const updated = await postJson(`${stack.urls.oxd}/update-site`, { oxd_id: env.CLIENT_OXD_ID, claims_redirect_uri: ['https://rqp.test/cb'] });
  assert.equal(updated.status, 200);
  assert.match(await line(/^\[oxd\] update-site /), new RegExp(`^\\[oxd\\] update-site ${env.CLIENT_OXD_ID}: client ${env.CLIENT_ID}, claims_redirect_uri \\["https://rqp.test/cb"\\]`));

  const log = lines.join('\n');
  for (const [what, secret] of Object.entries({ ticket, newTicket, state: 'st4t3value', clientSecret: env.CLIENT_SECRET, token: token.access_token })) {
    assert.ok(!log.includes(secret), `${what} in full in the log`);
  }
});
