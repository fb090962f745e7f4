// Internal to the PostgreSQL backend: the values of the binary wire
// format and the rules for text. Type OIDs, big-endian integers,
// timestamptz as microseconds since 2000, and which strings PostgreSQL's
// text can hold. Pure functions; no libpq calls.
#ifndef GATEHOUSE_STORAGE_POSTGRES_PG_VALUES_H_
#define GATEHOUSE_STORAGE_POSTGRES_PG_VALUES_H_

#include <libpq-fe.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "core/clock.h"

namespace gatehouse::pg {

// Built-in type OIDs (server header catalog/pg_type_d.h; stable across
// releases).
inline constexpr Oid kBoolOid = 16;
inline constexpr Oid kByteaOid = 17;
inline constexpr Oid kInt8Oid = 20;
inline constexpr Oid kInt2Oid = 21;
inline constexpr Oid kInt4Oid = 23;
inline constexpr Oid kTextOid = 25;
inline constexpr Oid kTimestamptzOid = 1184;

// Parameters and results travel in binary: times as exact integers
// instead of text to parse, bytea as raw bytes.
inline constexpr int kBinary = 1;

// --- UTF-8: PostgreSQL's text must be valid UTF-8 without NUL. ---

// True if PostgreSQL can store `s` as text exactly: well-formed UTF-8
// without NUL, overlong forms, surrogates or code points past U+10FFFF.
bool IsStorableText(std::string_view s);

// `s` with every byte that does not belong to a well-formed sequence (and
// every NUL) replaced by U+FFFD; `s` itself when it is already storable.
std::string ToStorableText(std::string_view s);

// --- binary values ---

// Appends the low `bytes` bytes of `value`, most significant first.
void AppendBigEndian(std::string& out, uint64_t value, int bytes);

// The signed big-endian integer of `bytes` bytes (1..8) at `p`.
int64_t ReadBigEndian(const char* p, int bytes);

// `t` as a binary timestamptz: microseconds since 2000-01-01T00:00:00Z.
// Milliseconds are exact in microseconds, so a stored time reads back
// equal.
int64_t ToPgMicros(Time t);

// A binary timestamptz as a Time, rounded down to the millisecond (also
// before 1970).
Time FromPgMicros(int64_t micros);

}  // namespace gatehouse::pg

#endif  // GATEHOUSE_STORAGE_POSTGRES_PG_VALUES_H_
