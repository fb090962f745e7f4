#include "http/json_body.h"

#include <boost/beast/core/string.hpp>
#include <boost/json/basic_parser_impl.hpp>
#include <set>
#include <string>
#include <vector>

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

namespace json = boost::json;

// A handler for json::basic_parser that builds the value as
// json::parser's own does (through a value_stack), and stops at the first
// key repeated within one object. json::object keeps only the last of a
// repeated key, so the check must see keys as they are parsed: after
// parsing, {"role":"user","role":"admin"} is indistinguishable from
// {"role":"admin"}.
class UniqueKeyHandler {
 public:
  static constexpr std::size_t max_object_size = json::object::max_size();
  static constexpr std::size_t max_array_size = json::array::max_size();
  static constexpr std::size_t max_key_size = json::string::max_size();
  static constexpr std::size_t max_string_size = json::string::max_size();

  json::value_stack& stack() { return stack_; }
  // The dotted path of the first repeated key ("user.role"), or "".
  const std::string& duplicate() const { return duplicate_; }

  bool on_document_begin(json::error_code&) { return true; }
  bool on_document_end(json::error_code&) { return true; }
  bool on_object_begin(json::error_code&) {
    open_.emplace_back();
    return true;
  }
  bool on_object_end(std::size_t n, json::error_code&) {
    open_.pop_back();
    stack_.push_object(n);
    return true;
  }
  bool on_array_begin(json::error_code&) { return true; }
  bool on_array_end(std::size_t n, json::error_code&) {
    stack_.push_array(n);
    return true;
  }
  bool on_key_part(json::string_view s, std::size_t, json::error_code&) {
    key_.append(s.data(), s.size());
    stack_.push_chars(s);
    return true;
  }
  bool on_key(json::string_view s, std::size_t, json::error_code& ec) {
    key_.append(s.data(), s.size());
    OpenObject& object = open_.back();
    if (!object.keys.insert(key_).second) {
      for (const OpenObject& o : open_) {
        if (&o != &object) duplicate_ += o.current_key + ".";
      }
      duplicate_ += key_;
      ec = json::error::syntax;  // any error stops the parser
      return false;
    }
    object.current_key = std::move(key_);
    key_.clear();
    stack_.push_key(s);
    return true;
  }
  bool on_string_part(json::string_view s, std::size_t, json::error_code&) {
    stack_.push_chars(s);
    return true;
  }
  bool on_string(json::string_view s, std::size_t, json::error_code&) {
    stack_.push_string(s);
    return true;
  }
  bool on_number_part(json::string_view, json::error_code&) { return true; }
  bool on_int64(std::int64_t i, json::string_view, json::error_code&) {
    stack_.push_int64(i);
    return true;
  }
  bool on_uint64(std::uint64_t u, json::string_view, json::error_code&) {
    stack_.push_uint64(u);
    return true;
  }
  bool on_double(double d, json::string_view, json::error_code&) {
    stack_.push_double(d);
    return true;
  }
  bool on_bool(bool b, json::error_code&) {
    stack_.push_bool(b);
    return true;
  }
  bool on_null(json::error_code&) {
    stack_.push_null();
    return true;
  }
  // Comments are off in the parse options; these are never called.
  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }

 private:
  struct OpenObject {
    std::set<std::string, std::less<>> keys;
    std::string current_key;  // the member being read, for the path
  };

  json::value_stack stack_;
  std::vector<OpenObject> open_;  // objects being read, innermost last
  std::string key_;               // the key being read, across parts
  std::string duplicate_;
};

}  // namespace

bool IsJsonContentType(std::string_view content_type) {
  std::string_view type =
      TrimOws(content_type.substr(0, content_type.find(';')));
  return boost::beast::iequals(type, "application/json");
}

Result<boost::json::object> ParseJsonObject(std::string_view body) {
  json::parse_options options;
  options.max_depth = kMaxJsonDepth;
  json::basic_parser<UniqueKeyHandler> parser(options);
  parser.handler().stack().reset();
  json::error_code ec;
  size_t used = parser.write_some(false, body.data(), body.size(), ec);
  if (!parser.handler().duplicate().empty()) {
    return MakeError(ErrorCode::kValidationFailed,
                     parser.handler().duplicate() + ": duplicate key");
  }
  if (ec || used != body.size()) {
    return MakeError(ErrorCode::kValidationFailed, "body: must be valid JSON");
  }
  json::value value = parser.handler().stack().release();
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
