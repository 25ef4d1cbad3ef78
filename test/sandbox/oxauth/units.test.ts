// The building blocks: Java-compatible JSON output, claim semantics,
// JsonLogic, claim-token parsing and the sample policy.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { javaHashOrder, javaStringHash, jacksonPretty, orgJson } from '../../../sandbox/oxauth/java-json';
import { ClaimSet, UnsupportedClaimError } from '../../../sandbox/oxauth/claim-set';
import { jsonLogicTrue } from '../../../sandbox/oxauth/json-logic';
import { parseJwt } from '../../../sandbox/oxauth/claim-token';
import { AuthorizationContext, Claims, RedirectParameters, SAMPLE_RPT_POLICY, javaUrlEncode } from '../../../sandbox/oxauth/policies';
import { Faults } from '../../../sandbox/faults';
import { javaCookieDate } from '../../../sandbox/oxauth/uma-session';
import { errorJson } from '../../../sandbox/oxauth/errors';

describe('Java-compatible JSON', () => {
  it('computes String#hashCode', () => {
    assert.equal(javaStringHash(''), 0);
    assert.equal(javaStringHash('a'), 97);
    assert.equal(javaStringHash('hello'), 99162322);
    assert.equal(javaStringHash('customUserParam1'), javaStringHash('customUserParam2') - 1);
  });

  it('orders keys like java.util.HashMap (customUserParam2 before customUserParam1, oxauth.md §3.5)', () => {
    assert.deepEqual(javaHashOrder(['customUserParam1', 'customUserParam2']), ['customUserParam2', 'customUserParam1']);
    assert.deepEqual(javaHashOrder(['error', 'error_description']), ['error_description', 'error']);
    assert.deepEqual(javaHashOrder(['a', 'b', 'a']), ['a', 'b']);
  });

  it('writes org.json toString(4): one-member objects and arrays inline', () => {
    assert.equal(orgJson({ error: 'x', error_description: 'y' }, 4), '{\n    "error_description": "y",\n    "error": "x"\n}');
    assert.equal(orgJson({ keys: [{ a: 1 }] }, 4), '{"keys": [{"a": 1}]}');
    assert.equal(orgJson({ a: [1, 2], b: null }, 4), '{\n    "a": [\n        1,\n        2\n    ],\n    "b": null\n}');
    assert.equal(orgJson({ a: 1, b: 'x' }), '{"a":1,"b":"x"}');
    assert.equal(orgJson({ u: '</x>' }), '{"u":"<\\/x>"}');
    assert.equal(orgJson({ u: '</x>' }, 0, true), '{"u":"</x>"}');
  });

  it('writes Jackson DefaultPrettyPrinter', () => {
    assert.equal(jacksonPretty({ a: [], b: null, c: ['x', 'y'] }), '{\n  "a" : [ ],\n  "b" : null,\n  "c" : [ "x", "y" ]\n}');
  });

  it('renders error bodies with reason only when enabled and non-blank', () => {
    assert.equal(errorJson('uma', 'invalid_pct', 'r', false), '{\n    "error_description": "PCT is invalid (revoked, expired or does not exist anymore on AS)",\n    "error": "invalid_pct"\n}');
    assert.equal(errorJson('uma', 'invalid_pct', ' ', true), errorJson('uma', 'invalid_pct', 'r', false));
    assert.ok(errorJson('uma', 'invalid_pct', 'r', true).startsWith('{\n    "reason": "r",'));
  });

  it('formats cookie dates like SimpleDateFormat("E, dd MMM yyyy HH:mm:ss Z") in UTC', () => {
    assert.equal(javaCookieDate(Date.UTC(2020, 10, 28, 4, 6, 0)), 'Sat, 28 Nov 2020 04:06:00 +0000');
  });
});

