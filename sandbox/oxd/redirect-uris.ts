// Utils.isValidUrl (oxd @ version_4.2.3 Utils.java lines 89–102): how oxd
// judges a redirect URI in register-site, update-site and
// get-authorization-url.
import { OxdError } from './errors';
import { isBlank } from './params';

// java.net.URL accepts only schemes it has a handler for.
const JAVA_URL_SCHEMES = new Set(['http', 'https', 'ftp', 'file', 'jar', 'mailto', 'netdoc']);

/** Not blank, no fragment (its own error), parseable by java.net.URL. */
export function isValidUrl(url: string | null): boolean {
  if (isBlank(url)) return false;
  const u = url as string;
  if (u.includes('#')) throw new OxdError('REDIRECT_URI_HAS_FRAGMENT_COMPONENT');
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(u);
  return m !== null && JAVA_URL_SCHEMES.has(m[1].toLowerCase());
}
