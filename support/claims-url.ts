// The two ways the tutorial builds the claims-gathering URL (step 3 of
// "Steps by Steps implementation").
import * as crypto from 'node:crypto';

/** The tutorial's shortcut: redirect_user + "&claims_redirect_uri=" + URI, raw, without state. */
export function fromRedirectUser(redirectUser: string, claimsRedirectUri: string): string {
  return `${redirectUser}&claims_redirect_uri=${claimsRedirectUri}`;
}

/** An unguessable state, as UMA 2.0 recommends the client always send (§3.3.2). */
export function newState(): string {
  return crypto.randomBytes(16).toString('hex');
}

/** Replaces (or removes, with undefined) one query parameter of a URL. */
export function withParam(url: string, name: string, value: string | undefined): string {
  const u = new URL(url);
  if (value === undefined) u.searchParams.delete(name);
  else u.searchParams.set(name, value);
  return u.toString();
}
