// Everything a sandbox start can be told. Defaults are the tutorial's
// environment: the settings an administrator makes in oxTrust and the
// products' shipped defaults (oxauth.md §11, oxd.md §1, gateway.md §0).
import * as crypto from 'node:crypto';
import { Faults } from './faults';

export interface Ports {
  kongAdmin: number;
  kongProxy: number;
  oxd: number;
  oxauth: number;
  upstream: number;
  echo: number;
  /** The second tutorial's demo website (gg-demo/node-ejs, port 4400 in GG's demo). */
  website: number;
}

/** Fixed ports for a hand-started sandbox; the suite asks for ephemeral ones (0). */
export const DEFAULT_PORTS: Ports = {
  kongAdmin: 18001,
  kongProxy: 18000,
  oxd: 18443,
  oxauth: 18444,
  upstream: 13000,
  echo: 13001,
  website: 14400,
};

export interface UmaScopeSetting {
  /** The scope oxId, the string used in resource_scopes. */
  id: string;
  /** Names of the uma_rpt_policy scripts attached (oxUmaPolicyScriptDn). */
  policies: string[];
}

/** The user's attributes oxAuth maps to OpenID Connect claims (CES attributes.ldif names). */
export interface TestUserClaims {
  name?: string;
  given_name?: string;
  family_name?: string;
  preferred_username?: string;
  email?: string;
  email_verified?: boolean;
  picture?: string;
}

/** A person in ou=people: what the login page checks and userinfo tells. */
export interface TestUser {
  username: string;
  password: string;
  claims: TestUserClaims;
}

/** The tutorial's test user; the password is new at every start (contract §2). */
export function defaultTestUser(): TestUser {
  return {
    username: 'test_user',
    password: crypto.randomBytes(15).toString('base64url'),
    claims: {
      name: 'Test User',
      given_name: 'Test',
      family_name: 'User',
      preferred_username: 'test_user',
      email: 'test_user@example.org',
      email_verified: true,
    },
  };
}

export interface AsSettings {
  umaGrantAccessIfNoPolicies: boolean;
  umaValidateClaimToken: boolean;
  umaRptLifetime: number;
  umaTicketLifetime: number;
  /**
   * oxAuth's cleanServiceInterval (s; CES 4.2 oxauth-config.json: 60): expired tickets stay usable
   * until the cleaner removes them (CleanerTimer). Negative: the cleaner never runs.
   */
  cleanServiceInterval: number;
  /**
   * How often CleanerTimer's event fires (s). oxAuth fixes it at 30 (DEFAULT_INTERVAL); a sandbox-only
   * knob so a probe can use a short ticket lifetime without waiting half a minute.
   */
  cleanerTimerTick: number;
  umaPctLifetime: number;
  umaResourceLifetime: number;
  umaAddScopesAutomatically: boolean;
  errorReasonEnabled: boolean;
  /** Custom scripts switched on in oxTrust > Manage Custom Scripts. */
  enabledScripts: string[];
  scopes: UmaScopeSetting[];
  /** Lifetime of client-credentials access tokens (oxAuth accessTokenLifetime). */
  accessTokenLifetime: number;
  /** People who can log in at the authorization endpoint. */
  users: TestUser[];
}

export interface SandboxSettings {
  host: string;
  ports: Ports;
  /**
   * Public base URLs, as clients see them (Apache or a load balancer may sit
   * in front). Empty means "derive from host and the bound port". The AS
   * builds every URL it hands out from `publicUrls.oxauth`.
   */
  publicUrls: Partial<Record<keyof Ports, string>>;
  as: AsSettings;
  oxd: {
    /** bind_ip_addresses in oxd-server.yml; empty means 127.0.0.1 only. */
    bindIpAddresses: string[];
  };
  kong: { version: string };
  faults: Faults;
}

export function tutorialAsSettings(): AsSettings {
  return {
    // CES 4.2 ships false (oxauth-config.json, oxauth.md §11). The tutorial's no-claims route
    // (flow C′) needs true: the admin turns it on in oxTrust (README, setup step 9), which
    // `--preset tutorial` does too (TUTORIAL_ADMIN_AS_SETTINGS), unless --as-setting says otherwise.
    umaGrantAccessIfNoPolicies: false,
    umaValidateClaimToken: false,
    umaRptLifetime: 3600,
    umaTicketLifetime: 3600,
    cleanServiceInterval: 60,
    cleanerTimerTick: 30,
    umaPctLifetime: 2_592_000,
    umaResourceLifetime: 2_592_000,
    umaAddScopesAutomatically: true,
    errorReasonEnabled: false,
    enabledScripts: ['uma_rpt_policy', 'sampleClaimsGathering'],
    scopes: [
      { id: 'claim_gathering', policies: ['uma_rpt_policy'] },
      { id: 'non_claim_gathering', policies: [] },
      // Tutorial 2's "Gluu Server configuration" step (oidc-uma.md §1.4, contract §5).
      { id: 'with-claims', policies: ['uma_rpt_policy'] },
    ],
    accessTokenLifetime: 299,
    users: [defaultTestUser()],
  };
}

/**
 * The oxAuth settings the first tutorial tells the administrator to change in
 * oxTrust: for flow C′ "a second route … whose scope has no policy, with
 * `umaGrantAccessIfNoPolicies=true`" (shared/reference/README.md, set-up step 9;
 * oxauth.md §11: CES ships false). `--preset tutorial` applies them, as the
 * admin would; an explicit `--as-setting` wins.
 */
export const TUTORIAL_ADMIN_AS_SETTINGS: Partial<AsSettings> = { umaGrantAccessIfNoPolicies: true };

export function defaultSettings(): SandboxSettings {
  return {
    host: '127.0.0.1',
    ports: { ...DEFAULT_PORTS },
    publicUrls: {},
    as: tutorialAsSettings(),
    oxd: { bindIpAddresses: [] },
    kong: { version: '2.2.1' },
    faults: new Faults(),
  };
}
