import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { MAX_NEXT_LENGTH, isSafeNext, loginRedirectPath, safeNextOr } from '@gatehouse/client';

const APP = 'https://app.example.test';

// Where a browser would go if a login page navigated to `next` as given.
function landsOn(next: string): string {
  return new URL(next, APP).origin;
}

describe('isSafeNext', () => {
  const local = ['/', '/admin', '/admin/x?tab=2&q=a%20b', '/search?q=%2F%2Fnot-a-host', '/a#frag'];
  for (const next of local) {
    it(`accepts the local path ${next}`, () => {
      assert.equal(isSafeNext(next), true);
      assert.equal(landsOn(next), APP);
    });
  }

  const hostile = [
    '//evil.example',
    '/\\evil.example',
    '%2F%2Fevil.example',
    'https://evil.example',
    '/%2F%2Fevil.example',
    '/%252F%252Fevil.example',
    '/%5Cevil.example',
    '/\t/evil.example',
    '/..//evil.example',
    '/a/%2E%2E/%2E%2E//evil.example',
    'javascript:alert(1)',
    'evil.example',
    '',
    `/${'a'.repeat(MAX_NEXT_LENGTH)}`,
  ];
  for (const next of hostile) {
    it(`refuses ${JSON.stringify(next)}`, () => {
      assert.equal(isSafeNext(next), false);
    });
  }

  it('never lets a refused value reach another origin through safeNextOr', () => {
    for (const next of hostile) assert.equal(landsOn(safeNextOr(next, '/home')), APP);
    assert.equal(safeNextOr('/reports', '/home'), '/reports');
    assert.equal(safeNextOr(null, '/home'), '/home');
  });
});

describe('loginRedirectPath', () => {
  it('encodes a local target as next', () => {
    const url = new URL(loginRedirectPath('/auth', '/admin/x?a=1&b=2'), APP);
    assert.equal(url.pathname, '/auth');
    assert.equal(url.searchParams.get('next'), '/admin/x?a=1&b=2');
  });

  it('drops a target that is not a safe local path', () => {
    assert.equal(loginRedirectPath('/auth', '//evil.example'), '/auth');
  });
});
