#include "core/guard_policy.h"

#include <algorithm>
#include <cctype>
#include <utility>

namespace gatehouse {
namespace {

constexpr char kHexDigits[] = "0123456789ABCDEF";

// A login page that decodes `next` once more than it should, a framework
// that decodes it again: three further decodings cover every such chain
// seen in the wild, and anything still encoded after them is no page.
constexpr int kNextDecodings = 3;

bool IsUnreserved(unsigned char c) {
  return std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool SameChar(char a, char b, bool fold_case) {
  if (!fold_case) return a == b;
  return std::tolower(static_cast<unsigned char>(a)) ==
         std::tolower(static_cast<unsigned char>(b));
}

bool SamePrefix(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(),
                    [](char x, char y) { return SameChar(x, y, true); });
}

// True iff `prefix` (matcher form) covers `path` by whole segments.
bool Covers(std::string_view prefix, std::string_view path, bool fold_case) {
  if (prefix == "/") return true;
  if (path.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (!SameChar(prefix[i], path[i], fold_case)) return false;
  }
  return path.size() == prefix.size() || path[prefix.size()] == '/';
}

// The matcher form of a configured path (normal form, no trailing '/'
// unless it is "/"), or why it cannot be used.
std::optional<std::string> PathProblem(std::string_view value,
                                       std::string& match) {
  const std::string quoted = "'" + std::string(value) + "'";
  if (value.empty()) return "must not be empty";
  if (value.front() != '/') return "must start with '/', not " + quoted;
  if (value.find_first_of("?#") != std::string_view::npos) {
    return "must be a path without '?' or '#', not " + quoted;
  }
  auto normalized = NormalizePath(value);
  if (!normalized.ok()) {
    return quoted + " is not a usable path (" + normalized.error().message +
           ")";
  }
  if (!normalized->other_readings.empty()) {
    return quoted +
           " is read differently by different servers; write it without "
           "'.' or '..' segments, ';', '%25' or a segment ending in '.' or "
           "a space";
  }
  if (normalized->path != value) {
    return "must be written in normal form, '" + normalized->path + "', not " +
           quoted;
  }
  match = value;
  if (match.size() > 1 && match.back() == '/') match.pop_back();
  return std::nullopt;
}

int Severity(GuardDecision decision) {
  switch (decision) {
    case GuardDecision::kAllow:
      return 0;
    case GuardDecision::kSendToLanding:
      return 1;
    case GuardDecision::kLoginRequired:
    case GuardDecision::kForbidden:
      return 2;
  }
  return 2;
}

// Printable ASCII, a single leading '/', no backslash, no dot segment in
// the path part. `raw` forms (as received) must also hold no space and no
// byte past ASCII: a browser would have percent-encoded them.
bool IsSafeLocalForm(std::string_view s, bool raw) {
  if (s.empty() || s.front() != '/') return false;
  if (s.size() > 1 && (s[1] == '/' || s[1] == '\\')) return false;
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7F || c == '\\') return false;
    if (raw && (c == ' ' || c >= 0x80)) return false;
  }
  // A dot segment can climb to an empty first segment ("/..//evil") and
  // so to a scheme-relative URL once a server resolves it; a page address
  // a browser produces never holds one.
  std::string_view path = s.substr(0, s.find_first_of("?#"));
  size_t start = 1;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    std::string_view segment = path.substr(start, end - start);
    if (segment == "." || segment == "..") return false;
    start = end + 1;
  }
  return true;
}

