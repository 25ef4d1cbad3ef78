// The two tokens oxd obtains for a site with its own client credentials
// (UmaTokenService): the PAT (scope "uma_protection openid", protection API)
// and the plain OAuth token (scope "openid") it presents when introspecting
// a caller's access token. Both are cached on the site until expires_in.
import { configurationEndpoint, type AsClient } from './as-client';
import type { CachedToken, Site } from './site-store';

export class TokenObtainError extends Error {}

function fresh(t: CachedToken | undefined): t is CachedToken {
  return t !== undefined && t.expiresIn > 0 && t.createdAt + t.expiresIn * 1000 > Date.now();
}

export class SiteTokens {
  constructor(private readonly as: AsClient) {}

  async getPat(site: Site): Promise<string> {
    return fresh(site.pat) ? site.pat.token : this.obtainPat(site);
  }

  /** Forced refresh, used before a retry after a 400/401 from the protection API. */
  async obtainPat(site: Site): Promise<string> {
    site.pat = await this.obtain(site, 'uma_protection');
    return site.pat.token;
  }

  async getOAuthToken(site: Site): Promise<string> {
    return fresh(site.oauthToken) ? site.oauthToken.token : this.obtainOAuthToken(site);
  }

  async obtainOAuthToken(site: Site): Promise<string> {
    site.oauthToken = await this.obtain(site, undefined);
    return site.oauthToken.token;
  }

  /** obtainTokenWithClientCredentials: scopes = [type?] + "openid"; a PAT must come back with uma_protection. */
  private async obtain(site: Site, scopeType: 'uma_protection' | undefined): Promise<CachedToken> {
    const discovery = await this.as.oidcDiscovery(configurationEndpoint(site));
    if (!discovery.token_endpoint) throw new TokenObtainError('no token_endpoint in discovery');
    const scope = scopeType ? `${scopeType} openid` : 'openid';
    const res = await this.as.clientCredentials(discovery.token_endpoint, site.clientId, site.clientSecret, scope);
    const body = res.json as { access_token?: unknown; expires_in?: unknown; scope?: unknown } | undefined;
    const token = body && typeof body.access_token === 'string' ? body.access_token : '';
    if (token.trim() === '') throw new TokenObtainError(`Failed to obtain PAT. (AS status ${res.status})`);
    // response.getScope().contains(...) is a substring test on the scope string.
    if (scopeType && !(typeof body?.scope === 'string' && body.scope.includes(scopeType))) {
      throw new TokenObtainError(`oxd requested scope ${scopeType} but AS returned access_token without that scope`);
    }
    const expiresIn = typeof body?.expires_in === 'number' ? body.expires_in : 0;
    return { token, createdAt: Date.now(), expiresIn };
  }
}
