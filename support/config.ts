// The suite's settings, named after the tutorial demo's own config.py
// (gg_admin_url, gg_proxy_url, oxd_host, ce_url, …) so GG users recognise
// them. Read from the environment, or from an env file named by UMA_ENV_FILE
// (the environment wins). Every problem is reported at once, in plain words.
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { parseEnvFile, type EnvFile } from './env-file';
import { isSecretKey, maskParams, printable, Secrets } from './mask';

export { parseEnvFile } from './env-file';

export type Target = 'sandbox' | 'external';
export type Provision = 'auto' | 'existing';

export interface SuiteConfig {
  target: Target;
  provision: Provision;
  /** Kong Admin API base URL. */
  ggAdminUrl: string;
  /** Kong proxy base URL. */
  ggProxyUrl: string;
  /** oxd-server base URL. */
  oxdUrl: string;
  /** Gluu Server (AS) base URL; with the suite's defaults, the issuer. */
  ceUrl: string;
  apiPath: string;
  hostWithClaims?: string;
  hostWithoutClaims?: string;
  /** The consumer (RqP) OP client; when absent the suite registers its own. */
  client?: { oxdId: string; clientId: string; clientSecret: string };
  claimsRedirectUrl: string;
  claimsScope: string;
  noPolicyScope: string;
  /**
   * What the operator says of the AS's umaGrantAccessIfNoPolicies (UMA_GRANT_ACCESS_IF_NO_POLICIES);
   * undefined: not said, the no-policy scenario learns it from the AS's answer and is skipped on a refusal.
   */
  grantAccessIfNoPolicies?: boolean;
  tlsInsecure: boolean;
  /** The demo API as Kong reaches it (auto provisioning). */
  upstreamUrl: string;
  /** An echo upstream reachable by Kong and by the suite (optional). */
  echoUpstreamUrl?: string;
  httpTimeoutMs: number;
  browser: { executablePath?: string; wsEndpoint?: string; timeoutMs: number };
  divergencesFile?: string;
  /** Another known-weaknesses ledger (security probes). */
  weaknessesFile?: string;
  /** Tutorial 2 (OpenID Connect + UMA PEP): the test user who logs in at the AS. */
  testUser?: { username: string; password: string };
  /** Tutorial 2, existing mode: the website as the browser reaches it through Kong (the route's host). */
  oidcUmaUrl?: string;
  /** Tutorial 2: the UMA scope carrying the policy (default with-claims). */
  oidcUmaScope: string;
  /** Tutorial 2: the demo website as Kong reaches it (auto provisioning). */
  websiteUpstreamUrl: string;
}

/** Settings whose values are secrets: never printed unmasked. */
export const SECRET_SETTINGS = ['CLIENT_SECRET', 'TEST_USER_PASSWORD'];

