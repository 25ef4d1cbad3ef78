// GET /health-check, 4.2.2+ form (oxd.md §4.1): org.json's JSONObject
// (a HashMap) pretty-printed with toString(3).
import type { Request } from '../lib/http';
import { assertCallerAllowed } from './command-auth';
import type { OxdDeps } from './deps';
import { javaStringSetOrder } from './java-compat';
import { errorOutcome, type Outcome } from './processor';

export function healthCheckBody(version: string): string {
  const values: Record<string, string> = { application: 'oxd', version, status: 'running' };
  const ordered: Record<string, string> = {};
  for (const key of javaStringSetOrder(Object.keys(values))) ordered[key] = values[key];
  return JSON.stringify(ordered, null, 3);
}

export async function healthCheck(deps: OxdDeps, req: Request): Promise<Outcome> {
  try {
    assertCallerAllowed(deps.config.bindIpAddresses, req.remoteAddress);
    return { status: 200, body: healthCheckBody(deps.config.version), contentType: 'application/json' };
  } catch (err) {
    return errorOutcome(err, deps.log, deps.mapper);
  }
}
