// The sandbox's own latency per request on the proxy path (Kong → gluu-uma-auth
// → gluu-uma-pep → oxd → AS), from one keep-alive connection, one request at
// a time, against a sandbox started with --preset tutorial:
//   token-less GET     401 + ticket: PEP → oxd uma-rs-check-access → AS permission endpoint
//   RPT, cold caches   first use of a fresh RPT: oxd introspect-rpt (AS rpt/status) and check-access
//   RPT, warm caches   the same RPT again: the plugins' caches answer, Kong → upstream only
//   upstream direct    the demo API without Kong: the floor
//   oxd get-rpt        uma-rp-get-rpt with pushed claims (oxd → AS token endpoint, policy)
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PlainHttp, ticketOf, type PlainResponse } from './plain-http';
import { startSandbox } from '../sandbox-launcher';
import { percentiles, type Percentiles } from './stats';

const ID_TOKEN_FORMAT = 'http://openid.net/specs/openid-connect-core-1_0.html#IDToken';

export interface LatencySeries {
  what: string;
  expectedStatus: number;
  /** Requests answered with another status (then the series measures the wrong thing). */
  unexpected: number;
  ms?: Percentiles;
}

export interface WrkSeries {
  what: string;
  connections: number;
  durationS: number;
  requests?: number;
  requestsPerSecond?: number;
  p50Ms?: number;
  p99Ms?: number;
  non2xx3xx?: number;
  raw: string;
}

export interface LatencyResult {
  sandboxStartMs: number;
  sandboxSpawnToReadyMs: number;
  requests: number;
  coldRpts: number;
  series: LatencySeries[];
  wrk?: WrkSeries[];
  wrkNote?: string;
}

function readEnvFile(file: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (m) env[m[1]] = m[2];
  }
  return env;
}

function claimToken(issuer: string, claims: Record<string, string>): string {
  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64url');
  return `${b64(JSON.stringify({ typ: 'JWT', alg: 'none' }))}.${b64(JSON.stringify({ iss: issuer, sub: 'conformance-bench', ...claims }))}.`;
}

async function timed(fn: () => Promise<PlainResponse | { status: number }>): Promise<{ ms: number; status: number }> {
  const t = process.hrtime.bigint();
  const r = await fn();
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, status: r.status };
}

async function series(what: string, expectedStatus: number, count: number, fn: (i: number) => Promise<PlainResponse | { status: number }>): Promise<LatencySeries> {
  const times: number[] = [];
  let unexpected = 0;
  for (let i = 0; i < count; i++) {
    const r = await timed(() => fn(i));
    if (r.status !== expectedStatus) unexpected++;
    times.push(r.ms);
  }
  return { what, expectedStatus, unexpected, ms: percentiles(times) };
}

function hasWrk(): boolean {
  return spawnSync('wrk', ['--version'], { stdio: 'ignore' }).error === undefined;
}

