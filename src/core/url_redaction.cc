#include "core/url_redaction.h"

#include <algorithm>
#include <initializer_list>
#include <utility>
#include <vector>

namespace gatehouse {
namespace {

// A part of the text to hide: [first, second).
using Span = std::pair<size_t, size_t>;

// Longer than any registered scheme; a longer "scheme" is not one.
constexpr size_t kMaxSchemeLength = 32;

bool IsAlpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
         c == '\v';
}

int HexValue(char c) {
  if (IsDigit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// `text` with %XX decoded (a malformed escape kept as it is) and ASCII
// letters lower-cased: how a parameter name is compared.
std::string DecodedLower(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%' && i + 2 < text.size()) {
      int hi = HexValue(text[i + 1]);
      int lo = HexValue(text[i + 2]);
      if (hi >= 0 && lo >= 0) {
        c = static_cast<char>(hi * 16 + lo);
        i += 2;
      }
    }
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    out.push_back(c);
  }
  return out;
}

// Whether a parameter or keyword of this name holds a secret.
bool IsSecretName(std::string_view name) {
  const std::string n = DecodedLower(name);
  for (std::string_view part : {"password", "passwd", "secret", "token"}) {
    if (n.find(part) != std::string::npos) return true;
  }
  return n == "pass" || n == "pwd";
}

// `text` with each span replaced by kRedacted; spans that overlap or touch
// become one.
std::string Apply(std::string_view text, std::vector<Span> spans) {
  std::erase_if(spans, [](const Span& s) { return s.first >= s.second; });
  std::sort(spans.begin(), spans.end());
  std::string out;
  size_t pos = 0;
  for (size_t i = 0; i < spans.size();) {
    const size_t begin = spans[i].first;
    size_t end = spans[i].second;
    for (++i; i < spans.size() && spans[i].first <= end; ++i) {
      end = std::max(end, spans[i].second);
    }
    out.append(text.substr(pos, begin - pos));
    out.append(kRedacted);
    pos = end;
  }
  out.append(text.substr(pos));
  return out;
}

// The password of the userinfo of `rest` (the text after "scheme://"),
// which starts at `base` in the whole text: up to the LAST '@', since a
// password may hold an unencoded '@' while a host never does.
void UserinfoSpans(std::string_view rest, size_t base,
                   std::vector<Span>& spans) {
  const size_t at = rest.rfind('@');
  if (at == std::string_view::npos) return;
  const std::string_view userinfo = rest.substr(0, at);
  const size_t colon = userinfo.find(':');
  if (colon == std::string_view::npos) return;  // a user name only
  const std::string_view user = userinfo.substr(0, colon);
  const std::string_view password = userinfo.substr(colon + 1);
  if (user.find_first_of("/?#") != std::string_view::npos) {
    // No user name holds these: the ':' may be a port's, or one of many in
    // a mangled password. Either way nothing here is safe to show.
    spans.push_back({base, base + at});
    return;
  }
  if (password.empty()) return;
  spans.push_back({base + colon + 1, base + at});
  if (user == password) spans.push_back({base, base + colon});
}

// The values of secret query parameters anywhere in `rest`. Every '?' and
// '&' is taken to start a parameter, wherever it stands: one inside an
// unencoded password or value then only splits that text further, which
// hides as much or more. Pieces without '=' right after a secret one are
// the rest of its value (a '&' in it), and hidden with it.
void ParameterSpans(std::string_view rest, size_t base,
                    std::vector<Span>& spans) {
  size_t pos = rest.find_first_of("?&");
  bool after_secret = false;
  while (pos != std::string_view::npos) {
    const size_t begin = pos + 1;
    size_t end = rest.find_first_of("?&", begin);
    if (end == std::string_view::npos) end = rest.size();
    const std::string_view piece = rest.substr(begin, end - begin);
    const size_t eq = piece.find('=');
    if (eq == std::string_view::npos) {
      if (after_secret) spans.back().second = base + end;
    } else {
      after_secret = IsSecretName(piece.substr(0, eq));
      if (after_secret) spans.push_back({base + begin + eq + 1, base + end});
    }
    pos = end < rest.size() ? end : std::string_view::npos;
  }
}

// Whether `text` reads as libpq's keyword/value form: a keyword (lower
// case letters and '_'), optional spaces, then '='.
bool LooksLikeKeywordValue(std::string_view text) {
  size_t pos = 0;
  while (pos < text.size() && IsSpace(text[pos])) ++pos;
  const size_t keyword = pos;
  while (pos < text.size() &&
         ((text[pos] >= 'a' && text[pos] <= 'z') || text[pos] == '_')) {
    ++pos;
  }
  if (pos == keyword) return false;
  while (pos < text.size() && IsSpace(text[pos])) ++pos;
  return pos < text.size() && text[pos] == '=';
}

// libpq's keyword = value pairs: a value is a run of non-spaces or a
// single-quoted string, '\' escaping the next character in either. A
// secret keyword's value is hidden, and so is any value that holds a
// credential of its own (dbname may be a whole URL). What cannot be read
// (a keyword without '=', an unclosed quote) is hidden to the end.
void KeywordValueSpans(std::string_view text, std::vector<Span>& spans) {
  size_t pos = 0;
  const size_t n = text.size();
  while (true) {
    while (pos < n && IsSpace(text[pos])) ++pos;
    if (pos == n) return;
    const size_t keyword_begin = pos;
    while (pos < n && !IsSpace(text[pos]) && text[pos] != '=') ++pos;
    const std::string_view keyword =
        text.substr(keyword_begin, pos - keyword_begin);
    while (pos < n && IsSpace(text[pos])) ++pos;
    if (pos == n || text[pos] != '=') {
      spans.push_back({keyword_begin, n});
      return;
    }
    ++pos;
    while (pos < n && IsSpace(text[pos])) ++pos;
    const size_t value_begin = pos;
    std::string value;
    if (pos < n && text[pos] == '\'') {
      bool closed = false;
      for (++pos; pos < n; ++pos) {
        if (text[pos] == '\\' && pos + 1 < n) {
          value.push_back(text[++pos]);
        } else if (text[pos] == '\'') {
          closed = true;
          ++pos;
          break;
        } else {
          value.push_back(text[pos]);
        }
      }
      if (!closed) {
        spans.push_back({value_begin, n});
        return;
      }
    } else {
      for (; pos < n && !IsSpace(text[pos]); ++pos) {
        if (text[pos] == '\\' && pos + 1 < n) ++pos;
        value.push_back(text[pos]);
      }
    }
    if (IsSecretName(keyword) || RedactUrl(value) != value) {
      spans.push_back({value_begin, pos});
    }
  }
}

}  // namespace

