// UMA RPT policies (oxauth.md §6; UmaNeedsInfoService, UmaExpressionService,
// ExternalUmaRptPolicyService, Claims.java): the sample `uma_rpt_policy`
// script, which scopes carry which policies (ctx.settings.as.scopes), which
// scripts are enabled (ctx.settings.as.enabledScripts), where claim values
// come from, and how the per-scope results combine.
import type { Faults } from '../faults';
import type { ClaimSet } from './claim-set';
import { javaHashOrder, type JsonObject, type JsonValue } from './java-json';
import { jsonLogicTrue } from './json-logic';
import type { PermissionRecord, ResourceRecord, ScopeRecord } from './store';

/** org.gluu.model.uma.ClaimDefinition as the need_info answer serialises it. */
export interface ClaimDefinition extends JsonObject {
  issuer: string[];
  name: string;
  claim_token_format: string[];
  claim_type: string;
  friendly_name: string;
}

/**
 * Claims.java: a claim is looked up in the values scripts set, then the
 * top-level claims of the pushed claim token, then the PCT.
 */
export class Claims {
  private readonly scriptValues = new Map<string, JsonValue>();

  constructor(
    private readonly claimToken: JsonObject | undefined,
    private readonly pct: ClaimSet | undefined,
  ) {}

  get(key: string): JsonValue | undefined {
    return this.lookup(key)?.value;
  }

  /**
   * Claims.has: get(key) != null. A JSON null in the claim token is
   * org.json's JSONObject.NULL there, a real object (JwtClaimSet.load puts it
   * as parsed; hasClaim is getClaim != null): the claim counts as present, so
   * `{"country": null}` asks for no country (issue 14 item 6). A value a script
   * put as Java null does not count.
   */
  has(key: string): boolean {
    const found = this.lookup(key);
    return found !== undefined && (found.from === 'token' || (found.value !== undefined && found.value !== null));
  }

  private lookup(key: string): { value: JsonValue | undefined; from: 'script' | 'token' | 'pct' } | undefined {
    if (key.trim() === '') return undefined;
    if (this.scriptValues.has(key)) return { value: this.scriptValues.get(key), from: 'script' };
    if (this.claimToken && Object.prototype.hasOwnProperty.call(this.claimToken, key) && this.claimToken[key] !== undefined) return { value: this.claimToken[key], from: 'token' };
    if (this.pct?.has(key)) return { value: this.pct.get(key), from: 'pct' };
    return undefined;
  }

  put(key: string, value: JsonValue): void {
    this.scriptValues.set(key, value);
  }
}