// Decodes every well-formed escape; a '%' not followed by two hex digits
// stays, as browsers and most decoders leave it.
std::string DecodeLenient(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && HexValue(s[i + 1]) >= 0 &&
        HexValue(s[i + 2]) >= 0) {
      out.push_back(
          static_cast<char>(HexValue(s[i + 1]) * 16 + HexValue(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

}  // namespace

std::string_view GuardDecisionName(GuardDecision decision) {
  switch (decision) {
    case GuardDecision::kAllow:
      return "allow";
    case GuardDecision::kLoginRequired:
      return "login_required";
    case GuardDecision::kForbidden:
      return "forbidden";
    case GuardDecision::kSendToLanding:
      return "send_to_landing";
  }
  return "unknown";
}

bool IsSafeNext(std::string_view next) {
  if (next.size() > kMaxNextLength) return false;
  if (!IsSafeLocalForm(next, /*raw=*/true)) return false;
  std::string form(next);
  for (int i = 0; i < kNextDecodings; ++i) {
    std::string decoded = DecodeLenient(form);
    if (decoded == form) return true;
    if (!IsSafeLocalForm(decoded, /*raw=*/false)) return false;
    form = std::move(decoded);
  }
  return DecodeLenient(form) == form;
}

GuardPolicy::GuardPolicy(GuardRules rules, std::vector<Matcher> matchers,
                         std::string login_match)
    : rules_(std::move(rules)),
      matchers_(std::move(matchers)),
      login_match_(std::move(login_match)) {}

std::optional<GuardRulesProblem> GuardPolicy::Build(
    const GuardRules& rules, std::vector<Matcher>& matchers,
    std::string& login_match) {
  matchers.clear();
  std::string landing_match;
  if (auto why = PathProblem(rules.login_path, login_match)) {
    return GuardRulesProblem{"guard.login_path", *why};
  }
  if (auto why = PathProblem(rules.landing_path, landing_match)) {
    return GuardRulesProblem{"guard.landing_path", *why};
  }
  if (landing_match == login_match) {
    return GuardRulesProblem{
        "guard.landing_path",
        "must differ from guard.login_path ('" + rules.login_path +
            "'): a signed-in user on the login page is sent to the landing "
            "path, so one page for both is a redirect loop"};
  }
  for (size_t i = 0; i < rules.public_prefixes.size(); ++i) {
    const std::string field = "guard.public[" + std::to_string(i) + "]";
    Matcher m{.prefix = "", .is_public = true, .roles = {}, .field = field};
    if (auto why = PathProblem(rules.public_prefixes[i], m.prefix)) {
      return GuardRulesProblem{field, *why};
    }
    matchers.push_back(std::move(m));
  }
  for (size_t i = 0; i < rules.rules.size(); ++i) {
    const GuardRules::Rule& rule = rules.rules[i];
    const std::string field = "guard.rules[" + std::to_string(i) + "]";
    Matcher m{
        .prefix = "", .is_public = false, .roles = rule.roles, .field = field};
    if (auto why = PathProblem(rule.prefix, m.prefix)) {
      return GuardRulesProblem{field + ".prefix", *why};
    }
    for (const Matcher& other : matchers) {
      // Rules match case-insensitively, so "/Admin" repeats "/admin".
      if (!SamePrefix(other.prefix, m.prefix)) continue;
      return GuardRulesProblem{
          field + ".prefix",
          "'" + rule.prefix + "' is already the prefix of " + other.field +
              (other.is_public
                   ? ": a path cannot be both public and protected"
                   : "; give each prefix one rule, listing every role")};
    }
    if (rule.roles.empty()) {
      return GuardRulesProblem{field + ".roles", "must name at least one role"};
    }
    for (size_t j = 0; j < rule.roles.size(); ++j) {
      if (rule.roles[j].empty()) {
        return GuardRulesProblem{field + ".roles[" + std::to_string(j) + "]",
                                 "must not be empty"};
      }
    }
    matchers.push_back(std::move(m));
  }
  // Longest first, so the first matcher that covers a path is the longest.
  // Equal lengths never compete: equal prefixes were refused above, and
  // two different prefixes of one length cannot both cover a path.
  std::stable_sort(matchers.begin(), matchers.end(),
                   [](const Matcher& a, const Matcher& b) {
                     return a.prefix.size() > b.prefix.size();
                   });
  if (DecideWith(matchers, login_match, login_match, std::nullopt) !=
      GuardDecision::kAllow) {
    std::string by;
    for (const Matcher& m : matchers) {
      if (Covers(m.prefix, login_match, !m.is_public)) {
        by = m.field + " ('" + m.prefix + "')";
        break;
      }
    }
    return GuardRulesProblem{
        "guard.login_path",
        "'" + rules.login_path + "' is protected by " + by +
            ", so the signed-out, who are sent there, could never load it "
            "(a redirect loop); add it to guard.public"};
  }
  return std::nullopt;
}

std::optional<GuardRulesProblem> GuardPolicy::FindProblem(
    const GuardRules& rules) {
  std::vector<Matcher> matchers;
  std::string login_match;
  return Build(rules, matchers, login_match);
}

Result<GuardPolicy> GuardPolicy::Create(GuardRules rules) {
  std::vector<Matcher> matchers;
  std::string login_match;
  if (auto problem = Build(rules, matchers, login_match)) {
    return MakeError(ErrorCode::kValidationFailed,
                     problem->field + ": " + problem->reason);
  }
  return GuardPolicy(std::move(rules), std::move(matchers),
                     std::move(login_match));
}

GuardDecision GuardPolicy::DecideWith(const std::vector<Matcher>& matchers,
                                      std::string_view login_match,
                                      std::string_view path,
                                      std::optional<std::string_view> role) {
  if (path.empty() || path.front() != '/') {
    return role ? GuardDecision::kForbidden : GuardDecision::kLoginRequired;
  }
  if (role) {
    // "/auth" and "/auth/"; for a login path of "/", only "/".
    std::string_view bare = path;
    if (bare.size() > 1 && bare.back() == '/') bare.remove_suffix(1);
    if (bare == login_match) return GuardDecision::kSendToLanding;
  }
  for (const Matcher& m : matchers) {
    if (!Covers(m.prefix, path, /*fold_case=*/!m.is_public)) continue;
    if (m.is_public) return GuardDecision::kAllow;
    if (!role) return GuardDecision::kLoginRequired;
    bool has_role =
        std::find(m.roles.begin(), m.roles.end(), *role) != m.roles.end();
    return has_role ? GuardDecision::kAllow : GuardDecision::kForbidden;
  }
  return GuardDecision::kAllow;
}

GuardDecision GuardPolicy::Decide(std::string_view path,
                                  std::optional<std::string_view> role) const {
  return DecideWith(matchers_, login_match_, path, role);
}

GuardDecision GuardPolicy::Decide(const NormalizedPath& path,
                                  std::optional<std::string_view> role) const {
  GuardDecision strictest = Decide(path.path, role);
  for (const std::string& reading : path.other_readings) {
    GuardDecision d = Decide(reading, role);
    if (Severity(d) > Severity(strictest)) strictest = d;
  }
  return strictest;
}

std::string GuardPolicy::LoginRedirect(std::string_view original_uri) const {
  std::string url = rules_.login_path;
  if (!IsSafeNext(original_uri)) return url;
  url += "?next=";
  for (char ch : original_uri) {
    const auto c = static_cast<unsigned char>(ch);
    if (IsUnreserved(c)) {
      url.push_back(ch);
    } else {
      url.push_back('%');
      url.push_back(kHexDigits[c >> 4]);
      url.push_back(kHexDigits[c & 0xF]);
    }
  }
  return url;
}

}  // namespace gatehouse