/** wrk's "Latency Distribution" (with --latency) and requests/second. */
function parseWrk(what: string, connections: number, durationS: number, out: string): WrkSeries {
  const toMs = (v: string, unit: string) => Number(v) * ({ us: 0.001, ms: 1, s: 1000, m: 60_000 }[unit] ?? NaN);
  const pct = (p: string) => {
    const m = new RegExp(`^\\s*${p}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, 'm').exec(out);
    return m ? Math.round(toMs(m[1], m[2]) * 1000) / 1000 : undefined;
  };
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(out);
  const non = /Non-2xx or 3xx responses:\s+(\d+)/.exec(out);
  const total = /(\d+) requests in/.exec(out);
  return { what, connections, durationS, requests: total ? Number(total[1]) : undefined, requestsPerSecond: rps ? Number(rps[1]) : undefined, p50Ms: pct('50'), p99Ms: pct('99'), non2xx3xx: non ? Number(non[1]) : 0, raw: out };
}

function runWrk(what: string, url: string, headers: Record<string, string>, connections: number, durationS: number): WrkSeries {
  const args = ['-t1', `-c${connections}`, `-d${durationS}s`, '--latency'];
  for (const [k, v] of Object.entries(headers)) args.push('-H', `${k}: ${v}`);
  const out = execFileSync('wrk', [...args, url], { encoding: 'utf8', timeout: (durationS + 30) * 1000 });
  return parseWrk(what, connections, durationS, out);
}

export async function measureLatency(requests: number, coldRpts: number, withWrk = true): Promise<LatencyResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uma-bench-'));
  const envFile = path.join(dir, 'sandbox.env');
  const sandbox = await startSandbox(['--preset', 'tutorial', '--write-env', envFile]);
  // One connection, one request at a time: the latency of a request, not throughput.
  const http = new PlainHttp(1);
  try {
    const env = readEnvFile(envFile);
    const proxy = `${env.GG_PROXY_URL}${env.API_PATH}`;
    const host = env.HOST_WITH_CLAIMS;
    const get = (token?: string) => http.request('GET', proxy, token ? { Host: host, Authorization: `Bearer ${token}` } : { Host: host });
    const oxd = (cmd: string, body: unknown, token?: string) => http.json('POST', `${env.OXD_HOST}/${cmd}`, body, token ? { Authorization: `Bearer ${token}` } : {});

    const token = await oxd('get-client-token', { client_id: env.CLIENT_ID, client_secret: env.CLIENT_SECRET, op_host: env.CE_URL, scope: ['openid', 'oxd'] });
    if (token.status !== 200) throw new Error(`get-client-token: HTTP ${token.status} ${token.text.slice(0, 200)}`);
    const accessToken = String(token.body.access_token);
    const pushed = { claim_token: claimToken(env.CE_URL, { country: 'US', city: 'NY' }), claim_token_format: ID_TOKEN_FORMAT };
    const newRpt = async (): Promise<string> => {
      const ticket = ticketOf(await get());
      const x = await oxd('uma-rp-get-rpt', { oxd_id: env.CLIENT_OXD_ID, ticket, ...pushed }, accessToken);
      if (x.status !== 200 || typeof x.body.access_token !== 'string') throw new Error(`uma-rp-get-rpt: HTTP ${x.status} ${x.text.slice(0, 200)}`);
      return x.body.access_token;
    };

    // Warm-up: the plugins' protection token, JIT, keep-alive connections.
    for (let i = 0; i < 20; i++) await get();
    const warmRpt = await newRpt();
    for (let i = 0; i < 20; i++) await get(warmRpt);
    for (let i = 0; i < 20; i++) await http.request('GET', `${env.UPSTREAM_URL}${env.API_PATH}`);

    const out: LatencySeries[] = [];
    out.push(await series('upstream direct (no Kong)', 200, requests, () => http.request('GET', `${env.UPSTREAM_URL}${env.API_PATH}`)));
    out.push(await series('token-less GET → 401 + ticket (Kong → PEP → oxd check-access → AS permission)', 401, requests, () => get()));
    const rpts: string[] = [];
    let tickets: string[] = [];
    for (let i = 0; i < coldRpts; i++) tickets.push(ticketOf(await get()) ?? '');
    out.push(
      await series('oxd uma-rp-get-rpt with pushed claims → RPT (oxd → AS token endpoint + policy)', 200, coldRpts, async (i) => {
        const x = await oxd('uma-rp-get-rpt', { oxd_id: env.CLIENT_OXD_ID, ticket: tickets[i], ...pushed }, accessToken);
        rpts.push(String(x.body.access_token));
        return x;
      }),
    );
    tickets = [];
    out.push(await series('GET with a fresh RPT, caches cold (oxd introspect-rpt + check-access → AS)', 200, coldRpts, (i) => get(rpts[i])));
    out.push(await series('GET with the same RPT, caches warm (Kong → upstream)', 200, requests, () => get(warmRpt)));

    let wrk: WrkSeries[] | undefined;
    let wrkNote: string | undefined;
    if (!withWrk) wrkNote = 'not requested';
    else if (!hasWrk()) wrkNote = 'wrk not installed (apt-get install -y wrk); the numbers above do not need it';
    else {
      wrk = [
        runWrk('token-less GET → 401 + ticket', proxy, { Host: host }, 1, 3),
        runWrk('GET with an RPT, caches warm', proxy, { Host: host, Authorization: `Bearer ${warmRpt}` }, 1, 3),
        runWrk('GET with an RPT, caches warm, 8 connections', proxy, { Host: host, Authorization: `Bearer ${warmRpt}` }, 8, 3),
      ];
    }
    return { sandboxStartMs: sandbox.startMs, sandboxSpawnToReadyMs: sandbox.spawnToReadyMs, requests, coldRpts, series: out, wrk, wrkNote };
  } finally {
    http.close();
    await sandbox.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
