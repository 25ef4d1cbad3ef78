// What every oxAuth handler needs: the issuer and endpoint URLs (always
// built from ctx.urls.oxauth, never from the Host header), the state, the
// AS settings, the fault switches, the signing key and the installed scripts.
import type { Faults } from '../faults';
import type { AsSettings } from '../settings';
import type { ClaimsGatheringScript } from './claims-gathering-script';
import type { AsKeys } from './jwks';
import type { OidcStore } from './oidc-store';
import type { RptPolicyScript } from './policies';
import type { AsStore } from './store';

export interface Endpoints {
  issuer: string;
  base: string;
  authorization: string;
  token: string;
  revocation: string;
  userinfo: string;
  clientinfo: string;
  checkSessionIframe: string;
  endSession: string;
  jwks: string;
  registration: string;
  introspection: string;
  rptStatus: string;
  claimsInteraction: string;
  permission: string;
  resourceRegistration: string;
  scopes: string;
  /** The Faces pages live under {AS}/oxauth. */
  webContext: string;
}

export function endpoints(issuer: string): Endpoints {
  const base = `${issuer}/oxauth/restv1`;
  return {
    issuer,
    base,
    authorization: `${base}/authorize`,
    token: `${base}/token`,
    revocation: `${base}/revoke`,
    userinfo: `${base}/userinfo`,
    clientinfo: `${base}/clientinfo`,
    checkSessionIframe: `${issuer}/oxauth/opiframe.htm`,
    endSession: `${base}/end_session`,
    jwks: `${base}/jwks`,
    registration: `${base}/register`,
    introspection: `${base}/introspection`,
    rptStatus: `${base}/rpt/status`,
    claimsInteraction: `${base}/uma/gather_claims`,
    permission: `${base}/host/rsrc_pr`,
    resourceRegistration: `${base}/host/rsrc/resource_set`,
    scopes: `${base}/uma/scopes`,
    webContext: `${issuer}/oxauth`,
  };
}

export interface AsContext {
  urls: Endpoints;
  store: AsStore;
  /** OP sessions, user grants and tokens, consents. */
  oidc: OidcStore;
  settings: AsSettings;
  faults: Faults;
  keys: AsKeys;
  policyScripts: readonly RptPolicyScript[];
  gatheringScripts: readonly ClaimsGatheringScript[];
  log: (message: string) => void;
}

/** ExternalUmaClaimsGatheringService.getCustomScriptConfigurationByName: enabled scripts only. */
export function gatheringScript(as: AsContext, name: string | undefined): ClaimsGatheringScript | undefined {
  if (!name || !as.settings.enabledScripts.includes(name)) return undefined;
  return as.gatheringScripts.find((s) => s.name === name);
}

/** Masks a secret or token for the log: the first four characters only. */
export function mask(secret: string | undefined): string {
  if (!secret) return '""';
  return `${secret.slice(0, 4)}…(${secret.length})`;
}
