// get-logout-uri (oidc-uma.md §3.6 step 7, §7; GetLogoutUrlOperation @
// version_4.2.3 lines 41–85): `<end_session_endpoint>?post_logout_redirect_uri=
// <URL-encoded>[&state=…][&session_state=…][&id_token_hint=…]`, each added
// only when given (the site's own post-logout URI is never filled in by
// register-site, so without the parameter none is sent). Only
// post_logout_redirect_uri is encoded. id_token_hint is appended from 4.2.2
// on (4.2.0/4.2.1 leave it out); the sandbox is 4.2.3.
import { configurationEndpoint } from '../as-client';
import type { OxdDeps } from '../deps';
import { OxdError } from '../errors';
import { javaUrlEncode } from '../java-compat';
import { PARAM_CLASSES } from '../param-classes';
import { isNullOrEmpty, str, type Params } from '../params';
import type { CommandDef } from '../processor';
import { requireSite } from '../site-store';
import { encodeExpiredObject } from '../state-store';

const GOOGLE_OP_HOST = 'https://accounts.google.com';

const separator = (uri: string): string => (uri.includes('?') ? '&' : '?');

async function getLogoutUri(deps: OxdDeps, p: Params): Promise<unknown> {
  const site = requireSite(deps.store, str(p, 'oxd_id'));
  const discovery = await deps.as.oidcDiscovery(configurationEndpoint(site));
  const endSession = discovery.end_session_endpoint;
  // Rp.postLogoutRedirectUri (singular) is never set in 4.2.3, so the fallback is always "".
  const postLogout = str(p, 'post_logout_redirect_uri') ?? '';

  if (isNullOrEmpty(endSession)) {
    // support-google-logout: true in the packaged and GG yml.
    if (site.opHost.startsWith(GOOGLE_OP_HOST)) return { uri: `https://www.google.com/accounts/Logout?continue=https://appengine.google.com/_ah/logout?continue=${postLogout}` };
    throw new OxdError('FAILED_TO_GET_END_SESSION_ENDPOINT');
  }

  let uri = endSession as string;
  if (postLogout !== '') uri += `${separator(uri)}post_logout_redirect_uri=${javaUrlEncode(postLogout)}`;
  const state = str(p, 'state');
  if (!isNullOrEmpty(state)) uri += `${separator(uri)}state=${encodeExpiredObject(state as string, 'state', deps.config)}`;
  const sessionState = str(p, 'session_state');
  if (!isNullOrEmpty(sessionState)) uri += `${separator(uri)}session_state=${sessionState}`;
  const hint = str(p, 'id_token_hint');
  if (!isNullOrEmpty(hint)) uri += `${separator(uri)}id_token_hint=${hint}`;
  return { uri };
}

export const LOGOUT_URI_COMMANDS: Record<string, CommandDef> = {
  '/get-logout-uri': { command: 'get_logout_uri', params: PARAM_CLASSES.GetLogoutUrlParams, needsOxdId: true, execute: getLogoutUri },
};
