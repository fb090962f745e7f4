// NormalizePath: the path the edge guard judges, from the original request
// URI a proxy forwards (nginx X-Original-URI, Traefik and Caddy
// X-Forwarded-Uri: a path plus an optional query).
//
// Why more than RFC 3986: the guard only decides, the server behind the
// proxy routes. When the two read one request target differently, a path
// the guard judges public can reach a protected route: the classic
// forward-auth bypass (`/auth/../admin` read as `/admin` by the guard but
// `/auth/...` by the router, or the reverse; `/admin;x` routed as `/admin`
// by a servlet container). So NormalizePath returns the canonical reading
// and every other reading a common server makes of the same target;
// GuardPolicy judges them all and the strictest verdict wins. What servers
// disagree on in ways we cannot enumerate is rejected; a rejected path is
// never public: the caller denies.
//
// Canonical reading, in order:
//  1. the query ('?' and after) is dropped;
//  2. percent-encoded unreserved characters (ALPHA DIGIT - . _ ~) are
//     decoded (RFC 3986 §6.2.2.2), other escapes keep upper-case hex
//     (§6.2.2.1), and raw bytes that a path may not hold (space, '"', '<',
//     '{', non-ASCII, ...) are percent-encoded, so every spelling of one
//     path has one form;
//  3. repeated slashes are merged (as nginx's merge_slashes does);
//  4. dot segments are removed (RFC 3986 §5.2.4).
// So `/auth/../admin`, `/auth/%2e%2e/admin`, `//admin` and `/admin/./` all
// read as `/admin` (the last as `/admin/`). The trailing slash is kept:
// matching is by whole segments, so it never changes a verdict.
//
// Rejected (kValidationFailed, the message says why):
//  - a path not starting with '/' (absolute-form, `*`, empty);
//  - longer than kMaxGuardedPathLength;
//  - malformed percent-encoding (`%`, `%4`, `%zz`);
//  - control characters, raw or encoded (NUL, TAB, CR, LF, DEL, ...);
//  - an encoded slash `%2F` and a backslash, raw or `%5C`: servers split
//    on them differently (nginx decodes %2F, most routers do not; Node's
//    URL parser turns '\' into '/', nginx does not), and each choice the
//    guard could make is a bypass for the servers that make the other, so
//    only rejecting is safe. Browsers never send either in a path;
//  - a raw '#': a request target has no fragment (RFC 9112 §3.2), a browser
//    never sends one, and servers disagree on where such a path ends;
//  - the bytes C0 and C1, raw or encoded: they only ever start an overlong
//    UTF-8 form of an ASCII character (`%C0%AE` as '.', old IIS);
//  - a double-encoded '/', '\' or control character (`%252F`);
//  - a path encoded more often than kMaxPathDecodings: one that still holds
//    an encoded '%' before two hex digits after that many decodings
//    (`/auth/%25252e%25252e/admin`). Past the depth nothing is guessed.
//
// clients/js/src/next/path-readings.ts is the same algorithm for the
// Next.js middleware; testing/testdata/guard_paths.json holds the cases
// both must agree on (normal form, readings, verdict), read by the unit
// tests of each.
#ifndef GATEHOUSE_CORE_PATH_NORMALIZER_H_
#define GATEHOUSE_CORE_PATH_NORMALIZER_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace gatehouse {

// nginx's default large_client_header_buffers is 8 KiB for the whole
// request line, so a longer path never reaches a default nginx; past it we
// refuse to spend work on a path at all.
inline constexpr size_t kMaxGuardedPathLength = 8192;

// How many decodings of a path are judged: the one every server makes, and
// one more for servers that decode twice. No server in common use decodes
// three times; a path that still holds an encoded '%' (`%2541`) after the
// last judged decoding is rejected, not read once more. The Next.js
// middleware uses the same depth (clients/js/src/next/path-readings.ts).
inline constexpr int kMaxPathDecodings = 2;

struct NormalizedPath {
  // The canonical reading (steps 1-4 above): what nginx routes on ($uri).
  std::string path;
  // The other readings, when they differ from `path`; each in the same
  // encoding as `path`, with repeated slashes merged. Empty for any path a
  // browser sends, since browsers remove dot segments before sending.
  //  - dot segments removed before slashes are merged (RFC 3986, the WHATWG
  //    URL parser in Node and browsers): `/a//../b` is `/a/b`, not `/b`;
  //  - dot segments kept (routers that remove none, e.g. Express);
  //  - `;parameters` dropped from each segment (Tomcat, Jetty, Spring);
  //  - trailing dots and spaces dropped from each segment (IIS and other
  //    Windows servers): `/admin.`, `/admin%2e` and `/admin%20` also read
  //    as `/admin`;
  //  - all of these once more after decoding `%25` (servers that decode
  //    twice): `/auth/%252e%252e/admin` also reads as `/admin`.
  std::vector<std::string> other_readings;
};

// The readings of `original_uri` (path and optional query, as the proxy
// forwards it), or kValidationFailed naming the reason it was rejected.
// Pure and thread-safe.
[[nodiscard]] Result<NormalizedPath> NormalizePath(
    std::string_view original_uri);

}  // namespace gatehouse

#endif  // GATEHOUSE_CORE_PATH_NORMALIZER_H_
