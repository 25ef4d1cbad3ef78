// Runs every check: the endpoint probes all at once, each prerequisite probe
// as soon as the probes it depends on are done (so a dead component gives one
// FAIL, not several). Every probe has a hard deadline; whatever goes wrong in
// a probe becomes a row of the report, never an exception.
import { endpointsKnown, type SuiteConfig } from '../../../support/config';
import { EnvironmentError } from '../../../support/http';
import { Secrets } from '../../../support/mask';
import { maskDetail } from './masking';
import { networkAdvice } from './network-advice';
import { probeContext, type DiscoveredEndpoints, type ProbeContext } from './probe-context';
import { probeDiscovery, probeEchoUpstream, probeKongAdmin, probeKongProxy, probeOxd, type DiscoveryOutcome } from './probes-endpoints';
import { probeClaimsRedirectUri, probeClaimsScope, probeClientToken, probeKongConsumer, probeProtectedRoute } from './probes-prerequisites';
import { probeOidcUmaLogin, probeOidcUmaPlugins, probeOidcUmaScope } from './probes-oidc-uma';
import { fail, skip, summaryLine, type CheckId, type CheckResult, type DoctorReport, type ProbeOutcome } from './report';

export const DEFAULT_DOCTOR_TIMEOUT_MS = 4000;

export interface DoctorOptions {
  /** Per-probe timeout (default 4000 ms, UMA_DOCTOR_TIMEOUT_MS in the CLI). */
  timeoutMs?: number;
  /** Secrets to mask besides CLIENT_SECRET and the tokens the doctor receives. */
  secrets?: Secrets;
}

interface CheckSpec {
  id: CheckId;
  name: string;
  setting: string;
  /** The setting naming the endpoint the probe calls, and its URL (for the network advice). */
  endpoint: 'GG_ADMIN_URL' | 'GG_PROXY_URL' | 'OXD_HOST' | 'CE_URL' | 'ECHO_UPSTREAM_URL' | 'OIDC_UMA_URL';
}

/** Each endpoint's name (as in probe-context's HttpClients) and URL. */
const ENDPOINTS: Record<CheckSpec['endpoint'], { name: string; url: (c: SuiteConfig) => string }> = {
  GG_ADMIN_URL: { name: 'Kong Admin API', url: (c) => c.ggAdminUrl },
  GG_PROXY_URL: { name: 'Kong proxy', url: (c) => c.ggProxyUrl },
  OXD_HOST: { name: 'oxd-server', url: (c) => c.oxdUrl },
  CE_URL: { name: 'Gluu Server (AS)', url: (c) => c.ceUrl },
  ECHO_UPSTREAM_URL: { name: 'Echo upstream', url: (c) => c.echoUpstreamUrl ?? '' },
  OIDC_UMA_URL: { name: 'Kong proxy', url: (c) => c.oidcUmaUrl ?? '' },
};

const SPECS: Record<CheckId, CheckSpec> = {
  'kong-admin': { id: 'kong-admin', name: 'Kong Admin API', setting: 'GG_ADMIN_URL', endpoint: 'GG_ADMIN_URL' },
  'kong-proxy': { id: 'kong-proxy', name: 'Kong proxy', setting: 'GG_PROXY_URL', endpoint: 'GG_PROXY_URL' },
  oxd: { id: 'oxd', name: 'oxd-server', setting: 'OXD_HOST', endpoint: 'OXD_HOST' },
  'as-discovery': { id: 'as-discovery', name: 'AS discovery', setting: 'CE_URL', endpoint: 'CE_URL' },
  'claims-scope': { id: 'claims-scope', name: 'Claims-gathering scope', setting: 'UMA_CLAIMS_SCOPE', endpoint: 'CE_URL' },
  'client-token': { id: 'client-token', name: 'Consumer OP client', setting: 'CLIENT_ID/CLIENT_SECRET', endpoint: 'OXD_HOST' },
  'kong-consumer': { id: 'kong-consumer', name: 'Kong consumer', setting: 'CLIENT_ID', endpoint: 'GG_ADMIN_URL' },
  'claims-redirect-uri': { id: 'claims-redirect-uri', name: 'Claims redirect URI', setting: 'CLAIMS_REDIRECT_URL', endpoint: 'CE_URL' },
  'protected-route': { id: 'protected-route', name: 'Protected route', setting: 'HOST_WITH_CLAIMS', endpoint: 'GG_PROXY_URL' },
  'echo-upstream': { id: 'echo-upstream', name: 'Echo upstream', setting: 'ECHO_UPSTREAM_URL', endpoint: 'ECHO_UPSTREAM_URL' },
  'oidc-uma-scope': { id: 'oidc-uma-scope', name: 'Tutorial 2 scope', setting: 'OIDC_UMA_SCOPE', endpoint: 'CE_URL' },
  'oidc-uma-plugins': { id: 'oidc-uma-plugins', name: 'Tutorial 2 route and plugins', setting: 'OIDC_UMA_URL', endpoint: 'GG_ADMIN_URL' },
  'oidc-uma-login': { id: 'oidc-uma-login', name: 'Tutorial 2 test user login', setting: 'OIDC_UMA_URL', endpoint: 'OIDC_UMA_URL' },
};

