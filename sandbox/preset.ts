// `--preset tutorial`: the Resource Owner's manual steps of the tutorial
// (reference README "Setup sequence"), made over HTTP against the running
// stack exactly as the GG Admin UI makes them, so that "existing
// environment" runs of the suite can be tried against the sandbox.
import type { StackUrls } from './component';
import { postJson } from './lib/http-client';
import { applyOidcUmaPreset } from './preset-oidc-uma';
import { ok, protectResources, stackEnv, type PresetResult, type PresetStep } from './preset-calls';

export const TUTORIAL = {
  serviceName: 'claim-gathering',
  hostWithClaims: 'gathering.example.com',
  hostWithoutClaims: 'non-gathering.example.com',
  claimsScope: 'claim_gathering',
  noPolicyScope: 'non_claim_gathering',
  path: '/posts/??',
  apiPath: '/posts/1',
  claimsRedirectUrl: 'https://rqp.example.com/cgi-bin/index.py',
};

export interface PresetOptions {
  /** The consumer client's claims redirect URI (`--claims-redirect-uri`); the tutorial's placeholder when absent. */
  claimsRedirectUri?: string;
}

/**
 * What the console says about the consumer client's claims redirect URI: the
 * value, whether it is the tutorial's placeholder, and how to change it later
 * (oxd update-site, a JSON list: oxd 4.2 refuses the tutorial's string form).
 */
export function claimsRedirectLines(uri: string, fromCommandLine: boolean, oxdUrl: string, oxdId: string): string[] {
  const origin = fromCommandLine ? 'from --claims-redirect-uri' : "the tutorial's placeholder; set yours with --claims-redirect-uri URL";
  const body = JSON.stringify({ oxd_id: oxdId, claims_redirect_uri: ['<URL>'] });
  return [
    `  claims redirect URI of consumer_op_client: ${uri} (${origin})`,
    `    change it later with oxd update-site (a JSON list; oxd 4.2 checks no token), then set CLAIMS_REDIRECT_URL to it:`,
    `    curl -k -X POST ${oxdUrl}/update-site -H 'Content-Type: application/json' -d '${body}'`,
  ];
}

const str = (v: unknown): string => String(v);

function scopeExpression(scope: string): Array<Record<string, unknown>> {
  return [
    {
      path: TUTORIAL.path,
      conditions: [{ httpMethods: ['GET'], scope_expression: { rule: { and: [{ var: 0 }] }, data: [scope] } }],
    },
  ];
}

/** Register a plugin OP client, protect the path with `scope`, return the plugin config. */
async function protectWith(steps: PresetStep[], urls: StackUrls, scope: string, clientName: string): Promise<Record<string, string>> {
  const site = await ok(
    steps,
    `register-site ${clientName}`,
    postJson(`${urls.oxd}/register-site`, {
      op_host: urls.oxauth,
      redirect_uris: ['https://client.example.com/cb'],
      scope: ['openid', 'oxd', 'uma_protection'],
      grant_types: ['client_credentials'],
      client_name: clientName,
    }),
  );
  await protectResources(steps, urls.oxd, urls.oxauth, { oxd_id: str(site.oxd_id), client_id: str(site.client_id), client_secret: str(site.client_secret) }, scopeExpression(scope));
  return {
    oxd_id: str(site.oxd_id),
    client_id: str(site.client_id),
    client_secret: str(site.client_secret),
    oxd_url: urls.oxd,
    op_url: urls.oxauth,
  };
}

async function addUmaPlugins(steps: PresetStep[], urls: StackUrls, scope: 'service' | 'route', id: string, client: Record<string, string>, anonymousId: string, umaScope: string) {
  const target = { [scope]: { id } };
  await ok(
    steps,
    'gluu-uma-auth plugin',
    postJson(`${urls.kongAdmin}/plugins`, { name: 'gluu-uma-auth', config: { ...client, anonymous: anonymousId, pass_credentials: 'pass' }, ...target }),
  );
  await ok(
    steps,
    'gluu-uma-pep plugin',
    postJson(`${urls.kongAdmin}/plugins`, {
      name: 'gluu-uma-pep',
      config: { ...client, deny_by_default: true, uma_scope_expression: JSON.stringify(scopeExpression(umaScope)) },
      ...target,
    }),
  );
}

