// What the OIDC tests share: the site the GG UI registers for the
// "Gluu OIDC & UMA PEP" form (oidc-uma.md §1.4 step 2), its protection
// token, GG's get-authorization-url call (§2 F1) and a code for that
// authorization request from the fake AS (the browser part, F2–F4).
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import type { CodeScript } from '../doubles/fake-oidc-op';
import { bearer, OxdHarness, type Site } from './harness';

export const GG = 'https://gg.example.org';
export const GG_SCOPES = ['openid', 'oxd', 'email', 'profile', 'uma_protection'];

/** The register-site body of ClientsController.addOPClient (oidc-uma.md §1.4 step 2). */
export function ggRegisterSiteBody(h: OxdHarness, host = GG): Record<string, unknown> {
  return {
    op_host: h.fake.url,
    oxd_url: 'https://localhost:8443',
    redirect_uris: [`${host}/callback`],
    client_name: 'gg-openid-connect-client',
    post_logout_redirect_uris: [`${host}/logout_redirect_uri`],
    scope: GG_SCOPES,
    acr_values: [],
    grant_types: ['client_credentials', 'authorization_code', 'refresh_token'],
    claims_redirect_uri: [`${host}/claims_callback`],
  };
}

export interface GgSite {
  site: Site;
  token: string;
  headers: Record<string, string>;
}

export async function ggSite(h: OxdHarness, extra: Record<string, unknown> = {}): Promise<GgSite> {
  const r = await h.post('/register-site', { ...ggRegisterSiteBody(h), ...extra });
  assert.equal(r.status, 200, r.text);
  const site = r.json as Site;
  const token = await h.clientToken(site);
  return { site, token, headers: bearer(token) };
}

/**
 * A describe block's oxd (on its own fake AS) and GG's site, made before its
 * tests and closed after them; `set` hands both to the block's variables.
 */
export function withGgSite(set: (s: { h: OxdHarness; g: GgSite }) => void, options: Parameters<typeof OxdHarness.start>[0] = {}): void {
  let h: OxdHarness | undefined;
  before(async () => {
    h = await OxdHarness.start(options);
    set({ h, g: await ggSite(h) });
  });
  after(() => h?.close());
}

export interface Authorization {
  /** The authorization_url as oxd wrote it. */
  raw: string;
  url: URL;
  state: string;
  nonce: string;
}

/** GG's get-authorization-url call (access.lua authorize, no prompt, no acrs). */
export async function authorize(h: OxdHarness, g: GgSite, extra: Record<string, unknown> = {}): Promise<Authorization> {
  const r = await h.post('/get-authorization-url', { oxd_id: g.site.oxd_id, scope: GG_SCOPES, params: { max_age: 3600 }, ...extra }, g.headers);
  assert.equal(r.status, 200, r.text);
  const raw = (r.json as { authorization_url: string }).authorization_url;
  const url = new URL(raw);
  return { raw, url, state: url.searchParams.get('state') ?? '', nonce: url.searchParams.get('nonce') ?? '' };
}

/** A code the AS hands back for that authorization request (login + consent done). */
export function codeFor(h: OxdHarness, g: GgSite, nonce: string, script: CodeScript = {}): string {
  return h.fake.oidc.issueCode({ clientId: g.site.client_id, clientSecret: g.site.client_secret }, `${GG}/callback`, nonce, script);
}

export const oxdError = (error: string, error_description: string) => ({ error, error_description });

/** A whole login: the authorization URL, a code for its nonce, then GG's get-tokens-by-code with its state. */
export async function logIn(h: OxdHarness, g: GgSite, script: CodeScript = {}) {
  const a = await authorize(h, g);
  const code = codeFor(h, g, a.nonce, script);
  const r = await h.post('/get-tokens-by-code', { oxd_id: g.site.oxd_id, code, state: a.state }, g.headers);
  return { r, a, code };
}