describe('claims', () => {
  it('turns a second string into a list without override (JwtClaimSet.setClaimObject)', () => {
    const c = new ClaimSet();
    c.setClaimObject('country', 'US', false);
    c.setClaimObject('country', 'US', false);
    assert.deepEqual(c.get('country'), ['US', 'US']);
    c.setClaimObject('country', 'FR', true);
    assert.equal(c.get('country'), 'FR');
    assert.throws(() => c.setClaimObject('x', null, false), UnsupportedClaimError);
    assert.throws(() => c.setClaimObject('x', 1.5, false), UnsupportedClaimError);
  });

  it('renders every value as a list of strings (toMap)', () => {
    const c = ClaimSet.from({ a: 'x', b: 5, c: true, d: ['p', 'q'] });
    assert.deepEqual(c.toStringLists(), { a: ['x'], b: ['5'], c: ['true'], d: ['p', 'q'] });
  });

  it('looks up script values, then the claim token, then the PCT (Claims.java)', () => {
    const pct = ClaimSet.from({ country: 'FR', city: 'Paris' });
    const claims = new Claims({ country: 'US' }, pct);
    assert.equal(claims.get('country'), 'US');
    assert.equal(claims.get('city'), 'Paris');
    assert.equal(claims.has('zip'), false);
    claims.put('city', 'NY');
    assert.equal(claims.get('city'), 'NY');
  });
});

describe('sample uma_rpt_policy', () => {
  const ctx = (token: Record<string, string | undefined>, faults: Faults = new Faults()) => new AuthorizationContext('https://as.example.org', new Claims(token as Record<string, string>, undefined), faults);

  it('authorizes exactly country "US" and city "NY", case-sensitive', () => {
    assert.equal(SAMPLE_RPT_POLICY.authorize(ctx({ country: 'US', city: 'NY' })), true);
    for (const t of [{ country: 'us', city: 'NY' }, { country: 'US', city: 'ny' }, { country: 'US' }, { country: 'US ', city: 'NY' }]) {
      assert.equal(SAMPLE_RPT_POLICY.authorize(ctx(t)), false);
    }
  });

  it('requires country and city with the issuer and adds the redirect params', () => {
    const c = ctx({});
    const defs = SAMPLE_RPT_POLICY.getRequiredClaims(c);
    assert.deepEqual(defs.map((d) => [d.name, d.issuer[0]]), [['country', 'https://as.example.org'], ['city', 'https://as.example.org']]);
    assert.equal(SAMPLE_RPT_POLICY.getClaimsGatheringScriptName(c), 'sampleClaimsGathering');
    assert.equal(c.redirectUserParameters.buildQueryString(), 'customUserParam2=value2&customUserParam1=value1');
  });

  it('encodes redirect parameter values with URLEncoder', () => {
    const p = new RedirectParameters();
    p.add('k', 'a b/ü');
    assert.equal(p.buildQueryString(), 'k=a+b%2F%C3%BC');
    assert.equal(javaUrlEncode("*-._!'()~"), "*-._%21%27%28%29%7E");
  });
});

describe('JsonLogic subset', () => {
  it('combines per-scope results', () => {
    assert.equal(jsonLogicTrue({ and: [{ var: 0 }] }, [true]), true);
    assert.equal(jsonLogicTrue({ and: [{ var: 0 }, { var: 1 }] }, [true, false]), false);
    assert.equal(jsonLogicTrue({ or: [{ var: 0 }, { var: 1 }] }, [false, true]), true);
    assert.equal(jsonLogicTrue({ '!': [{ var: 0 }] }, [false]), true);
    assert.equal(jsonLogicTrue({ if: [{ var: 0 }, true, false] }, [false]), false);
    assert.throws(() => jsonLogicTrue({ foo: [] }, []));
  });
});

describe('claim token parsing (Jwt.parse)', () => {
  it('accepts two or three parts with JSON objects', () => {
    assert.deepEqual(parseJwt('eyJhbGciOiJub25lIn0.eyJhIjoxfQ.')?.claims, { a: 1 });
    assert.deepEqual(parseJwt('eyJhbGciOiJub25lIn0.eyJhIjoxfQ')?.claims, { a: 1 });
    assert.equal(parseJwt('eyJhbGciOiJub25lIn0.eyJhIjoxfQ.c2ln')?.signature, 'c2ln');
  });
  it('refuses other shapes', () => {
    assert.equal(parseJwt('not-a-jwt'), undefined);
    assert.equal(parseJwt('a.b.c.d'), undefined);
    assert.equal(parseJwt('eyJhbGciOiJub25lIn0.WzFd.'), undefined);
  });
});
