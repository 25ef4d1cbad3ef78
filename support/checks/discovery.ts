// UMA Grant §2 and FedAuthz §2: the discovery document.
import type { Exchange } from '../http';
import { bodyObject } from '../http';
import { show, verify, type CheckContext } from './core';

export const UMA_TICKET_GRANT = 'urn:ietf:params:oauth:grant-type:uma-ticket';

/** Members that are endpoints (absolute https URLs), as opposed to lists or identifiers. */
const ENDPOINT = /(_endpoint|_uri)$/;

const MEMBER_REQUIREMENT: Record<string, string> = {
  issuer: 'UMA-GRANT-2-DISCOVERY-RFC8414',
  token_endpoint: 'UMA-GRANT-2-DISCOVERY-RFC8414',
  response_types_supported: 'UMA-GRANT-2-DISCOVERY-RFC8414',
  claims_interaction_endpoint: 'UMA-GRANT-2-CLAIMS-INTERACTION-ENDPOINT',
  permission_endpoint: 'UMA-FEDAUTHZ-2-PERMISSION-ENDPOINT',
  resource_registration_endpoint: 'UMA-FEDAUTHZ-2-RESOURCE-REGISTRATION-ENDPOINT',
  introspection_endpoint: 'UMA-FEDAUTHZ-2-INTROSPECTION-ENDPOINT',
};

/** The discovery document answered 200 with a JSON object whose issuer is the one expected. */
export function discoveryDocument(ctx: CheckContext, x: Exchange, issuer: string, why: string): Record<string, unknown> {
  const doc = bodyObject(x);
  verify(ctx, {
    requirement: 'UMA-GRANT-2-DISCOVERY-AVAILABLE',
    aspect: 'discovery document',
    failure: `The authorization server publishes no UMA discovery document at ${x.request.url}.`,
    expected: 'status 200 with a JSON object',
    actual: `status ${x.response.status}, ${x.response.json && typeof x.response.json === 'object' ? 'a JSON object' : 'not a JSON object'}`,
    pass: x.response.status === 200 && Object.keys(doc).length > 0,
    evidence: x,
  });
  verify(ctx, {
    requirement: 'UMA-GRANT-2-DISCOVERY-LOCATION',
    aspect: 'issuer',
    failure: `The discovery document's issuer is not ${why}.`,
    expected: `issuer ${issuer}`,
    actual: `issuer ${show(doc.issuer)}`,
    pass: doc.issuer === issuer,
    evidence: x,
  });
  return doc;
}

/** UMA Grant §3.2.1: the challenge's as_uri is the issuer the configured AS publishes, not just any AS. */
export function asUriIsIssuer(ctx: CheckContext, asUri: string, configured: Exchange, challenge: Exchange): void {
  const issuer = bodyObject(configured).issuer;
  verify(ctx, {
    requirement: 'UMA-GRANT-3.2.1-AS-URI',
    aspect: 'as_uri is the issuer',
    failure: "The gateway's challenge names another authorization server than the one configured (CE_URL): its as_uri is not that server's issuer.",
    expected: `as_uri ${show(issuer)}`,
    actual: `as_uri ${show(asUri)}`,
    pass: typeof issuer === 'string' && asUri === issuer,
    evidence: [challenge, configured],
  });
}

export function members(ctx: CheckContext, x: Exchange, names: string[]): void {
  const doc = bodyObject(x);
  for (const name of names) {
    const value = doc[name];
    let pass = value !== undefined && value !== null;
    let expected = `${name} present`;
    if (pass && ENDPOINT.test(name)) {
      expected = `${name} an absolute https URL`;
      try {
        pass = typeof value === 'string' && new URL(value).protocol === 'https:';
      } catch {
        pass = false;
      }
    }
    verify(ctx, {
      requirement: MEMBER_REQUIREMENT[name] ?? (ENDPOINT.test(name) ? 'UMA-FEDAUTHZ-1.3-TLS' : undefined),
      aspect: `member ${name}`,
      failure: `The discovery document's ${name} is missing or not ${ENDPOINT.test(name) ? 'an absolute https URL' : 'set'}.`,
      expected,
      actual: `${name} ${show(value)}`,
      pass,
      evidence: x,
    });
  }
}

export function umaGrantAdvertised(ctx: CheckContext, x: Exchange): void {
  const grants = bodyObject(x).grant_types_supported;
  verify(ctx, {
    requirement: 'UMA-GRANT-2-GRANT-TYPE-ADVERTISED',
    aspect: 'grant types',
    failure: 'The discovery document does not advertise the UMA ticket grant type.',
    expected: `grant_types_supported containing ${UMA_TICKET_GRANT}`,
    actual: `grant_types_supported ${show(grants)}`,
    pass: Array.isArray(grants) && grants.includes(UMA_TICKET_GRANT),
    evidence: x,
  });
}
