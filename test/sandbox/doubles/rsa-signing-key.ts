// An RSA signing key with a self-signed certificate, published the way
// oxAuth's JWKS publishes keys (kid, alg, x5c, exp in milliseconds), for
// tests of GG's local JWT-RPT verification. Minimal DER writer, no openssl.
import * as crypto from 'node:crypto';

function len(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
const tlv = (tag: number, content: Buffer) => Buffer.concat([Buffer.from([tag]), len(content.length), content]);
const seq = (...items: Buffer[]) => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]) => tlv(0x31, Buffer.concat(items));
const nullDer = () => Buffer.from([0x05, 0x00]);
function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const bytes = [parts[0] * 40 + parts[1]];
  for (const p of parts.slice(2)) {
    const chunk: number[] = [p & 0x7f];
    for (let v = p >> 7; v > 0; v >>= 7) chunk.unshift((v & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return tlv(0x06, Buffer.from(bytes));
}
const utcTime = (d: Date) => tlv(0x17, Buffer.from(d.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z', 'ascii'));

export interface RsaSigningKey {
  kid: string;
  alg: 'RS256' | 'RS384' | 'RS512';
  privateKey: crypto.KeyObject;
  /** The JWKS entry as oxAuth publishes it. */
  jwk: Record<string, unknown>;
}

export function makeRsaSigningKey(kid: string, alg: RsaSigningKey['alg'] = 'RS256'): RsaSigningKey {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const algId = seq(oid('1.2.840.113549.1.1.11'), nullDer()); // sha256WithRSAEncryption
  const name = seq(set(seq(oid('2.5.4.3'), tlv(0x0c, Buffer.from('oxAuth CA Certificates', 'utf8')))));
  const now = Date.now();
  const tbs = seq(
    tlv(0xa0, tlv(0x02, Buffer.from([2]))),
    tlv(0x02, Buffer.from([1])),
    algId,
    name,
    seq(utcTime(new Date(now - 60_000)), utcTime(new Date(now + 365 * 86400_000))),
    name,
    spki,
  );
  const signature = crypto.sign('sha256', tbs, privateKey);
  const cert = seq(tbs, algId, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const pub = publicKey.export({ format: 'jwk' });
  return {
    kid,
    alg,
    privateKey,
    jwk: { kid, kty: 'RSA', use: 'sig', alg, n: pub.n, e: pub.e, x5c: [cert.toString('base64')], exp: now + 48 * 3600_000 },
  };
}

/** A JWS signed with the key (header alg/kid overridable for negative tests). */
export function signJwt(key: RsaSigningKey, payload: Record<string, unknown>, header: Record<string, unknown> = {}): string {
  const h = Buffer.from(JSON.stringify({ typ: 'JWT', alg: key.alg, kid: key.kid, ...header })).toString('base64url');
  const p = Buffer.from(JSON.stringify(payload)).toString('base64url');
  const digest = key.alg === 'RS256' ? 'sha256' : key.alg === 'RS384' ? 'sha384' : 'sha512';
  const sig = crypto.sign(digest, Buffer.from(`${h}.${p}`), key.privateKey).toString('base64url');
  return `${h}.${p}.${sig}`;
}
