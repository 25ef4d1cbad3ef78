// What every preset step shares: each call awaited and recorded, a failing
// answer turned into one clear error naming the step.
import { jsonOf, request, type ClientResponse } from './lib/http-client';

export interface PresetResult {
  /** The settings of an external run against this preset (reference names). */
  env: Record<string, string>;
  /** Names in `env` whose values are secrets. */
  secretKeys: string[];
}

/** One call a preset made, for its log and its tests. */
export interface PresetStep {
  what: string;
  status: number;
}

/** Awaits one call; a non-2xx or non-JSON answer stops the preset with the step's name and the answer. */
export async function ok(steps: PresetStep[], what: string, res: Promise<ClientResponse>): Promise<Record<string, unknown>> {
  const r = await res;
  steps.push({ what, status: r.status });
  const body = jsonOf(r);
  if (r.status < 200 || r.status > 299 || typeof body !== 'object' || body === null) {
    throw new Error(`preset step "${what}" failed: HTTP ${r.status} ${r.text.slice(0, 300)}`);
  }
  return body as Record<string, unknown>;
}

export function getJson(steps: PresetStep[], what: string, url: string): Promise<Record<string, unknown>> {
  return ok(steps, what, request('GET', url));
}
