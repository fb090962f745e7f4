// Result<T>: the value-or-error type returned across every module boundary.
//
// gatehouse never throws across layers: a fallible function returns a
// Result, and http/error_to_status.cc is the one place that turns an
// ErrorCode into an HTTP status. The codes are the closed set of stable
// API codes from the product specification (SPEC §3) plus kConflict for
// storage-level uniqueness violations, so no layer invents its own.
#ifndef GATEHOUSE_CORE_RESULT_H_
#define GATEHOUSE_CORE_RESULT_H_

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace gatehouse {

enum class ErrorCode {
  kValidationFailed,     // 400: the message names the field
  kInvalidCredentials,   // 401
  kInvalidRefreshToken,  // 401
  kRefreshTokenReused,   // 401: a superseded token came back after grace
  kAccessTokenMissing,   // 401
  kAccessTokenExpired,   // 401
  kAccessTokenInvalid,   // 401
  kSessionRevoked,       // 401
  kForbidden,            // 403
  kCsrfRejected,         // 403
  kAccountDisabled,      // 403: only ever after a correct password
  kNotFound,             // 404
  kMethodNotAllowed,     // 405
  kConflict,             // storage: a unique key is taken (mapped by callers)
  kEmailTaken,           // 409
  kPayloadTooLarge,      // 413
  // 415: a JSON endpoint was sent another Content-Type
  kUnsupportedMediaType,
  kRateLimited,  // 429, with retry_after
  kUnavailable,  // 503, with retry_after: database or queue
  kInternal,     // 500
};

// The stable upper-case name of `code` as it appears in the JSON envelope.
std::string_view ErrorCodeName(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  // Seconds for the Retry-After header (kRateLimited, kUnavailable).
  std::optional<int> retry_after_seconds;
};

inline Error MakeError(ErrorCode code, std::string message) {
  return Error{code, std::move(message), std::nullopt};
}

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}  // NOLINT

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  // REQUIRES: ok().
  const T& value() const& { return std::get<0>(v_); }
  T& value() & { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

  // REQUIRES: !ok().
  const Error& error() const& { return std::get<1>(v_); }
  Error&& error() && { return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)) {}  // NOLINT

  bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  // REQUIRES: !ok().
  const Error& error() const& { return *error_; }
  Error&& error() && { return *std::move(error_); }

 private:
  std::optional<Error> error_;
};

using Status = Result<void>;

inline Status Ok() { return Status(); }

}  // namespace gatehouse

// Evaluates `expr` (a Result); on error returns the error from the
// enclosing function, which must itself return some Result.
#define GH_CONCAT_INNER_(a, b) a##b
#define GH_CONCAT_(a, b) GH_CONCAT_INNER_(a, b)
// __COUNTER__ keeps the temporaries distinct when these macros nest, as
// they do around Store::Run callbacks.
#define GH_RETURN_IF_ERROR(expr) \
  GH_RETURN_IF_ERROR_IMPL_(GH_CONCAT_(gh_status_, __COUNTER__), expr)
#define GH_RETURN_IF_ERROR_IMPL_(tmp, expr)       \
  do {                                            \
    auto tmp = (expr);                            \
    if (!tmp.ok()) return std::move(tmp).error(); \
  } while (0)

// `GH_ASSIGN_OR_RETURN(auto x, Expr());` binds the value or returns the error.
#define GH_ASSIGN_OR_RETURN(lhs, expr) \
  GH_ASSIGN_OR_RETURN_IMPL_(GH_CONCAT_(gh_result_, __COUNTER__), lhs, expr)
#define GH_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                              \
  if (!tmp.ok()) return std::move(tmp).error();   \
  lhs = std::move(tmp).value()

#endif  // GATEHOUSE_CORE_RESULT_H_
