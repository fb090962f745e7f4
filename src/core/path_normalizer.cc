#include "core/path_normalizer.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>

namespace gatehouse {
namespace {

constexpr char kHexDigits[] = "0123456789ABCDEF";

// Canonicalize's errors carry the bare reason; NormalizePath says where.
Error Reason(std::string_view why) {
  return MakeError(ErrorCode::kValidationFailed, std::string(why));
}

Error Rejected(std::string_view why) {
  return Reason("request path rejected: " + std::string(why));
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool IsUnreserved(unsigned char c) {
  return std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

// RFC 3986 pchar minus pct-encoded, plus the separator: what a path may
// hold raw. Everything else is percent-encoded in the canonical form.
bool IsRawPathChar(unsigned char c) {
  static constexpr std::string_view kSubDelimsAndMore = "!$&'()*+,;=:@/";
  return IsUnreserved(c) ||
         kSubDelimsAndMore.find(static_cast<char>(c)) != std::string_view::npos;
}

bool IsControl(unsigned char c) { return c < 0x20 || c == 0x7F; }

// C0 and C1 can only begin an overlong (invalid) UTF-8 encoding of an
// ASCII character, the old trick for smuggling '.' and '/' past filters.
bool IsOverlongLead(unsigned char c) { return c == 0xC0 || c == 0xC1; }

void AppendEscaped(std::string& out, unsigned char c) {
  out.push_back('%');
  out.push_back(kHexDigits[c >> 4]);
  out.push_back(kHexDigits[c & 0xF]);
}

// Step 2: one decoding pass over a path (no query). Every '%' in the
// result starts a well-formed escape of a byte that is not unreserved.
Result<std::string> Canonicalize(std::string_view path) {
  std::string out;
  out.reserve(path.size());
  for (size_t i = 0; i < path.size(); ++i) {
    const auto raw = static_cast<unsigned char>(path[i]);
    if (raw == '%') {
      if (i + 2 >= path.size() || HexValue(path[i + 1]) < 0 ||
          HexValue(path[i + 2]) < 0) {
        return Reason("malformed percent-encoding");
      }
      const int hi = HexValue(path[i + 1]);
      const int lo = HexValue(path[i + 2]);
      const auto c = static_cast<unsigned char>(hi * 16 + lo);
      i += 2;
      if (c == '/') return Reason("an encoded '/' (%2F)");
      if (c == '\\') return Reason("a backslash (%5C)");
      if (IsControl(c)) return Reason("an encoded control character");
      if (IsOverlongLead(c)) return Reason("an overlong UTF-8 byte");
      if (IsUnreserved(c)) {
        out.push_back(static_cast<char>(c));
      } else {
        AppendEscaped(out, c);
      }
      continue;
    }
    if (IsControl(raw)) return Reason("a control character");
    if (raw == '\\') return Reason("a backslash");
    if (raw == '#') return Reason("a '#' (a request has no fragment)");
    if (IsOverlongLead(raw)) return Reason("an overlong UTF-8 byte");
    if (IsRawPathChar(raw)) {
      out.push_back(static_cast<char>(raw));
    } else {
      AppendEscaped(out, raw);
    }
  }
  return out;
}

std::string MergeSlashes(std::string_view path) {
  std::string out;
  out.reserve(path.size());
  for (char c : path) {
    if (c == '/' && !out.empty() && out.back() == '/') continue;
    out.push_back(c);
  }
  return out;
}

// RFC 3986 §5.2.4 on an absolute path, segment by segment. Empty segments
// are kept (and popped by "..", as RFC 3986 and WHATWG do); a final "."
// or ".." leaves a trailing slash.
std::string RemoveDotSegments(std::string_view path) {
  std::vector<std::string_view> out;
  std::string_view rest = path.substr(1);  // REQUIRES: starts with '/'
  while (true) {
    size_t slash = rest.find('/');
    std::string_view segment = rest.substr(0, slash);
    bool last = slash == std::string_view::npos;
    if (segment == ".") {
      if (last) out.push_back("");
    } else if (segment == "..") {
      if (!out.empty()) out.pop_back();
      if (last) out.push_back("");
    } else {
      out.push_back(segment);
    }
    if (last) break;
    rest.remove_prefix(slash + 1);
  }
  std::string joined;
  joined.reserve(path.size());
  for (std::string_view segment : out) {
    joined.push_back('/');
    joined.append(segment);
  }
  return joined.empty() ? "/" : joined;
}

// Servlet containers drop ";parameters" from every segment before routing.
std::string StripPathParameters(std::string_view path) {
  std::string out;
  out.reserve(path.size());
  bool in_parameters = false;
  for (char c : path) {
    if (c == '/') in_parameters = false;
    if (c == ';') in_parameters = true;
    if (!in_parameters) out.push_back(c);
  }
  return out;
}

// Windows servers (IIS, and the file system beneath them) drop trailing
// dots and spaces from every segment: `/admin.`, `/admin%2e` and
// `/admin%20` serve `/admin` there. A segment that is "." or ".." once its
// trailing spaces are gone (`.. `) stays that dot segment, removed later.
// `path` is canonical, so a space is "%20".
std::string StripTrailingDotsAndSpaces(std::string_view path) {
  auto strip = [](std::string_view segment, bool dots) {
    while (true) {
      if (segment.ends_with("%20")) {
        segment.remove_suffix(3);
      } else if (dots && segment.ends_with('.')) {
        segment.remove_suffix(1);
      } else {
        return segment;
      }
    }
  };
  std::string out;
  out.reserve(path.size());
  size_t start = 0;
  while (true) {
    size_t slash = path.find('/', start);
    std::string_view segment = path.substr(start, slash - start);
    std::string_view spaceless = strip(segment, /*dots=*/false);
    out.append(spaceless == "." || spaceless == ".."
                   ? spaceless
                   : strip(segment, /*dots=*/true));
    if (slash == std::string_view::npos) break;
    out.push_back('/');
    start = slash + 1;
  }
  return out;
}

// "%25XX" (XX hex) becomes "%XX": what a server that decodes twice sees on
// its second pass. nullopt when there is nothing to undo.
std::optional<std::string> UndoDoubleEncoding(std::string_view canonical) {
  std::string out;
  bool changed = false;
  for (size_t i = 0; i < canonical.size(); ++i) {
    if (canonical.substr(i, 3) == "%25" && i + 4 < canonical.size() &&
        HexValue(canonical[i + 3]) >= 0 && HexValue(canonical[i + 4]) >= 0) {
      out.push_back('%');
      i += 2;
      changed = true;
      continue;
    }
    out.push_back(canonical[i]);
  }
  if (!changed) return std::nullopt;
  return out;
}

// Appends the readings of a once-canonicalized path; the first one is the
// canonical reading (nginx: merge, then remove dots).
void AddReadings(const std::string& decoded, std::vector<std::string>& out) {
  out.push_back(RemoveDotSegments(MergeSlashes(decoded)));
  out.push_back(MergeSlashes(RemoveDotSegments(decoded)));
  out.push_back(MergeSlashes(decoded));
  out.push_back(RemoveDotSegments(MergeSlashes(StripPathParameters(decoded))));
  out.push_back(
      RemoveDotSegments(MergeSlashes(StripTrailingDotsAndSpaces(decoded))));
}

}  // namespace

Result<NormalizedPath> NormalizePath(std::string_view original_uri) {
  std::string_view path = original_uri.substr(0, original_uri.find('?'));
  if (path.empty() || path.front() != '/') {
    return Rejected("it does not start with '/'");
  }
  if (path.size() > kMaxGuardedPathLength) return Rejected("it is too long");
  auto once = Canonicalize(path);
  if (!once.ok()) return Rejected(once.error().message);
  const std::string& decoded = *once;

  std::vector<std::string> readings;
  AddReadings(decoded, readings);
  std::string form = decoded;
  for (int decodings = 1;; ++decodings) {
    auto once_more = UndoDoubleEncoding(form);
    if (!once_more) break;
    if (decodings == kMaxPathDecodings) {
      // Past the depth nothing is guessed: a server that decodes once
      // more than we judged would read a path we never saw.
      return Rejected("encoded more than " + std::to_string(kMaxPathDecodings) +
                      " times");
    }
    auto next = Canonicalize(*once_more);
    if (!next.ok()) return Rejected("double-encoded, " + next.error().message);
    form = std::move(next).value();
    AddReadings(form, readings);
  }

  NormalizedPath result{std::move(readings.front()), {}};
  for (size_t i = 1; i < readings.size(); ++i) {
    const std::string& r = readings[i];
    if (r != result.path &&
        std::find(result.other_readings.begin(), result.other_readings.end(),
                  r) == result.other_readings.end()) {
      result.other_readings.push_back(r);
    }
  }
  return result;
}

}  // namespace gatehouse