export const SETTINGS_HELP: Record<string, string> = {
  UMA_TARGET: 'sandbox (default: start the embedded sandbox) or external (use the URLs below)',
  UMA_PROVISION: 'auto (default: create and remove the Kong objects and OP clients) or existing (use the tutorial objects already configured)',
  UMA_ENV_FILE: 'a file of KEY=VALUE lines with any of these settings',
  GG_ADMIN_URL: 'Kong Admin API, e.g. http://gg.example.org:8001',
  GG_PROXY_URL: 'Kong proxy, e.g. http://gg.example.org:8000',
  OXD_HOST: 'oxd-server, e.g. https://gg.example.org:8443',
  CE_URL: 'Gluu Server, the AS issuer, e.g. https://idp.example.org',
  API_PATH: 'the protected request path, with or without the leading "/" (the tutorial demo\'s api_path has none; default /posts/1)',
  HOST_WITH_CLAIMS: 'Kong route host protected by the claims-gathering scope (existing: required)',
  HOST_WITHOUT_CLAIMS: 'Kong route host protected by a scope without policy (existing: optional)',
  CLIENT_OXD_ID: 'consumer OP client oxd_id (with CLIENT_ID and CLIENT_SECRET; absent: the suite registers its own client)',
  CLIENT_ID: 'consumer OP client client_id',
  CLIENT_SECRET: 'consumer OP client client_secret (secret)',
  CLAIMS_REDIRECT_URL: "the consumer client's registered claims redirect URI",
  UMA_CLAIMS_SCOPE: 'the UMA scope carrying the claims-gathering policy (default claim_gathering)',
  UMA_NO_POLICY_SCOPE: 'a UMA scope without policy (default non_claim_gathering)',
  UMA_GRANT_ACCESS_IF_NO_POLICIES:
    "the AS's umaGrantAccessIfNoPolicies (CES 4.2 ships false; the tutorial turns it on): true makes a refusal of the no-policy scope fail, false skips that scenario; unset, a refusal skips it with the reason",
  UMA_TLS_INSECURE: 'true to accept self-signed certificates (oxd and fresh Gluu installs use them)',
  UPSTREAM_URL: 'the demo API as Kong reaches it, for auto provisioning (default http://localhost:3000)',
  ECHO_UPSTREAM_URL: 'an echo upstream reachable by Kong and the suite (optional; enables the upstream-header scenarios)',
  TEST_USER_NAME: "tutorial 2: a test user's login name at the AS (with TEST_USER_PASSWORD; absent: the @oidc-uma scenarios are skipped)",
  TEST_USER_PASSWORD: "tutorial 2: the test user's password (secret)",
  OIDC_UMA_URL: "tutorial 2, existing: the website as the browser reaches it through Kong, e.g. https://dev1.gluu.org (the route's host)",
  OIDC_UMA_SCOPE: 'tutorial 2: the UMA scope carrying the claims-gathering policy (default with-claims)',
  WEBSITE_UPSTREAM_URL: 'tutorial 2: the demo website as Kong reaches it, for auto provisioning (default http://localhost:4400)',
  UMA_HTTP_TIMEOUT_MS: 'per-request timeout (default 10000)',
  UMA_BROWSER_PATH: 'Chromium executable (default: Playwright’s own browser, else /usr/bin/chromium)',
  UMA_BROWSER_WS: 'a Playwright browser server to connect to instead of launching one (ws://…)',
  UMA_BROWSER_TIMEOUT_MS: 'browser navigation timeout (default 15000)',
  UMA_DIVERGENCES_FILE: 'another known-divergences ledger (default support/known-divergences.json)',
  UMA_WEAKNESSES_FILE: 'another known-weaknesses ledger of the security probes (default support/known-weaknesses.json)',
  UMA_REPORTS_DIR: 'where reports go (default reports/); give concurrent runs from one checkout their own',
  UMA_DOCTOR_TIMEOUT_MS: 'per-check timeout of the preflight doctor (default 4000)',
  UMA_SANDBOX_ARGS: 'extra options for the embedded sandbox, e.g. "--fault policy-disabled" (self-verification)',
};

/**
 * The longest timeout a setting may give. A scenario's step may take at most
 * 60 s (support/hooks.ts, setDefaultTimeout), so a longer per-request or
 * navigation timeout could never fire: the step would fail first, saying
 * less. (Node's own timers stop at 2147483647 ms and throw beyond it.) The
 * doctor's probes are single requests of the same kind.
 */
export const MAX_TIMEOUT_MS = 60_000;

/** A timeout setting's problem, if it has one: a whole number of milliseconds from 1 to MAX_TIMEOUT_MS. */
export function timeoutProblem(key: string, value: string): string | undefined {
  const n = Number(value);
  if (/^\d+$/.test(value) && n >= 1 && n <= MAX_TIMEOUT_MS) return undefined;
  return `${key} must be a whole number of milliseconds from 1 to ${MAX_TIMEOUT_MS} (a scenario step may take at most 60 s), got "${value}"`;
}

