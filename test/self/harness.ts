// Runs `npm test`'s launcher (scripts/run.ts) as a child process the way a
// terminal does: in a process group of its own, so that Ctrl-C (SIGINT to
// the group) can be sent to it. Watches its output line by line, follows
// every process it starts (by parent, and by process group for browsers that
// Playwright starts in groups of their own), and reads Kong's entities over
// the Admin API. Everything is bounded: waits end on a line, an exit or a
// timeout, never on a fixed sleep.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { SETTINGS_HELP } from '../../support/config';
import { NODE_TS_ARGS } from '../../scripts/lib/node-ts';

export const ROOT = path.resolve(__dirname, '..', '..');
const LAUNCHER = path.join(ROOT, 'scripts', 'run.ts');

/** A Node stack trace line, which a user must never see. */
export const STACK_TRACE = /^\s+at .+\(.+:\d+:\d+\)$/m;
/** The console formatter's progress line, e.g. "   1/9 ✔ Smoke › …". */
export const PROGRESS = /^\s*\d+\/\d+ \S/m;
export const FIRST_PROGRESS = /^\s*1\/\d+ \S/;

/** A few scenarios, fast, one of them driving Chromium (@claims-gathering @grant: the tutorial's browser flow). */
export const FEW_SCENARIOS = '@smoke or @pushed-claims or (@claims-gathering and @blocker)';

/** Settings about this machine rather than the target: a CI without a system Chromium sets them. */
const MACHINE_SETTINGS = new Set(['UMA_BROWSER_PATH', 'UMA_BROWSER_WS']);

/** The caller's environment without any setting of the suite, so a developer's own settings cannot leak in. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if ((k in SETTINGS_HELP || k.startsWith('UMA_') || k.startsWith('GG_')) && !MACHINE_SETTINGS.has(k)) continue;
    env[k] = v;
  }
  return { ...env, NO_COLOR: '1', ...extra };
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface LauncherExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  output: string;
  elapsedMs: number;
}

export interface RunningLauncher {
  child: ChildProcess;
  pid: number;
  tracker: ProcessTracker;
  stdout(): string;
  output(): string;
  /** Resolves with the first stdout line matching `re`; rejects when the launcher exits first or after `timeoutMs`. */
  waitForLine(re: RegExp, timeoutMs: number): Promise<string>;
  /** SIGINT to the launcher's whole process group, as Ctrl-C in a terminal. */
  interrupt(): void;
  /** Resolves when the launcher has exited and its output is complete; rejects after `timeoutMs` (having killed the group). */
  exited(timeoutMs: number): Promise<LauncherExit>;
}

