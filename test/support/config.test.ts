import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError, endpointsKnown, loadConfig, parseEnvFile } from '../../support/config';

const EXTERNAL = { UMA_TARGET: 'external', GG_ADMIN_URL: 'http://gg:8001', GG_PROXY_URL: 'http://gg:8000', OXD_HOST: 'https://gg:8443', CE_URL: 'https://idp.example.org/' };

function problems(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return err.problems;
  }
  return [];
}

test('defaults: sandbox target, auto provisioning, tutorial names, endpoints unknown until the sandbox starts', () => {
  const c = loadConfig({});
  assert.equal(c.target, 'sandbox');
  assert.equal(c.provision, 'auto');
  assert.equal(c.apiPath, '/posts/1');
  assert.equal(c.claimsScope, 'claim_gathering');
  assert.equal(c.tlsInsecure, true);
  assert.equal(endpointsKnown(c), false);
});

test('external: URLs taken, trailing slashes dropped, TLS verified by default', () => {
  const c = loadConfig(EXTERNAL);
  assert.equal(c.ceUrl, 'https://idp.example.org');
  assert.equal(c.tlsInsecure, false);
  assert.equal(endpointsKnown(c), true);
});

test('external without URLs: one problem per missing setting, named', () => {
  const p = problems({ UMA_TARGET: 'external' });
  assert.equal(p.length, 4);
  for (const key of ['GG_ADMIN_URL', 'GG_PROXY_URL', 'OXD_HOST', 'CE_URL']) assert.ok(p.some((m) => m.startsWith(`${key} is required`)), key);
});

test('malformed values are each reported with the value', () => {
  const p = problems({ ...EXTERNAL, UMA_TARGET: 'prod', GG_ADMIN_URL: 'not a url', OXD_HOST: 'ftp://x', UMA_TLS_INSECURE: 'maybe', UMA_HTTP_TIMEOUT_MS: '-5', API_PATH: 'http://h/posts', HOST_WITH_CLAIMS: 'http://h/x' });
  assert.deepEqual(p, [
    'UMA_TARGET must be one of sandbox, external, got "prod"',
    'GG_ADMIN_URL is not a URL: "not a url"',
    'OXD_HOST must be an http or https URL, got "ftp://x"',
    'API_PATH must be a path such as /posts/1 (no scheme or host), got "http://h/posts"',
    'HOST_WITH_CLAIMS must be a host name as in the Kong route\'s hosts (no scheme or path), got "http://h/x"',
    'UMA_TLS_INSECURE must be true or false, got "maybe"',
    'UMA_HTTP_TIMEOUT_MS must be a whole number of milliseconds from 1 to 60000 (a scenario step may take at most 60 s), got "-5"',
  ]);
});

test('contradictory settings: a partial client, existing provisioning without its prerequisites', () => {
  const p = problems({ ...EXTERNAL, UMA_PROVISION: 'existing', CLIENT_ID: 'c' });
  assert.ok(p.some((m) => m.includes('CLIENT_OXD_ID, CLIENT_ID and CLIENT_SECRET together; CLIENT_ID is set but CLIENT_OXD_ID, CLIENT_SECRET are not')));
  assert.ok(p.some((m) => m.startsWith('UMA_PROVISION=existing needs HOST_WITH_CLAIMS')));
  assert.ok(p.some((m) => m.startsWith('UMA_PROVISION=existing needs CLAIMS_REDIRECT_URL')));
  assert.ok(problems({ UMA_PROVISION: 'existing' }).some((m) => m.includes('a fresh sandbox does not have')));
});

test('env file: values read, environment wins, unknown keys and bad lines reported', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uma-env-'));
  const file = path.join(dir, 'env');
  fs.writeFileSync(file, '# comment\nexport UMA_TARGET=external\nGG_ADMIN_URL="http://a:8001"\nGG_PROXY_URL=http://p\nOXD_HOST=https://o\nCE_URL=https://c\n');
  const c = loadConfig({ UMA_ENV_FILE: file, GG_PROXY_URL: 'http://override' });
  assert.equal(c.ggAdminUrl, 'http://a:8001');
  assert.equal(c.ggProxyUrl, 'http://override');
  fs.writeFileSync(file, 'UMA_TARGET=external\nTYPO_KEY=1\njust words\n');
  const p = problems({ UMA_ENV_FILE: file });
  assert.ok(p.includes(`${file} line 3 is not KEY=VALUE (the line is not shown: it may hold a secret)`), p.join('\n'));
  assert.ok(p.some((m) => m.startsWith(`${file} sets TYPO_KEY, which is not a setting`)));
  assert.deepEqual(problems({ UMA_ENV_FILE: path.join(dir, 'missing') }), [`UMA_ENV_FILE "${path.join(dir, 'missing')}" cannot be read (ENOENT)`]);
});

