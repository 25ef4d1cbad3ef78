// What the numbers were measured on, and whether anything else was running
// the suite at the same time (two cores: a concurrent run skews everything).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { chromium } from 'playwright';
import { chooseExecutable } from '../../../support/clients/claims-browser';

export interface Machine {
  cpuModel: string;
  cpuCount: number;
  totalMemoryMiB: number;
  os: string;
  node: string;
  chromium: string;
  chromiumPath?: string;
  date: string;
  loadAverage: number[];
}

/** The browser the suite would launch (UMA_BROWSER_PATH, else Playwright's own, else the system's). */
export function browserExecutable(): string | undefined {
  return chooseExecutable(process.env.UMA_BROWSER_PATH);
}

/** Whether a browser can be launched locally (the benchmark's runs do not use UMA_BROWSER_WS). */
export function browserAvailable(): boolean {
  const exe = browserExecutable();
  if (exe) return fs.existsSync(exe);
  try {
    return fs.existsSync(chromium.executablePath());
  } catch {
    return false;
  }
}

function chromiumVersion(exe: string | undefined): string {
  const path = exe ?? (() => {
    try {
      return chromium.executablePath();
    } catch {
      return undefined;
    }
  })();
  if (!path) return 'unknown';
  try {
    return execFileSync(path, ['--version'], { timeout: 10_000, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return `unknown (${path})`;
  }
}

export function machine(): Machine {
  const cpus = os.cpus();
  const exe = browserExecutable();
  return {
    cpuModel: cpus[0]?.model ?? 'unknown',
    cpuCount: cpus.length,
    totalMemoryMiB: Math.round(os.totalmem() / 2 ** 20),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    chromium: chromiumVersion(exe),
    chromiumPath: exe,
    date: new Date().toISOString(),
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

const FOREIGN = /scripts\/run\.ts|@cucumber\/cucumber\/(bin\/cucumber\.js|lib\/runtime\/parallel\/run_worker)|sandbox\/main\.ts|playwright.*run-server/;

/** The pid's ancestors (itself included), from /proc. */
export function ancestors(pid: number): number[] {
  const out: number[] = [];
  let p = pid;
  for (let i = 0; i < 64 && p > 1; i++) {
    out.push(p);
    try {
      const stat = fs.readFileSync(`/proc/${p}/stat`, 'utf8');
      p = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    } catch {
      break;
    }
  }
  return out;
}

/** Suite, sandbox or Cucumber processes on this machine that this benchmark did not start. */
export function foreignSuiteProcesses(): string[] {
  if (!fs.existsSync('/proc')) return [];
  const found: string[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    let cmd: string;
    try {
      cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
    } catch {
      continue;
    }
    if (!FOREIGN.test(cmd)) continue;
    if (ancestors(pid).includes(process.pid)) continue;
    found.push(`${pid} ${cmd.slice(0, 120)}`);
  }
  return found;
}

export interface Contention {
  /** Share of samples (every 500 ms) that saw another suite or sandbox process running. */
  foreignShare: number;
  maxForeign: number;
  /**
   * CPU of processes that are not this benchmark's, as a share of the
   * machine's capacity during the run (0–1), from per-process samples of
   * /proc every 500 ms (attributeTicks()). A process counts as the
   * benchmark's once it was seen as a descendant of it, so Chromium helpers
   * and Cucumber workers that outlive their parent and are reparented to
   * init stay the benchmark's (the earlier estimate, /proc/stat's busy time
   * minus the reaped children's, counted them as others' work: 32 % on an
   * idle machine in a --parallel 2 run).
   */
  otherCpuShare?: number;
  /** CPU of the benchmark's own processes during the run (ms), reparented ones included. */
  ownCpuMs?: number;
  /** 1-minute load average at the end of the run. */
  loadAtEnd: number;
}

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** One process in a /proc snapshot. */
export interface ProcTicks {
  ppid: number;
  /** utime + stime, in ticks. */
  ticks: number;
}

/** Every process's parent and CPU ticks, from /proc/<pid>/stat. */
export function procSnapshot(): Map<number, ProcTicks> {
  const out = new Map<number, ProcTicks>();
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return out;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // after "pid (comm) ": state ppid … utime stime are fields 2 and 12–13 of the rest (0-based 1, 11, 12)
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(entry), { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) });
    } catch {
      // gone between the listing and the read
    }
  }
  return out;
}