export function startLauncher(env: NodeJS.ProcessEnv, args: string[] = []): RunningLauncher {
  const started = performance.now();
  const child = spawn(process.execPath, [...NODE_TS_ARGS, LAUNCHER, ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const pid = child.pid!;
  const tracker = new ProcessTracker(pid);
  tracker.start();
  let stdout = '';
  let stderr = '';
  let partial = '';
  const lineWaiters: Array<{ re: RegExp; resolve: (l: string) => void }> = [];
  const seenLines: string[] = [];
  child.stdout!.on('data', (d: Buffer) => {
    const text = d.toString();
    stdout += text;
    partial += text;
    let i: number;
    while ((i = partial.indexOf('\n')) >= 0) {
      const line = partial.slice(0, i);
      partial = partial.slice(i + 1);
      seenLines.push(line);
      for (const w of [...lineWaiters]) {
        if (w.re.test(line)) {
          lineWaiters.splice(lineWaiters.indexOf(w), 1);
          w.resolve(line);
        }
      }
    }
  });
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const closed = new Promise<LauncherExit>((resolve) => {
    child.once('close', (code, signal) => {
      tracker.sample();
      resolve({ code, signal, stdout, stderr, output: stdout + stderr, elapsedMs: performance.now() - started });
    });
  });
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal);
    } catch {
      // already gone
    }
  };
  return {
    child,
    pid,
    tracker,
    stdout: () => stdout,
    output: () => stdout + stderr,
    waitForLine(re, timeoutMs) {
      const already = seenLines.find((l) => re.test(l));
      if (already !== undefined) return Promise.resolve(already);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no line matching ${re} within ${timeoutMs} ms; output so far:\n${stdout}${stderr}`)), timeoutMs);
        const waiter = {
          re,
          resolve: (l: string) => {
            clearTimeout(timer);
            resolve(l);
          },
        };
        lineWaiters.push(waiter);
        void closed.then((r) => {
          if (!lineWaiters.includes(waiter)) return;
          clearTimeout(timer);
          reject(new Error(`the launcher exited (code ${r.code}) before a line matching ${re}; output:\n${r.output}`));
        });
      });
    },
    interrupt: () => killGroup('SIGINT'),
    exited(timeoutMs) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          killGroup('SIGKILL');
          reject(new Error(`the launcher did not exit within ${timeoutMs} ms (killed); output so far:\n${stdout}${stderr}`));
        }, timeoutMs);
        void closed.then((r) => {
          clearTimeout(timer);
          resolve(r);
        });
      });
    },
  };
}

// ---- processes ----

export interface ProcInfo {
  pid: number;
  ppid: number;
  pgrp: number;
  /** Start time in clock ticks since boot: tells a pid apart from a later one that reuses it. */
  start: string;
  state: string;
  cmd: string;
}

/** Every process of the machine, read from /proc. */
export function processTable(): Map<number, ProcInfo> {
  const table = new Map<number, ProcInfo>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses.
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmd = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      table.set(Number(entry), { pid: Number(entry), state: rest[0], ppid: Number(rest[1]), pgrp: Number(rest[2]), start: rest[19], cmd });
    } catch {
      // the process ended while being read
    }
  }
  return table;
}

/**
 * Follows the processes a launcher starts: its descendants, and every process
 * in a process group one of them leads (Playwright starts Chromium in a group
 * of its own, and a browser whose parent died is no longer a descendant).
 */
export class ProcessTracker {
  readonly seen = new Map<string, ProcInfo>();
  private timer?: NodeJS.Timeout;

  constructor(readonly rootPid: number) {}

  start(intervalMs = 100): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  sample(): void {
    const table = processTable();
    const children = new Map<number, number[]>();
    for (const p of table.values()) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p.pid]);
    // Only groups that a followed process leads: never the group of whoever started the root.
    const groups = new Set<number>();
    for (const p of this.seen.values()) if (p.pgrp === p.pid) groups.add(p.pgrp);
    const queue = [this.rootPid];
    for (const p of table.values()) if (groups.has(p.pgrp)) queue.push(p.pid);
    const found = new Set<number>();
    while (queue.length) {
      const pid = queue.pop()!;
      if (found.has(pid)) continue;
      found.add(pid);
      queue.push(...(children.get(pid) ?? []));
    }
    for (const pid of found) {
      const p = table.get(pid);
      if (!p || p.state === 'Z') continue;
      // A process that is exiting shows an empty command line: keep the one seen while it ran.
      const before = this.seen.get(`${p.pid}:${p.start}`);
      this.seen.set(`${p.pid}:${p.start}`, before && !p.cmd ? { ...p, cmd: before.cmd } : p);
    }
  }

  /** The tracked processes that still run (zombies count as ended). */
  alive(): ProcInfo[] {
    const table = processTable();
    return [...this.seen.values()].filter((p) => {
      const now = table.get(p.pid);
      return now !== undefined && now.start === p.start && now.state !== 'Z';
    });
  }

  /** Waits, bounded, for every tracked process to end; returns those still running at the bound. */
  async settle(timeoutMs: number): Promise<ProcInfo[]> {
    this.stop();
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const left = this.alive();
      if (!left.length || Date.now() >= deadline) return left;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Polls until a tracked process's command line matches `re`; false at the bound. */
  async waitFor(re: RegExp, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      this.sample();
      if ([...this.seen.values()].some((p) => re.test(p.cmd))) return true;
      await new Promise((r) => setTimeout(r, 100));
    }
    return false;
  }

  /** Tracked command lines matching `re` (ever seen). */
  matching(re: RegExp): ProcInfo[] {
    return [...this.seen.values()].filter((p) => re.test(p.cmd));
  }
}

export const CHROMIUM = /chrom(e|ium)/i;
export const SANDBOX = /sandbox\/main\.ts/;
export const CUCUMBER = /cucumber/;

export function describe(procs: ProcInfo[]): string {
  return procs.map((p) => `  pid ${p.pid} (ppid ${p.ppid}, pgrp ${p.pgrp}): ${p.cmd.slice(0, 160)}`).join('\n');
}

/** Kills what a failed test left running, so that one failure does not spoil the next test. */
export function killAll(procs: ProcInfo[]): void {
  for (const p of procs) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
}

// ---- Kong ----

export type KongSnapshot = Record<'services' | 'routes' | 'consumers' | 'plugins', Array<Record<string, unknown>>>;

async function listAll(adminUrl: string, kind: string): Promise<Array<Record<string, unknown>>> {
  const items: Array<Record<string, unknown>> = [];
  let next: string | null = `/${kind}?size=1000`;
  while (next) {
    const res = await fetch(new URL(next, adminUrl), { signal: AbortSignal.timeout(5000) });
    if (res.status !== 200) throw new Error(`GET ${kind} answered ${res.status}`);
    const body = (await res.json()) as { data: Array<Record<string, unknown>>; next: string | null };
    items.push(...body.data);
    next = body.next;
  }
  return items.sort((a, b) => String(a.id).localeCompare(String(b.id)));
}

/** Every service, route, consumer and plugin Kong has, sorted by id. */
export async function kongSnapshot(adminUrl: string): Promise<KongSnapshot> {
  const [services, routes, consumers, plugins] = await Promise.all(['services', 'routes', 'consumers', 'plugins'].map((k) => listAll(adminUrl, k)));
  return { services, routes, consumers, plugins };
}

export function snapshotCounts(s: KongSnapshot): string {
  return Object.entries(s)
    .map(([k, v]) => `${v.length} ${k}`)
    .join(', ');
}

// ---- small servers ----

export function listen(server: http.Server): Promise<string> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

export function close(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

/** A port on which nothing listens (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  const url = await listen(server);
  await close(server);
  return Number(new URL(url).port);
}

// ---- reports ----

/**
 * Why a text is not well-formed XML, or undefined when it is: one root
 * element, every tag closed in order, quoted attributes, known entities, no
 * stray "<" or "&". Enough to tell a valid junit.xml from a cut or empty one
 * (no XML parser is among the project's packages).
 */
export function xmlProblem(text: string): string | undefined {
  let i = 0;
  const open: string[] = [];
  let roots = 0;
  const ENTITY = /^&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);/;
  const NAME = /^[A-Za-z_][\w.:-]*/;
  const at = () => `at offset ${i}`;
  if (text.startsWith('<?xml')) {
    const end = text.indexOf('?>');
    if (end < 0) return 'the XML declaration is not closed';
    i = end + 2;
  }
  while (i < text.length) {
    if (text.startsWith('<![CDATA[', i)) {
      if (!open.length) return `CDATA outside the root element ${at()}`;
      const end = text.indexOf(']]>', i);
      if (end < 0) return `a CDATA section is not closed ${at()}`;
      i = end + 3;
    } else if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i);
      if (end < 0) return `a comment is not closed ${at()}`;
      i = end + 3;
    } else if (text.startsWith('</', i)) {
      const name = NAME.exec(text.slice(i + 2))?.[0];
      if (!name || open.pop() !== name) return `a closing tag </${name}> does not match ${at()}`;
      i += 2 + name.length;
      while (/\s/.test(text[i] ?? '')) i++;
      if (text[i] !== '>') return `a closing tag is not closed ${at()}`;
      i++;
    } else if (text[i] === '<') {
      const name = NAME.exec(text.slice(i + 1))?.[0];
      if (!name) return `a "<" that starts no tag ${at()}`;
      if (!open.length && roots++ > 0) return `a second root element <${name}> ${at()}`;
      i += 1 + name.length;
      for (;;) {
        while (/\s/.test(text[i] ?? '')) i++;
        if (text.startsWith('/>', i)) {
          i += 2;
          break;
        }
        if (text[i] === '>') {
          open.push(name);
          i++;
          break;
        }
        const attr = NAME.exec(text.slice(i))?.[0];
        if (!attr) return `a malformed attribute in <${name}> ${at()}`;
        i += attr.length;
        if (text[i] !== '=' || (text[i + 1] !== '"' && text[i + 1] !== "'")) return `attribute ${attr} of <${name}> is not quoted ${at()}`;
        const quote = text[i + 1];
        const end = text.indexOf(quote, i + 2);
        if (end < 0) return `attribute ${attr} of <${name}> is not closed ${at()}`;
        const value = text.slice(i + 2, end);
        if (value.includes('<') || value.replace(/&[^;\s]*;/g, (e) => (ENTITY.test(e) ? '' : '&')).includes('&')) return `attribute ${attr} of <${name}> holds a raw "<" or "&" ${at()}`;
        i = end + 1;
      }
    } else if (text[i] === '&') {
      if (!ENTITY.test(text.slice(i))) return `a raw "&" ${at()}`;
      i = text.indexOf(';', i) + 1;
    } else {
      if (!open.length && !/\s/.test(text[i])) return `text outside the root element ${at()}`;
      i++;
    }
  }
  if (open.length) return `element <${open[open.length - 1]}> is not closed at the end`;
  if (!roots) return 'no root element (an empty file?)';
  return undefined;
}

/** A junit.xml's test cases: name, classname and the element that says how each ended (with its message). */
export function junitCases(xml: string): Array<{ name: string; classname: string; outcome: 'passed' | 'failure' | 'error' | 'skipped'; message?: string }> {
  const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
  const cases = [];
  for (const m of xml.matchAll(/<testcase((?:\s+[\w:-]+="[^"]*")*)\s*(\/>|>([\s\S]*?)<\/testcase>)/g)) {
    const attr = (name: string, s: string) => {
      const v = new RegExp(`\\b${name}="([^"]*)"`).exec(s)?.[1];
      return v === undefined ? undefined : unescape(v);
    };
    const body = m[3] ?? '';
    const verdict = /<(failure|error|skipped)((?:\s+[\w:-]+="[^"]*")*)/.exec(body);
    cases.push({
      name: attr('name', m[1]) ?? '',
      classname: attr('classname', m[1]) ?? '',
      outcome: (verdict?.[1] ?? 'passed') as 'passed' | 'failure' | 'error' | 'skipped',
      message: verdict ? attr('message', verdict[2]) : undefined,
    });
  }
  return cases;
}
