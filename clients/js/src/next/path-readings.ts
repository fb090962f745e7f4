// The readings of a request path that decide which rule applies.
//
// Why more than one: the middleware only decides, the app routes. When the
// two read one path differently, a path judged public can reach a
// protected page (`/auth/%2e%2e/admin`, `/admin;x`, `/admin.` on IIS). So
// the middleware judges every common reading and the strictest verdict
// wins, and what servers disagree on in ways that cannot be enumerated is
// rejected, never guessed at. Browsers already resolve dot segments before
// sending, so for a path a browser sends there is one reading and this
// costs nothing.
//
// This is gatehouse's own guard, src/core/path_normalizer.h, line for
// line: the same canonical form, readings, rejections and decoding depth,
// so a rule means the same at the proxy and in the app.
// testing/testdata/guard_paths.json holds the cases both must agree on;
// test/guard-paths.test.ts runs them here.

/**
 * How many decodings of a path are judged: the one every server makes,
 * and one more for servers that decode twice. A path still encoded after
 * them (`/auth/%25252e%25252e/admin`) is rejected. The edge guard's
 * kMaxPathDecodings.
 */
export const MAX_PATH_DECODINGS = 2;

/** Longest path judged (the edge guard's kMaxGuardedPathLength), in bytes. */
export const MAX_GUARDED_PATH_LENGTH = 8192;

/** A path read: its canonical reading, then every other reading. */
export interface PathReadingsOf {
  ok: true;
  /** Escapes of unreserved characters decoded, slashes merged, dot segments removed. */
  path: string;
  /** Every other reading a common server makes, in a fixed order, without duplicates. */
  otherReadings: string[];
}

/** A path that no reading can be trusted for: it is denied. */
export interface RejectedPath {
  ok: false;
  /** Why, e.g. "request path rejected: an encoded '/' (%2F)". */
  reason: string;
}

export type NormalizedPath = PathReadingsOf | RejectedPath;

type Step = { ok: true; value: string } | { ok: false; reason: string };

const HEX_DIGITS = '0123456789ABCDEF';
// RFC 3986 sub-delims, ':', '@' and the separator: with the unreserved
// characters, what a path may hold raw.
const RAW_PATH_EXTRAS = "!$&'()*+,;=:@/";
const utf8 = new TextEncoder();

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

function isUnreserved(c: number): boolean {
  return (
    (c >= 0x30 && c <= 0x39) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x61 && c <= 0x7a) ||
    c === 0x2d ||
    c === 0x2e ||
    c === 0x5f ||
    c === 0x7e
  );
}

function isRawPathChar(c: number): boolean {
  return isUnreserved(c) || (c < 0x80 && RAW_PATH_EXTRAS.includes(String.fromCharCode(c)));
}

function isControl(c: number): boolean {
  return c < 0x20 || c === 0x7f;
}

// C0 and C1 can only begin an overlong (invalid) UTF-8 encoding of an
// ASCII character, the old trick for smuggling '.' and '/' past filters.
function isOverlongLead(c: number): boolean {
  return c === 0xc0 || c === 0xc1;
}

function escaped(c: number): string {
  return `%${HEX_DIGITS[c >> 4]}${HEX_DIGITS[c & 0xf]}`;
}

// One decoding pass over a path (no query), on its UTF-8 bytes: escapes of
// unreserved characters decoded, other escapes in upper-case hex, raw bytes
// a path may not hold encoded. Every '%' in the result starts a well-formed
// escape of a byte that is not unreserved.
function canonicalize(path: string): Step {
  const bytes = utf8.encode(path);
  let out = '';
  const reason = (why: string): Step => ({ ok: false, reason: why });
  for (let i = 0; i < bytes.length; i++) {
    const raw = bytes[i]!;
    if (raw === 0x25) {
      if (i + 2 >= bytes.length || hexValue(bytes[i + 1]!) < 0 || hexValue(bytes[i + 2]!) < 0) {
        return reason('malformed percent-encoding');
      }
      const c = hexValue(bytes[i + 1]!) * 16 + hexValue(bytes[i + 2]!);
      i += 2;
      if (c === 0x2f) return reason("an encoded '/' (%2F)");
      if (c === 0x5c) return reason('a backslash (%5C)');
      if (isControl(c)) return reason('an encoded control character');
      if (isOverlongLead(c)) return reason('an overlong UTF-8 byte');
      out += isUnreserved(c) ? String.fromCharCode(c) : escaped(c);
      continue;
    }
    if (isControl(raw)) return reason('a control character');
    if (raw === 0x5c) return reason('a backslash');
    if (raw === 0x23) return reason("a '#' (a request has no fragment)");
    if (isOverlongLead(raw)) return reason('an overlong UTF-8 byte');
    out += isRawPathChar(raw) ? String.fromCharCode(raw) : escaped(raw);
  }
  return { ok: true, value: out };
}

