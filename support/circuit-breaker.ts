// The circuit breaker for the target (the OIDF conformance suite has one
// too): once the deployment stops answering mid-run, the suite says so once
// and stops spending time on it, instead of timing out scenario by scenario.
//
// The rule:
// - A request (support/http.ts) or a page load (support/clients/claims-browser.ts)
//   that fails at the network level (connection refused or reset, host
//   unreachable or not resolved, no answer within the timeout) is followed by
//   one health probe of every configured target origin, in parallel: a GET /
//   on a fresh connection, bounded by half the HTTP timeout (0.5 s to 3 s).
//   Any HTTP answer, whatever its status, means the origin is up.
// - The breaker opens when the origin that failed is a configured target
//   (Kong Admin API, Kong proxy, oxd, the AS, the echo upstream) and does not
//   answer its probe. A single slow answer or a dropped keep-alive connection
//   on a healthy target does not open it: the probe is answered. A URL the
//   deployment handed out (another host) never opens it.
// - Open: requests to an origin that did not answer its probe fail at once
//   ("not tried"); every scenario not yet started is skipped by the Before
//   hook with the reason; the launcher prints one line naming the component
//   and its origin and exits 2 (1 if a conformance failure was found before).
//   It does not close again within the run: a target that came and went needs
//   a new run anyway.
// - The workers of --parallel are processes of their own: the first to open
//   the breaker writes `.breaker.json` into the reports folder (atomically,
//   first one wins); the others read it before each scenario and request. It
//   carries the run id, and the launcher removes it before each run, so it
//   never outlives its run.
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import axios from 'axios';
import { originOnly } from './mask';

export const BREAKER_FILE = '.breaker.json';

/** A configured target: what the suite calls it and where it is. */
export interface Target {
  component: string;
  url: string;
}

/** An open breaker, as the marker file holds it. */
export interface OpenBreaker {
  runId: string;
  /** The component whose failure opened it, and its origin (never a path or query). */
  component: string;
  origin: string;
  /** What the failure was, in words ("refused the connection (nothing listens there)"). */
  reason: string;
  probeMs: number;
  /** Every configured origin that did not answer the probe, the failed one first. */
  down: Array<{ component: string; origin: string }>;
}

export interface BreakerSettings {
  runId: string;
  httpTimeoutMs: number;
  targets: Target[];
  /** The marker file shared by the workers; without it the breaker lives in this process only. */
  markerFile?: string;
  /** How an origin is probed (tests replace it). */
  probe?: (origin: string, timeoutMs: number) => Promise<boolean>;
}

/** The bound of one health probe: half the HTTP timeout, from 0.5 s to 3 s. */
export function probeTimeoutMs(httpTimeoutMs: number): number {
  return Math.min(3000, Math.max(500, Math.round(httpTimeoutMs / 2)));
}

/**
 * True when `origin` gives any HTTP answer to GET / within `timeoutMs`, on a
 * connection of its own (a kept-alive one may be the one that broke). Through
 * axios, as support/http.ts: the same way to the target, proxy settings included.
 */
export async function originAnswers(origin: string, timeoutMs: number): Promise<boolean> {
  let url: string;
  try {
    url = new URL('/', origin).href;
  } catch {
    return false;
  }
  try {
    const res = await axios.request<Readable>({
      method: 'GET',
      url,
      // Nothing is sent but the request line: the certificate is not what is asked about here.
      httpAgent: new http.Agent({ keepAlive: false }),
      httpsAgent: new https.Agent({ keepAlive: false, rejectUnauthorized: false }),
      maxRedirects: 0,
      validateStatus: () => true,
      responseType: 'stream',
      timeout: timeoutMs,
      signal: AbortSignal.timeout(timeoutMs),
    });
    res.data.destroy();
    return true;
  } catch {
    return false;
  }
}

export class CircuitBreaker {
  private opened?: OpenBreaker;
  private round?: Promise<Map<string, boolean>>;
  private readonly names = new Map<string, string>();
  private readonly probe: (origin: string, timeoutMs: number) => Promise<boolean>;
  readonly probeMs: number;

  constructor(private readonly settings: BreakerSettings) {
    for (const t of settings.targets) {
      const origin = originOnly(t.url);
      if (origin && !this.names.has(origin)) this.names.set(origin, t.component);
    }
    this.probe = settings.probe ?? originAnswers;
    this.probeMs = probeTimeoutMs(settings.httpTimeoutMs);
  }

  /** The configured component at `url`'s origin, if any. */
  componentAt(url: string): string | undefined {
    const origin = originOnly(url);
    return origin ? this.names.get(origin) : undefined;
  }

