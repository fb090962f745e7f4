#include "http/json_response.h"

#include <spdlog/spdlog.h>

#include "http/error_to_status.h"

namespace gatehouse {
namespace {

// What a client is told of a server error. The error's own message may
// hold SQL, file or host names and library text (SPEC §10: never for the
// client), so it goes to the log and the client gets one fixed sentence
// per code; the code and Retry-After say the rest.
std::string_view ServerErrorMessage(ErrorCode code) {
  return code == ErrorCode::kUnavailable
             ? "the service is temporarily unavailable; retry shortly"
             : "internal error";
}

}  // namespace

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
  bhttp::status status = StatusFor(error.code);
  bool server_error = static_cast<int>(status) >= 500;
  if (server_error && !error.message.empty()) {
    // The message names what failed (an operation, a host, a library's
    // first line), never a request's values: no password or token.
    spdlog::log(error.code == ErrorCode::kInternal ? spdlog::level::err
                                                   : spdlog::level::warn,
                "{}: {}", ErrorCodeName(error.code), error.message);
  }
  boost::json::object envelope;
  envelope["success"] = false;
  envelope["message"] =
      server_error ? ServerErrorMessage(error.code) : error.message;
  envelope["code"] = ErrorCodeName(error.code);
  Response res = JsonDocument(status, boost::json::serialize(envelope));
  if (error.retry_after_seconds) {
    res.set(bhttp::field::retry_after,
            std::to_string(*error.retry_after_seconds));
  }
  return res;
}

}  // namespace gatehouse
