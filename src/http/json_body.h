// Reading JSON request bodies into fields, with errors that name the field.
#ifndef GATEHOUSE_HTTP_JSON_BODY_H_
#define GATEHOUSE_HTTP_JSON_BODY_H_

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace gatehouse {

// True iff `content_type` (a Content-Type header value) names
// application/json, in any case, with or without parameters
// ("application/json; charset=utf-8"). Other JSON-ish types
// (text/json, application/*+json) are not JSON bodies here.
bool IsJsonContentType(std::string_view content_type);

// The body as a JSON object; kValidationFailed ("body: ...") otherwise,
// and "<path>: duplicate key" ("role", "user.role") for a key repeated
// within one object at any depth, which is never read as its last value.
Result<boost::json::object> ParseJsonObject(std::string_view body);

// Field `name` as a string: kValidationFailed "<name>: required" if
// absent or null, "<name>: must be a string" if of another type.
Result<std::string> RequiredString(const boost::json::object& obj,
                                   std::string_view name);

// Like RequiredString, but absent or null gives nullopt.
Result<std::optional<std::string>> OptionalString(
    const boost::json::object& obj, std::string_view name);

}  // namespace gatehouse

#endif  // GATEHOUSE_HTTP_JSON_BODY_H_