function mergeSlashes(path: string): string {
  return path.replace(/\/{2,}/g, '/');
}

// RFC 3986 §5.2.4 on an absolute path, segment by segment. Empty segments
// are kept (and popped by ".."); a final "." or ".." leaves a trailing
// slash.
function removeDotSegments(path: string): string {
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

// Windows servers (IIS, and the file system beneath them) drop trailing
// dots and spaces from every segment: `/admin.`, `/admin%2e` and
// `/admin%20` serve `/admin` there. A segment that is "." or ".." once its
// trailing spaces are gone (`.. `) stays that dot segment. `path` is
// canonical, so a space is "%20".
function stripTrailingDotsAndSpaces(path: string): string {
  return path
    .split('/')
    .map((segment) => {
      const spaceless = segment.replace(/(?:%20)+$/, '');
      if (spaceless === '.' || spaceless === '..') return spaceless;
      return segment.replace(/(?:\.|%20)+$/, '');
    })
    .join('/');
}

// "%25XX" (XX hex) becomes "%XX": what a server that decodes twice sees on
// its second pass. null when there is nothing to undo.
function undoDoubleEncoding(canonical: string): string | null {
  const undone = canonical.replace(/%25([0-9A-Fa-f]{2})/g, '%$1');
  return undone === canonical ? null : undone;
}

// The readings of a once-canonicalized path; the first is the canonical
// reading (nginx: merge, then remove dots).
function readingsOf(decoded: string): string[] {
  return [
    removeDotSegments(mergeSlashes(decoded)),
    mergeSlashes(removeDotSegments(decoded)),
    mergeSlashes(decoded),
    removeDotSegments(mergeSlashes(stripPathParameters(decoded))),
    removeDotSegments(mergeSlashes(stripTrailingDotsAndSpaces(decoded))),
  ];
}

/**
 * The readings of `originalUri` (a path with an optional query, which is
 * neither judged nor checked), or why it is rejected: not starting with
 * '/', longer than MAX_GUARDED_PATH_LENGTH bytes, malformed or overlong
 * escapes, control characters, an encoded '/' or a backslash (raw or
 * encoded), a raw '#', any of those encoded twice, or still encoded after
 * MAX_PATH_DECODINGS decodings. Pure.
 */
export function normalizePath(originalUri: string): NormalizedPath {
  const cut = originalUri.indexOf('?');
  const path = cut === -1 ? originalUri : originalUri.slice(0, cut);
  const rejected = (why: string): RejectedPath => ({
    ok: false,
    reason: `request path rejected: ${why}`,
  });
  if (!path.startsWith('/')) return rejected("it does not start with '/'");
  if (utf8.encode(path).length > MAX_GUARDED_PATH_LENGTH) return rejected('it is too long');
  const once = canonicalize(path);
  if (!once.ok) return rejected(once.reason);

  const readings = readingsOf(once.value);
  let form = once.value;
  for (let decodings = 1; ; decodings++) {
    const onceMore = undoDoubleEncoding(form);
    if (onceMore === null) break;
    if (decodings === MAX_PATH_DECODINGS) {
      return rejected(`encoded more than ${MAX_PATH_DECODINGS} times`);
    }
    const next = canonicalize(onceMore);
    if (!next.ok) return rejected(`double-encoded, ${next.reason}`);
    form = next.value;
    readings.push(...readingsOf(form));
  }

  const canonical = readings[0]!;
  const otherReadings: string[] = [];
  for (const reading of readings.slice(1)) {
    if (reading !== canonical && !otherReadings.includes(reading)) otherReadings.push(reading);
  }
  return { ok: true, path: canonical, otherReadings };
}

/**
 * Every reading of `pathname` (see normalizePath), the canonical one
 * first; null when the path is rejected, which the rules answer with
 * 'forbidden'. Pure.
 */
export function pathReadings(pathname: string): string[] | null {
  const normalized = normalizePath(pathname);
  return normalized.ok ? [normalized.path, ...normalized.otherReadings] : null;
}
