// PgParams and PgRows (pg_statement.h): encoding a statement's parameters
// and decoding its rows, in PostgreSQL's binary format.
#include "storage/postgres/pg_statement.h"

#include <algorithm>
#include <cstdlib>

namespace gatehouse {

using pg::AppendBigEndian;
using pg::kBoolOid;
using pg::kByteaOid;
using pg::kInt2Oid;
using pg::kInt4Oid;
using pg::kInt8Oid;
using pg::kTextOid;
using pg::kTimestamptzOid;
using pg::ReadBigEndian;

PgParams& PgParams::Int(int64_t v) {
  std::string bytes;
  AppendBigEndian(bytes, static_cast<uint64_t>(v), 8);
  return Add(kInt8Oid, std::move(bytes));
}

PgParams& PgParams::At(Time t) {
  std::string bytes;
  AppendBigEndian(bytes, static_cast<uint64_t>(pg::ToPgMicros(t)), 8);
  return Add(kTimestamptzOid, std::move(bytes));
}

std::vector<const char*> PgParams::Values() const {
  std::vector<const char*> out;
  for (size_t i = 0; i < values_.size(); ++i) {
    out.push_back(null_[i] ? nullptr : values_[i].data());
  }
  return out;
}

std::vector<int> PgParams::Lengths() const {
  std::vector<int> out;
  for (const std::string& v : values_)
    out.push_back(static_cast<int>(v.size()));
  return out;
}

int64_t PgRows::affected() const {
  const char* n = PQcmdTuples(result_.get());
  return n != nullptr && *n != '\0' ? std::strtoll(n, nullptr, 10) : 0;
}

std::string PgRows::Text(int row, int col) {
  if (!Expect(row, col, {kTextOid, kByteaOid}, 0)) return "";
  return std::string(PQgetvalue(result_.get(), row, col),
                     static_cast<size_t>(PQgetlength(result_.get(), row, col)));
}

int64_t PgRows::Int(int row, int col) {
  if (!Expect(row, col, {kInt8Oid, kInt4Oid, kInt2Oid}, 0)) return 0;
  const int length = PQgetlength(result_.get(), row, col);
  if (length != 2 && length != 4 && length != 8) {
    Malformed(col, "an integer of " + std::to_string(length) + " bytes");
    return 0;
  }
  return ReadBigEndian(PQgetvalue(result_.get(), row, col), length);
}

bool PgRows::Bool(int row, int col) {
  if (!Expect(row, col, {kBoolOid}, 1)) return false;
  return PQgetvalue(result_.get(), row, col)[0] != 0;
}

Time PgRows::At(int row, int col) {
  if (!Expect(row, col, {kTimestamptzOid}, 8)) return Time{};
  const int64_t micros = ReadBigEndian(PQgetvalue(result_.get(), row, col), 8);
  if (micros == INT64_MAX || micros == INT64_MIN) {
    Malformed(col, "an infinite time");
    return Time{};
  }
  return pg::FromPgMicros(micros);
}

bool PgRows::Expect(int row, int col, std::initializer_list<Oid> types,
                    int length) {
  if (col >= PQnfields(result_.get()) || row >= size()) {
    Malformed(col, "a missing column");
    return false;
  }
  const Oid type = PQftype(result_.get(), col);
  if (std::find(types.begin(), types.end(), type) == types.end()) {
    Malformed(col, "type oid " + std::to_string(type));
    return false;
  }
  if (IsNull(row, col)) {
    Malformed(col, "NULL");
    return false;
  }
  if (length != 0 && PQgetlength(result_.get(), row, col) != length) {
    Malformed(col, "a value of the wrong size");
    return false;
  }
  return true;
}

void PgRows::Malformed(int col, const std::string& what) {
  if (!malformed_.empty()) return;
  const char* name = PQfname(result_.get(), col);
  malformed_ =
      "column " + std::string(name != nullptr ? name : "?") + " holds " + what;
}

}  // namespace gatehouse
