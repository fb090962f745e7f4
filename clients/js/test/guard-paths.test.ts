// Finding 9: the Next.js middleware reads a path exactly as gatehouse's
// edge guard does. testing/testdata/guard_paths.json holds the cases both
// must agree on; src/core/guard_policy_test.cc runs the same file.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import {
  MAX_PATH_DECODINGS,
  RouteRules,
  normalizePath,
  type RouteDecision,
} from '@gatehouse/client/next';

interface GuardPathCase {
  path: string;
  why?: string;
  rejected?: true;
  normal?: string;
  readings?: string[];
  signed_out: string;
  user: string;
  admin: string;
}

interface GuardPaths {
  decodings: number;
  rules: {
    login_path: string;
    landing_path: string;
    public: string[];
    rules: Array<{ prefix: string; roles: string[] }>;
  };
  cases: GuardPathCase[];
}

// From dist-test/ at the root of clients/js to the repository's root.
const VECTORS = new URL('../../../testing/testdata/guard_paths.json', import.meta.url);
const vectors = JSON.parse(readFileSync(VECTORS, 'utf8')) as GuardPaths;

// The guard names verdicts login_required, the middleware login-required.
function verdict(name: string): RouteDecision {
  return name.replace(/_/g, '-') as RouteDecision;
}

describe('the guard paths shared with the edge guard', () => {
  const rules = RouteRules.create({
    loginPath: vectors.rules.login_path,
    landingPath: vectors.rules.landing_path,
    publicPaths: vectors.rules.public,
    rules: vectors.rules.rules,
  });

  it('decodes as many times as the edge guard', () => {
    assert.equal(MAX_PATH_DECODINGS, vectors.decodings);
    assert.ok(vectors.cases.length >= 40);
  });

  for (const c of vectors.cases) {
    it(`${JSON.stringify(c.path)}${c.why ? ` (${c.why})` : ''}`, () => {
      const normalized = normalizePath(c.path);
      if (c.rejected) {
        assert.equal(normalized.ok, false, `read as ${JSON.stringify(normalized)}`);
      } else {
        assert.ok(normalized.ok, normalized.ok ? '' : normalized.reason);
        assert.equal(normalized.path, c.normal);
        assert.deepEqual(normalized.otherReadings, c.readings);
      }
      assert.equal(rules.decide(c.path, null), verdict(c.signed_out), 'signed out');
      assert.equal(rules.decide(c.path, 'user'), verdict(c.user), 'as user');
      assert.equal(rules.decide(c.path, 'admin'), verdict(c.admin), 'as admin');
      if (c.rejected) assert.equal(rules.isPublic(c.path), false, 'never public');
    });
  }
});