test('API_PATH with or without its leading slash (the tutorial demo writes api_path without one)', () => {
  assert.equal(loadConfig({ ...EXTERNAL, API_PATH: 'posts/1' }).apiPath, '/posts/1');
  assert.equal(loadConfig({ ...EXTERNAL, API_PATH: '/posts/1' }).apiPath, '/posts/1');
  assert.equal(loadConfig({ ...EXTERNAL }).apiPath, '/posts/1');
});

test('a relative UMA_ENV_FILE that cannot be read: the problem shows the path it was resolved to', () => {
  assert.deepEqual(problems({ UMA_ENV_FILE: 'no-such-dir/sandbox.env' }), [
    `UMA_ENV_FILE "no-such-dir/sandbox.env" (resolved to ${path.resolve('no-such-dir/sandbox.env')}) cannot be read (ENOENT)`,
  ]);
});

test('a relative UMA_ENV_FILE typed in another folder than the project root: the problem says where it was read from and why', () => {
  const elsewhere = path.join(os.tmpdir(), 'somewhere-else');
  assert.deepEqual(problems({ UMA_ENV_FILE: '../sandbox.env', INIT_CWD: elsewhere }), [
    `UMA_ENV_FILE "../sandbox.env" (resolved to ${path.resolve('../sandbox.env')}; a relative name is read from ${process.cwd()}, where npm runs the suite, not from ${elsewhere}, where npm was started: give an absolute path) cannot be read (ENOENT)`,
  ]);
  // Started in the project root itself: nothing to explain.
  assert.deepEqual(problems({ UMA_ENV_FILE: 'no-such.env', INIT_CWD: process.cwd() }), [`UMA_ENV_FILE "no-such.env" (resolved to ${path.resolve('no-such.env')}) cannot be read (ENOENT)`]);
});

test('UMA_GRANT_ACCESS_IF_NO_POLICIES: unset is undefined (learnt from the AS), else true or false', () => {
  assert.equal(loadConfig({ ...EXTERNAL }).grantAccessIfNoPolicies, undefined);
  assert.equal(loadConfig({ ...EXTERNAL, UMA_GRANT_ACCESS_IF_NO_POLICIES: 'true' }).grantAccessIfNoPolicies, true);
  assert.equal(loadConfig({ ...EXTERNAL, UMA_GRANT_ACCESS_IF_NO_POLICIES: 'false' }).grantAccessIfNoPolicies, false);
  assert.deepEqual(problems({ ...EXTERNAL, UMA_GRANT_ACCESS_IF_NO_POLICIES: 'maybe' }), ['UMA_GRANT_ACCESS_IF_NO_POLICIES must be true or false, got "maybe"']);
});

test('parseEnvFile strips quotes and export', () => {
  assert.deepEqual(parseEnvFile("export A='x y'\nB=2\n", 'f').values, { A: 'x y', B: '2' });
});

test('the second tutorial: test user as a pair, OIDC_UMA_URL an origin, scope and website defaults', () => {
  const c = loadConfig({ ...EXTERNAL, TEST_USER_NAME: 'test_user', TEST_USER_PASSWORD: ' s3cret pass ', OIDC_UMA_URL: 'https://dev1.gluu.org/' });
  assert.deepEqual(c.testUser, { username: 'test_user', password: ' s3cret pass ' });
  assert.equal(c.oidcUmaUrl, 'https://dev1.gluu.org');
  assert.equal(c.oidcUmaScope, 'with-claims');
  assert.equal(c.websiteUpstreamUrl, 'http://localhost:4400');
  assert.equal(loadConfig(EXTERNAL).testUser, undefined);
  const p = problems({ ...EXTERNAL, TEST_USER_NAME: 'u', OIDC_UMA_URL: 'https://dev1.gluu.org/settings/', OIDC_UMA_SCOPE: 'with claims', WEBSITE_UPSTREAM_URL: 'localhost:4400' });
  assert.deepEqual(p, [
    'the test user needs TEST_USER_NAME and TEST_USER_PASSWORD together; TEST_USER_NAME is set but TEST_USER_PASSWORD is not',
    'OIDC_UMA_URL must be the website\'s origin as the browser reaches it (scheme, host and port only, e.g. https://dev1.gluu.org), got "https://dev1.gluu.org/settings"',
    'OIDC_UMA_SCOPE must be one scope name without spaces, got "with claims"',
    'WEBSITE_UPSTREAM_URL must be an http or https URL, got "localhost:4400"',
  ]);
  assert.ok(problems({ ...EXTERNAL, TEST_USER_PASSWORD: 'p' }).includes('the test user needs TEST_USER_NAME and TEST_USER_PASSWORD together; TEST_USER_PASSWORD is set but TEST_USER_NAME is not'));
});

