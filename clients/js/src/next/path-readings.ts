// The readings of a request path that decide which rule applies.
//
// Why more than one: the middleware only decides, the app routes. When the
// two read one path differently, a path judged public can reach a
// protected page (`/auth/..%2Fadmin`, `/admin;x`, `/auth/%2e%2e/admin`).
// So the middleware judges every common reading and the strictest verdict
// wins, as gatehouse's own guard does (src/core/path_normalizer.h).
// Browsers already resolve dot segments before sending, so for a path a
// browser sends there is one reading and this costs nothing.

// A page address that needs more decodings than this is no page address;
// the same bound as `next` (see safe-next.ts).
const MAX_DECODINGS = 3;

function isUnreserved(c: string): boolean {
  return /^[A-Za-z0-9\-._~]$/.test(c);
}

// RFC 3986 §6.2.2: decode escapes of unreserved characters, upper-case the
// hex of the others, so that `/%61dmin` and `/admin` are one path.
function decodeUnreserved(path: string): string {
  return path.replace(/%([0-9A-Fa-f]{2})/g, (escape, hex: string) => {
    const c = String.fromCharCode(parseInt(hex, 16));
    return isUnreserved(c) ? c : escape.toUpperCase();
  });
}

// What a server that decodes the whole path sees, `%2F` included.
function decodeAll(path: string): string {
  return path.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) =>
    String.fromCharCode(parseInt(hex, 16)),
  );
}

function mergeSlashes(path: string): string {
  return path.replace(/\/{2,}/g, '/');
}

// RFC 3986 §5.2.4 on an absolute path; a final "." or ".." leaves a
// trailing slash.
function removeDotSegments(path: string): string {
  if (!path.startsWith('/')) return path;
  const out: string[] = [];
  const segments = path.slice(1).split('/');
  segments.forEach((segment, i) => {
    const last = i === segments.length - 1;
    if (segment === '.') {
      if (last) out.push('');
    } else if (segment === '..') {
      out.pop();
      if (last) out.push('');
    } else {
      out.push(segment);
    }
  });
  return out.length === 0 ? '/' : `/${out.join('/')}`;
}

// Servlet containers drop ";parameters" from every segment before routing.
function stripPathParameters(path: string): string {
  return path.replace(/;[^/]*/g, '');
}

/**
 * The readings of `pathname` (a path, optionally with a query, which is
 * ignored): the canonical one first (escapes of unreserved characters
 * decoded, repeated slashes merged, dot segments removed), then every other
 * reading a common server makes of it: dot segments kept or removed before
 * merging, `;parameters` dropped, backslashes read as slashes, and all of
 * them again after decoding every escape (up to three times), so that
 * `%2F` and `%252F` are read as '/' too. No duplicates. Pure.
 */
export function pathReadings(pathname: string): string[] {
  const cut = pathname.search(/[?#]/);
  let form = cut === -1 ? pathname : pathname.slice(0, cut);
  const readings = new Set<string>();
  for (let decodings = 0; decodings <= MAX_DECODINGS; decodings++) {
    const canonical = decodeUnreserved(form);
    for (const slashes of [canonical, canonical.replace(/\\/g, '/')]) {
      for (const path of [slashes, stripPathParameters(slashes)]) {
        readings.add(removeDotSegments(mergeSlashes(path)));
        readings.add(mergeSlashes(removeDotSegments(path)));
        readings.add(mergeSlashes(path));
      }
    }
    const decoded = decodeAll(form);
    if (decoded === form) break;
    form = decoded;
  }
  return [...readings];
}
