// The lifetime of an access token oxAuth issues to a client
// (AbstractAuthorizationGrant.createAccessToken lines 284–288 @ version_4.2.3,
// the same rule in CacheGrant lines 126–129 and GrantService lines 127–131):
// the AS's accessTokenLifetime, unless the client has its own, positive one
// ("oxAuth #830 Client-specific access token expiration").
import type { ClientRecord } from './store';

export function accessTokenLifetime(asDefault: number, client: Pick<ClientRecord, 'accessTokenLifetime'>): number {
  const own = client.accessTokenLifetime;
  return own !== undefined && own > 0 ? own : asDefault;
}
