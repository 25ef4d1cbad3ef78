// gateway.md §5: every row of the path-matching table, one case per request.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTree, matchPath, matchPathLikeWebsite, MatcherError, splitPath, treeFor } from '../../../sandbox/kong/path-matcher';

type Registered = Array<[method: string, path: string]>;

function tree(rules: Registered) {
  const t = buildTree(rules.map(([m, p]) => ({ path: p, conditions: [{ httpMethods: [m] }] })));
  assert.ok(t);
  return t;
}

/** [registered rules, request method, request path, expected matched pattern or undefined] */
const ROWS: Array<[Registered, string, string, string | undefined]> = [
  // GET /posts/?? matches /posts, /posts/, /posts/1, /posts/1/comments
  [[['GET', '/posts/??']], 'GET', '/posts', '/posts/??'],
  [[['GET', '/posts/??']], 'GET', '/posts/', '/posts/??'],
  [[['GET', '/posts/??']], 'GET', '/posts/1', '/posts/??'],
  [[['GET', '/posts/??']], 'GET', '/posts/1/comments', '/posts/??'],
  // no match: GET /postsX; POST /posts/1; GET /
  [[['GET', '/posts/??']], 'GET', '/postsX', undefined],
  [[['GET', '/posts/??']], 'POST', '/posts/1', undefined],
  [[['GET', '/posts/??']], 'GET', '/', undefined],
  // GET /?? matches /, /todos, /a/b/c; POST / no match
  [[['GET', '/??']], 'GET', '/', '/??'],
  [[['GET', '/??']], 'GET', '/todos', '/??'],
  [[['GET', '/??']], 'GET', '/a/b/c', '/??'],
  [[['GET', '/??']], 'POST', '/', undefined],
  // GET /posts + GET /posts/?? : GET /posts → /posts/?? (Q5)
  [[['GET', '/posts'], ['GET', '/posts/??']], 'GET', '/posts', '/posts/??'],
  // GET /folder/file: /folder/file/ and /folder/file/1 no match
  [[['GET', '/folder/file']], 'GET', '/folder/file/', undefined],
  [[['GET', '/folder/file']], 'GET', '/folder/file/1', undefined],
  // GET /folder/?/file: /folder/x/file, /folder//file match; /folder/file no
  [[['GET', '/folder/?/file']], 'GET', '/folder/x/file', '/folder/?/file'],
  [[['GET', '/folder/?/file']], 'GET', '/folder//file', '/folder/?/file'],
  [[['GET', '/folder/?/file']], 'GET', '/folder/file', undefined],
  // GET /users/?: /users/1, /users/ match; /users, /users/1/2 no
  [[['GET', '/users/?']], 'GET', '/users/1', '/users/?'],
  [[['GET', '/users/?']], 'GET', '/users/', '/users/?'],
  [[['GET', '/users/?']], 'GET', '/users', undefined],
  [[['GET', '/users/?']], 'GET', '/users/1/2', undefined],
  // GET /path/??/image.jpg
  [[['GET', '/path/??/image.jpg']], 'GET', '/path/image.jpg', '/path/??/image.jpg'],
  [[['GET', '/path/??/image.jpg']], 'GET', '/path/a/b/image.jpg', '/path/??/image.jpg'],
  [[['GET', '/path/??/image.jpg']], 'GET', '/path/a/b/other.jpg', undefined],
  // GET /folder/file + GET /?/x: /folder/x no match (no backtracking); /other/x → /?/x
  [[['GET', '/folder/file'], ['GET', '/?/x']], 'GET', '/folder/x', undefined],
  [[['GET', '/folder/file'], ['GET', '/?/x']], 'GET', '/other/x', '/?/x'],
  // ? /posts/?? : GET /posts/1, DELETE /posts
  [[['?', '/posts/??']], 'GET', '/posts/1', '/posts/??'],
  [[['?', '/posts/??']], 'DELETE', '/posts', '/posts/??'],
  // GET /a + ? /b : GET /b no match; POST /b match
  [[['GET', '/a'], ['?', '/b']], 'GET', '/b', undefined],
  [[['GET', '/a'], ['?', '/b']], 'POST', '/b', '/b'],
  // GET /path/{abc|xyz}: /path/abc, /path/zzabczz (unanchored)
  [[['GET', '/path/{abc|xyz}']], 'GET', '/path/abc', '/path/{abc|xyz}'],
  [[['GET', '/path/{abc|xyz}']], 'GET', '/path/zzabczz', '/path/{abc|xyz}'],
  // GET /?? + POST /posts
  [[['GET', '/??'], ['POST', '/posts']], 'GET', '/posts', '/??'],
  [[['GET', '/??'], ['POST', '/posts']], 'POST', '/posts', '/posts'],
  [[['GET', '/??'], ['POST', '/posts']], 'POST', '/posts/1', undefined],
  [[['GET', '/??'], ['POST', '/posts']], 'PUT', '/posts', undefined],
];

