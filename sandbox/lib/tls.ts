// A self-signed certificate made at start, like the keystore oxd and a fresh
// Gluu install ship with: an EC P-256 key, CN and subjectAltName localhost
// and 127.0.0.1, signed with ECDSA SHA-256. Made with the `selfsigned`
// package (MIT; @peculiar/x509 underneath) rather than by hand: a hand-written
// DER writer once made 1 start in 512 fail (issue 14 item 15).
import { generate } from 'selfsigned';

export interface SelfSigned {
  key: string;
  cert: string;
}

const DAY_MS = 86_400_000;

export async function makeSelfSignedCertificate(commonName = 'localhost', days = 365): Promise<SelfSigned> {
  const now = Date.now();
  const pems = await generate([{ name: 'commonName', value: commonName }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    // From a day back, so that a clock a little behind still accepts it.
    notBeforeDate: new Date(now - DAY_MS),
    notAfterDate: new Date(now + days * DAY_MS),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}
