// The bench's contention reading (issue 15 item 3): CPU of the benchmark's own
// processes, reparented ones included, is never counted as other work, so an
// idle machine's run is not labelled skewed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { attributeTicks, procSnapshot, watchContention, type ProcTicks } from '../../scripts/lib/bench/machine';

const snap = (entries: Array<[number, number, number]>) => new Map<number, ProcTicks>(entries.map(([pid, ppid, ticks]) => [pid, { ppid, ticks }]));

test('a descendant stays the benchmark\'s after it is reparented to init', () => {
  const ours = new Set<number>();
  // 100 = the benchmark, 200 = its launcher, 300 = a Chromium helper of it, 900 = someone else's process
  const t0 = snap([[100, 1, 50], [200, 100, 10], [300, 200, 0], [900, 1, 1000]]);
  const t1 = snap([[100, 1, 55], [200, 100, 30], [300, 200, 40], [900, 1, 1000]]);
  assert.deepEqual(attributeTicks(t0, t1, ours, 100), { ownTicks: 5 + 20 + 40, otherTicks: 0 });
  // the launcher exits; its helper is now a child of init and goes on using CPU
  const t2 = snap([[100, 1, 56], [300, 1, 90], [900, 1, 1007]]);
  assert.deepEqual(attributeTicks(t1, t2, ours, 100), { ownTicks: 1 + 50, otherTicks: 7 });
});

test('a process born during the run counts from zero; one seen first under init is someone else\'s', () => {
  const ours = new Set<number>();
  const t0 = snap([[100, 1, 0]]);
  const t1 = snap([[100, 1, 2], [400, 100, 30], [401, 400, 12], [500, 1, 25]]);
  assert.deepEqual(attributeTicks(t0, t1, ours, 100), { ownTicks: 2 + 30 + 12, otherTicks: 25 });
  assert.ok(ours.has(401), 'a grandchild is found through its parent');
});

test('procSnapshot sees this process with its parent', () => {
  const s = procSnapshot();
  if (!s.size) return; // no /proc on this platform
  assert.equal(s.get(process.pid)?.ppid, process.ppid);
});

test('a busy grandchild reparented to init stays the benchmark\'s work', { timeout: 40_000 }, async () => {
  if (!procSnapshot().size) return;
  const watch = watchContention();
  // The child starts a grandchild that spins until it has used 1.2 s of CPU (CPU, not wall time: on a
  // loaded machine, other test files beside it, 1.2 s of wall time is less CPU), says so, and exits when its stdin closes:
  // the grandchild goes on under init, as Chromium helpers and Cucumber workers outlive their parent.
  const child = spawn(process.execPath, ['-e', "require('child_process').spawn(process.execPath, ['-e', 'const used=()=>{const u=process.cpuUsage();return (u.user+u.system)/1000;}; while(used()<1200);'], { stdio: 'ignore' }); console.log('started'); process.stdin.on('end', () => process.exit(0)); process.stdin.resume()"], { stdio: ['pipe', 'pipe', 'ignore'] });
  await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
  watch.sample(); // the grandchild is seen under its parent once
  child.stdin!.end();
  await new Promise((r) => child.on('exit', r));
  // bounded: until the grandchild has used its CPU (it ends by itself after 1.2 s of CPU)
  const deadline = Date.now() + 30_000;
  let c = watch.stop();
  while (Date.now() < deadline && (c.ownCpuMs ?? 0) < 900) {
    await new Promise((r) => setTimeout(r, 200));
    c = watch.stop();
  }
  assert.ok((c.ownCpuMs ?? 0) >= 900, `the grandchild's CPU is the benchmark's (own ${c.ownCpuMs} ms, others' share ${c.otherCpuShare})`);
});