for (const [rules, method, path, expected] of ROWS) {
  const label = rules.map(([m, p]) => `${m} ${p}`).join(' + ');
  test(`§5 [${label}] ${method} ${path} → ${expected ?? 'no match'}`, () => {
    assert.equal(matchPath(tree(rules), method, path)?.path, expected);
  });
}

test('§5 {regex} anchored with ^…$ does not match a longer element', () => {
  const t = tree([['GET', '/path/{^abc$}']]);
  assert.equal(matchPath(t, 'GET', '/path/abc')?.path, '/path/{^abc$}');
  assert.equal(matchPath(t, 'GET', '/path/zzabczz'), undefined);
});

test('§5 priority at one level: exact > regex > ? > ??', () => {
  const t = tree([['GET', '/a/??'], ['GET', '/a/?'], ['GET', '/a/{^x}'], ['GET', '/a/xy']]);
  assert.equal(matchPath(t, 'GET', '/a/xy')?.path, '/a/xy');
  assert.equal(matchPath(t, 'GET', '/a/xz')?.path, '/a/{^x}');
  assert.equal(matchPath(t, 'GET', '/a/q')?.path, '/a/?');
  // `?` took "q" and has nothing below it: no backtracking into `??`
  assert.equal(matchPath(t, 'GET', '/a/q/r'), undefined);
  assert.equal(matchPath(tree([['GET', '/a/??'], ['GET', '/a/xy']]), 'GET', '/a/q/r')?.path, '/a/??');
});

test('§5 regexes are tried in insertion order', () => {
  const t = tree([['GET', '/r/{b}'], ['GET', '/r/{a}']]);
  assert.equal(matchPath(t, 'GET', '/r/ab')?.path, '/r/{b}');
});

test('§5 rule 3: an exact method branch wins over ? and is not backtracked', () => {
  const t = tree([['GET', '/x'], ['?', '/y']]);
  assert.equal(matchPath(t, 'GET', '/y'), undefined);
  assert.equal(matchPath(t, 'PATCH', '/y')?.path, '/y');
});

test('§5 rule 3: ?? as a method fails when the tree is built (request time)', () => {
  const text = JSON.stringify([{ path: '/posts', conditions: [{ httpMethods: ['??'] }] }]);
  assert.throws(() => treeFor(text), MatcherError);
});

test('§5 rule 3: {re} as a method fails when the tree is built', () => {
  assert.throws(() => buildTree([{ path: '/posts', conditions: [{ httpMethods: ['{GET}'] }] }]), MatcherError);
});

test('§5 rule 4: a trailing slash yields an empty last element', () => {
  assert.deepEqual(splitPath('/posts/'), ['posts', '']);
  assert.deepEqual(splitPath('/GET/'), ['GET', '']);
});

test('Q6: invalid JSON in the expression text fails the tree build', () => {
  assert.throws(() => treeFor('[{"path":'), MatcherError);
});

test('the matched rule carries the condition keys but not httpMethods', () => {
  const t = buildTree([{ path: '/p', conditions: [{ httpMethods: ['GET'], scope_expression: { data: ['s'] } }] }]);
  assert.ok(t);
  assert.deepEqual(matchPath(t, 'GET', '/p'), { path: '/p', scope_expression: { data: ['s'] } });
});

