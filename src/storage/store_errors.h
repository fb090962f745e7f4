// The errors storage builds, spelled once so that SQLite, PostgreSQL and
// FaultyStore report the same outage the same way (store.h says which code
// means what). For code inside storage/ only; other layers see the codes.
#ifndef GATEHOUSE_STORAGE_STORE_ERRORS_H_
#define GATEHOUSE_STORAGE_STORE_ERRORS_H_

#include <string>
#include <string_view>
#include <utility>

#include "core/result.h"

namespace gatehouse {

// Retry-After for a busy or unreachable database: long enough for a writer
// or a lock holder to finish, or a restarting server to come back; short
// enough that a client recovers quickly once it has. FaultyStore injects
// the same answer, so callers are tested against what a backend sends.
inline constexpr int kRetryAfterSeconds = 1;

// kUnavailable with Retry-After: the caller answers 503.
inline Error Unavailable(std::string message) {
  Error e = MakeError(ErrorCode::kUnavailable, std::move(message));
  e.retry_after_seconds = kRetryAfterSeconds;
  return e;
}

inline Error Internal(std::string message) {
  return MakeError(ErrorCode::kInternal, std::move(message));
}

// kNotFound saying "<what> not found", e.g. NotFound("session").
inline Error NotFound(std::string_view what) {
  return MakeError(ErrorCode::kNotFound, std::string(what) + " not found");
}

}  // namespace gatehouse

#endif  // GATEHOUSE_STORAGE_STORE_ERRORS_H_
