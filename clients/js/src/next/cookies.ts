// Reading and relaying cookies without ever building one. The middleware
// copies gatehouse's Set-Cookie headers to the browser verbatim, so the
// attributes a cookie is set and cleared with come from one place, the
// server's cookie policy (SPEC §5, F5). Here we only read names and
// values: to find the tokens, and to show the app's server components the
// cookies the browser will hold after this response.

export interface CookiePair {
  name: string;
  value: string;
}

/** Every `name=value` of a `Cookie` header, in order, duplicates kept (F10). */
export function parseCookieHeader(header: string | null | undefined): CookiePair[] {
  if (!header) return [];
  const pairs: CookiePair[] = [];
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    const name = part.slice(0, eq).trim();
    if (name === '') continue;
    pairs.push({ name, value: part.slice(eq + 1).trim() });
  }
  return pairs;
}

/** The non-empty values of cookie `name`, in header order. */
export function cookieValues(header: string | null | undefined, name: string): string[] {
  return parseCookieHeader(header)
    .filter((pair) => pair.name === name && pair.value !== '')
    .map((pair) => pair.value);
}

export interface SetCookieSummary {
  name: string;
  value: string;
  /** True iff the header deletes the cookie (Max-Age<=0, a past Expires, or no value). */
  clears: boolean;
}

/**
 * Name, value and whether it deletes, from one Set-Cookie header; null for
 * a header without a `name=` part.
 */
export function summarizeSetCookie(
  header: string,
  now: number = Date.now(),
): SetCookieSummary | null {
  const [pair = '', ...attributes] = header.split(';');
  const eq = pair.indexOf('=');
  if (eq === -1) return null;
  const name = pair.slice(0, eq).trim();
  if (name === '') return null;
  const value = pair.slice(eq + 1).trim();
  let clears = value === '';
  for (const attribute of attributes) {
    const at = attribute.indexOf('=');
    const key = (at === -1 ? attribute : attribute.slice(0, at)).trim().toLowerCase();
    const arg = at === -1 ? '' : attribute.slice(at + 1).trim();
    if (key === 'max-age' && /^-?\d+$/.test(arg) && Number(arg) <= 0) clears = true;
    if (key === 'expires') {
      const expires = Date.parse(arg);
      if (!Number.isNaN(expires) && expires <= now) clears = true;
    }
  }
  return { name, value, clears };
}

/**
 * The `Cookie` header the browser will send after applying `setCookies`
 * to a request that sent `header`: a cookie the headers set replaces every
 * same-name cookie of the request, one they only clear is removed, the
 * rest is kept in order. When one response both sets a cookie and clears
 * a stale variant of it on another Domain (F10), the set value wins.
 */
export function rewriteCookieHeader(
  header: string | null | undefined,
  setCookies: readonly string[],
  now: number = Date.now(),
): string {
  const set = new Map<string, string>();
  const cleared = new Set<string>();
  for (const line of setCookies) {
    const cookie = summarizeSetCookie(line, now);
    if (!cookie) continue;
    if (cookie.clears) cleared.add(cookie.name);
    else set.set(cookie.name, cookie.value);
  }
  const kept = parseCookieHeader(header).filter(
    (pair) => !set.has(pair.name) && !cleared.has(pair.name),
  );
  for (const [name, value] of set) kept.push({ name, value });
  return kept.map((pair) => `${pair.name}=${pair.value}`).join('; ');
}

/**
 * Every Set-Cookie header of `headers`, one string each. Uses
 * `Headers.getSetCookie()` (Node 20, current browsers and edge runtimes);
 * where it is missing, splits the combined header at the commas that
 * start a new cookie, not those inside an Expires date.
 */
export function readSetCookies(headers: Headers): string[] {
  const withGetter = headers as Headers & { getSetCookie?: () => string[] };
  if (typeof withGetter.getSetCookie === 'function') return withGetter.getSetCookie();
  return splitCombinedSetCookie(headers.get('set-cookie'));
}

/** Splits `a=1; Expires=Wed, 21 Oct 2037 07:28:00 GMT, b=2` into its two cookies. */
export function splitCombinedSetCookie(combined: string | null): string[] {
  if (!combined) return [];
  return combined
    .split(/,(?=\s*[^;,=\s]+=)/)
    .map((part) => part.trim())
    .filter((part) => part !== '');
}
