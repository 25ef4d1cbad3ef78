import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import { maskTrace, _forTests } from '../../support/trace-masking';
import { Secrets } from '../../support/mask';
import { chooseExecutable } from '../../support/clients/claims-browser';

const { readZip, writeZip } = _forTests;

test('masks cookies, credential headers and known secrets in JSON-lines entries; binary entries untouched', () => {
  const network = [
    JSON.stringify({ type: 'resource-snapshot', snapshot: { request: { url: 'https://as/x', headers: [{ name: 'Cookie', value: 'uma_session_id=SESSION-SECRET-1' }, { name: 'Accept', value: '*/*' }], cookies: [{ name: 'uma_session_id', value: 'SESSION-SECRET-1' }] }, response: { headers: [{ name: 'Set-Cookie', value: 'opbs=OPBS-SECRET-2; Path=/' }] } } }),
    'not json with KNOWN-SECRET-3 inside',
  ].join('\n');
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]);
  const secrets = new Secrets();
  secrets.add('KNOWN-SECRET-3');
  const masked = readZip(maskTrace(writeZip([{ name: 'trace.network', data: Buffer.from(network) }, { name: 'resources/a.png', data: png }]), secrets));
  assert.deepEqual(masked.map((e) => e.name), ['trace.network', 'resources/a.png']);
  const text = masked[0].data.toString();
  for (const s of ['SESSION-SECRET-1', 'OPBS-SECRET-2', 'KNOWN-SECRET-3']) assert.ok(!text.includes(s), `${s} still in the trace`);
  assert.ok(text.includes('"name":"Accept","value":"*/*"'), 'harmless headers kept');
  assert.deepEqual(masked[1].data, png);
});

test('a real Playwright trace of a page that sets a cookie keeps no cookie value once masked', { skip: !chooseExecutable() && 'no Chromium here' }, async () => {
  const { chromium } = await import('playwright');
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'Set-Cookie': 'uma_session_id=REAL-TRACE-SECRET-42; Path=/; HttpOnly', 'Content-Type': 'text/html' });
    res.end('<title>t</title><a href="/next">next</a>');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const browser = await chromium.launch({ executablePath: chooseExecutable(), args: ['--no-sandbox'] });
  try {
    const context = await browser.newContext();
    await context.tracing.start({ screenshots: true, snapshots: true });
    const page = await context.newPage();
    await page.goto(url);
    await page.goto(`${url}next`);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'trace-')), 'trace.zip');
    await context.tracing.stop({ path: file });
    const raw = fs.readFileSync(file);
    assert.ok(readZip(raw).some((e) => e.data.includes('REAL-TRACE-SECRET-42')), 'the raw trace should hold the cookie (else this test proves nothing)');
    const masked = readZip(maskTrace(raw, new Secrets()));
    assert.equal(masked.length, readZip(raw).length);
    for (const e of masked) assert.ok(!e.data.includes('REAL-TRACE-SECRET-42'), `cookie value left in ${e.name}`);
  } finally {
    await browser.close();
    server.close();
  }
});