test('existing with only the second tutorial: OIDC_UMA_URL without the first tutorial\'s objects is valid; half of both is not', () => {
  const c = loadConfig({ ...EXTERNAL, UMA_PROVISION: 'existing', OIDC_UMA_URL: 'https://dev1.gluu.org', TEST_USER_NAME: 'u', TEST_USER_PASSWORD: 'p' });
  assert.equal(c.hostWithClaims, undefined);
  assert.equal(c.oidcUmaUrl, 'https://dev1.gluu.org');
  const p = problems({ ...EXTERNAL, UMA_PROVISION: 'existing', OIDC_UMA_URL: 'https://dev1.gluu.org', HOST_WITH_CLAIMS: 'gathering.example.com' });
  assert.ok(p.some((m) => m.startsWith('UMA_PROVISION=existing needs the consumer OP client')));
});

test('env file: a rejected line is named by its number and setting-like name, its value never shown', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uma-env-'));
  const file = path.join(dir, 'env');
  fs.writeFileSync(file, 'CLIENT_SECRET: s3cr3t-value-xyz\nCLIENT-SECRET=s3cr3t-value-two\nexport GG_ADMIN_URL http://gg:8001\nxK9s3cr3tAloneOnALine\nCLIENT_OXD_ID=a\nCLIENT_ID=b\n');
  const p = problems({ UMA_ENV_FILE: file });
  assert.deepEqual(p.slice(0, 4), [
    `${file} line 1 (CLIENT_SECRET) is not KEY=VALUE: write CLIENT_SECRET=<value> (the value is not shown)`,
    `${file} line 2: CLIENT-SECRET is not a setting name (letters, digits and _ only; the value is not shown)`,
    `${file} line 3 (GG_ADMIN_URL) is not KEY=VALUE: write GG_ADMIN_URL=<value> (the value is not shown)`,
    `${file} line 4 is not KEY=VALUE (the line is not shown: it may hold a secret)`,
  ]);
  // The rejected values stay masked in every other problem that might quote them.
  assert.doesNotMatch(p.join('\n'), /s3cr3t|xK9s/);
});

test('env file: secret-named values are masked in any problem that quotes them; control characters are escaped', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uma-env-'));
  const file = path.join(dir, 'env');
  fs.writeFileSync(file, 'CLIENT_SECRET=s3cr3t-value-xyz\nUMA_TARGET=s3cr3t-value-xyz\nUMA_TLS_INSECURE=\u001b[2J\u001b]0;owned\u0007\nCE_URL=https://idp/x?access_token=tok-123456\n');
  const p = problems({ UMA_ENV_FILE: file }).join('\n');
  assert.doesNotMatch(p, /s3cr3t-value-xyz|tok-123456/);
  assert.match(p, /UMA_TARGET must be one of sandbox, external, got "«masked:[0-9a-f]{6}»"/);
  assert.match(p, /UMA_TLS_INSECURE must be true or false, got "\\u001b\[2J\\u001b\]0;owned\\u0007"/);
  // eslint-disable-next-line no-control-regex
  assert.doesNotMatch(p, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
});

test('env file: a binary file is one problem, none of its bytes shown; many bad lines are counted, not listed', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uma-env-'));
  const file = path.join(dir, 'env');
  fs.writeFileSync(file, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0x1b, 0x5b, 0x32, 0x4a, 0x0a, 0xff, 0xfe]));
  assert.deepEqual(problems({ UMA_ENV_FILE: file }), [`UMA_ENV_FILE ${file} is not a text file of KEY=VALUE lines (it holds NUL or non-UTF-8 bytes)`]);
  fs.writeFileSync(file, Array.from({ length: 9 }, (_, i) => `word${i} more`).join('\n'));
  const p = problems({ UMA_ENV_FILE: file });
  assert.equal(p.length, 6);
  assert.equal(p[5], `${file} has 4 more lines that are not KEY=VALUE`);
});

test('timeouts: a whole number of milliseconds from 1 to 60000; beyond Node\'s timer range too', () => {
  assert.equal(loadConfig({ UMA_HTTP_TIMEOUT_MS: '60000', UMA_BROWSER_TIMEOUT_MS: '1' }).httpTimeoutMs, 60_000);
  assert.deepEqual(problems({ UMA_HTTP_TIMEOUT_MS: '99999999999999', UMA_BROWSER_TIMEOUT_MS: '60001' }), [
    'UMA_HTTP_TIMEOUT_MS must be a whole number of milliseconds from 1 to 60000 (a scenario step may take at most 60 s), got "99999999999999"',
    'UMA_BROWSER_TIMEOUT_MS must be a whole number of milliseconds from 1 to 60000 (a scenario step may take at most 60 s), got "60001"',
  ]);
  assert.equal(problems({ UMA_HTTP_TIMEOUT_MS: '1.5' }).length, 1);
});
