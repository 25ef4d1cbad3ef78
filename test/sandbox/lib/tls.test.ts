import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { makeSelfSignedCertificate } from '../../../sandbox/lib/tls';

test('every certificate made at start parses and verifies (2000 in a row: the serial number is always valid DER)', () => {
  for (let i = 0; i < 2000; i++) {
    const x = new crypto.X509Certificate(makeSelfSignedCertificate().cert);
    assert.ok(x.verify(x.publicKey));
  }
});

test('the certificate names localhost and 127.0.0.1 and serves TLS', async () => {
  const { key, cert } = makeSelfSignedCertificate();
  const x = new crypto.X509Certificate(cert);
  assert.equal(x.subject, 'CN=localhost');
  assert.equal(x.subjectAltName, 'DNS:localhost, IP Address:127.0.0.1');
  const server = https.createServer({ key, cert }, (_req, res) => res.end('ok'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const body = await new Promise<string>((resolve, reject) => {
    https.get({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, rejectUnauthorized: false }, (res) => {
      let b = '';
      res.on('data', (d: Buffer) => (b += d.toString()));
      res.on('end', () => resolve(b));
    }).on('error', reject);
  });
  server.close();
  assert.equal(body, 'ok');
});
