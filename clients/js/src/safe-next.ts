// The `next` parameter of the login page: where to go after signing in.
// It must only ever be a local path, or the login page becomes an open
// redirect (`/auth?next=//evil.example`). The rules are those of
// gatehouse's own guard (src/core/guard_policy.h, IsSafeNext), so the
// server, the proxy and the app agree on what is local.

/** Longest accepted `next`: far more than any real page address. */
export const MAX_NEXT_LENGTH = 2048;

// A login page that decodes `next` once more than it should, a framework
// that decodes it again: three further decodings cover every such chain,
// and anything still encoded after them is no page address.
const FURTHER_DECODINGS = 3;

// Printable ASCII, one leading '/', no backslash, no dot segment in the
// path part. A raw form (as received) must also hold no space and nothing
// past ASCII: a browser would have percent-encoded them.
function isSafeLocalForm(s: string, raw: boolean): boolean {
  if (!s.startsWith('/')) return false;
  if (s[1] === '/' || s[1] === '\\') return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // Browsers drop TAB, CR and LF from URLs: "/\t/evil" is "//evil".
    if (c < 0x20 || c === 0x7f || c === 0x5c) return false;
    if (raw && (c === 0x20 || c >= 0x80)) return false;
  }
  // A dot segment can climb to an empty first segment ("/..//evil") and so
  // to a scheme-relative URL once something resolves it.
  const cut = s.search(/[?#]/);
  const path = cut === -1 ? s : s.slice(0, cut);
  return !path
    .slice(1)
    .split('/')
    .some((segment) => segment === '.' || segment === '..');
}

// Decodes every well-formed escape byte by byte; a '%' not followed by two
// hex digits stays, as browsers leave it. Bytes past ASCII come out as
// single characters, which is all the checks above need.
function decodeLenient(s: string): string {
  return s.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) =>
    String.fromCharCode(parseInt(hex, 16)),
  );
}

/**
 * True iff `next` (as the login page read it from its query string, after
 * the one decoding of the query) is a local path-and-query that no browser
 * and no careless extra decoding can turn into another origin.
 */
export function isSafeNext(next: string): boolean {
  if (next.length > MAX_NEXT_LENGTH) return false;
  if (!isSafeLocalForm(next, true)) return false;
  let form = next;
  for (let i = 0; i < FURTHER_DECODINGS; i++) {
    const decoded = decodeLenient(form);
    if (decoded === form) return true;
    if (!isSafeLocalForm(decoded, false)) return false;
    form = decoded;
  }
  return decodeLenient(form) === form;
}

/** `next` when it is safe, else `fallback`: what a login page navigates to. */
export function safeNextOr(next: string | null | undefined, fallback: string): string {
  return typeof next === 'string' && isSafeNext(next) ? next : fallback;
}

/**
 * `loginPath?next=<encoded target>`, or the bare `loginPath` when the
 * target is not a safe local path (the login page then goes to its default
 * page after sign-in).
 */
export function loginRedirectPath(loginPath: string, target: string): string {
  if (!isSafeNext(target)) return loginPath;
  return `${loginPath}?next=${encodeURIComponent(target)}`;
}
