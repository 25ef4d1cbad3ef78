// The suite's Kong Admin client looks a consumer up by custom_id and takes
// only the one asked for (Kong 2.2 kong/api/routes/consumers.lua filters;
// an Admin API that does not must not make the suite use another consumer).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpClient } from '../../support/http';
import { KongAdmin } from '../../support/clients/kong-admin';
import { SetupError } from '../../support/errors';

const consumer = (n: string) => ({ id: `00000000-0000-4000-8000-00000000000${n}`, username: `u${n}`, custom_id: `cid-${n}`, created_at: 1, tags: null });
let answer: { data: unknown[]; next: null } = { data: [], next: null };
const asked: string[] = [];
let server: http.Server;
let kong: KongAdmin;

before(async () => {
  server = http.createServer((req, res) => {
    asked.push(req.url ?? '');
    res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' }).end(JSON.stringify(answer));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  kong = new KongAdmin(new HttpClient('Kong Admin API', { timeoutMs: 2000, tlsInsecure: false }), `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});

after(() => new Promise<void>((r) => server.close(() => r())));

test('the consumer whose custom_id is the one asked for, wherever it is in the list', async () => {
  answer = { data: [consumer('1'), consumer('2')], next: null };
  assert.deepEqual(await kong.consumerByCustomId('cid-2'), consumer('2'));
  assert.equal(asked.at(-1), '/consumers?custom_id=cid-2');
});

test('an empty list: Kong has no such consumer (undefined)', async () => {
  answer = { data: [], next: null };
  assert.equal(await kong.consumerByCustomId('cid-9'), undefined);
});

test('other consumers only: the Admin API ignored the filter, said so, never another consumer taken', async () => {
  answer = { data: [consumer('1')], next: null };
  await assert.rejects(
    kong.consumerByCustomId('cid-9'),
    (err: unknown) =>
      err instanceof SetupError &&
      err.message === 'Kong answered GET /consumers?custom_id=cid-9 with 1 consumer(s) of other custom_ids and not the one asked for: its Admin API did not filter by custom_id as Kong 2.2 does',
  );
});
