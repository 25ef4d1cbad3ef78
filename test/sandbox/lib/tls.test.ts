import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { makeSelfSignedCertificate } from '../../../sandbox/lib/tls';

test('every certificate made at start parses and verifies (300 in a row)', async () => {
  for (let i = 0; i < 300; i++) {
    const x = new crypto.X509Certificate((await makeSelfSignedCertificate()).cert);
    assert.ok(x.verify(x.publicKey));
  }
});

test('the certificate: EC P-256, ECDSA SHA-256, names localhost and 127.0.0.1, valid from a day back for the given days, and serves TLS', async () => {
  const { key, cert } = await makeSelfSignedCertificate('localhost', 30);
  const x = new crypto.X509Certificate(cert);
  assert.equal(x.subject, 'CN=localhost');
  assert.equal(x.issuer, 'CN=localhost');
  assert.equal(x.subjectAltName, 'DNS:localhost, IP Address:127.0.0.1');
  assert.equal(x.publicKey.asymmetricKeyType, 'ec');
  assert.equal(x.publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');
  assert.equal(x.ca, false);
  const from = Date.parse(x.validFrom);
  const to = Date.parse(x.validTo);
  assert.ok(Math.abs(Date.now() - 86_400_000 - from) < 120_000, `valid from ${x.validFrom}`);
  assert.ok(Math.abs(to - from - 31 * 86_400_000) < 120_000, `valid to ${x.validTo}`);
  assert.ok(x.checkPrivateKey(crypto.createPrivateKey(key)), 'the key is the certificate’s');
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
