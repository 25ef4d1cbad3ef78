// oxd-server 4.2 REST API (oxd.md, oidc-uma.md §3.10): the commands GG and the suite use,
// behind the Jersey/Dropwizard container behaviour, talking to the AS at
// ctx.urls.oxauth over HTTPS like the real server.
import type * as http from 'node:http';
import type { Component, ComponentContext } from '../component';
import { send } from '../lib/http';
import { AsClient } from './as-client';
import { AUTHORIZATION_URL_COMMANDS } from './commands/authorization-url';
import { LOGOUT_URI_COMMANDS } from './commands/logout-uri';
import { REFRESH_TOKEN_COMMANDS } from './commands/refresh-token';
import { SITE_COMMANDS } from './commands/site';
import { TOKEN_COMMANDS } from './commands/tokens';
import { TOKENS_BY_CODE_COMMANDS } from './commands/tokens-by-code';
import { UMA_RP_COMMANDS } from './commands/uma-rp';
import { UMA_RS_COMMANDS } from './commands/uma-rs';
import { UNSUPPORTED_POST_COMMANDS } from './commands/unsupported';
import { USER_INFO_COMMANDS } from './commands/user-info';
import { assertCallerAllowed } from './command-auth';
import { oxdConfigFromSettings, type OxdServerConfig } from './config';
import type { OxdDeps } from './deps';
import { containerErrorBody, jerseyMessage, OxdError } from './errors';
import { healthCheck } from './health';
import { jerseyHandler, type Resource } from './jersey';
import { errorOutcome, jsonOutcome, runCommand, unhandledOutcome, type CommandDef, type Outcome } from './processor';
import { SharedMapper } from './serialize';
import { SiteStore } from './site-store';
import { SiteTokens } from './site-tokens';
import { StateStore } from './state-store';
import { OpKeys } from './op-keys';

const COMMANDS: Record<string, CommandDef> = {
  ...SITE_COMMANDS,
  ...TOKEN_COMMANDS,
  ...REFRESH_TOKEN_COMMANDS,
  ...AUTHORIZATION_URL_COMMANDS,
  ...TOKENS_BY_CODE_COMMANDS,
  ...USER_INFO_COMMANDS,
  ...LOGOUT_URI_COMMANDS,
  ...UMA_RS_COMMANDS,
  ...UMA_RP_COMMANDS,
  ...UNSUPPORTED_POST_COMMANDS,
};

/** GET endpoints oxd has but the sandbox does not emulate: IP check, then unsupported_operation. */
const UNSUPPORTED_GET_PATHS = ['/get-rp-jwks', '/get-request-object/:request_object_id', '/initiate-third-party-login/:oxd_id'];

function writeOutcome(res: http.ServerResponse, outcome: Outcome): void {
  send(res, outcome.status, outcome.body, { 'Content-Type': outcome.contentType });
}

export function resourcesOf(deps: OxdDeps): Resource[] {
  const resources: Resource[] = [{ method: 'GET', path: '/health-check', consumesJson: false, handle: (req) => healthCheck(deps, req) }];
  for (const [path, def] of Object.entries(COMMANDS)) {
    resources.push({ method: 'POST', path, consumesJson: true, handle: (req) => runCommand(def, deps, req) });
  }
  for (const path of UNSUPPORTED_GET_PATHS) {
    resources.push({
      method: 'GET',
      path,
      consumesJson: false,
      handle: async (req) => {
        try {
          assertCallerAllowed(deps.config.bindIpAddresses, req.remoteAddress);
          throw new OxdError('UNSUPPORTED_OPERATION');
        } catch (err) {
          return errorOutcome(err, deps.log, deps.mapper);
        }
      },
    });
  }
  return resources;
}

/** oxd with explicit oxd-server.yml values (tests use it for knobs the sandbox settings do not carry). */
export function createOxdWithConfig(ctx: ComponentContext, config: OxdServerConfig): Component {
  const as = new AsClient();
  const deps: OxdDeps = {
    config,
    store: new SiteStore(),
    mapper: new SharedMapper(),
    as,
    tokens: new SiteTokens(as),
    states: new StateStore(config),
    opKeys: new OpKeys(as, config.publicOpKeyCacheExpirationInMinutes),
    faults: ctx.settings.faults,
    log: (m) => ctx.log('oxd', m),
  };
  return {
    name: 'oxd',
    handler: jerseyHandler(resourcesOf(deps)),
    bodyLimit: config.bodyLimit,
    // Jetty has no body limit; past the sandbox's limit, answer in the container's error shape (DEVIATIONS).
    onTooLarge: (res) => writeOutcome(res, jsonOutcome(413, containerErrorBody(413, jerseyMessage(413)))),
    onError: (res, err) => {
      deps.log(`unhandled: ${err instanceof Error ? err.message : String(err)}`);
      writeOutcome(res, unhandledOutcome());
    },
  };
}

export function createOxd(ctx: ComponentContext): Component {
  return createOxdWithConfig(ctx, oxdConfigFromSettings(ctx.settings));
}
