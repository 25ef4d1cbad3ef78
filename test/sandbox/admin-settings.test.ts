// Issue 14 items 8 and 9: the sandbox's oxAuth starts with CES 4.2's defaults
// (umaGrantAccessIfNoPolicies=false); the tutorial's administrator turns it on,
// and --preset tutorial / --admin tutorial do so unless --as-setting says otherwise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCli, UsageError } from '../../sandbox/cli';
import { defaultSettings } from '../../sandbox/settings';

test('the default AS settings are CES 4.2\'s: umaGrantAccessIfNoPolicies=false', () => {
  assert.equal(defaultSettings().as.umaGrantAccessIfNoPolicies, false);
  const o = parseCli([]);
  assert.equal(o.settings.as.umaGrantAccessIfNoPolicies, false);
  assert.deepEqual(o.adminAsSettings, {});
});

test('--preset tutorial makes the admin\'s change and says which', () => {
  const o = parseCli(['--preset', 'tutorial']);
  assert.equal(o.settings.as.umaGrantAccessIfNoPolicies, true);
  assert.deepEqual(o.adminAsSettings, { umaGrantAccessIfNoPolicies: true });
});

test('--preset oidc-uma alone changes no oxAuth setting', () => {
  const o = parseCli(['--preset', 'oidc-uma']);
  assert.equal(o.settings.as.umaGrantAccessIfNoPolicies, false);
  assert.deepEqual(o.adminAsSettings, {});
});

test('--admin tutorial: the admin\'s oxAuth settings without the Kong objects (npm test\'s sandbox)', () => {
  const o = parseCli(['--admin', 'tutorial']);
  assert.deepEqual(o.presets, []);
  assert.equal(o.settings.as.umaGrantAccessIfNoPolicies, true);
  assert.throws(() => parseCli(['--admin', 'other']), new UsageError('--admin: unknown administrator\'s settings "other" (only tutorial)'));
});

test('an explicit --as-setting wins over the preset, in either order', () => {
  for (const argv of [
    ['--preset', 'tutorial', '--as-setting', 'umaGrantAccessIfNoPolicies=false'],
    ['--as-setting', 'umaGrantAccessIfNoPolicies=false', '--admin', 'tutorial'],
  ]) {
    const o = parseCli(argv);
    assert.equal(o.settings.as.umaGrantAccessIfNoPolicies, false, argv.join(' '));
    assert.deepEqual(o.adminAsSettings, {}, argv.join(' '));
  }
});
