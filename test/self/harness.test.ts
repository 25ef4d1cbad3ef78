// The harness the clean-up tests rely on must itself see a process left
// behind: a grandchild in a process group of its own whose parent has exited
// (as Playwright starts Chromium) is still found and reported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { killAll, ProcessTracker } from './harness';

const PARENT = `
const { spawn } = require('node:child_process');
const orphan = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)', 'left-behind-marker'], { detached: true, stdio: 'ignore' });
orphan.unref();
console.log('spawned ' + orphan.pid);
setTimeout(() => process.exit(0), 500);
`;

test('the process tracker finds an orphan in its own process group after its parent exited', { timeout: 30_000 }, async () => {
  const parent = spawn(process.execPath, ['-e', PARENT], { stdio: ['ignore', 'pipe', 'inherit'], detached: true });
  const tracker = new ProcessTracker(parent.pid!);
  tracker.start(50);
  const spawned = await new Promise<number>((resolve) => parent.stdout!.on('data', (d: Buffer) => resolve(Number(/spawned (\d+)/.exec(d.toString())?.[1]))));
  await new Promise((resolve) => parent.once('exit', resolve));
  const left = await tracker.settle(1000);
  try {
    assert.deepEqual(
      left.map((p) => p.pid),
      [spawned],
    );
    assert.match(left[0].cmd, /left-behind-marker/);
    assert.notEqual(left[0].pgrp, parent.pid, 'the orphan led a group of its own');
  } finally {
    killAll(left);
  }
  // Once it is gone, nothing is reported.
  assert.deepEqual(await tracker.settle(5000), []);
});
