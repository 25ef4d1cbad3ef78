// RPT answers, introspection, upgrade and PCT (UMA Grant §3.3.5; FedAuthz §5.1.1).
import type { Exchange } from '../http';
import { bodyObject } from '../http';
import type { RptIntrospection } from '../clients/uma-as';
import { show, verify, type CheckContext } from './core';

/** UMA Grant §3.3.5 / RFC 6749 §5.1: a bearer token answer, no scope, no-store. */
export function tokenSuccessForm(ctx: CheckContext, x: Exchange): void {
  const body = bodyObject(x);
  verify(ctx, {
    requirement: 'UMA-GRANT-3.3.5-SUCCESS-FORM',
    aspect: 'token answer',
    failure: 'The authorization server did not answer the RPT request with 200 and a bearer access token.',
    expected: 'status 200, access_token, token_type bearer',
    actual: `status ${x.response.status}, access_token ${typeof body.access_token === 'string' ? 'present' : 'absent'}, token_type ${show(body.token_type)}`,
    pass: x.response.status === 200 && typeof body.access_token === 'string' && String(body.token_type).toLowerCase() === 'bearer',
    evidence: x,
  });
  verify(ctx, {
    requirement: 'UMA-GRANT-3.3.5-NO-SCOPE',
    aspect: 'no scope',
    failure: 'The RPT answer carries a scope member, which UMA 2.0 says it should not.',
    expected: 'no scope member',
    actual: 'scope' in body ? `scope ${show(body.scope)}` : 'no scope member',
    pass: !('scope' in body),
    evidence: x,
  });
}

export function noStore(ctx: CheckContext, x: Exchange): void {
  const cc = x.response.headers['cache-control'];
  verify(ctx, {
    requirement: 'UMA-GRANT-3.3.5-SUCCESS-FORM',
    aspect: 'Cache-Control',
    failure: 'The RPT answer may be cached: it lacks Cache-Control: no-store (RFC 6749 §5.1).',
    expected: 'no-store',
    actual: cc ?? '(absent)',
    pass: /no-store/i.test(cc ?? ''),
    evidence: x,
  });
}

/** FedAuthz §5.1.1: active, the client, a permission for the scope, and no scope member. */
export function introspectionActive(ctx: CheckContext, x: Exchange, clientId: string, scope: string): RptIntrospection {
  const body = bodyObject(x) as RptIntrospection;
  verify(ctx, {
    aspect: 'RPT active',
    failure: 'The authorization server does not say the RPT it just issued is active.',
    expected: 'status 200, active true',
    actual: `status ${x.response.status}, active ${show(body.active)}`,
    pass: x.response.status === 200 && body.active === true,
    evidence: x,
  });
  verify(ctx, {
    aspect: 'RPT client',
    failure: 'The introspected RPT does not belong to the requesting party\'s client.',
    expected: `client_id ${clientId}`,
    actual: `client_id ${show(body.client_id)}`,
    pass: body.client_id === clientId,
    evidence: x,
  });
  const permissions = Array.isArray(body.permissions) ? body.permissions : [];
  const wellFormed = permissions.length > 0 && permissions.every((p) => typeof p?.resource_id === 'string' && Array.isArray(p.resource_scopes));
  verify(ctx, {
    requirement: 'UMA-FEDAUTHZ-5.1.1-PERMISSIONS',
    aspect: 'permissions',
    failure: 'The introspection does not list the RPT\'s permissions as UMA requires (resource_id and resource_scopes).',
    expected: `permissions with resource_id and resource_scopes, one with scope ${scope}`,
    actual: `permissions ${show(body.permissions)}`,
    pass: wellFormed && permissions.some((p) => p.resource_scopes.includes(scope)),
    evidence: x,
  });
  return body;
}

export function introspectionWithoutScope(ctx: CheckContext, x: Exchange): void {
  const body = bodyObject(x);
  verify(ctx, {
    requirement: 'UMA-FEDAUTHZ-5.1.1-NO-SCOPE',
    aspect: 'no scope member',
    failure: 'The RPT introspection carries a scope member, which UMA forbids (permissions carry the scopes).',
    expected: 'no scope member',
    actual: 'scope' in body ? `scope ${show(body.scope)}` : 'no scope member',
    pass: !('scope' in body),
    evidence: x,
  });
}

export function upgraded(ctx: CheckContext, x: Exchange, previousRpt: string): string {
  const body = bodyObject(x);
  verify(ctx, {
    requirement: 'UMA-GRANT-3.3.5-UPGRADED',
    aspect: 'upgraded',
    failure: 'The authorization server did not say the RPT was upgraded although the client sent its RPT with the request.',
    expected: 'status 200, upgraded true',
    actual: `status ${x.response.status}, upgraded ${show(body.upgraded)}`,
    pass: x.response.status === 200 && body.upgraded === true,
    evidence: x,
  });
  return typeof body.access_token === 'string' ? body.access_token : previousRpt;
}

const JWT = /^[A-Za-z0-9_-]+\.([A-Za-z0-9_-]+)\.[A-Za-z0-9_-]*$/;

/** UMA Grant §3.3.5 / §5.4: the PCT is opaque (not a JWT carrying the claims) and long enough to be unguessable. */
export function opaquePct(ctx: CheckContext, x: Exchange, claimValues: string[]): void {
  const pct = bodyObject(x).pct;
  let disclosed = false;
  if (typeof pct === 'string') {
    const m = JWT.exec(pct);
    const decoded = m ? Buffer.from(m[1], 'base64url').toString('utf8') : pct;
    disclosed = claimValues.some((v) => decoded.includes(`"${v}"`));
  }
  verify(ctx, {
    requirement: 'UMA-GRANT-3.3.5-PCT-OPAQUE',
    aspect: 'PCT opaque',
    failure: 'The PCT discloses the claims it stands for.',
    expected: 'an opaque PCT that does not contain the claims',
    actual: typeof pct !== 'string' ? 'no PCT' : disclosed ? 'the PCT carries the claim values' : 'opaque',
    pass: typeof pct === 'string' && !disclosed,
    evidence: x,
  });
  const alnum = typeof pct === 'string' ? pct.replace(/[^A-Za-z0-9]/g, '').length : 0;
  verify(ctx, {
    requirement: 'UMA-GRANT-3.3.5-PCT-UNGUESSABLE',
    aspect: 'PCT length',
    failure: 'The PCT is too short to be unguessable.',
    expected: 'at least 22 alphanumeric characters (about 128 bits)',
    actual: `${alnum} alphanumeric characters`,
    pass: alnum >= 22,
    evidence: x,
  });
}
