// Requirement ids → the specification section they come from.
// UMA 2.0 ids (uma2-requirements.md) look like UMA-GRANT-3.3.3-NEW-TICKET or
// UMA-FEDAUTHZ-5.1.1-NO-SCOPE and link to the Kantara section by number.
// The second tutorial's login part is judged against OpenID Connect Core 1.0,
// OAuth 2.0 (RFC 6749), cookies (RFC 6265) and HTTP semantics (RFC 9110);
// those ids are listed below with their section's own anchor.

const SPECS: Record<string, string> = {
  GRANT: 'https://docs.kantarainitiative.org/uma/wg/rec-oauth-uma-grant-2.0.html',
  FEDAUTHZ: 'https://docs.kantarainitiative.org/uma/wg/rec-oauth-uma-federated-authz-2.0.html',
};

const ID = /^UMA-(GRANT|FEDAUTHZ)-(\d+(?:\.\d+)*)-[A-Z0-9-]+$/;

const OIDC_CORE = 'https://openid.net/specs/openid-connect-core-1_0.html';
const GG_UMA_TUTORIAL = 'https://gluu.org/docs/gg/tutorials/uma-claim-gathering-tutorial/';
const OIDC_RP_LOGOUT = 'https://openid.net/specs/openid-connect-rpinitiated-1_0.html';

/** The requirement ids of the second tutorial that are not UMA 2.0's, with the text they stand for. */
export const OTHER_REQUIREMENTS: Record<string, { url: string; text: string }> = {
  'OIDC-CORE-3.1.2.1-AUTH-REQUEST': {
    url: `${OIDC_CORE}#AuthRequest`,
    text: 'An unauthenticated user is sent to the OP with an authorization request (response_type code, scope openid, client_id, redirect_uri, state, nonce)',
  },
  'OIDC-CORE-3.1.2.6-AUTH-ERROR': {
    url: `${OIDC_CORE}#AuthError`,
    text: "The OP's error response (error=access_denied, …) reaches the RP's redirect URI and is the RP's to handle as an error",
  },
  'OIDC-CORE-3.1.2.7-STATE-CHECK': {
    url: `${OIDC_CORE}#AuthResponseValidation`,
    text: 'The RP validates the authorization response: the state must be the one of the request this browser made (RFC 6749 §10.12)',
  },
  'OIDC-CORE-3.1.3.2-CODE-SINGLE-USE': {
    url: `${OIDC_CORE}#TokenRequestValidation`,
    text: 'An authorization code is used once: a code already exchanged is refused',
  },
  'OIDC-CORE-3.1.3.7-ISS': { url: `${OIDC_CORE}#IDTokenValidation`, text: "The id_token's iss is the OP's issuer (step 2)" },
  'OIDC-CORE-3.1.3.7-AUD': { url: `${OIDC_CORE}#IDTokenValidation`, text: "The id_token's aud contains the RP's client_id (step 3)" },
  'OIDC-CORE-3.1.3.7-NONCE': {
    url: `${OIDC_CORE}#IDTokenValidation`,
    text: "The id_token's nonce is the nonce sent in this browser's authorization request (step 11)",
  },
  'OIDC-CORE-2-SUB': { url: `${OIDC_CORE}#IDToken`, text: 'An id_token carries sub, the end-user identifier' },
  'OIDC-CORE-3.1.2.5-LOGGED-IN': {
    url: `${OIDC_CORE}#AuthResponse`,
    text: 'After a successful authentication the RP serves the page the user asked for',
  },
  'OIDC-CORE-1-SESSION': {
    url: `${OIDC_CORE}#Overview`,
    text: 'The RP keeps the authenticated session: a logged-in browser is not sent to the OP again until the session ends',
  },
  'OIDC-RPLOGOUT-2-END-SESSION': {
    url: `${OIDC_RP_LOGOUT}#RPLogout`,
    text: "RP-initiated logout ends the RP session and sends the browser to the OP's end_session_endpoint, which returns it to the post-logout redirect URI",
  },
  'RFC6749-10.12-CSRF': {
    url: 'https://www.rfc-editor.org/rfc/rfc6749#section-10.12',
    text: "The redirect URI's state binds the authorization response to the user-agent's session; an authorization response made for another browser is refused",
  },
  'RFC6265-4.1.2.6-HTTPONLY': {
    url: 'https://www.rfc-editor.org/rfc/rfc6265#section-4.1.2.6',
    text: "A session cookie is HttpOnly, out of reach of the website's scripts",
  },
  'RFC7239-8.1-HEADER-INTEGRITY': {
    url: 'https://www.rfc-editor.org/rfc/rfc7239#section-8.1',
    text: "Headers a proxy adds to vouch for the request cannot be trusted when the client may send them too: the proxy removes or replaces client-sent ones",
  },
  // The first tutorial's own administrator step (its "Authorization Server configuration", step 4), judged by what it promises.
  'GG-TUTORIAL-AS4-UPDATE-SITE': {
    url: GG_UMA_TUTORIAL,
    text: "The tutorial's oxd update-site request sets the consumer client's claims redirect URI, and claims gathering then redirects there",
  },
  'RFC9110-15.5.4-FORBIDDEN': {
    url: 'https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4',
    text: 'A request refused by the authorization policy is answered 403 Forbidden; 502 (§15.6.3) says an inbound server answered wrongly',
  },
};

export function isRequirementId(id: string): boolean {
  return ID.test(id) || Object.prototype.hasOwnProperty.call(OTHER_REQUIREMENTS, id);
}

export function requirementUrl(id: string): string {
  const other = Object.prototype.hasOwnProperty.call(OTHER_REQUIREMENTS, id) ? OTHER_REQUIREMENTS[id] : undefined;
  if (other) return other.url;
  const m = ID.exec(id);
  if (!m) return '';
  // xml2rfc section anchors, as in the Kantara HTML renderings.
  return `${SPECS[m[1]]}#rfc.section.${m[2]}`;
}
