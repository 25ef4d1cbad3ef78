// The pushed claim token of flow C: an unsigned ID-token-format JWT whose
// top-level claims the sample policy reads (reference README, flow C).

const b64url = (s: string) => Buffer.from(s, 'utf8').toString('base64url');

export function unsignedClaimToken(issuer: string, claims: Record<string, string>): string {
  const header = b64url(JSON.stringify({ typ: 'JWT', alg: 'none' }));
  const payload = b64url(JSON.stringify({ iss: issuer, sub: 'conformance-rqp', ...claims }));
  return `${header}.${payload}.`;
}
