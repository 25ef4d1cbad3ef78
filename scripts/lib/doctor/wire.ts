// The answers the doctor reads, as the reference describes them. Only the
// members the doctor looks at; everything else is ignored.

/** `GET {GG_ADMIN_URL}/` (Kong 2.x node information). */
export interface KongRootInfo {
  version?: unknown;
  tagline?: unknown;
  /** Kong 2.x: a map name → true; older Kong: an array of names. */
  plugins?: { available_on_server?: unknown };
}

/** Kong's generic error body, e.g. the proxy's 404 `no Route matched with those values` (gateway.md §6.3 R16). */
export interface KongMessage {
  message?: unknown;
}

/** `GET {OXD_HOST}/health-check` (oxd.md §4.1). */
export interface OxdHealth {
  status?: unknown;
  version?: unknown;
  application?: unknown;
}

/** oxd's own error body (oxd.md §2.2). */
export interface OxdErrorBody {
  error?: unknown;
  error_description?: unknown;
}

/** `POST {OXD_HOST}/get-client-token` 200 (oxd.md §4.4). */
export interface OxdClientToken {
  access_token?: unknown;
  expires_in?: unknown;
  scope?: unknown;
}

/** `GET {CE_URL}/.well-known/uma2-configuration` (oxauth.md §2): the members the suite relies on. */
export interface UmaDiscovery {
  issuer?: unknown;
  token_endpoint?: unknown;
  claims_interaction_endpoint?: unknown;
  scope_endpoint?: unknown;
}

/** `GET {AS}/oxauth/restv1/uma/scopes/{id}` 200 (oxauth.md §10). */
export interface UmaScopeDescription {
  name?: unknown;
}

/** oxAuth's JSON error body (oxauth.md §3.6, §4). */
export interface OAuthErrorBody {
  error?: unknown;
  error_description?: unknown;
}

/** `GET {GG_ADMIN_URL}/consumers?custom_id=…` (gateway.md §4). */
export interface KongConsumerList {
  data?: unknown;
  next?: unknown;
}

export interface KongConsumerEntity {
  id?: unknown;
  username?: unknown;
  custom_id?: unknown;
}

/** A Kong list answer (`GET /routes`, `/routes/{id}/plugins`, …). */
export interface KongList {
  data?: unknown;
  next?: unknown;
}

/** `GET {GG_ADMIN_URL}/routes` entries: the members the second tutorial's probe reads. */
export interface KongRouteEntity {
  id?: unknown;
  hosts?: unknown;
  service?: unknown;
}

/** Plugin entries of a route or service. */
export interface KongPluginEntity {
  name?: unknown;
  enabled?: unknown;
  config?: unknown;
}
