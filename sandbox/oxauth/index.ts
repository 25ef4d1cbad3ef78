// Gluu Server 4.2 oxAuth, the UMA 2.0 authorization server of the sandbox
// (reference: oxauth.md). Served over HTTPS by the stack at ctx.urls.oxauth,
// which is also the issuer every handed-out URL is built from.
import type { Component, ComponentContext } from '../component';
import { buildOxAuth, defaultDeps } from './server';
import type { AsKeys } from './jwks';

/** `keys`: the signing key made ahead (stack.ts makes it while the listeners bind); else one made now. */
export function createOxAuth(ctx: ComponentContext, keys?: AsKeys): Component {
  return buildOxAuth(ctx, defaultDeps(keys));
}
