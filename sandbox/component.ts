// What each emulated product hands to the stack: how it answers requests,
// and how the real product answers a body that is too large or a crash.
import type { Served } from './lib/http';
import type { SandboxSettings } from './settings';

export interface Component extends Served {
  name: string;
}

/** Base URLs of every listener, as clients reach them (no trailing slash). */
export interface StackUrls {
  kongAdmin: string;
  kongProxy: string;
  oxd: string;
  /** The AS issuer. */
  oxauth: string;
  upstream: string;
  echo: string;
  /** The oidc-uma tutorial's demo website (plain HTTP). */
  website: string;
}

export interface ComponentContext {
  settings: SandboxSettings;
  urls: StackUrls;
  log: (component: string, message: string) => void;
  /** Told every secret a component hands out, when the sandbox records them (`--record-secrets FILE`). */
  recordSecret?: (value: string) => void;
}
