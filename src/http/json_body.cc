#include "http/json_body.h"

#include <boost/beast/core/string.hpp>

namespace gatehouse {
namespace {

// Bodies are at most 64 KiB; nesting beyond this is never a real request
// and would only cost stack.
constexpr size_t kMaxJsonDepth = 16;

// Optional whitespace around a media type (RFC 9110 OWS).
std::string_view TrimOws(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

}  // namespace

bool IsJsonContentType(std::string_view content_type) {
  std::string_view type =
      TrimOws(content_type.substr(0, content_type.find(';')));
  return boost::beast::iequals(type, "application/json");
}

Result<boost::json::object> ParseJsonObject(std::string_view body) {
  boost::json::parse_options options;
  options.max_depth = kMaxJsonDepth;
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(body, ec, {}, options);
  if (ec) {
    return MakeError(ErrorCode::kValidationFailed, "body: must be valid JSON");
  }
  if (!value.is_object()) {
    return MakeError(ErrorCode::kValidationFailed,
                     "body: must be a JSON object");
  }
  return std::move(value.as_object());
}

Result<std::optional<std::string>> OptionalString(
    const boost::json::object& obj, std::string_view name) {
  auto it = obj.find(name);
  if (it == obj.end() || it->value().is_null())
    return std::optional<std::string>();
  if (!it->value().is_string()) {
    return MakeError(ErrorCode::kValidationFailed,
                     std::string(name) + ": must be a string");
  }
  return std::optional<std::string>(std::string(it->value().as_string()));
}

Result<std::string> RequiredString(const boost::json::object& obj,
                                   std::string_view name) {
  GH_ASSIGN_OR_RETURN(auto value, OptionalString(obj, name));
  if (!value) {
    return MakeError(ErrorCode::kValidationFailed,
                     std::string(name) + ": required");
  }
  return std::move(*value);
}

}  // namespace gatehouse
