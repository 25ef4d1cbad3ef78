// The tutorial's Authorization Server step 4: the consumer client's claims
// redirect URI set with oxd update-site. The tutorial writes
// "claims_redirect_uri":"<uri>", a JSON string; oxd 4.2's UpdateSiteParams
// holds List<String> claims_redirect_uri (oxd-common UpdateSiteParams.java
// lines 60–61 @ version_4.2.3) and its Jackson mapper does not accept a single
// value as an array (Jackson2.java), so RestResource.read answers 400
// "Invalid parameters. Message: Cannot deserialize …" (oxd.md §4.3).
import type { Exchange } from '../http';
import { bodyObject } from '../http';
import { bodyExcerpt } from '../evidence';
import { verify, type CheckContext } from './core';

export const UPDATE_SITE_REQUIREMENT = 'GG-TUTORIAL-AS4-UPDATE-SITE';

/** oxd's plain-text parse error for a claims_redirect_uri that is not a JSON array, in one stable line. */
export const STRING_REFUSED = 'HTTP 400 Invalid parameters: claims_redirect_uri cannot be read as a list';

/** The answer in a few stable words (the parser's message carries the column, which depends on the body). */
export function updateSiteAnswer(x: Exchange): string {
  const { status, text } = x.response;
  if (status === 400 && text.startsWith('Invalid parameters.') && text.includes('"claims_redirect_uri"')) return STRING_REFUSED;
  const b = bodyObject(x);
  if (status === 200) return typeof b.oxd_id === 'string' ? 'HTTP 200 with the oxd_id' : `HTTP 200 without an oxd_id: ${bodyExcerpt(text, 120)}`;
  return `HTTP ${status} ${typeof b.error === 'string' ? `${b.error}: ${String(b.error_description ?? '')}` : bodyExcerpt(text, 160)}`;
}

/** update-site accepted the claims redirect URI (200 with the site's oxd_id). */
export function updateSiteAccepted(ctx: CheckContext, x: Exchange, form: 'a JSON string, as the tutorial writes it' | 'a JSON list'): void {
  const actual = updateSiteAnswer(x);
  verify(ctx, {
    requirement: UPDATE_SITE_REQUIREMENT,
    // One aspect per form: the list passing must not read as the string form's divergence gone.
    aspect: form === 'a JSON list' ? 'update-site with a list accepted' : "update-site with the tutorial's string accepted",
    failure: `oxd refused the tutorial's update-site request with the claims redirect URI as ${form}, so the consumer client's claims redirect URI was not set.`,
    expected: 'HTTP 200 with the oxd_id',
    actual,
    pass: actual === 'HTTP 200 with the oxd_id',
    evidence: x,
  });
}

/**
 * After update-site, the AS knows the new URI: the gathering for it must not
 * end in invalid_claims_redirect_uri (oxAuth redirects there with that error
 * when the URI is not registered, DIV-AS-04).
 */
export function newClaimsRedirectUriKnown(ctx: CheckContext, redirect: URL | undefined, newUri: string): void {
  const error = redirect?.searchParams.get('error') ?? undefined;
  verify(ctx, {
    requirement: UPDATE_SITE_REQUIREMENT,
    aspect: 'new claims redirect URI registered',
    failure:
      'update-site answered 200, but the authorization server does not know the new claims redirect URI: claims gathering for it ' +
      'ends in invalid_claims_redirect_uri, so the update never reached the client registration at the AS (oxd PUTs the client to its registration_client_uri).',
    expected: `claims gathering for ${newUri} starts (no error=invalid_claims_redirect_uri)`,
    actual: error ? `a redirect to ${redirect!.href}` : 'claims gathering started',
    pass: error !== 'invalid_claims_redirect_uri',
  });
}
