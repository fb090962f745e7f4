#include "core/path_normalizer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace gatehouse {
namespace {

struct Canonical {
  std::string_view uri;
  std::string_view path;
};

TEST(NormalizePathTest, CanonicalReadings) {
  const Canonical kCases[] = {
      {"/", "/"},
      {"/admin", "/admin"},
      {"/admin/", "/admin/"},
      {"/admin/x?next=/y&z=1", "/admin/x"},
      {"/admin?", "/admin"},
      {"/?a=%zz", "/"},  // the query is not judged, so not checked either
      // Repeated slashes.
      {"//admin", "/admin"},
      {"///admin//x///", "/admin/x/"},
      // Dot segments (RFC 3986 §5.2.4).
      {"/auth/../admin", "/admin"},
      {"/admin/./x", "/admin/x"},
      {"/admin/.", "/admin/"},
      {"/admin/x/..", "/admin/"},
      {"/..", "/"},
      {"/../../admin", "/admin"},
      {"/a/b/c/../../d", "/a/d"},
      {"/auth/..//admin", "/admin"},
      {"/.../admin", "/.../admin"},  // three dots is a name
      {"/.hidden/x", "/.hidden/x"},
      // Percent-encoding: unreserved decoded, the rest upper-case hex.
      {"/auth/%2e%2e/admin", "/admin"},
      {"/auth/%2E%2E/admin", "/admin"},
      {"/auth/.%2e/admin", "/admin"},
      {"/%61dmin", "/admin"},
      {"/%41dmin", "/Admin"},
      {"/a%7eb%2D%5F", "/a~b-_"},
      {"/a%3fb", "/a%3Fb"},
      {"/a%20b", "/a%20b"},
      {"/a%25b", "/a%25b"},
      {"/caf%c3%a9", "/caf%C3%A9"},
      // Raw bytes a path may not hold are encoded, so both spellings meet.
      {"/a b", "/a%20b"},
      {"/caf\xC3\xA9", "/caf%C3%A9"},
      {"/a\"<>{}|^`", "/a%22%3C%3E%7B%7D%7C%5E%60"},
      // Sub-delims, ':' and '@' stay as they are.
      {"/a:b@c!$&'()*+,;=", "/a:b@c!$&'()*+,;="},
  };
  for (const auto& c : kCases) {
    auto normalized = NormalizePath(c.uri);
    ASSERT_TRUE(normalized.ok()) << c.uri << ": " << normalized.error().message;
    EXPECT_EQ(normalized->path, c.path) << c.uri;
  }
}

TEST(NormalizePathTest, RejectsWhatServersReadDifferently) {
  const std::string_view kRejected[] = {
      "",
      "admin",
      "*",
      "http://evil.example/admin",
      "?/admin",
      // Malformed percent-encoding.
      "/admin%",
      "/admin%2",
      "/admin%zz",
      "/admin%g1",
      // Control characters, raw or encoded.
      std::string_view("/admin\0x", 8),
      "/admin%00",
      "/admin%00.html",
      "/admin\t",
      "/admin%09",
      "/admin\r\nX: y",
      "/admin%0d%0a",
      "/admin\x7f",
      "/admin%7F",
      // Encoded slash, backslash raw or encoded.
      "/admin%2fx",
      "/admin%2Fx",
      "/auth%2f..%2fadmin",
      "/auth\\..\\admin",
      "/admin\\x",
      "/auth%5c..%5cadmin",
      "/admin%5Cx",
      // A fragment has no place in a request target.
      "/auth#/../admin",
      // Overlong UTF-8 ('.' as C0 AE).
      "/auth/%c0%ae%c0%ae/admin",
      "/auth/\xC0\xAE\xC0\xAE/admin",
      "/x%C1%9C",
      // Double-encoded slash, backslash and NUL.
      "/auth%252f..%252fadmin",
      "/auth%255c..%255cadmin",
      "/admin%2500",
  };
  for (std::string_view uri : kRejected) {
    auto normalized = NormalizePath(uri);
    EXPECT_FALSE(normalized.ok())
        << "accepted '" << uri << "' as '" << normalized->path << "'";
    if (!normalized.ok()) {
      EXPECT_EQ(normalized.error().code, ErrorCode::kValidationFailed);
      EXPECT_EQ(normalized.error().message.rfind("request path rejected: ", 0),
                0u)
          << normalized.error().message;
    }
  }
}

TEST(NormalizePathTest, RejectsPathsPastTheLengthLimit) {
  std::string longest = "/" + std::string(kMaxGuardedPathLength - 1, 'a');
  EXPECT_TRUE(NormalizePath(longest).ok());
  EXPECT_FALSE(NormalizePath(longest + "a").ok());
  // The query does not count: only the path is judged.
  EXPECT_TRUE(NormalizePath(longest + "?" + std::string(10000, 'q')).ok());
}

struct Readings {
  std::string_view uri;
  std::string_view path;
  std::vector<std::string> others;
};

TEST(NormalizePathTest, OtherReadingsOfAmbiguousPaths) {
  const Readings kCases[] = {
      // What browsers send has one reading.
      {"/admin/x", "/admin/x", {}},
      {"//admin//x", "/admin/x", {}},
      {"/a%20b", "/a%20b", {}},
      // Dot segments: a router that removes none reads them as names.
      {"/auth/../admin", "/admin", {"/auth/../admin"}},
      {"/admin/../auth", "/auth", {"/admin/../auth"}},
      {"/admin/./x", "/admin/x", {"/admin/./x"}},
      // nginx merges slashes first; RFC 3986 and WHATWG do not.
      {"/admin//../auth", "/auth", {"/admin/auth", "/admin/../auth"}},
      // Servlet containers drop ;parameters.
      {"/admin;x=1", "/admin;x=1", {"/admin"}},
      {"/auth;/../admin", "/admin", {"/auth;/../admin"}},
      {"/;/admin", "/;/admin", {"/admin"}},
      // Servers that decode twice.
      {"/auth/%252e%252e/admin",
       "/auth/%252e%252e/admin",
       {"/admin", "/auth/../admin"}},
      {"/%2561dmin", "/%2561dmin", {"/admin"}},
      {"/100%25", "/100%25", {}},  // '%' alone is nothing to undo
  };
  for (const auto& c : kCases) {
    auto normalized = NormalizePath(c.uri);
    ASSERT_TRUE(normalized.ok()) << c.uri << ": " << normalized.error().message;
    EXPECT_EQ(normalized->path, c.path) << c.uri;
    EXPECT_EQ(normalized->other_readings, c.others) << c.uri;
  }
}

// Finding 9: IIS and other Windows servers serve `/admin` for `/admin.`,
// `/admin%2e` and `/admin%20`: dropping trailing dots and spaces from each
// segment is one more reading.
TEST(NormalizePathTest, TrailingDotsAndSpacesAreAnotherReading) {
  const Readings kCases[] = {
      {"/admin.", "/admin.", {"/admin"}},
      {"/admin%2e", "/admin.", {"/admin"}},
      {"/admin%2E", "/admin.", {"/admin"}},
      {"/admin%20", "/admin%20", {"/admin"}},
      {"/admin ", "/admin%20", {"/admin"}},
      {"/admin.%20..%20", "/admin.%20..%20", {"/admin"}},
      {"/admin./x", "/admin./x", {"/admin/x"}},
      {"/a/admin%20/x", "/a/admin%20/x", {"/a/admin/x"}},
      // A dot segment once its trailing spaces are gone: it climbs.
      {"/auth/..%20/admin", "/auth/..%20/admin", {"/admin"}},
      {"/auth/.%20/x", "/auth/.%20/x", {"/auth/x"}},
      // Dots alone, more than two: nothing is left of the segment.
      {"/.../admin", "/.../admin", {"/admin"}},
      // Dots and spaces elsewhere in a segment are no reading of their own.
      {"/a.b/c%20d", "/a.b/c%20d", {}},
      {"/favicon.ico", "/favicon.ico", {}},
      {"/.hidden", "/.hidden", {}},
  };
  for (const auto& c : kCases) {
    auto normalized = NormalizePath(c.uri);
    ASSERT_TRUE(normalized.ok()) << c.uri << ": " << normalized.error().message;
    EXPECT_EQ(normalized->path, c.path) << c.uri;
    EXPECT_EQ(normalized->other_readings, c.others) << c.uri;
  }
}

// Finding 9: the guard decodes a path kMaxPathDecodings times, as the
// Next.js middleware does, and rejects what is still encoded after that
// rather than guessing at a third reading.
TEST(NormalizePathTest, PastTheDecodingDepthIsRejected) {
  EXPECT_EQ(kMaxPathDecodings, 2);
  for (std::string_view uri : {"/auth/%25252e%25252e/admin", "/%252561dmin",
                               "/a%252520b", "/100%252525", "/x/%2525252e"}) {
    auto normalized = NormalizePath(uri);
    ASSERT_FALSE(normalized.ok())
        << "accepted '" << uri << "' as '" << normalized->path << "'";
    EXPECT_EQ(normalized.error().code, ErrorCode::kValidationFailed);
    EXPECT_NE(normalized.error().message.find("encoded more than 2 times"),
              std::string::npos)
        << normalized.error().message;
  }
  // At the depth: read, both ways.
  for (std::string_view uri :
       {"/auth/%252e%252e/admin", "/a%2520b", "/100%2525", "/100%25%25"}) {
    EXPECT_TRUE(NormalizePath(uri).ok()) << uri;
  }
}

TEST(NormalizePathTest, NormalFormIsAFixedPoint) {
  for (std::string_view uri :
       {"/admin", "/a%20b", "/caf%C3%A9", "/x/", "/a:b@c", "/a%3Fb"}) {
    auto once = NormalizePath(uri);
    ASSERT_TRUE(once.ok()) << uri;
    auto twice = NormalizePath(once->path);
    ASSERT_TRUE(twice.ok()) << uri;
    EXPECT_EQ(twice->path, once->path) << uri;
  }
}

}  // namespace
}  // namespace gatehouse
