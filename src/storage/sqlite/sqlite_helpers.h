// Internal to the SQLite backend: the small pure helpers its files share.
// SQLite result codes as our errors, ASCII case folding, the spelling of
// the synchronous option, and a wait as SQLite's millisecond timeout. No
// state, no I/O.
#ifndef GATEHOUSE_STORAGE_SQLITE_SQLITE_HELPERS_H_
#define GATEHOUSE_STORAGE_SQLITE_SQLITE_HELPERS_H_

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

// Audit-only timestamps for rows whose Tx call carries no time: the
// database's clock, in unix milliseconds like every other time column. A
// string literal, to splice into constant SQL.
#define GH_SQLITE_NOW_MS \
  "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)"

namespace gatehouse::sqlite {

// Turns an SQLite result code into our error for operation `op`. `detail`
// is sqlite3_errmsg() or sqlite3_errstr(): SQLite builds those from the SQL
// text and the schema only, and every value we send is a bound parameter
// of constant SQL, so no token, hash or email can end up in a message.
// kUnavailable (retry_after_seconds = 1) for a busy or locked database and
// for a file that cannot be opened or read; kConflict for a constraint
// violation; kInternal otherwise.
Error FromSqlite(int rc, std::string_view op, std::string_view detail);

// `s` with A-Z turned into a-z; every other byte unchanged.
std::string AsciiLower(std::string_view s);

// SqliteOptions::synchronous in upper case ("OFF", "NORMAL", "FULL",
// "EXTRA"), whatever case it was given in; nullopt for any other value.
std::optional<std::string> NormaliseSynchronous(std::string_view value);

// `d` in whole milliseconds for sqlite3_busy_timeout: at least 1 (0 would
// turn the busy handler off) and at most INT32_MAX.
int ClampMillis(std::chrono::steady_clock::duration d);

}  // namespace gatehouse::sqlite

#endif  // GATEHOUSE_STORAGE_SQLITE_SQLITE_HELPERS_H_