/** java.net.URLEncoder.encode(value, "UTF-8"). */
export function javaUrlEncode(value: string): string {
  return encodeURIComponent(value)
    .replace(/[!'()~]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())
    .replace(/%20/g, '+');
}

/** RedirectParameters: a HashMap of HashSets, rendered as key=urlencoded(value)&… */
export class RedirectParameters {
  private readonly map = new Map<string, string[]>();

  add(name: string, value: string): void {
    const values = this.map.get(name) ?? [];
    if (!values.includes(value)) values.push(value);
    this.map.set(name, values);
  }

  buildQueryString(): string {
    const parts: string[] = [];
    for (const name of javaHashOrder([...this.map.keys()])) {
      if (name.trim() === '') continue;
      for (const value of javaHashOrder(this.map.get(name) ?? [])) {
        if (value.trim() !== '') parts.push(`${name}=${javaUrlEncode(value)}`);
      }
    }
    return parts.join('&');
  }
}

/** UmaAuthorizationContext: what a policy script sees. */
export class AuthorizationContext {
  readonly redirectUserParameters = new RedirectParameters();

  constructor(
    readonly issuer: string,
    readonly claims: Claims,
    readonly faults: Faults,
  ) {}

  getClaim(name: string): JsonValue | undefined {
    return this.claims.get(name);
  }

  addRedirectUserParam(name: string, value: string): void {
    this.redirectUserParameters.add(name, value);
  }
}

/** The uma_rpt_policy custom script type. */
export interface RptPolicyScript {
  name: string;
  getRequiredClaims(ctx: AuthorizationContext): ClaimDefinition[];
  authorize(ctx: AuthorizationContext): boolean;
  getClaimsGatheringScriptName(ctx: AuthorizationContext): string;
}

function sampleClaim(issuer: string, name: string): ClaimDefinition {
  return {
    issuer: [issuer],
    name,
    claim_token_format: ['http://openid.net/specs/openid-connect-core-1_0.html#IDToken'],
    claim_type: 'string',
    friendly_name: name,
  };
}

/** CES static/extension/uma_rpt_policy/uma_rpt_policy.py (inum 2DAF-F995). */
export const SAMPLE_RPT_POLICY: RptPolicyScript = {
  name: 'uma_rpt_policy',
  getRequiredClaims(ctx) {
    ctx.addRedirectUserParam('customUserParam1', 'value1');
    return [sampleClaim(ctx.issuer, 'country'), sampleClaim(ctx.issuer, 'city')];
  },
  authorize(ctx) {
    if (ctx.faults.on('policy-disabled')) return true;
    const country = ctx.getClaim('country');
    const city = ctx.getClaim('city');
    // Jython `==` between a Java String and 'US': exact, case-sensitive (oxauth.md §6).
    const is = (v: JsonValue | undefined, want: string) =>
      typeof v === 'string' && (ctx.faults.on('policy-case-insensitive') ? v.toUpperCase() === want.toUpperCase() : v === want);
    if (ctx.faults.on('policy-country-only')) return is(country, 'US');
    return is(country, 'US') && is(city, 'NY');
  },
  getClaimsGatheringScriptName(ctx) {
    ctx.addRedirectUserParam('customUserParam2', 'value2');
    return 'sampleClaimsGathering';
  },
};

export const RPT_POLICY_SCRIPTS: readonly RptPolicyScript[] = [SAMPLE_RPT_POLICY];

// ExternalUmaRptPolicyService: a script that throws counts as authorize=false,
// required claims [] and gathering script name "" (oxauth.md §6).
export function safeRequiredClaims(script: RptPolicyScript, ctx: AuthorizationContext): ClaimDefinition[] {
  try {
    return script.getRequiredClaims(ctx) ?? [];
  } catch {
    return [];
  }
}

export function safeAuthorize(script: RptPolicyScript, ctx: AuthorizationContext): boolean {
  try {
    return script.authorize(ctx) === true;
  } catch {
    return false;
  }
}

export function safeGatheringScriptName(script: RptPolicyScript, ctx: AuthorizationContext): string {
  try {
    return script.getClaimsGatheringScriptName(ctx) ?? '';
  } catch {
    return '';
  }
}

/** One (scope, enabled policy script) pair with its own context (UmaScriptByScope). */
export interface ScriptEntry {
  scope: ScopeRecord;
  script: RptPolicyScript;
  context: AuthorizationContext;
}

/** The enabled policy scripts attached to each scope, in scope order. Disabled or unknown ones are skipped. */
export function policyEntries(
  scopes: ScopeRecord[],
  enabledScripts: readonly string[],
  registry: readonly RptPolicyScript[],
  newContext: () => AuthorizationContext,
): ScriptEntry[] {
  const entries: ScriptEntry[] = [];
  for (const scope of scopes) {
    for (const name of scope.policies) {
      const script = enabledScripts.includes(name) ? registry.find((s) => s.name === name) : undefined;
      if (script) entries.push({ scope, script, context: newContext() });
    }
  }
  return entries;
}

function evaluateByScopes(entries: ScriptEntry[]): boolean {
  for (const e of entries) if (!safeAuthorize(e.script, e.context)) return false;
  return true;
}

export type EvaluationResult = { granted: true } | { granted: false; reason: string };

/**
 * UmaExpressionService.evaluate: per permission, either the resource's
 * scope_expression over the per-scope results, or every policy on the
 * permission's scopes. Scopes that evaluated false are dropped from a
 * permission the expression granted.
 */
export function evaluatePermissions(
  entries: ScriptEntry[],
  permissions: PermissionRecord[],
  resourceOf: (id: string) => ResourceRecord,
): EvaluationResult {
  for (const permission of permissions) {
    const resource = resourceOf(permission.resourceId);
    if (resource.scopeExpression && resource.scopeExpression !== '') {
      const outcome = evaluateScopeExpression(entries, permission, resource.scopeExpression);
      if (!outcome.granted) return outcome;
    } else if (!evaluateByScopes(entries.filter((e) => permission.scopes.includes(e.scope.id)))) {
      return { granted: false, reason: 'Regular evaluation returns false, access FORBIDDEN.' };
    }
  }
  return { granted: true };
}

function evaluateScopeExpression(entries: ScriptEntry[], permission: PermissionRecord, expression: string): EvaluationResult {
  let node: { rule?: unknown; data?: unknown };
  try {
    node = JSON.parse(expression) as { rule?: unknown; data?: unknown };
  } catch {
    return { granted: false, reason: `Failed to parse JsonLogic object, invalid expression: ${expression}` };
  }
  if (!node || typeof node !== 'object' || !Array.isArray(node.data)) {
    return { granted: false, reason: `Failed to parse JsonLogic object, invalid expression: ${expression}` };
  }
  const dataScopes = node.data.map(String);
  const scopedIds = new Set(entries.filter((e) => permission.scopes.includes(e.scope.id)).map((e) => e.scope.id));
  if (dataScopes.length !== scopedIds.size) {
    return { granted: false, reason: "Scope size in JsonLogic object 'data' and in permission differs which is forbidden." };
  }
  const results = dataScopes.map((id) => evaluateByScopes(scopedIds.has(id) ? entries.filter((e) => e.scope.id === id) : []));
  let granted: boolean;
  try {
    granted = jsonLogicTrue(node.rule, results);
  } catch {
    return { granted: false, reason: 'Failed to evaluate jsonlogic expression.' };
  }
  if (!granted) return { granted: false, reason: 'Unknown' };
  const dropped = dataScopes.filter((_, i) => !results[i]);
  if (dropped.length > 0) permission.scopes = permission.scopes.filter((s) => !dropped.includes(s));
  return { granted: true };
}
