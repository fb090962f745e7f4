// GuardPolicy: the edge route guard's decision table (SPEC §7), pure.
//
// Given a normalised request path (core/path_normalizer.h) and the role of
// a *valid* session (or none), it says allow, send to sign-in, forbid, or
// send a signed-in user away from the login page. No HTTP, no I/O: the
// forward-auth handler turns a decision into a status, and the proxy into
// a redirect.
//
// Semantics:
//  - A prefix covers whole path segments: `/admin` covers `/admin`,
//    `/admin/` and `/admin/x`, not `/administrator`. A prefix written with
//    a trailing slash (`/_next/`) is the same prefix (`/_next`); `/` covers
//    every path.
//  - Public prefixes and rule prefixes compete by length: the longest
//    prefix that covers the path wins, whatever its kind. So with public
//    `/auth` and a rule `/auth/admin`, `/auth/x` is public and
//    `/auth/admin/x` needs the rule's role; with a rule `/docs` and public
//    `/docs/public`, the public part of the docs is open. This is the one
//    reading of "longest prefix wins" that lets either kind carve an
//    exception out of the other.
//  - A public prefix is open to everyone, signed in or not. A path no
//    prefix covers is open (SPEC §7).
//  - A rule needs a signed-in user (else kLoginRequired) whose role is one
//    of the rule's roles (else kForbidden).
//  - A signed-in user on the login path itself (`/auth` or `/auth/`, not
//    `/auth/x`: sub-pages such as a sign-up or a callback stay reachable) is
//    sent to the landing path. The caller passes a role only for a session
//    it has verified (F8: never on the mere presence of a cookie), or a
//    user with a dead cookie would bounce between the two pages forever.
//  - Rule prefixes match ASCII case-insensitively, public prefixes and the
//    login path exactly: some servers route case-insensitively (Express by
//    default, IIS), and `/ADMIN` must not be open there. Treating more
//    paths as protected is the safe direction; treating more as public is
//    not, so public matching never widens.
//
// The rules are validated when the policy is built, so a policy that
// exists cannot loop or contradict itself: paths in normal form, no two
// rules (nor a rule and a public prefix) with one prefix, roles non-empty,
// the login path open to the signed-out, the landing path not the login
// path.
#ifndef GATEHOUSE_CORE_GUARD_POLICY_H_
#define GATEHOUSE_CORE_GUARD_POLICY_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/path_normalizer.h"
#include "core/result.h"

namespace gatehouse {

enum class GuardDecision {
  kAllow,          // 2xx: pass the request to the upstream
  kLoginRequired,  // 401: not signed in and the path is protected
  kForbidden,      // 403: signed in without a role of the winning rule
  kSendToLanding,  // signed in (valid session) and visiting the login path
};

// "allow", "login_required", "forbidden", "send_to_landing": for logs and
// test output.
std::string_view GuardDecisionName(GuardDecision decision);

// The [guard] table of the config file, as written (app/guard_config.h).
struct GuardRules {
  std::string login_path;
  std::string landing_path;
  std::vector<std::string> public_prefixes;
  struct Rule {
    std::string prefix;
    std::vector<std::string> roles;
  };
  std::vector<Rule> rules;
};

// What is wrong with a rule set: the field as the config file names it
// ("guard.login_path", "guard.public[1]", "guard.rules[0].roles[2]";
// indexes from 0) and why, so the loader can point at the file's line.
struct GuardRulesProblem {
  std::string field;
  std::string reason;
};

// Longest accepted `next` value: far more than any real page address, and
// it keeps the login URL well inside a proxy's header buffers.
inline constexpr size_t kMaxNextLength = 2048;

// True iff `next` is a local path-and-query that no browser, and no
// careless extra decoding, can turn into another origin. The login page
// calls it on the `next` value it received (after the one percent-decoding
// of its query string) and, on false, goes to its default page instead.
// Requires: starts with a single '/' (not "//" or "/\"), at most
// kMaxNextLength bytes, printable ASCII only (browsers drop TAB, CR and LF,
// so "/\t/evil.example" is "//evil.example"), no backslash, no "." or ".."
// path segment; and the same again after each of up to three further
// percent-decodings (`/%2F%2Fevil.example`, `/%252F%252Fevil.example`),
// where non-ASCII and spaces are allowed. Pure.
bool IsSafeNext(std::string_view next);

class GuardPolicy {
 public:
  // The first problem of `rules`, or nullopt if Create accepts them.
  // Paths must start with '/' and be written in normal form (what
  // NormalizePath gives: no query, no dot segments, no ';', upper-case
  // hex); a trailing '/' is allowed.
  static std::optional<GuardRulesProblem> FindProblem(const GuardRules& rules);

  // A policy for `rules`, or kValidationFailed whose message is
  // "<field>: <reason>" (see FindProblem).
  [[nodiscard]] static Result<GuardPolicy> Create(GuardRules rules);

  // The verdict for one reading. `path` is a reading from NormalizePath
  // (anything not starting with '/' is denied); `role` is set iff the
  // request carries a valid session, and is that session's role.
  // Forward-auth callers use the NormalizedPath overload below.
  GuardDecision Decide(std::string_view path,
                       std::optional<std::string_view> role) const;

  // The strictest verdict over every reading of the request (a denial
  // beats kSendToLanding, which beats kAllow), so a path that any common
  // server would route to a protected page is judged protected there.
  GuardDecision Decide(const NormalizedPath& path,
                       std::optional<std::string_view> role) const;

  // Where the proxy sends a signed-out user who asked for `original_uri`
  // (path and query as forwarded): login_path + "?next=" + the URI with
  // every byte but the unreserved ones percent-encoded. When the URI is
  // not a safe `next` (IsSafeNext), the bare login path: after sign-in the
  // login page then goes to its default page.
  std::string LoginRedirect(std::string_view original_uri) const;

  const GuardRules& rules() const { return rules_; }
  const std::string& login_path() const { return rules_.login_path; }
  const std::string& landing_path() const { return rules_.landing_path; }

 private:
  struct Matcher {
    std::string prefix;  // normal form, no trailing '/' (except "/")
    bool is_public = false;
    std::vector<std::string> roles;  // empty for public prefixes
    std::string field;  // "guard.public[0]", "guard.rules[1]": for messages
  };

  GuardPolicy(GuardRules rules, std::vector<Matcher> matchers,
              std::string login_match);

  // Validates `rules` and, if they are sound, fills the matchers (longest
  // first) and the login path's matcher form.
  static std::optional<GuardRulesProblem> Build(const GuardRules& rules,
                                                std::vector<Matcher>& matchers,
                                                std::string& login_match);

  // The verdict for one reading under the given table.
  static GuardDecision DecideWith(const std::vector<Matcher>& matchers,
                                  std::string_view login_match,
                                  std::string_view path,
                                  std::optional<std::string_view> role);

  // Set in the constructor, never changed: a policy is immutable and
  // therefore safe to share between threads.
  GuardRules rules_;
  std::vector<Matcher> matchers_;  // longest prefix first
  std::string login_match_;        // login path without its trailing '/'
};

}  // namespace gatehouse

#endif  // GATEHOUSE_CORE_GUARD_POLICY_H_
