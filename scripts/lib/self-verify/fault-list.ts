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
}

const ROOT = path.resolve(__dirname, '..', '..', '..');
const LINE = /^(\S+)\s+\[([^\]]+)\]\s*(.*)$/;

export function parseFaultList(text: string): FaultProfile[] {
  const faults: FaultProfile[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const m = LINE.exec(line.trim());
    if (!m) throw new Error(`the sandbox's fault list has a line that is not "name  [component] description": "${line.slice(0, 80)}"`);
    faults.push({ name: m[1], component: m[2], description: m[3] });
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