/**
 * Splits the CPU used between two snapshots into the benchmark's and the
 * others'. `ours` (updated in place) holds every pid ever seen below
 * `rootPid`; a process first seen in `now` is counted from zero (it started
 * during the run), one that vanished is not counted for the last interval.
 */
export function attributeTicks(prev: Map<number, ProcTicks>, now: Map<number, ProcTicks>, ours: Set<number>, rootPid: number): { ownTicks: number; otherTicks: number } {
  ours.add(rootPid);
  // Parents before children: repeat until no new descendant is found (trees are shallow).
  for (let changed = true; changed; ) {
    changed = false;
    for (const [pid, p] of now) {
      if (!ours.has(pid) && ours.has(p.ppid)) {
        ours.add(pid);
        changed = true;
      }
    }
  }
  let ownTicks = 0;
  let otherTicks = 0;
  for (const [pid, p] of now) {
    const before = prev.get(pid)?.ticks ?? 0;
    const delta = Math.max(0, p.ticks - before);
    if (ours.has(pid)) ownTicks += delta;
    else otherTicks += delta;
  }
  return { ownTicks, otherTicks };
}

/** Samples, while a measured run goes on, whether someone else's work competes for the CPU. */
export function watchContention(): { stop: () => Contention; sample: () => void } {
  let samples = 0;
  let seen = 0;
  let maxForeign = 0;
  const ours = new Set<number>([process.pid]);
  let last = procSnapshot();
  let ownTicks = 0;
  let otherTicks = 0;
  const sample = () => {
    const n = foreignSuiteProcesses().length;
    samples++;
    if (n) seen++;
    maxForeign = Math.max(maxForeign, n);
    const now = procSnapshot();
    const split = attributeTicks(last, now, ours, process.pid);
    ownTicks += split.ownTicks;
    otherTicks += split.otherTicks;
    last = now;
  };
  const t0 = performance.now();
  // The processes running at the start are the baseline: only what they use from now on counts.
  const atStart = foreignSuiteProcesses().length;
  samples++;
  if (atStart) seen++;
  maxForeign = atStart;
  const timer = setInterval(sample, 500);
  return {
    sample,
    stop: () => {
      clearInterval(timer);
      sample();
      const elapsed = performance.now() - t0;
      const capacity = elapsed * os.cpus().length;
      const otherCpuShare = last.size && capacity > 0 ? Math.round(Math.max(0, Math.min(1, (otherTicks * TICK_MS) / capacity)) * 100) / 100 : undefined;
      return { foreignShare: Math.round((seen / samples) * 100) / 100, maxForeign, otherCpuShare, ownCpuMs: last.size ? ownTicks * TICK_MS : undefined, loadAtEnd: Math.round(os.loadavg()[0] * 100) / 100 };
    },
  };
}

function busyTicks(): number | undefined {
  try {
    const cpu = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal: busy = all but idle and iowait
    return cpu.slice(0, 8).reduce((a, v, i) => (i === 3 || i === 4 ? a : a + v), 0);
  } catch {
    return undefined;
  }
}

/**
 * CPU time (user + system, ms) of this process's finished children and their
 * descendants (cutime + cstime). The delta over one child run is what that
 * run cost the machine, which other work on the machine hardly changes.
 */
export function childrenCpuMs(): number | undefined {
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[13]) + Number(f[14])) * TICK_MS;
  } catch {
    return undefined;
  }
}

/** Share of the machine's CPU capacity in use over the next `ms` (everyone's, this process's included). */
async function cpuBusyShare(ms: number): Promise<number | undefined> {
  const b0 = busyTicks();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, ms));
  const b1 = busyTicks();
  if (b0 === undefined || b1 === undefined) return undefined;
  return ((b1 - b0) * TICK_MS) / ((performance.now() - t0) * os.cpus().length);
}

/**
 * Waits until the machine is quiet — no other suite or sandbox process, and
 * under 15 % of the CPU busy for 2 s in a row — at most `maxMs`; true when quiet.
 */
export async function waitForQuiet(maxMs: number): Promise<boolean> {
  const deadline = Date.now() + maxMs;
  do {
    if (!foreignSuiteProcesses().length) {
      const busy = await cpuBusyShare(2000);
      if (busy === undefined || busy < 0.15) return true;
    } else await new Promise((r) => setTimeout(r, 500));
  } while (Date.now() < deadline);
  return false;
}
