// The edge guard's reading of a forwarded request URI and its verdict
// (core/path_normalizer.h NormalizePath, core/guard_policy.h Decide,
// IsSafeNext, LoginRedirect) under a fixed policy: what /auth/check does
// with X-Original-URI / X-Forwarded-Uri.
//
// Invariants: a rejection names itself; the canonical reading is in
// normal form (starts with '/', no repeated '/', no dot segment, every
// '%' an upper-case escape, no byte a path may not hold) and normalises
// to itself; the verdict is the strictest over the readings. And an
// oracle written apart from the normaliser: if any reading the header
// promises to judge (decoded once or twice, dot segments removed before
// or after merging slashes or not at all, ;parameters dropped) falls under
// a protected prefix, the signed-out and a user without the role are
// turned away. LoginRedirect carries a `next` only when IsSafeNext holds,
// and no decoding of a safe `next` starts a scheme-relative URL.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/guard_policy.h"
#include "core/path_normalizer.h"
#include "tests/fuzz/fuzz_check.h"

namespace gatehouse {
namespace {

// SPEC §7's example plus a rule carved out of a public prefix
// (/auth/admin) and a public prefix carved out of a rule (/docs/public).
GuardPolicy MakePolicy() {
  Result<GuardPolicy> policy = GuardPolicy::Create(GuardRules{
      .login_path = "/auth",
      .landing_path = "/admin",
      .public_prefixes = {"/auth", "/_next", "/favicon.ico", "/docs/public"},
      .rules = {{"/admin", {"admin"}},
                {"/teacher", {"admin", "teacher"}},
                {"/auth/admin", {"admin"}},
                {"/docs", {"admin", "user"}}},
  });
  FUZZ_CHECK(policy.ok(), "the fixed policy is valid");
  return std::move(policy).value();
}

// Prefixes under which nothing public is carved out: any reading they
// cover must be denied to the signed-out and to role "user".
constexpr std::string_view kProtected[] = {"/admin", "/teacher", "/auth/admin"};

int Hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Every %XX decoded; malformed escapes stay. For routing, an encoded ';'
// stays too: servers drop ;parameters before decoding, so "%3B" never
// starts one.
enum class Semicolons { kDecode, kKeepEncoded };

std::string Decode(std::string_view s,
                   Semicolons semicolons = Semicolons::kKeepEncoded) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && Hex(s[i + 1]) >= 0 &&
        Hex(s[i + 2]) >= 0) {
      const char c = static_cast<char>(Hex(s[i + 1]) * 16 + Hex(s[i + 2]));
      if (c != ';' || semicolons == Semicolons::kDecode) {
        out.push_back(c);
        i += 2;
        continue;
      }
    }
    out.push_back(s[i]);
  }
  return out;
}

std::string MergeSlashes(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '/' && !out.empty() && out.back() == '/') continue;
    out.push_back(c);
  }
  return out;
}

// RFC 3986 §5.2.4, the buffer algorithm as the RFC writes it.
std::string RemoveDots(std::string_view path) {
  std::string in(path), out;
  auto drop_last = [&out] {
    const size_t slash = out.rfind('/');
    out.erase(slash == std::string::npos ? 0 : slash);
  };
  while (!in.empty()) {
    if (in.starts_with("../")) {
      in.erase(0, 3);
    } else if (in.starts_with("./")) {
      in.erase(0, 2);
    } else if (in.starts_with("/./")) {
      in.replace(0, 3, "/");
    } else if (in == "/.") {
      in = "/";
    } else if (in.starts_with("/../")) {
      in.replace(0, 4, "/");
      drop_last();
    } else if (in == "/..") {
      in = "/";
      drop_last();
    } else if (in == "." || in == "..") {
      in.clear();
    } else {
      const size_t end = in.find('/', in.front() == '/' ? 1 : 0);
      out += in.substr(0, end);
      in.erase(0, end == std::string::npos ? in.size() : end);
    }
  }
  return out;
}

std::string DropParameters(std::string_view s) {
  std::string out;
  bool in_parameters = false;
  for (char c : s) {
    if (c == '/') in_parameters = false;
    if (c == ';') in_parameters = true;
    if (!in_parameters) out.push_back(c);
  }
  return out;
}

bool CoversIgnoringCase(std::string_view prefix, std::string_view path) {
  if (path.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    auto lower = [](char c) {
      return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    };
    if (lower(path[i]) != lower(prefix[i])) return false;
  }
  return path.size() == prefix.size() || path[prefix.size()] == '/';
}

// The readings NormalizePath's header says servers make of `raw_path`:
// decoded once or twice, then dot segments removed after merging slashes
// (nginx), before (RFC 3986, WHATWG) or not at all (Express), or
// ;parameters dropped (servlet containers).
std::vector<std::string> PromisedReadings(std::string_view raw_path) {
  std::vector<std::string> readings;
  const std::string once = Decode(raw_path);
  const std::string stripped_once = Decode(DropParameters(raw_path));
  for (const std::string& decoded : {once, Decode(once)}) {
    readings.push_back(RemoveDots(MergeSlashes(decoded)));
    readings.push_back(MergeSlashes(RemoveDots(decoded)));
    readings.push_back(MergeSlashes(decoded));
  }
  for (const std::string& decoded : {stripped_once, Decode(stripped_once)}) {
    readings.push_back(RemoveDots(MergeSlashes(decoded)));
  }
  return readings;
}