export async function applyTutorialPreset(urls: StackUrls, steps: PresetStep[] = [], options: PresetOptions = {}): Promise<PresetResult> {
  const claimsRedirectUri = options.claimsRedirectUri ?? TUTORIAL.claimsRedirectUrl;
  const withClaims = await protectWith(steps, urls, TUTORIAL.claimsScope, 'gg-uma-client');
  const withoutClaims = await protectWith(steps, urls, TUTORIAL.noPolicyScope, 'gg-uma-client-no-claims');

  const service = await ok(steps, 'service', postJson(`${urls.kongAdmin}/services`, { name: TUTORIAL.serviceName, url: urls.upstream }));
  await ok(steps, 'route', postJson(`${urls.kongAdmin}/routes`, { name: TUTORIAL.serviceName, hosts: [TUTORIAL.hostWithClaims], service: { id: service.id } }));
  const noClaimsRoute = await ok(
    steps,
    'no-claims route',
    postJson(`${urls.kongAdmin}/routes`, { name: 'non-claim-gathering', hosts: [TUTORIAL.hostWithoutClaims], service: { id: service.id } }),
  );
  const anonymous = await ok(steps, 'anonymous consumer', postJson(`${urls.kongAdmin}/consumers`, { username: 'anonymous', custom_id: 'anonymous' }));

  await addUmaPlugins(steps, urls, 'service', str(service.id), withClaims, str(anonymous.id), TUTORIAL.claimsScope);
  // The no-claims host protects the same path with a scope that has no policy;
  // route plugins take precedence over the service's (Kong plugin precedence).
  await addUmaPlugins(steps, urls, 'route', str(noClaimsRoute.id), withoutClaims, str(anonymous.id), TUTORIAL.noPolicyScope);

  const consumerClient = await ok(
    steps,
    'consumer OP client',
    postJson(`${urls.oxd}/register-site`, {
      op_host: urls.oxauth,
      redirect_uris: [claimsRedirectUri],
      claims_redirect_uri: [claimsRedirectUri],
      scope: ['openid', 'oxd', 'uma_protection'],
      grant_types: ['client_credentials', 'urn:ietf:params:oauth:grant-type:uma-ticket'],
      client_name: 'consumer_op_client',
    }),
  );
  await ok(steps, 'consumer', postJson(`${urls.kongAdmin}/consumers`, { username: 'consumer_op_client', custom_id: consumerClient.client_id }));

  return {
    env: {
      ...stackEnv(urls, 'existing'),
      API_PATH: TUTORIAL.apiPath,
      HOST_WITH_CLAIMS: TUTORIAL.hostWithClaims,
      HOST_WITHOUT_CLAIMS: TUTORIAL.hostWithoutClaims,
      CLIENT_OXD_ID: str(consumerClient.oxd_id),
      CLIENT_ID: str(consumerClient.client_id),
      CLIENT_SECRET: str(consumerClient.client_secret),
      CLAIMS_REDIRECT_URL: claimsRedirectUri,
      UMA_CLAIMS_SCOPE: TUTORIAL.claimsScope,
    },
    secretKeys: ['CLIENT_SECRET'],
  };
}

/** The settings of an external run with auto provisioning against this stack. */
export function autoProvisionEnv(urls: StackUrls): Record<string, string> {
  return stackEnv(urls, 'auto');
}

export const PRESETS = ['tutorial', 'oidc-uma'] as const;
export type PresetName = (typeof PRESETS)[number];

/**
 * Several presets in one stack: each makes its own objects (their names and
 * route hosts do not overlap); the settings are merged, later ones winning
 * for the keys both write (the same URLs).
 */
export async function applyPresets(urls: StackUrls, names: PresetName[], steps: PresetStep[] = [], options: PresetOptions = {}): Promise<PresetResult> {
  const merged: PresetResult = { env: {}, secretKeys: [] };
  for (const name of names) {
    const r = name === 'tutorial' ? await applyTutorialPreset(urls, steps, options) : await applyOidcUmaPreset(urls, steps);
    Object.assign(merged.env, r.env);
    merged.secretKeys.push(...r.secretKeys.filter((k) => !merged.secretKeys.includes(k)));
  }
  return merged;
}
