// The protection API's token check (oxauth.md §7;
// UmaValidationService.assertHasProtectionScope): blank → 401
// unauthorized_client, unknown → 401 access_denied, no uma_protection scope
// → 406 invalid_client_scope (DIV-AS-17). Any Basic/Bearer/AccessToken/
// Negotiate prefix is cut off (TokenService.getToken).
import { tokenOf } from './client-auth';
import { umaError } from './errors';
import type { AccessTokenRecord, AsStore } from './store';

export function assertHasProtectionScope(store: AsStore, authorization: string | undefined): AccessTokenRecord {
  if (!authorization || authorization === '') throw umaError(401, 'unauthorized_client', 'Authorization header is blank.');
  const token = tokenOf(authorization, ['Basic', 'Bearer', 'AccessToken', 'Negotiate']);
  if (!token) throw umaError(401, 'unauthorized_client', 'Token is invalid.');
  const grant = store.accessToken(token);
  if (!grant) throw umaError(401, 'access_denied', 'Unable to find authorization grant by token.');
  if (!grant.scopes.includes('uma_protection')) {
    throw umaError(406, 'invalid_client_scope', 'Client does not have scope: uma_protection');
  }
  return grant;
}