/** "a problem", "3 problems": the count of configuration problems as every message words it. */
export function problemCount(n: number): string {
  return n === 1 ? 'a problem' : `${n} problems`;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`The configuration has ${problemCount(problems.length)}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/**
 * `startedIn`: where the user's shell was (npm's INIT_CWD). npm runs every
 * script in the project root, so a relative name is read from there, as
 * `npm run sandbox -- --write-env NAME` writes it there; when the two differ
 * the problem says so, for a name typed relative to the shell's folder.
 */
function readEnvFile(path: string, startedIn: string | undefined): EnvFile {
  let text: string;
  try {
    text = fs.readFileSync(path, 'utf8');
  } catch (err) {
    const resolved = nodePath.resolve(path);
    let shown = `"${path}"`;
    if (!nodePath.isAbsolute(path)) {
      const elsewhere = startedIn && nodePath.resolve(startedIn) !== process.cwd() ? `; a relative name is read from ${process.cwd()}, where npm runs the suite, not from ${startedIn}, where npm was started: give an absolute path` : '';
      shown = `"${path}" (resolved to ${resolved}${elsewhere})`;
    }
    return { values: {}, problems: [`UMA_ENV_FILE ${shown} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`], unparsed: [] };
  }
  return parseEnvFile(text, path);
}

/**
 * Every problem quotes input through the suite's masking (support/mask.ts):
 * the values of secret-named settings, whatever a rejected env-file line
 * held, secret-named URL parameters; and control characters escaped.
 */
function shownProblems(problems: string[], sources: Array<Record<string, string | undefined>>, unparsed: string[]): string[] {
  const secrets = new Secrets();
  for (const source of sources) {
    for (const [key, value] of Object.entries(source)) if (SECRET_SETTINGS.includes(key) || isSecretKey(key)) secrets.add(value?.trim());
  }
  for (const text of unparsed) secrets.add(text);
  return problems.map((p) => printable(maskParams(p, secrets)));
}

const SANDBOX_PLACEHOLDER = 'http://sandbox.invalid';

/** False while the sandbox's URLs are not known yet (before the launcher started it). */
export function endpointsKnown(config: SuiteConfig): boolean {
  return ![config.ggAdminUrl, config.ggProxyUrl, config.oxdUrl, config.ceUrl].includes(SANDBOX_PLACEHOLDER);
}

/** API_PATH as a request path: the tutorial demo's form (`posts/1`) gets its leading slash. */
export function normalApiPath(value: string): string {
  return value.startsWith('/') ? value : `/${value}`;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): SuiteConfig {
  const problems: string[] = [];
  const fileName = env.UMA_ENV_FILE;
  const fromFile: EnvFile = fileName ? readEnvFile(fileName, env.INIT_CWD) : { values: {}, problems: [], unparsed: [] };
  problems.push(...fromFile.problems);
  const get = (key: string): string | undefined => {
    const v = env[key] ?? fromFile.values[key];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };
  const known = new Set(Object.keys(SETTINGS_HELP));
  for (const key of Object.keys(fromFile.values)) {
    if (!known.has(key)) problems.push(`${fileName} sets ${key}, which is not a setting of this suite (known: ${[...known].join(', ')})`);
  }

  const oneOf = <T extends string>(key: string, allowed: readonly T[], fallback: T): T => {
    const v = get(key);
    if (v === undefined) return fallback;
    if ((allowed as readonly string[]).includes(v)) return v as T;
    problems.push(`${key} must be one of ${allowed.join(', ')}, got "${v}"`);
    return fallback;
  };
  const bool = (key: string, fallback: boolean): boolean => {
    const v = get(key);
    if (v === undefined) return fallback;
    if (/^(true|1|yes)$/i.test(v)) return true;
    if (/^(false|0|no)$/i.test(v)) return false;
    problems.push(`${key} must be true or false, got "${v}"`);
    return fallback;
  };
  const timeoutMs = (key: string, fallback: number): number => {
    const v = get(key);
    if (v === undefined) return fallback;
    const problem = timeoutProblem(key, v);
    if (!problem) return Number(v);
    problems.push(problem);
    return fallback;
  };
  const url = (key: string, required: boolean, schemes = ['http:', 'https:']): string | undefined => {
    const v = get(key);
    if (v === undefined) {
      if (required) problems.push(`${key} is required (${SETTINGS_HELP[key]})`);
      return undefined;
    }
    try {
      const u = new URL(v);
      if (!schemes.includes(u.protocol)) {
        problems.push(`${key} must be an ${schemes.map((s) => s.replace(':', '')).join(' or ')} URL, got "${v}"`);
        return undefined;
      }
    } catch {
      problems.push(`${key} is not a URL: "${v}"`);
      return undefined;
    }
    return v.replace(/\/+$/, '');
  };
  const host = (key: string): string | undefined => {
    const v = get(key);
    if (v !== undefined && !/^[A-Za-z0-9.-]+(:\d+)?$/.test(v)) {
      problems.push(`${key} must be a host name as in the Kong route's hosts (no scheme or path), got "${v}"`);
      return undefined;
    }
    return v;
  };

  const target = oneOf('UMA_TARGET', ['sandbox', 'external'] as const, 'sandbox');
  const provision = oneOf('UMA_PROVISION', ['auto', 'existing'] as const, 'auto');
  // Under the sandbox the launcher fills the URLs in once the sandbox is up.
  const urlsRequired = target === 'external';
  const ggAdminUrl = url('GG_ADMIN_URL', urlsRequired);
  const ggProxyUrl = url('GG_PROXY_URL', urlsRequired);
  const oxdUrl = url('OXD_HOST', urlsRequired);
  const ceUrl = url('CE_URL', urlsRequired);
  // The tutorial demo's config.py writes api_path without the slash (its client builds
  // `proxy + "/" + api_path`); the suite's env files write it with one. Both mean the same path.
  const apiPath = normalApiPath(get('API_PATH') ?? '/posts/1');
  if (/^\/\/|:\/\//.test(apiPath)) problems.push(`API_PATH must be a path such as /posts/1 (no scheme or host), got "${get('API_PATH')}"`);

  const hostWithClaims = host('HOST_WITH_CLAIMS');
  const hostWithoutClaims = host('HOST_WITHOUT_CLAIMS');
  const clientParts = { oxdId: get('CLIENT_OXD_ID'), clientId: get('CLIENT_ID'), clientSecret: get('CLIENT_SECRET') };
  const givenParts = Object.entries({ CLIENT_OXD_ID: clientParts.oxdId, CLIENT_ID: clientParts.clientId, CLIENT_SECRET: clientParts.clientSecret });
  const given = givenParts.filter(([, v]) => v !== undefined).map(([k]) => k);
  let client: SuiteConfig['client'];
  if (given.length === 3) client = clientParts as SuiteConfig['client'];
  else if (given.length > 0) {
    const missing = givenParts.filter(([, v]) => v === undefined).map(([k]) => k);
    problems.push(`the consumer OP client needs CLIENT_OXD_ID, CLIENT_ID and CLIENT_SECRET together; ${given.join(', ')} ${given.length === 1 ? 'is' : 'are'} set but ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not`);
  }
  const claimsRedirectUrl = url('CLAIMS_REDIRECT_URL', false) ?? 'https://rqp.conformance.invalid/claims-cb';

  // Tutorial 2's settings: the test user's login comes as a pair; OIDC_UMA_URL is an origin (the route's host).
  const testUserName = get('TEST_USER_NAME');
  const testUserPassword = env.TEST_USER_PASSWORD ?? fromFile.values.TEST_USER_PASSWORD;
  let testUser: SuiteConfig['testUser'];
  if (testUserName !== undefined && testUserPassword !== undefined && testUserPassword !== '') testUser = { username: testUserName, password: testUserPassword };
  else if (testUserName !== undefined || (testUserPassword !== undefined && testUserPassword !== '')) {
    problems.push(`the test user needs TEST_USER_NAME and TEST_USER_PASSWORD together; ${testUserName !== undefined ? 'TEST_USER_NAME is set but TEST_USER_PASSWORD is not' : 'TEST_USER_PASSWORD is set but TEST_USER_NAME is not'}`);
  }
  const oidcUmaUrl = url('OIDC_UMA_URL', false);
  if (oidcUmaUrl !== undefined) {
    const u = new URL(oidcUmaUrl);
    if (u.pathname !== '/' || u.search || u.hash) problems.push(`OIDC_UMA_URL must be the website's origin as the browser reaches it (scheme, host and port only, e.g. https://dev1.gluu.org), got "${oidcUmaUrl}"`);
  }
  const oidcUmaScope = get('OIDC_UMA_SCOPE') ?? 'with-claims';
  if (/\s/.test(oidcUmaScope)) problems.push(`OIDC_UMA_SCOPE must be one scope name without spaces, got "${oidcUmaScope}"`);

  // An existing environment with only the second tutorial (OIDC_UMA_URL and none of the first
  // tutorial's objects) is valid: the first tutorial's scenarios are then skipped (support/hooks.ts).
  const secondTutorialOnly = oidcUmaUrl !== undefined && !hostWithClaims && given.length === 0 && !get('CLAIMS_REDIRECT_URL');
  if (provision === 'existing' && !secondTutorialOnly) {
    if (!hostWithClaims) problems.push('UMA_PROVISION=existing needs HOST_WITH_CLAIMS, the host of the Kong route the tutorial protects with the claims-gathering scope');
    if (!client) problems.push('UMA_PROVISION=existing needs the consumer OP client (CLIENT_OXD_ID, CLIENT_ID, CLIENT_SECRET) whose Kong consumer already exists');
    if (!get('CLAIMS_REDIRECT_URL')) problems.push("UMA_PROVISION=existing needs CLAIMS_REDIRECT_URL, the claims redirect URI registered on the consumer OP client");
  }
  if (target === 'sandbox' && provision === 'existing') {
    problems.push('UMA_PROVISION=existing uses objects already configured in Kong, which a fresh sandbox does not have: start `npm run sandbox -- --preset tutorial --write-env sandbox.env` and run with UMA_ENV_FILE=sandbox.env (it sets UMA_TARGET=external)');
  }

  const config: SuiteConfig = {
    target,
    provision,
    ggAdminUrl: ggAdminUrl ?? SANDBOX_PLACEHOLDER,
    ggProxyUrl: ggProxyUrl ?? SANDBOX_PLACEHOLDER,
    oxdUrl: oxdUrl ?? SANDBOX_PLACEHOLDER,
    ceUrl: ceUrl ?? SANDBOX_PLACEHOLDER,
    apiPath,
    hostWithClaims,
    hostWithoutClaims,
    client,
    claimsRedirectUrl,
    claimsScope: get('UMA_CLAIMS_SCOPE') ?? 'claim_gathering',
    noPolicyScope: get('UMA_NO_POLICY_SCOPE') ?? 'non_claim_gathering',
    grantAccessIfNoPolicies: get('UMA_GRANT_ACCESS_IF_NO_POLICIES') === undefined ? undefined : bool('UMA_GRANT_ACCESS_IF_NO_POLICIES', false),
    tlsInsecure: bool('UMA_TLS_INSECURE', target === 'sandbox'),
    upstreamUrl: url('UPSTREAM_URL', false) ?? 'http://localhost:3000',
    echoUpstreamUrl: url('ECHO_UPSTREAM_URL', false),
    httpTimeoutMs: timeoutMs('UMA_HTTP_TIMEOUT_MS', 10_000),
    browser: {
      executablePath: get('UMA_BROWSER_PATH'),
      wsEndpoint: url('UMA_BROWSER_WS', false, ['ws:', 'wss:']),
      timeoutMs: timeoutMs('UMA_BROWSER_TIMEOUT_MS', 15_000),
    },
    divergencesFile: get('UMA_DIVERGENCES_FILE'),
    weaknessesFile: get('UMA_WEAKNESSES_FILE'),
    testUser,
    oidcUmaUrl,
    oidcUmaScope,
    websiteUpstreamUrl: url('WEBSITE_UPSTREAM_URL', false) ?? 'http://localhost:4400',
  };
  if (config.browser.executablePath && !fs.existsSync(config.browser.executablePath)) {
    problems.push(`UMA_BROWSER_PATH "${config.browser.executablePath}" does not exist`);
  }
  if (problems.length) throw new ConfigError(shownProblems(problems, [env, fromFile.values], fromFile.unparsed));
  return config;
}
