import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  cookieValues,
  readSetCookies,
  rewriteCookieHeader,
  splitCombinedSetCookie,
  summarizeSetCookie,
} from '@gatehouse/client/next';

const NOW = Date.parse('2030-01-01T00:00:00Z');
const SET_ACCESS = 'access_token=new-a; Domain=.example.test; Path=/; Max-Age=900; HttpOnly; Secure; SameSite=Lax';
const SET_REFRESH = 'refresh_token=new-r; Domain=.example.test; Path=/; Max-Age=2592000; HttpOnly; Secure; SameSite=Lax';
const CLEAR_ACCESS = 'access_token=; Domain=.example.test; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Lax';
const CLEAR_REFRESH = 'refresh_token=; Domain=.example.test; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Lax';

describe('summarizeSetCookie', () => {
  it('reads name, value and whether the header deletes', () => {
    assert.deepEqual(summarizeSetCookie(SET_ACCESS, NOW), { name: 'access_token', value: 'new-a', clears: false });
    assert.deepEqual(summarizeSetCookie(CLEAR_ACCESS, NOW), { name: 'access_token', value: '', clears: true });
    assert.equal(summarizeSetCookie('a=1; Expires=Thu, 01 Jan 1970 00:00:00 GMT', NOW)?.clears, true);
    assert.equal(summarizeSetCookie('a=1; Expires=Fri, 01 Jan 2100 00:00:00 GMT', NOW)?.clears, false);
    assert.equal(summarizeSetCookie('a=1; Max-Age=-1', NOW)?.clears, true);
    assert.equal(summarizeSetCookie('no-equals-sign', NOW), null);
  });
});

describe('rewriteCookieHeader', () => {
  it('replaces refreshed cookies and keeps the others in order', () => {
    const header = 'theme=dark; access_token=old-a; refresh_token=old-r; lang=fr';
    assert.equal(
      rewriteCookieHeader(header, [SET_ACCESS, SET_REFRESH], NOW),
      'theme=dark; lang=fr; access_token=new-a; refresh_token=new-r',
    );
  });

  it('removes cleared cookies', () => {
    const header = 'access_token=old-a; theme=dark; refresh_token=old-r';
    assert.equal(rewriteCookieHeader(header, [CLEAR_ACCESS, CLEAR_REFRESH], NOW), 'theme=dark');
    assert.equal(rewriteCookieHeader('access_token=a; refresh_token=b', [CLEAR_ACCESS, CLEAR_REFRESH], NOW), '');
  });

  it('replaces every same-name cookie, and a set beats a clearing of a stale Domain (F10)', () => {
    const header = 'access_token=stale; access_token=old-a; refresh_token=old-r';
    const staleClear = 'access_token=; Domain=old.example.test; Path=/; Max-Age=0';
    assert.equal(
      rewriteCookieHeader(header, [staleClear, SET_ACCESS, SET_REFRESH], NOW),
      'access_token=new-a; refresh_token=new-r',
    );
  });

  it('adds cookies the request did not carry', () => {
    assert.equal(rewriteCookieHeader('refresh_token=r', [SET_ACCESS], NOW), 'refresh_token=r; access_token=new-a');
    assert.equal(rewriteCookieHeader(null, [SET_ACCESS], NOW), 'access_token=new-a');
  });
});

describe('cookieValues', () => {
  it('returns every non-empty value of one name, in order', () => {
    assert.deepEqual(cookieValues('a=1; b=2; a=3; a=', 'a'), ['1', '3']);
    assert.deepEqual(cookieValues(undefined, 'a'), []);
  });
});

describe('reading Set-Cookie headers', () => {
  it('returns each header of a response separately', () => {
    const headers = new Headers();
    headers.append('set-cookie', CLEAR_ACCESS);
    headers.append('set-cookie', CLEAR_REFRESH);
    assert.deepEqual(readSetCookies(headers), [CLEAR_ACCESS, CLEAR_REFRESH]);
  });

  it('splits a combined header without breaking Expires dates', () => {
    assert.deepEqual(splitCombinedSetCookie(`${CLEAR_ACCESS}, ${CLEAR_REFRESH}`), [CLEAR_ACCESS, CLEAR_REFRESH]);
    assert.deepEqual(splitCombinedSetCookie(null), []);
  });

  it('falls back to splitting where getSetCookie is missing', () => {
    const headers = new Headers();
    headers.append('set-cookie', SET_ACCESS);
    headers.append('set-cookie', CLEAR_REFRESH);
    const legacy = { get: (name: string) => headers.get(name) } as unknown as Headers;
    assert.deepEqual(readSetCookies(legacy), [SET_ACCESS, CLEAR_REFRESH]);
  });
});