class DeadlineExceeded extends Error {}

/** The probe's own outcome, or a FAIL once `ms` have passed (a trickling server cannot hold the run). */
function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceeded()), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

function origin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

/** Runs one probe and turns its outcome, or whatever it threw, into a report row. */
async function runCheck<T extends ProbeOutcome>(ctx: ProbeContext, spec: CheckSpec, probe: () => Promise<T>, deadlineMs = ctx.timeoutMs): Promise<{ row: CheckResult; outcome: T | ProbeOutcome }> {
  const started = performance.now();
  const endpoint = ENDPOINTS[spec.endpoint];
  const url = endpoint.url(ctx.config);
  let outcome: T | ProbeOutcome;
  try {
    outcome = await withDeadline(probe(), deadlineMs);
  } catch (err) {
    if (err instanceof EnvironmentError) outcome = fail(err.message, networkAdvice(err.message, spec.endpoint, url));
    else if (err instanceof DeadlineExceeded) {
      const message = `${endpoint.name} at ${origin(url)} did not answer in time: no answer within ${deadlineMs} ms`;
      outcome = fail(message, networkAdvice(message, spec.endpoint, url));
    } else outcome = fail(`the check could not run: ${err instanceof Error ? err.message : String(err)}`, `Check ${spec.setting}.`);
  }
  const row: CheckResult = {
    id: spec.id,
    name: spec.name,
    setting: spec.setting,
    status: outcome.status,
    detail: maskDetail(outcome.detail, ctx.secrets),
    fix: outcome.fix === undefined ? undefined : maskDetail(outcome.fix, ctx.secrets),
    durationMs: Math.round(performance.now() - started),
  };
  return { row, outcome };
}

function skipped(spec: CheckSpec, detail: string): CheckResult {
  return { id: spec.id, name: spec.name, setting: spec.setting, ...skip(detail), durationMs: 0 };
}

/** Runs `probe` once every prerequisite passed (OK or WARN); otherwise a SKIP row naming the one that did not. */
async function after<T extends ProbeOutcome>(
  ctx: ProbeContext,
  spec: CheckSpec,
  prerequisites: Array<Promise<{ row: CheckResult }>>,
  probe: () => Promise<T>,
  deadlineMs?: number,
): Promise<{ row: CheckResult }> {
  const rows = (await Promise.all(prerequisites)).map((p) => p.row);
  const blocked = rows.find((r) => r.status === 'FAIL' || r.status === 'SKIP');
  if (blocked) return { row: skipped(spec, `not checked: ${blocked.name} (${blocked.setting}) did not pass`) };
  return runCheck(ctx, spec, probe, deadlineMs);
}

/** The second tutorial's rows: what it needs when TEST_USER_* (and, existing, OIDC_UMA_URL) are set. */
function oidcUmaChecks(
  ctx: ProbeContext,
  probes: Record<'admin' | 'discovery', Promise<{ row: CheckResult }>>,
  discovered: Promise<DiscoveredEndpoints>,
): Array<Promise<{ row: CheckResult }> | { row: CheckResult }> {
  const config = ctx.config;
  if (!config.testUser) {
    const why = 'not configured: without TEST_USER_NAME and TEST_USER_PASSWORD the @oidc-uma scenarios are skipped';
    return [{ row: skipped(SPECS['oidc-uma-scope'], why) }, { row: skipped(SPECS['oidc-uma-plugins'], why) }, { row: skipped(SPECS['oidc-uma-login'], why) }];
  }
  const scope = after(ctx, SPECS['oidc-uma-scope'], [probes.discovery], async () => probeOidcUmaScope(ctx, await discovered));
  if (config.provision !== 'existing' || !config.oidcUmaUrl) {
    const why = config.provision === 'existing' ? 'not configured: without OIDC_UMA_URL the @oidc-uma scenarios are skipped' : 'not needed: with UMA_PROVISION=auto the suite creates its own route, plugins and OP client; the test user\'s login is tested by the @oidc-uma scenarios';
    return [scope, { row: skipped(SPECS['oidc-uma-plugins'], why) }, { row: skipped(SPECS['oidc-uma-login'], why) }];
  }
  return [
    scope,
    after(ctx, SPECS['oidc-uma-plugins'], [probes.admin], () => probeOidcUmaPlugins(ctx)),
    // The test user's login runs in a browser: its start and pages get the browser's own time on top.
    after(ctx, SPECS['oidc-uma-login'], [probes.discovery], () => probeOidcUmaLogin(ctx), ctx.timeoutMs + config.browser.timeoutMs),
  ];
}