  /** The open breaker, this worker's or another's (from the marker file); undefined while closed. */
  current(): OpenBreaker | undefined {
    if (this.opened) return this.opened;
    const file = this.settings.markerFile;
    if (!file || !fs.existsSync(file)) return undefined;
    const marker = readMarker(file, this.settings.runId);
    if (marker) this.opened = marker;
    return marker;
  }

  /** Why a request to `url` is not sent: its origin stopped answering earlier in the run. */
  notTried(url: string): string | undefined {
    const open = this.current();
    const origin = originOnly(url);
    if (!open || !origin || !open.down.some((d) => d.origin === origin)) return undefined;
    return 'not tried: it stopped answering earlier in this run (circuit breaker open)';
  }

  /**
   * Called after a network-level failure of `component` at `url`: probes the
   * configured origins (once for failures that arrive together) and opens the
   * breaker when the failed origin is a configured one and does not answer.
   * Returns the open breaker, or undefined while it stays closed.
   */
  async afterNetworkFailure(component: string, url: string, reason: string): Promise<OpenBreaker | undefined> {
    const already = this.current();
    if (already) return already;
    const origin = originOnly(url);
    if (!origin || !this.names.has(origin)) return undefined;
    this.round ??= this.probeAll().finally(() => (this.round = undefined));
    const answered = await this.round;
    if (answered.get(origin) !== false) return this.current();
    return this.open(component, origin, reason, answered);
  }

  private async probeAll(): Promise<Map<string, boolean>> {
    const origins = [...this.names.keys()];
    const results = await Promise.all(origins.map((o) => this.probe(o, this.probeMs).catch(() => false)));
    return new Map(origins.map((o, i) => [o, results[i]]));
  }

  private open(component: string, origin: string, reason: string, answered: Map<string, boolean>): OpenBreaker {
    const already = this.current();
    if (already) return already;
    const others = [...answered].filter(([o, up]) => !up && o !== origin).map(([o]) => ({ component: this.names.get(o)!, origin: o }));
    const open: OpenBreaker = { runId: this.settings.runId, component, origin, reason, probeMs: this.probeMs, down: [{ component, origin }, ...others] };
    this.opened = this.settings.markerFile ? writeMarker(this.settings.markerFile, open) : open;
    return this.opened;
  }
}

/**
 * Writes the marker unless another worker did first (then that one is the
 * open breaker): written aside and hard-linked into place, so a reader never
 * sees half a file and only one link can win.
 */
function writeMarker(file: string, open: OpenBreaker): OpenBreaker {
  const aside = `${file}.${process.pid}`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(aside, JSON.stringify(open));
    fs.linkSync(aside, file);
    return open;
  } catch {
    return readMarker(file, open.runId) ?? open;
  } finally {
    fs.rmSync(aside, { force: true });
  }
}

function readMarker(file: string, runId: string): OpenBreaker | undefined {
  try {
    const m = JSON.parse(fs.readFileSync(file, 'utf8')) as OpenBreaker;
    // Another run's marker (the launcher removes it before each run) is not this run's breaker.
    return m.runId === runId && typeof m.component === 'string' && typeof m.origin === 'string' && Array.isArray(m.down) ? m : undefined;
  } catch {
    return undefined;
  }
}

/** The launcher's view: the breaker this run's workers opened, if any. */
export function readBreakerMarker(reportsDir: string, runId: string): OpenBreaker | undefined {
  const file = path.join(reportsDir, BREAKER_FILE);
  return fs.existsSync(file) ? readMarker(file, runId) : undefined;
}

/** The one line the launcher prints for an open breaker. */
export function breakerLine(open: OpenBreaker): string {
  const others = open.down.slice(1).map((d) => `${d.component} at ${d.origin}`);
  return (
    `The target stopped answering mid-run: ${open.component} at ${open.origin} ${open.reason}, and did not answer a health probe within ${open.probeMs} ms` +
    `${others.length ? ` (nor did ${others.join(', ')})` : ''}; the circuit breaker stopped the run: the scenarios not started by then were not run.`
  );
}

/** The reason a scenario is skipped while the breaker is open (short: the line above says the rest, once). */
export function skipReason(open: OpenBreaker): string {
  return `Skipped: not run, ${open.component} stopped answering mid-run (circuit breaker open).`;
}

/** Added to the failure that opened the breaker. */
export const OPENED_NOTE = '; it did not answer a health probe either, so the run stops here (circuit breaker)';

// ---- this worker's breaker ----

let active: CircuitBreaker | undefined;

/** Arms the breaker of this process (the Cucumber worker's BeforeAll); the launcher and the doctor never arm one. */
export function armBreaker(settings: BreakerSettings): CircuitBreaker {
  active = new CircuitBreaker(settings);
  return active;
}

export function activeBreaker(): CircuitBreaker | undefined {
  return active;
}

/** For tests: no breaker in this process. */
export function disarmBreaker(): void {
  active = undefined;
}
