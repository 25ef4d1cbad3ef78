import * as crypto from 'node:crypto';

export const uuid = (): string => crypto.randomUUID();

/**
 * oxAuth's opaque token code (RPT, PCT): a random UUID, "_", then eight
 * groups of four upper-case hex digits joined by "." (oxauth.md §3.4).
 */
export function gluuCode(): string {
  const groups = Array.from({ length: 8 }, () => crypto.randomBytes(2).toString('hex').toUpperCase());
  return `${uuid()}_${groups.join('.')}`;
}

/** Seconds since the epoch, the unit of every exp/iat on the wire. */
export const nowSeconds = (): number => Math.floor(Date.now() / 1000);
