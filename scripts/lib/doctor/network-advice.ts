// What to do when an endpoint could not be reached. The HttpClient already
// says what happened in plain words (support/http.ts NETWORK_WORDS); this
// turns that into the next step for the person running the suite.

/** Advice for an EnvironmentError message about `setting`'s endpoint at `url`. */
export function networkAdvice(message: string, setting: string, url: string): string {
  const https = url.startsWith('https:');
  if (/TLS certificate/.test(message)) {
    if (/expired|another host name/.test(message)) return `Fix the TLS certificate of ${url}, or correct ${setting} to the host name the certificate names.`;
    return `TLS: the certificate of ${url} does not verify. Give the server a certificate from a trusted CA, or set UMA_TLS_INSECURE=true to accept self-signed certificates (oxd and fresh Gluu installs use them).`;
  }
  if (/expected protocol/.test(message)) {
    return https
      ? `${setting} says https but the server speaks plain http: write ${url.replace(/^https:/, 'http:')} (or point ${setting} at the TLS port).`
      : `${setting} says http but the server does not speak plain http: try ${url.replace(/^http:/, 'https:')}.`;
  }
  if (/refused the connection/.test(message)) return `Start the service, or correct the host and port in ${setting}.`;
  if (/does not resolve/.test(message)) return `Correct the host name in ${setting} (it does not resolve from this machine).`;
  if (/did not answer in time/.test(message)) {
    return `Check that ${setting} is reachable from this machine (firewall, VPN, proxy), or raise UMA_DOCTOR_TIMEOUT_MS if it is just slow.`;
  }
  if (/closed the connection/.test(message)) {
    return https ? `Check ${setting}: the server dropped the connection.` : `Check ${setting}: the server dropped the connection; if it serves HTTPS, write ${url.replace(/^http:/, 'https:')}.`;
  }
  if (/aborted|hang up/.test(message)) return `The server stopped in the middle of its answer: check that ${setting} points at the service itself and that it is healthy.`;
  return `Check ${setting} and that the service is running.`;
}