test('fix-path-variants-protected (SEC-W11): a folded tree matches as Express routes (any case, one trailing slash optional); stock matching stays exact', () => {
  const rules = [{ path: '/Settings/?', conditions: [{ httpMethods: ['GET'] }] }, { path: '/api/{^v[0-9]+$}/??', conditions: [{ httpMethods: ['GET'] }] }];
  const folded = buildTree(rules, true);
  const exact = buildTree(rules);
  assert.ok(folded && exact);
  for (const [path, expected] of [
    ['/Settings/', '/Settings/?'],
    ['/settings/', '/Settings/?'],
    ['/SETTINGS', '/Settings/?'],
    ['/settings/x', '/Settings/?'],
    ['/API/V2/x', '/api/{^v[0-9]+$}/??'],
    ['/settings/x/y', undefined],
    ['/settingsx', undefined],
    ['/', undefined],
  ] as const) {
    assert.equal(matchPathLikeWebsite(folded, 'GET', path)?.path, expected, path);
  }
  assert.equal(matchPathLikeWebsite(folded, 'POST', '/settings/'), undefined, 'the method is still matched exactly');
  assert.equal(matchPath(exact, 'GET', '/settings/'), undefined);
  assert.equal(matchPath(exact, 'GET', '/Settings'), undefined);
  assert.equal(matchPath(exact, 'GET', '/Settings/')?.path, '/Settings/?');
  assert.notEqual(treeFor(JSON.stringify(rules), true), treeFor(JSON.stringify(rules)), 'cached apart');
});

test('a request element "#" (/x/%23) is the Lua tree\'s rule key: it steps into the rule table (path-wildcard-tree.lua lines 18, 69, 84–88)', () => {
  const rules = [
    { path: '/x', conditions: [{ httpMethods: ['GET'], scopes: ['a'] }] },
    { path: '/x/??', conditions: [{ httpMethods: ['GET'], scopes: ['b'] }] },
  ];
  const t = buildTree(rules);
  assert.ok(t);
  assert.equal(matchPath(t, 'GET', '/x/y')?.path, '/x/??');
  // node["#"] is /x's rule: an exact match, and that table has neither "??" nor "#": no rule, although /x/?? covers /x/anything
  assert.equal(matchPath(t, 'GET', '/x/#'), undefined);
  // the walk goes on in the rule's members: rule.path is the string "/x", rule.scopes a cjson array
  assert.equal(matchPath(t, 'GET', '/x/#/path'), undefined);
  assert.equal(matchPath(t, 'GET', '/x/#/scopes'), undefined);
  // ("/x").len is string.len, a function: indexing it raises; ("/x")[1] is nil: `node[i][REGEXP_KEY]` raises
  assert.throws(() => matchPath(t, 'GET', '/x/#/path/len'), MatcherError);
  assert.throws(() => matchPath(t, 'GET', '/x/#/path/q'), MatcherError);
  // scopes["1"] is nil (a string key), scopes[1] is "a", ("a")["##"] nil → ngx.re.match(item, nil) raises
  assert.throws(() => matchPath(t, 'GET', '/x/#/scopes/1'), /bad argument #2 to 'match'/);
  // without a rule at /x there is no "#" key: the wildcard takes it
  const onlyWildcard = buildTree([rules[1]]);
  assert.ok(onlyWildcard);
  assert.equal(matchPath(onlyWildcard, 'GET', '/x/#')?.path, '/x/??');
  // a regex node's "##" key holds its source: the walk ends in a string, no rule
  const re = buildTree([{ path: '/r/{[0-9]+}/??', conditions: [{ httpMethods: ['GET'] }] }]);
  assert.ok(re);
  assert.equal(matchPath(re, 'GET', '/r/1/##'), undefined);
  assert.equal(matchPath(re, 'GET', '/r/1/z')?.path, '/r/{[0-9]+}/??');
});

test('fix-hash-element-protected (SEC-GW-05): with rulesApart a request element "#" is an element like any other', () => {
  const t = buildTree([
    { path: '/x', conditions: [{ httpMethods: ['GET'] }] },
    { path: '/x/?', conditions: [{ httpMethods: ['GET'] }] },
  ]);
  assert.ok(t);
  assert.equal(matchPath(t, 'GET', '/x/#'), undefined, 'stock: the rule table of /x, no rule');
  assert.equal(matchPath(t, 'GET', '/x/#', true)?.path, '/x/?');
  assert.equal(matchPath(t, 'GET', '/x', true)?.path, '/x');
  assert.equal(matchPath(t, 'GET', '/x/#/y', true), undefined, '/x/? takes one element only');
  const literal = buildTree([{ path: '/x/#', conditions: [{ httpMethods: ['GET'] }] }]);
  assert.ok(literal);
  assert.equal(matchPath(literal, 'GET', '/x/#', true)?.path, '/x/#', 'a registered element "#" is still matched exactly');
  assert.equal(matchPathLikeWebsite(treeFor(JSON.stringify([{ path: '/X', conditions: [{ httpMethods: ['GET'] }] }, { path: '/X/?', conditions: [{ httpMethods: ['GET'] }] }]), true)!, 'GET', '/x/#', true)?.path, '/X/?');
});
