// Everything the doctor prints or records passes through here: known secret
// values (CLIENT_SECRET, tokens it received) and secret-named members of any
// quoted JSON or URL are masked (support/mask.ts does the masking itself).
import { isSecretKey, maskParams, maskToken, type Secrets } from '../../../support/mask';

/** `"access_token":"…"` style members inside quoted JSON text, also when the text ends inside the value (a truncated body). */
function maskJsonMembers(text: string): string {
  return text.replace(/"([A-Za-z_][A-Za-z0-9_]*)"(\s*:\s*)"([^"]*)("|$)/g, (m, key: string, colon: string, value: string, end: string) =>
    isSecretKey(key) && value ? `"${key}"${colon}"${maskToken(value)}${end}` : m,
  );
}

/** `?token=…` style parameters inside URLs quoted in free text. */
function maskUrlParams(text: string, secrets: Secrets): string {
  return text.replace(/\S*\?\S*/g, (word) => maskParams(word, secrets));
}

export function maskDetail(text: string, secrets: Secrets): string {
  return secrets.maskText(maskUrlParams(maskJsonMembers(text), secrets));
}
