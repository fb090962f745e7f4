// The SQLite backend's shared helpers (sqlite_helpers.h).
#include "storage/sqlite/sqlite_helpers.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstdint>
#include <utility>

#include "storage/store_errors.h"

namespace gatehouse::sqlite {

Error FromSqlite(int rc, std::string_view op, std::string_view detail) {
  std::string message = "sqlite ";
  message.append(op).append(": ").append(detail);
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Unavailable(message + " (database busy)");
    // The file went away or the disk failed: the same as an unreachable
    // server for a client, and it may come back.
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
      return Unavailable(std::move(message));
    case SQLITE_CONSTRAINT:
      return MakeError(ErrorCode::kConflict, std::move(message));
    default:
      return Internal(std::move(message));
  }
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::optional<std::string> NormaliseSynchronous(std::string_view value) {
  std::string upper(value);
  for (char& c : upper) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  for (std::string_view allowed : {"OFF", "NORMAL", "FULL", "EXTRA"}) {
    if (upper == allowed) return upper;
  }
  return std::nullopt;
}

int ClampMillis(std::chrono::steady_clock::duration d) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
  return static_cast<int>(std::clamp<int64_t>(ms, 1, INT32_MAX));
}

}  // namespace gatehouse::sqlite