bool IsDenial(GuardDecision d) {
  return d == GuardDecision::kLoginRequired || d == GuardDecision::kForbidden;
}

int Severity(GuardDecision d) {
  if (IsDenial(d)) return 2;
  return d == GuardDecision::kSendToLanding ? 1 : 0;
}

void CheckNormalForm(const std::string& path) {
  FUZZ_CHECK(path.starts_with("/"), "starts with '/'");
  FUZZ_CHECK(path.find("//") == std::string::npos, "no repeated '/'");
  FUZZ_CHECK(path.find("/./") == std::string::npos &&
                 path.find("/../") == std::string::npos &&
                 !path.ends_with("/.") && !path.ends_with("/.."),
             "no dot segment");
  for (size_t i = 0; i < path.size(); ++i) {
    const auto c = static_cast<unsigned char>(path[i]);
    FUZZ_CHECK(c > 0x20 && c < 0x7F && c != '\\' && c != '#' && c != '?' &&
                   c != '"' && c != '<' && c != '>',
               "only bytes a path may hold raw");
    if (c == '%') {
      FUZZ_CHECK(i + 2 < path.size() && Hex(path[i + 1]) >= 0 &&
                     Hex(path[i + 2]) >= 0 &&
                     !(path[i + 1] >= 'a' && path[i + 1] <= 'f') &&
                     !(path[i + 2] >= 'a' && path[i + 2] <= 'f'),
                 "every '%' starts an upper-case escape");
    }
  }
}

void CheckNext(const GuardPolicy& policy, std::string_view uri) {
  const std::string redirect = policy.LoginRedirect(uri);
  if (!IsSafeNext(uri)) {
    FUZZ_CHECK(redirect == policy.login_path(), "no unsafe next");
    return;
  }
  FUZZ_CHECK(uri.size() <= kMaxNextLength, "next length");
  const std::string prefix = policy.login_path() + "?next=";
  FUZZ_CHECK(redirect.starts_with(prefix), "a safe next is carried");
  FUZZ_CHECK(Decode(redirect.substr(prefix.size()), Semicolons::kDecode) == uri,
             "and decodes back to the URI");
  std::string form(uri);
  for (int i = 0; i <= 4; ++i) {
    std::string seen;  // browsers drop TAB, CR and LF from URLs
    for (char c : form) {
      if (c != '\t' && c != '\r' && c != '\n') seen.push_back(c);
    }
    FUZZ_CHECK(seen.starts_with("/") && !seen.starts_with("//") &&
                   !seen.starts_with("/\\"),
               "no decoding of a safe next leaves the origin");
    form = Decode(form, Semicolons::kDecode);
  }
}

}  // namespace
}  // namespace gatehouse

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace gatehouse;
  static const GuardPolicy policy = MakePolicy();
  const std::string_view uri = fuzz::AsText(data, size);
  const std::optional<std::string_view> roles[] = {std::nullopt, "admin",
                                                   "teacher", "user", ""};

  CheckNext(policy, uri);
  Result<NormalizedPath> normalized = NormalizePath(uri);
  if (!normalized.ok()) {
    FUZZ_CHECK(
        normalized.error().code == ErrorCode::kValidationFailed &&
            normalized.error().message.starts_with("request path rejected: "),
        "a rejection says so");
    return 0;
  }
  const NormalizedPath& n = *normalized;
  CheckNormalForm(n.path);
  if (n.path.size() <= kMaxGuardedPathLength) {
    Result<NormalizedPath> again = NormalizePath(n.path);
    FUZZ_CHECK(again.ok() && again->path == n.path,
               "a normalised path normalises to itself");
  }
  for (size_t i = 0; i < n.other_readings.size(); ++i) {
    const std::string& r = n.other_readings[i];
    FUZZ_CHECK(r.starts_with("/") && r != n.path, "another reading");
    for (size_t j = i + 1; j < n.other_readings.size(); ++j) {
      FUZZ_CHECK(r != n.other_readings[j], "readings listed once");
    }
  }

  const std::string_view raw_path = uri.substr(0, uri.find('?'));
  bool protected_reading = false;
  for (const std::string& reading : PromisedReadings(raw_path)) {
    for (std::string_view prefix : kProtected) {
      protected_reading |= CoversIgnoringCase(prefix, reading);
    }
  }
  for (const std::optional<std::string_view>& role : roles) {
    const GuardDecision verdict = policy.Decide(n, role);
    int strictest = Severity(policy.Decide(n.path, role));
    for (const std::string& r : n.other_readings) {
      strictest = std::max(strictest, Severity(policy.Decide(r, role)));
    }
    FUZZ_CHECK(Severity(verdict) == strictest,
               "the strictest verdict over the readings");
    if (protected_reading && (!role || *role == "user" || role->empty())) {
      FUZZ_CHECK(IsDenial(verdict),
                 "a protected reading is denied without the role");
    }
  }
  return 0;
}