function report(checks: CheckResult[], timeoutMs: number, startedAt: number, configProblems?: string[]): DoctorReport {
  const failed = Boolean(configProblems?.length) || checks.some((c) => c.status === 'FAIL');
  return { checks, timeoutMs, configProblems, exitCode: failed ? 2 : 0, summary: summaryLine(checks, configProblems), startedAt, finishedAt: Date.now() };
}

/** A report for configuration problems found before any probe could run (exit 2). */
export function configProblemReport(problems: string[], timeoutMs = DEFAULT_DOCTOR_TIMEOUT_MS): DoctorReport {
  return report([], timeoutMs, Date.now(), problems);
}

/** Checks the environment `config` describes. Never throws for what it finds; exitCode 2 when anything failed. */
export async function runDoctor(config: SuiteConfig, options: DoctorOptions = {}): Promise<DoctorReport> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_DOCTOR_TIMEOUT_MS;
  const startedAt = Date.now();
  if (!endpointsKnown(config)) {
    return report([], timeoutMs, startedAt, ['the sandbox URLs are not known yet: start the sandbox first and pass the configuration loaded with its URLs (sandboxEnv)']);
  }
  const secrets = options.secrets ?? new Secrets();
  secrets.add(config.client?.clientSecret);
  secrets.add(config.testUser?.password);
  const ctx = probeContext(config, timeoutMs, secrets);

  const admin = runCheck(ctx, SPECS['kong-admin'], () => probeKongAdmin(ctx));
  const proxy = runCheck(ctx, SPECS['kong-proxy'], () => probeKongProxy(ctx));
  const oxd = runCheck(ctx, SPECS.oxd, () => probeOxd(ctx));
  const discovery = runCheck<DiscoveryOutcome>(ctx, SPECS['as-discovery'], () => probeDiscovery(ctx));
  // Read only by probes that run after discovery passed, so the endpoints are there.
  const discovered = discovery.then((d) => (d.outcome as DiscoveryOutcome).endpoints as DiscoveredEndpoints);

  const client = config.client;
  const noClient = 'not needed: CLIENT_* not set, the suite registers its own consumer OP client';
  const checks = await Promise.all([
    admin,
    proxy,
    oxd,
    discovery,
    after(ctx, SPECS['claims-scope'], [discovery], async () => probeClaimsScope(ctx, await discovered)),
    client ? after(ctx, SPECS['client-token'], [oxd, discovery], () => probeClientToken(ctx)) : { row: skipped(SPECS['client-token'], noClient) },
    client ? after(ctx, SPECS['kong-consumer'], [admin], () => probeKongConsumer(ctx)) : { row: skipped(SPECS['kong-consumer'], noClient) },
    client ? after(ctx, SPECS['claims-redirect-uri'], [discovery], async () => probeClaimsRedirectUri(ctx, await discovered)) : { row: skipped(SPECS['claims-redirect-uri'], noClient) },
    config.provision === 'existing' && config.hostWithClaims
      ? after(ctx, SPECS['protected-route'], [proxy], () => probeProtectedRoute(ctx))
      : { row: skipped(SPECS['protected-route'], 'not needed: with UMA_PROVISION=auto the suite creates its own routes') },
    config.echoUpstreamUrl
      ? runCheck(ctx, SPECS['echo-upstream'], () => probeEchoUpstream(ctx))
      : { row: skipped(SPECS['echo-upstream'], 'not configured: the scenarios that look at what reaches the API are skipped') },
    ...oidcUmaChecks(ctx, { admin, discovery }, discovered),
  ]);
  return report(checks.map((c) => c.row), timeoutMs, startedAt);
}
