#include "core/result.h"

namespace gatehouse {

std::string_view ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kValidationFailed:
      return "VALIDATION_FAILED";
    case ErrorCode::kInvalidCredentials:
      return "INVALID_CREDENTIALS";
    case ErrorCode::kInvalidRefreshToken:
      return "INVALID_REFRESH_TOKEN";
    case ErrorCode::kRefreshTokenReused:
      return "REFRESH_TOKEN_REUSED";
    case ErrorCode::kAccessTokenMissing:
      return "ACCESS_TOKEN_MISSING";
    case ErrorCode::kAccessTokenExpired:
      return "ACCESS_TOKEN_EXPIRED";
    case ErrorCode::kAccessTokenInvalid:
      return "ACCESS_TOKEN_INVALID";
    case ErrorCode::kSessionRevoked:
      return "SESSION_REVOKED";
    case ErrorCode::kForbidden:
      return "FORBIDDEN";
    case ErrorCode::kCsrfRejected:
      return "CSRF_REJECTED";
    case ErrorCode::kAccountDisabled:
      return "ACCOUNT_DISABLED";
    case ErrorCode::kNotFound:
      return "NOT_FOUND";
    case ErrorCode::kMethodNotAllowed:
      return "METHOD_NOT_ALLOWED";
    case ErrorCode::kConflict:
      return "CONFLICT";
    case ErrorCode::kEmailTaken:
      return "EMAIL_TAKEN";
    case ErrorCode::kPayloadTooLarge:
      return "PAYLOAD_TOO_LARGE";
    case ErrorCode::kUnsupportedMediaType:
      return "UNSUPPORTED_MEDIA_TYPE";
    case ErrorCode::kRateLimited:
      return "RATE_LIMITED";
    case ErrorCode::kUnavailable:
      return "UNAVAILABLE";
    case ErrorCode::kInternal:
      return "INTERNAL";
  }
  return "INTERNAL";
}

}  // namespace gatehouse
