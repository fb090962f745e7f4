#include "http/error_to_status.h"

namespace gatehouse {

bhttp::status StatusFor(ErrorCode code) {
  using S = bhttp::status;
  switch (code) {
    case ErrorCode::kValidationFailed:
      return S::bad_request;
    case ErrorCode::kInvalidCredentials:
    case ErrorCode::kInvalidRefreshToken:
    case ErrorCode::kRefreshTokenReused:
    case ErrorCode::kAccessTokenMissing:
    case ErrorCode::kAccessTokenExpired:
    case ErrorCode::kAccessTokenInvalid:
    case ErrorCode::kSessionRevoked:
      return S::unauthorized;
    case ErrorCode::kForbidden:
    case ErrorCode::kCsrfRejected:
    case ErrorCode::kAccountDisabled:
      return S::forbidden;
    case ErrorCode::kNotFound:
      return S::not_found;
    case ErrorCode::kMethodNotAllowed:
      return S::method_not_allowed;
    case ErrorCode::kConflict:
    case ErrorCode::kEmailTaken:
      return S::conflict;
    case ErrorCode::kPayloadTooLarge:
      return S::payload_too_large;
    case ErrorCode::kUnsupportedMediaType:
      return S::unsupported_media_type;
    case ErrorCode::kRateLimited:
      return S::too_many_requests;
    case ErrorCode::kUnavailable:
      return S::service_unavailable;
    case ErrorCode::kInternal:
      return S::internal_server_error;
  }
  return S::internal_server_error;
}

}  // namespace gatehouse
