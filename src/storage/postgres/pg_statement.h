// Internal to the PostgreSQL backend: what one statement sends and gets
// back. PgParams holds its bound parameters in binary format; PgRows
// decodes the rows of its result. PgConnection::Exec (pg_connection.h)
// runs one with the other.
#ifndef GATEHOUSE_STORAGE_POSTGRES_PG_STATEMENT_H_
#define GATEHOUSE_STORAGE_POSTGRES_PG_STATEMENT_H_

#include <libpq-fe.h>

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "storage/postgres/pg_values.h"

namespace gatehouse {

// The bound parameters of one statement, in order, in binary format. Each
// adder appends one parameter and returns *this, so calls chain.
class PgParams {
 public:
  // Text stored exactly (ids, emails, hashes, names). Text PostgreSQL
  // cannot store makes the statement fail with kValidationFailed before
  // it is sent (see invalid()).
  PgParams& Text(std::string_view v) {
    if (!pg::IsStorableText(v)) invalid_ = true;
    return Add(pg::kTextOid, std::string(v));
  }
  // Free text from request headers (store.h): stored with bytes that are
  // not UTF-8, and NUL, replaced by U+FFFD.
  PgParams& HeaderText(std::string_view v) {
    return Add(pg::kTextOid, pg::ToStorableText(v));
  }
  // A NULL of type text.
  PgParams& NullText() { return AddNull(pg::kTextOid); }
  // An int8.
  PgParams& Int(int64_t v);
  PgParams& Bool(bool v) {
    return Add(pg::kBoolOid, std::string(1, v ? 1 : 0));
  }
  // A timestamptz; NULL for nullopt.
  PgParams& At(Time t);
  PgParams& At(const std::optional<Time>& t) {
    return t.has_value() ? At(*t) : AddNull(pg::kTimestamptzOid);
  }
  // A bytea, any bytes.
  PgParams& Bytes(std::string_view v) {
    return Add(pg::kByteaOid, std::string(v));
  }

  size_t size() const { return types_.size(); }
  const std::vector<Oid>& types() const { return types_; }
  // True if a Text() value cannot be stored; the statement must not run.
  bool invalid() const { return invalid_; }
  // Views for PQsendQueryPrepared (nullptr for NULL); valid while this
  // object is unchanged.
  std::vector<const char*> Values() const;
  std::vector<int> Lengths() const;

 private:
  PgParams& Add(Oid type, std::string value) {
    types_.push_back(type);
    values_.push_back(std::move(value));
    null_.push_back(false);
    return *this;
  }
  PgParams& AddNull(Oid type) {
    types_.push_back(type);
    values_.emplace_back();
    null_.push_back(true);
    return *this;
  }

  std::vector<Oid> types_;
  std::vector<std::string> values_;
  std::vector<bool> null_;
  bool invalid_ = false;
};

struct PgResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
// One libpq result, cleared when dropped.
using PgResultPtr = std::unique_ptr<PGresult, PgResultDeleter>;

// The rows of one statement's result, decoded from the binary format. A
// column of an unexpected type or size reads as empty and is remembered
// in malformed(), which the caller turns into kInternal: a schema that
// drifted from the code shows as an error, never as wrong data.
class PgRows {
 public:
  explicit PgRows(PgResultPtr result) : result_(std::move(result)) {}

  int size() const { return PQntuples(result_.get()); }
  // Rows an INSERT, UPDATE or DELETE changed.
  int64_t affected() const;
  // What the first malformed column read held; "" if none was.
  const std::string& malformed() const { return malformed_; }

  bool IsNull(int row, int col) const {
    return PQgetisnull(result_.get(), row, col) != 0;
  }
  // Column readers. Each expects a non-NULL value of its type (Text also
  // reads bytea; Int reads int2, int4 and int8) and reads as empty,
  // noting malformed(), for anything else.
  std::string Text(int row, int col);
  int64_t Int(int row, int col);
  bool Bool(int row, int col);
  Time At(int row, int col);  // an infinite time is malformed
  // nullopt for NULL, else At().
  std::optional<Time> OptionalAt(int row, int col) {
    if (IsNull(row, col)) return std::nullopt;
    return At(row, col);
  }

 private:
  // True if (row, col) exists and holds a non-NULL value of one of
  // `types` and, unless `length` is 0, of `length` bytes; else notes why
  // not in malformed_.
  bool Expect(int row, int col, std::initializer_list<Oid> types, int length);
  // Notes that column `col` holds `what`, unless a column did before.
  void Malformed(int col, const std::string& what);

  PgResultPtr result_;
  std::string malformed_;
};

}  // namespace gatehouse

#endif  // GATEHOUSE_STORAGE_POSTGRES_PG_STATEMENT_H_
