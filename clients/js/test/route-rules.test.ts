import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  RouteRules,
  RouteRulesError,
  coversPath,
  pathReadings,
  type RouteDecision,
  type RouteRulesConfig,
} from '@gatehouse/client/next';

// The rule set of SPEC §7.
const SPEC_RULES: RouteRulesConfig = {
  loginPath: '/auth',
  landingPath: '/admin',
  publicPaths: ['/auth', '/_next', '/favicon.ico'],
  rules: [
    { prefix: '/admin', roles: ['admin'] },
    { prefix: '/teacher', roles: ['admin', 'teacher'] },
  ],
};

describe('coversPath', () => {
  const table: Array<[string, string, boolean]> = [
    ['/admin', '/admin', true],
    ['/admin', '/admin/', true],
    ['/admin', '/admin/x', true],
    ['/admin', '/administrator', false],
    ['/admin/', '/admin', true],
    ['/', '/anything', true],
    ['/admin', '/', false],
  ];
  for (const [prefix, path, expected] of table) {
    it(`${prefix} ${expected ? 'covers' : 'does not cover'} ${path}`, () => {
      assert.equal(coversPath(prefix, path), expected);
    });
  }
});

describe('RouteRules.decide', () => {
  const rules = RouteRules.create(SPEC_RULES);
  const table: Array<[string, string | null, RouteDecision]> = [
    ['/admin', null, 'login-required'],
    ['/admin/users', 'user', 'forbidden'],
    ['/admin/users', 'admin', 'allow'],
    ['/administrator', null, 'allow'],
    ['/teacher/x', 'teacher', 'allow'],
    ['/teacher/x', 'user', 'forbidden'],
    ['/somewhere', null, 'allow'],
    ['/auth', null, 'allow'],
    ['/auth', 'user', 'send-to-landing'],
    ['/auth/', 'user', 'send-to-landing'],
    ['/auth/signup', 'user', 'allow'],
    // Every reading is judged, the strictest wins.
    ['/auth/../admin', null, 'login-required'],
    ['/auth/%2e%2e/admin', null, 'login-required'],
    ['/auth/%252e%252e/admin', null, 'login-required'],
    ['/admin.', null, 'login-required'],
    ['/admin%20', null, 'login-required'],
    ['/admin;x', null, 'login-required'],
    // What servers read in ways that cannot be enumerated is refused, as
    // at the edge guard, whoever asks: an encoded '/', a backslash, a
    // path still encoded after two decodings.
    ['/auth/..%2Fadmin', null, 'forbidden'],
    ['/auth/..%2Fadmin', 'admin', 'forbidden'],
    ['/auth\\..\\admin', null, 'forbidden'],
    ['/auth/%25252e%25252e/admin', null, 'forbidden'],
    ['//admin', null, 'login-required'],
    ['/ADMIN', null, 'login-required'],
    ['/%61dmin', null, 'login-required'],
    ['/admin?x=1', null, 'login-required'],
  ];
  for (const [path, role, expected] of table) {
    it(`${path} as ${role ?? 'signed out'} → ${expected}`, () => {
      assert.equal(rules.decide(path, role), expected);
    });
  }

  it('lets the longest prefix win, whatever its kind', () => {
    const carved = RouteRules.create({
      loginPath: '/auth',
      landingPath: '/',
      publicPaths: ['/auth', '/docs/public'],
      rules: [
        { prefix: '/docs', roles: ['staff'] },
        { prefix: '/auth/admin', roles: ['admin'] },
      ],
    });
    assert.equal(carved.decide('/docs/public/a', null), 'allow');
    assert.equal(carved.decide('/docs/private', null), 'login-required');
    assert.equal(carved.decide('/auth/x', null), 'allow');
    assert.equal(carved.decide('/auth/admin/x', 'user'), 'forbidden');
    // Merging slashes first (nginx) reads /auth/x; removing dot segments
    // first (WHATWG URL) reads /auth/admin/x. The stricter one counts.
    assert.equal(carved.decide('/auth/p/../admin//../x', null), 'login-required');
  });
});

describe('RouteRules.isPublic', () => {
  const rules = RouteRules.create(SPEC_RULES);
  it('is true only when every reading is under a public prefix and none is the login page', () => {
    assert.equal(rules.isPublic('/_next/static/a.js'), true);
    assert.equal(rules.isPublic('/auth/signup'), true);
    assert.equal(rules.isPublic('/auth'), false);
    assert.equal(rules.isPublic('/auth/'), false);
    assert.equal(rules.isPublic('/somewhere'), false);
    assert.equal(rules.isPublic('/_next/../admin'), false);
    assert.equal(rules.isPublic('/_next/..%2Fadmin'), false);
  });
});

describe('RouteRules.create', () => {
  const invalid: Array<[string, Partial<RouteRulesConfig>, RegExp]> = [
    ['a protected login page', { rules: [{ prefix: '/', roles: ['user'] }], publicPaths: [] }, /loginPath/],
    ['landing equal to login', { landingPath: '/auth/' }, /landingPath/],
    ['a rule without roles', { rules: [{ prefix: '/x', roles: [] }] }, /rules\[0\]\.roles/],
    ['a prefix given twice', { rules: [{ prefix: '/Auth', roles: ['a'] }] }, /rules\[0\]/],
    ['a relative prefix', { publicPaths: ['auth'] }, /publicPaths\[0\]/],
    ['a prefix with dot segments', { publicPaths: ['/auth/../x'] }, /publicPaths\[0\]/],
    ['a prefix ending in a dot', { publicPaths: ['/auth', '/docs.'] }, /publicPaths\[1\]/],
    ['a prefix with an encoded slash', { publicPaths: ['/auth', '/a%2Fb'] }, /publicPaths\[1\]/],
    ['a prefix with a query', { rules: [{ prefix: '/x?y', roles: ['a'] }] }, /rules\[0\]\.prefix/],
  ];
  for (const [what, change, field] of invalid) {
    it(`refuses ${what}`, () => {
      assert.throws(() => RouteRules.create({ ...SPEC_RULES, ...change }), (error: unknown) => {
        assert.ok(error instanceof RouteRulesError);
        assert.match(error.message, field);
        return true;
      });
    });
  }
});

describe('pathReadings', () => {
  it('gives one reading for a path a browser sends', () => {
    assert.deepEqual(pathReadings('/admin/users?x=1'), ['/admin/users']);
  });

  it('puts the canonical reading first', () => {
    assert.equal(pathReadings('/a//b/./c/../d')?.[0], '/a/b/d');
  });

  it('is null for a path that cannot be read safely', () => {
    assert.equal(pathReadings('/auth/..%2Fadmin'), null);
    assert.equal(pathReadings('/auth/%25252e%25252e/admin'), null);
  });
});
