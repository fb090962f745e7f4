// The JSON request body reader (http/json_body.h): ParseJsonObject and
// the field accessors every handler uses on it.
//
// Invariants: a refusal is kValidationFailed naming "body"; an accepted
// body is an object nested at most kMaxJsonDepth deep that survives
// serialising and reading again, when it holds no floating-point number
// (Boost 1.81 reads 1e400 as infinity and writes that as `Infinity`,
// which is not JSON, and reads long mantissas to a neighbouring double;
// gatehouse reads no numbers from a body and never writes one back); for
// every field name (the ones the API
// reads and the ones the body holds) RequiredString and OptionalString
// agree, and a wrong type is named after the field.
#include <boost/json.hpp>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "http/json_body.h"
#include "tests/fuzz/fuzz_check.h"

namespace gatehouse {
namespace {

namespace json = boost::json;

// json_body.cc's limit on nesting (the top-level object counts as 1).
constexpr size_t kMaxJsonDepth = 16;

size_t Depth(const json::value& v) {
  size_t deepest = 0;
  if (const json::object* o = v.if_object()) {
    for (const auto& member : *o) {
      deepest = std::max(deepest, Depth(member.value()));
    }
    return deepest + 1;
  }
  if (const json::array* a = v.if_array()) {
    for (const json::value& item : *a) deepest = std::max(deepest, Depth(item));
    return deepest + 1;
  }
  return 0;
}

bool HasDouble(const json::value& v) {
  if (v.is_double()) return true;
  if (const json::object* o = v.if_object()) {
    for (const auto& member : *o) {
      if (HasDouble(member.value())) return true;
    }
  }
  if (const json::array* a = v.if_array()) {
    for (const json::value& item : *a) {
      if (HasDouble(item)) return true;
    }
  }
  return false;
}

void CheckField(const json::object& body, std::string_view name) {
  Result<std::optional<std::string>> optional = OptionalString(body, name);
  Result<std::string> required = RequiredString(body, name);
  if (!optional.ok()) {
    FUZZ_CHECK(!required.ok(), "a mistyped field fails both ways");
    FUZZ_CHECK(required.error().message == optional.error().message,
               "with one message");
    FUZZ_CHECK(
        optional.error().message == std::string(name) + ": must be a string",
        "naming the field");
    return;
  }
  if (!optional->has_value()) {
    FUZZ_CHECK(!required.ok() &&
                   required.error().message == std::string(name) + ": required",
               "an absent field is required by name");
    return;
  }
  FUZZ_CHECK(required.ok() && *required == **optional,
             "a present string reads alike both ways");
  const json::value* raw = body.if_contains(name);
  FUZZ_CHECK(raw != nullptr && raw->is_string() &&
                 std::string_view(raw->as_string()) == *required,
             "the value read is the body's");
}

}  // namespace
}  // namespace gatehouse

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace gatehouse;
  Result<json::object> body = ParseJsonObject(fuzz::AsText(data, size));
  if (!body.ok()) {
    FUZZ_CHECK(body.error().code == ErrorCode::kValidationFailed,
               "a bad body is a validation failure");
    // Malformed JSON names the body; a repeated key names its path.
    FUZZ_CHECK(body.error().message.starts_with("body: ") ||
                   body.error().message.ends_with(": duplicate key"),
               "naming the body or the repeated key");
    return 0;
  }
  FUZZ_CHECK(Depth(json::value(*body)) <= kMaxJsonDepth, "nesting limit");

  if (!HasDouble(json::value(*body))) {
    const std::string written = json::serialize(*body);
    Result<json::object> again = ParseJsonObject(written);
    FUZZ_CHECK(again.ok(), "a serialised body reads again");
    FUZZ_CHECK(*again == *body, "to the same object");
  }

  for (std::string_view name : {"email", "password", "name", "role",
                                "current_password", "new_password", ""}) {
    CheckField(*body, name);
  }
  for (const auto& member : *body) CheckField(*body, member.key());
  return 0;
}
