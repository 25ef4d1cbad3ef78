// The fault profiles, learnt from the sandbox itself (`sandbox/main.ts
// --list-faults`, one "name  [component] description" per line): the suite
// never imports sandbox code.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { NODE_TS_ARGS } from '../node-ts';

export interface FaultProfile {
  name: string;
  component: string;
  description: string;
  /**
   * The weakness a "fix" profile removes (its description starts "Removes weakness
   * SEC-…: ", sandbox/faults.ts): not a fault to catch but the sandbox made safer,
   * against which the weakness's probe must pass (scripts/lib/self-verify/weakness-proof.ts).
   */
  removes?: string;
}

/** How a fix profile's description starts: "Removes weakness SEC-GW-01: …". */
export const REMOVES_WEAKNESS = /^Removes weakness (SEC-[A-Z0-9-]+): /;

const ROOT = path.resolve(__dirname, '..', '..', '..');
const LINE = /^(\S+)\s+\[([^\]]+)\]\s*(.*)$/;

export function parseFaultList(text: string): FaultProfile[] {
  const faults: FaultProfile[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const m = LINE.exec(line.trim());
    if (!m) throw new Error(`the sandbox's fault list has a line that is not "name  [component] description": "${line.slice(0, 80)}"`);
    const removes = REMOVES_WEAKNESS.exec(m[3])?.[1];
    faults.push({ name: m[1], component: m[2], description: m[3], ...(removes ? { removes } : {}) });
  }
  if (!faults.length) throw new Error('the sandbox lists no fault profiles');
  return faults;
}

export function listFaults(timeoutMs = 30_000): FaultProfile[] {
  const r = spawnSync(process.execPath, [...NODE_TS_ARGS, path.join(ROOT, 'sandbox', 'main.ts'), '--list-faults'], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: timeoutMs,
    env: { ...process.env },
  });
  if (r.error) throw new Error(`could not run the sandbox to list its faults: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`the sandbox's --list-faults ended with exit code ${r.status}: ${(r.stderr || r.stdout).trim().split('\n')[0] ?? ''}`);
  return parseFaultList(r.stdout);
}
