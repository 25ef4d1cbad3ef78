// The line that names what a preflight or a run checked (scripts/lib/doctor/target-line.ts):
// the embedded sandbox or an external deployment, by origins only (a URL's path or query may carry a token).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../support/config';
import { targetLine } from '../../scripts/lib/doctor';

const EXTERNAL = {
  UMA_TARGET: 'external',
  GG_ADMIN_URL: 'http://gg.example.org:8001/admin?apikey=s3cret',
  GG_PROXY_URL: 'http://gg.example.org:8000',
  OXD_HOST: 'https://gg.example.org:8443',
  CE_URL: 'https://idp.example.org',
  HOST_WITH_CLAIMS: 'gathering.example.com',
};

test('an external run names the deployment, its provisioning mode and its origins, never a path or query', () => {
  const line = targetLine(loadConfig(EXTERNAL), false);
  assert.equal(line, 'Target: external deployment (UMA_PROVISION=auto): Kong Admin API http://gg.example.org:8001, proxy http://gg.example.org:8000, oxd https://gg.example.org:8443, AS https://idp.example.org');
  assert.doesNotMatch(line, /s3cret/);
});

test('the sandbox a command started is named as such', () => {
  const cfg = loadConfig({ ...EXTERNAL, UMA_TARGET: 'sandbox' });
  assert.match(targetLine(cfg, true), /^Target: the embedded sandbox \(an emulation of GG 4\.2 \+ Gluu Server 4\.2, started for this command\): Kong Admin API http:\/\/gg\.example\.org:8001, /);
});
