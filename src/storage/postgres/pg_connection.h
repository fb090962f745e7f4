// Internal to the PostgreSQL backend: PgConnection, one libpq connection
// and its prepared statements, and what an SQLSTATE means to gatehouse.
// The pool of PgStore lends each connection to one thread at a time;
// transactions run on it through PgTransaction (pg_transaction.h).
#ifndef GATEHOUSE_STORAGE_POSTGRES_PG_CONNECTION_H_
#define GATEHOUSE_STORAGE_POSTGRES_PG_CONNECTION_H_

#include <libpq-fe.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "storage/postgres/pg_statement.h"
#include "storage/postgres/pg_store.h"

namespace gatehouse {
namespace pg {

// What PostgreSQL's error code means to gatehouse.
struct Classified {
  ErrorCode code = ErrorCode::kInternal;
  bool connection_lost = false;  // the connection cannot be used again
  bool retry_transaction = false;
};

// Classifies an SQLSTATE: kConflict for unique and foreign key
// violations; kUnavailable, with retry_transaction, for deadlocks and
// serialization failures; kUnavailable, with connection_lost, when the
// server went away, shut down or turned out a standby; kUnavailable for
// timeouts, lock waits and exhausted resources; kInternal otherwise.
Classified Classify(std::string_view sqlstate);

// The status of `r`, dropping its value.
template <class T>
gatehouse::Status StatusOf(Result<T> r) {
  if (!r.ok()) return std::move(r).error();
  return Ok();
}

}  // namespace pg

// Not thread-safe: used by one thread at a time (the pool lends it out),
// so it needs no lock of its own. All I/O is non-blocking and waits in
// poll() against a deadline, so no call can hang on a dead server. Error
// messages never contain a bound value or the connection string.
class PgConnection {
 public:
  using SteadyTime = std::chrono::steady_clock::time_point;

  // Connects within `deadline` and configures the session (UTF8,
  // statement_timeout from `options`); `epoch` is the pool's schema epoch
  // now. kUnavailable with libpq's reason (never the connection string) if
  // it cannot; kInternal for a server without integer datetimes.
  static Result<std::unique_ptr<PgConnection>> Open(const PgOptions& options,
                                                    SteadyTime deadline,
                                                    uint64_t epoch);

  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;
  // Closes the connection (the server rolls back an open transaction).
  ~PgConnection() { PQfinish(conn_); }

  // True once the connection is known to be unusable: it is then closed
  // when returned to the pool, never lent out again.
  bool broken() const { return broken_ || PQstatus(conn_) != CONNECTION_OK; }
  // The schema epoch at which it was opened (see PgStore::schema_epoch_).
  uint64_t epoch() const { return epoch_; }
  PGTransactionStatusType tx_status() const {
    return PQtransactionStatus(conn_);
  }
  // The SQLSTATE of the latest failed statement ("" if none or libpq's own).
  const std::string& last_sqlstate() const { return last_sqlstate_; }

  // Runs prepared statement `sql` (which must have static storage: it
  // keys the cache), preparing it on first use, with `params`. `op` names
  // the operation in errors. kValidationFailed, sending nothing, if
  // `params` is invalid(); kInternal if they have other types than when
  // `sql` was prepared; else the classified error of the server, or
  // kUnavailable (and broken()) if no answer comes in statement_timeout
  // plus a grace.
  Result<PgRows> Exec(std::string_view sql, const PgParams& params,
                      std::string_view op);

  // Runs `sql`, one or more statements without parameters, as a simple
  // query, waiting until `deadline` (default: statement_timeout + grace).
  // Returns the last statement's command tag; errors as Exec.
  Result<std::string> Script(std::string_view sql, std::string_view op,
                             std::optional<SteadyTime> deadline = {});

  // Gives up on the connection (broken() from now on); returns
  // kUnavailable with `message`.
  Error Lost(std::string message);

 private:
  struct Prepared {
    std::string name;
    std::vector<Oid> types;
  };

  PgConnection(PGconn* conn, uint64_t epoch) : conn_(conn), epoch_(epoch) {}

  // Drives PQconnectPoll to completion within `deadline`.
  gatehouse::Status Connect(SteadyTime deadline);
  // host:port/dbname as libpq resolved them, for messages. Never the
  // password or the rest of the connection string.
  std::string Endpoint() const;
  // Waits until the socket is ready for `events` or `deadline` passes.
  // False on timeout or a poll failure.
  bool WaitFor(short events, SteadyTime deadline);
  // Sends what is queued and collects every result of the query sent last.
  // Returns the first error result if there is one, else the last result.
  Result<PgResultPtr> Await(std::string_view op, SteadyTime deadline);
  // Ok for a successful result; else the error it carries, classified,
  // with a message built from the SQLSTATE and the server's primary
  // message. Never the DETAIL (it quotes the row, e.g. "Key (email)=(...)
  // already exists"), and no primary message for data exceptions (class
  // 22 quotes the offending value).
  gatehouse::Status Check(PGresult* r, std::string_view op);

  PGconn* const conn_;
  const uint64_t epoch_;
  Duration answer_timeout_{0};
  bool broken_ = false;
  std::string last_sqlstate_;
  // Keyed by the SQL text, which has static storage.
  std::unordered_map<std::string_view, Prepared> prepared_;
};

}  // namespace gatehouse

#endif  // GATEHOUSE_STORAGE_POSTGRES_PG_CONNECTION_H_
