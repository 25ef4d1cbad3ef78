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
   * CPU not accounted to this benchmark, as a share of the machine's capacity
   * during the run (0–1): total busy time from /proc/stat minus this process's
   * own and its reaped children's. Includes, besides other people's work,
   * Chromium helper processes of our own runs that are reparented to init
   * (about 0.15 here) and the kernel's I/O threads.
   */
  otherCpuShare?: number;
  /** 1-minute load average at the end of the run. */
  loadAtEnd: number;
}

const TICK_MS = 10; // USER_HZ is 100 on Linux

function busyTicks(): number | undefined {
  try {
    const cpu = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal: busy = all but idle and iowait
    return cpu.slice(0, 8).reduce((a, v, i) => (i === 3 || i === 4 ? a : a + v), 0);
  } catch {
    return undefined;
  }
}

function ownTicks(): number | undefined {
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields 14–17 of stat (utime stime cutime cstime) are 11–14 after the command
    return [11, 12, 13, 14].reduce((a, i) => a + Number(f[i]), 0);
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

/** Samples, while a measured run goes on, whether someone else's work competes for the CPU. */
export function watchContention(): { stop: () => Contention } {
  let samples = 0;
  let seen = 0;
  let maxForeign = 0;
  const sample = () => {
    const n = foreignSuiteProcesses().length;
    samples++;
    if (n) seen++;
    maxForeign = Math.max(maxForeign, n);
  };
  const t0 = performance.now();
  const busy0 = busyTicks();
  const own0 = ownTicks();
  sample();
  const timer = setInterval(sample, 500);
  return {
    stop: () => {
      clearInterval(timer);
      const elapsed = performance.now() - t0;
      const busy1 = busyTicks();
      const own1 = ownTicks();
      let otherCpuShare: number | undefined;
      if (busy0 !== undefined && busy1 !== undefined && own0 !== undefined && own1 !== undefined && elapsed > 0) {
        const other = (busy1 - busy0 - (own1 - own0)) * TICK_MS;
        otherCpuShare = Math.round(Math.max(0, Math.min(1, other / (elapsed * os.cpus().length))) * 100) / 100;
      }
      return { foreignShare: Math.round((seen / samples) * 100) / 100, maxForeign, otherCpuShare, loadAtEnd: Math.round(os.loadavg()[0] * 100) / 100 };
    },
  };
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
