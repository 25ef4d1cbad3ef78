// A remote browser: with UMA_BROWSER_WS the suite drives a Playwright
// browser server (chromium.connect) instead of launching Chromium itself.
// The server is reached through a counting TCP relay, so the test sees the
// suite connect; and no Chromium may appear under the launcher's processes.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { chromium } from 'playwright';
import { browserExecutable } from '../../scripts/lib/bench/machine';
import { chromiumDescendants, removeDir, reportsDir, runLauncher, SCALE_ENABLED, SKIP_REASON, tail } from './run-launcher';

/** A TCP relay to `target` that counts the connections made through it. */
async function countingRelay(target: URL): Promise<{ url: string; connections: () => number; close: () => Promise<void> }> {
  let count = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    count++;
    const upstream = net.connect(Number(target.port), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `ws://127.0.0.1:${port}${target.pathname}`,
    connections: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

test('the suite drives a remote Playwright browser server given by UMA_BROWSER_WS', { skip: SCALE_ENABLED ? false : SKIP_REASON, timeout: 240_000 }, async () => {
  const server = await chromium.launchServer({ executablePath: process.env.UMA_BROWSER_PATH ?? browserExecutable(), args: ['--no-sandbox'] });
  const relay = await countingRelay(new URL(server.wsEndpoint()));
  const dir = reportsDir('remote-browser');
  const localBrowsers = new Set<number>();
  let launcher = 0;
  const watch = setInterval(() => {
    if (launcher) for (const pid of chromiumDescendants(launcher)) localBrowsers.add(pid);
  }, 100);
  try {
    // The detector works: the server's own Chromium is found under this test process.
    assert.ok(chromiumDescendants(process.pid).length > 0, 'the Chromium detector does not see the browser server it started');
    const run = await runLauncher(['--tags', '@claims-gathering'], dir, { UMA_BROWSER_WS: relay.url }, (pid) => (launcher = pid));
    clearInterval(watch);
    assert.equal(run.code, 0, `the suite did not pass with the remote browser:\n${tail(run.output)}`);
    assert.ok(run.scenarios.length >= 2, `only ${run.scenarios.length} browser scenario(s) ran`);
    assert.ok(
      run.scenarios.every((s) => s.status === 'passed'),
      `not every browser scenario passed: ${run.scenarios.filter((s) => s.status !== 'passed').map((s) => s.name).join('; ')}`,
    );
    assert.ok(relay.connections() >= 1, 'the suite never connected to the browser server');
    assert.deepEqual([...localBrowsers], [], 'the suite launched a Chromium of its own although UMA_BROWSER_WS was set');
    removeDir(dir);
  } finally {
    clearInterval(watch);
    await relay.close();
    await server.close();
  }
});
