// get-user-info (oidc-uma.md §2 F5, §3.2 O6; GetUserInfoOperation @
// version_4.2.3 lines 42–81): the AS userinfo endpoint with the caller's
// access token, and its JSON answered as it is with 200 — also when the AS
// answered an error (e.g. 401 invalid_token). Only a body that is not JSON
// (or no answer at all) fails, with 500 internal_error. The sub check
// against `id_token` runs only with validate_user_info_with_id_token (off).
import { configurationEndpoint, type AsAnswer } from '../as-client';
import type { OxdDeps } from '../deps';
import { OxdError } from '../errors';
import { parseIdToken, claimAsString } from '../id-token-validator';
import { PARAM_CLASSES } from '../param-classes';
import { isNullOrEmpty, str, type Params } from '../params';
import type { CommandDef } from '../processor';
import { JsonNode } from '../serialize';
import { requireSite } from '../site-store';

/** validateSubjectIdentifier (lines 58–81). */
function checkSubject(idToken: string, res: AsAnswer): void {
  try {
    const userInfoSub = (res.json as Record<string, unknown>).sub;
    const sub = claimAsString(parseIdToken(idToken).claims, 'sub');
    if (sub === null) throw new TypeError('id_token without sub');
    if (sub !== String(Array.isArray(userInfoSub) ? userInfoSub[0] : userInfoSub)) throw new OxdError('INVALID_SUBJECT_IDENTIFIER');
  } catch (err) {
    if (err instanceof OxdError) throw err;
    throw new OxdError('FAILED_TO_VERIFY_SUBJECT_IDENTIFIER');
  }
}

async function getUserInfo(deps: OxdDeps, p: Params): Promise<unknown> {
  const site = requireSite(deps.store, str(p, 'oxd_id'));
  const discovery = await deps.as.oidcDiscovery(configurationEndpoint(site));
  if (!discovery.userinfo_endpoint) throw new Error('no userinfo_endpoint in discovery');
  const res = await deps.as.userInfo(discovery.userinfo_endpoint, str(p, 'access_token') ?? '');
  const idToken = str(p, 'id_token');
  if (res.status === 200 && deps.config.validateUserInfoWithIdToken && !isNullOrEmpty(idToken)) checkSubject(idToken as string, res);
  // Jackson readTree(entity): empty content is a MissingNode, written as null (unverified); non-JSON throws.
  if (res.text.trim() === '') return new JsonNode(null);
  if (res.json === undefined) throw new Error(`userinfo answer is not JSON (AS status ${res.status})`);
  return new JsonNode(res.json);
}

export const USER_INFO_COMMANDS: Record<string, CommandDef> = {
  '/get-user-info': { command: 'get_user_info', params: PARAM_CLASSES.GetUserInfoParams, needsOxdId: true, execute: getUserInfo },
};
