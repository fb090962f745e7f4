// The JSON envelope every API response carries (SPEC §3):
//   {"success": bool, "message": str, "code": str?, "data": {...}?}
#ifndef GATEHOUSE_HTTP_JSON_RESPONSE_H_
#define GATEHOUSE_HTTP_JSON_RESPONSE_H_

#include <boost/json.hpp>
#include <string_view>

#include "core/result.h"
#include "http/beast.h"

namespace gatehouse {

// A success envelope; `data` is omitted when null.
Response JsonSuccess(bhttp::status status, std::string_view message,
                     boost::json::value data = nullptr);

// An error envelope with the stable code, its status, and Retry-After
// when the error carries one. For a 5xx (kUnavailable, kInternal) the
// message is a fixed sentence per code and error.message goes to the log
// instead (nothing is logged for an empty message): the one place that
// keeps internal detail from clients.
Response JsonError(const Error& error);

// A response whose body is `json` as is (JWKS, which is not an envelope).
Response JsonDocument(bhttp::status status, std::string body);

}  // namespace gatehouse

#endif  // GATEHOUSE_HTTP_JSON_RESPONSE_H_