std::string UrlScheme(std::string_view url) {
  const size_t sep = url.find("://");
  if (sep == std::string_view::npos || sep == 0 || sep > kMaxSchemeLength ||
      !IsAlpha(url[0])) {
    return "";
  }
  for (size_t i = 1; i < sep; ++i) {
    const char c = url[i];
    if (!IsAlpha(c) && !IsDigit(c) && c != '+' && c != '-' && c != '.') {
      return "";
    }
  }
  return std::string(url.substr(0, sep));
}

std::string RedactUrl(std::string_view url) {
  std::vector<Span> spans;
  const std::string scheme = UrlScheme(url);
  if (!scheme.empty()) {
    const size_t base = scheme.size() + 3;
    UserinfoSpans(url.substr(base), base, spans);
    ParameterSpans(url.substr(base), base, spans);
  } else if (LooksLikeKeywordValue(url)) {
    KeywordValueSpans(url, spans);
  } else {
    UserinfoSpans(url, 0, spans);
    ParameterSpans(url, 0, spans);
  }
  return Apply(url, std::move(spans));
}

bool HasUnencodedUserinfo(std::string_view url) {
  const std::string scheme = UrlScheme(url);
  if (scheme.empty()) return false;
  const std::string_view rest = url.substr(scheme.size() + 3);
  const size_t at = rest.rfind('@');
  if (at == std::string_view::npos) return false;
  const std::string_view userinfo = rest.substr(0, at);
  if (userinfo.find(':') == std::string_view::npos) return false;
  return userinfo.find_first_of("@/?#") != std::string_view::npos;
}

}  // namespace gatehouse
