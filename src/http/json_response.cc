#include "http/json_response.h"

#include "http/error_to_status.h"

namespace gatehouse {

Response JsonDocument(bhttp::status status, std::string body) {
  Response res{status, 11};
  res.set(bhttp::field::content_type, "application/json");
  res.body() = std::move(body);
  return res;
}

Response JsonSuccess(bhttp::status status, std::string_view message,
                     boost::json::value data) {
  boost::json::object envelope;
  envelope["success"] = true;
  envelope["message"] = message;
  if (!data.is_null()) envelope["data"] = std::move(data);
  return JsonDocument(status, boost::json::serialize(envelope));
}

Response JsonError(const Error& error) {
  boost::json::object envelope;
  envelope["success"] = false;
  envelope["message"] = error.message;
  envelope["code"] = ErrorCodeName(error.code);
  Response res =
      JsonDocument(StatusFor(error.code), boost::json::serialize(envelope));
  if (error.retry_after_seconds) {
    res.set(bhttp::field::retry_after,
            std::to_string(*error.retry_after_seconds));
  }
  return res;
}

}  // namespace gatehouse
