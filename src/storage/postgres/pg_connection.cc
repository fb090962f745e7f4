// PgConnection (pg_connection.h): connecting, preparing and running
// statements with non-blocking libpq calls and deadlines, and turning
// PostgreSQL's errors into ours.
#include "storage/postgres/pg_connection.h"

#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <limits>

#include "storage/store_errors.h"

namespace gatehouse {
namespace {

using SteadyClock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// How long the client waits beyond statement_timeout for an answer before
// it drops the connection. The server cancels a slow statement itself at
// statement_timeout; this only fires when the server or the network is
// gone without closing the connection (a partition, a frozen host).
constexpr Duration kAnswerGrace{2000};

// The first line of a libpq message, without the trailing newline.
std::string FirstLine(const char* message) {
  std::string_view m = message != nullptr ? message : "";
  m = m.substr(0, m.find('\n'));
  return std::string(m.empty() ? "no detail" : m);
}

void IgnoreNotice(void*, const char*) {}

}  // namespace

namespace pg {

Classified Classify(std::string_view sqlstate) {
  Classified c;
  const std::string_view klass = sqlstate.substr(0, 2);
  if (sqlstate == "23505" || sqlstate == "23503") {
    c.code = ErrorCode::kConflict;  // unique_violation, foreign_key_violation
  } else if (sqlstate == "40001" || sqlstate == "40P01") {
    // serialization_failure, deadlock_detected: run the callback again.
    c.code = ErrorCode::kUnavailable;
    c.retry_transaction = true;
  } else if (klass == "08" || sqlstate == "57P01" || sqlstate == "57P02" ||
             sqlstate == "57P03" || sqlstate == "57P05" ||
             sqlstate == "25P03") {
    // connection exceptions; admin_shutdown (also pg_terminate_backend),
    // crash_shutdown, cannot_connect_now: the server is going away or not
    // there yet; idle_session_timeout, idle_in_transaction_session_timeout:
    // the server closed this connection.
    c.code = ErrorCode::kUnavailable;
    c.connection_lost = true;
  } else if (sqlstate == "25006") {
    // read_only_sql_transaction in a write transaction: connected to a
    // standby (a failover happened). Reconnect; with
    // target_session_attrs=read-write libpq then finds the new primary.
    c.code = ErrorCode::kUnavailable;
    c.connection_lost = true;
  } else if (sqlstate == "57014" || sqlstate == "55P03" || klass == "53") {
    // query_canceled (statement_timeout), lock_not_available,
    // insufficient resources (too many connections, disk full): busy.
    c.code = ErrorCode::kUnavailable;
  }
  return c;
}

}  // namespace pg

using pg::Classified;
using pg::Classify;
using pg::kBinary;

Result<std::unique_ptr<PgConnection>> PgConnection::Open(
    const PgOptions& options, SteadyTime deadline, uint64_t epoch) {
  // dbname with expand_dbname=1 takes the whole URL or key=value string;
  // the keys after it override what it says about them.
  const char* keys[] = {"dbname", "client_encoding",
                        "fallback_application_name", nullptr};
  const char* values[] = {options.url.c_str(), "UTF8", "gatehouse", nullptr};
  PGconn* raw = PQconnectStartParams(keys, values, /*expand_dbname=*/1);
  if (raw == nullptr) return Unavailable("postgres: out of memory");
  auto c = std::unique_ptr<PgConnection>(new PgConnection(raw, epoch));
  c->answer_timeout_ = options.statement_timeout + kAnswerGrace;
  GH_RETURN_IF_ERROR(c->Connect(deadline));

  PQsetNoticeProcessor(raw, &IgnoreNotice, nullptr);
  if (PQsetnonblocking(raw, 1) != 0) {
    return c->Lost("postgres: cannot make the connection non-blocking");
  }
  // Binary timestamptz is int64 microseconds only with integer datetimes,
  // the only kind since PostgreSQL 10.
  const char* datetimes = PQparameterStatus(raw, "integer_datetimes");
  if (datetimes == nullptr || std::string_view(datetimes) != "on") {
    return Internal("postgres: server without integer_datetimes");
  }
  const std::string set_timeout =
      "SET statement_timeout = " +
      std::to_string(options.statement_timeout.count());
  GH_RETURN_IF_ERROR(c->Script(set_timeout, "connect", deadline));
  return c;
}

Result<PgRows> PgConnection::Exec(std::string_view sql, const PgParams& params,
                                  std::string_view op) {
  last_sqlstate_.clear();
  if (params.invalid()) {
    return MakeError(ErrorCode::kValidationFailed,
                     "postgres " + std::string(op) +
                         ": a text value is not UTF-8 or holds NUL");
  }
  const SteadyTime deadline = SteadyClock::now() + answer_timeout_;
  auto it = prepared_.find(sql);
  if (it == prepared_.end()) {
    std::string name = "gh_" + std::to_string(prepared_.size() + 1);
    const std::string text(sql);
    if (PQsendPrepare(conn_, name.c_str(), text.c_str(),
                      static_cast<int>(params.size()),
                      params.types().data()) == 0) {
      return Lost("postgres " + std::string(op) + ": " +
                  FirstLine(PQerrorMessage(conn_)));
    }
    GH_ASSIGN_OR_RETURN(PgResultPtr prepared, Await(op, deadline));
    GH_RETURN_IF_ERROR(Check(prepared.get(), op));
    it =
        prepared_.emplace(sql, Prepared{std::move(name), params.types()}).first;
  } else if (it->second.types != params.types()) {
    return Internal("postgres " + std::string(op) +
                    ": parameters bound with other types than prepared");
  }
  const std::vector<const char*> values = params.Values();
  const std::vector<int> lengths = params.Lengths();
  const std::vector<int> formats(params.size(), kBinary);
  if (PQsendQueryPrepared(conn_, it->second.name.c_str(),
                          static_cast<int>(params.size()), values.data(),
                          lengths.data(), formats.data(), kBinary) == 0) {
    return Lost("postgres " + std::string(op) + ": " +
                FirstLine(PQerrorMessage(conn_)));
  }
  GH_ASSIGN_OR_RETURN(PgResultPtr result, Await(op, deadline));
  GH_RETURN_IF_ERROR(Check(result.get(), op));
  return PgRows(std::move(result));
}

Result<std::string> PgConnection::Script(std::string_view sql,
                                         std::string_view op,
                                         std::optional<SteadyTime> deadline) {
  last_sqlstate_.clear();
  const std::string text(sql);
  if (PQsendQuery(conn_, text.c_str()) == 0) {
    return Lost("postgres " + std::string(op) + ": " +
                FirstLine(PQerrorMessage(conn_)));
  }
  GH_ASSIGN_OR_RETURN(
      PgResultPtr result,
      Await(op, deadline.value_or(SteadyClock::now() + answer_timeout_)));
  GH_RETURN_IF_ERROR(Check(result.get(), op));
  const char* tag = PQcmdStatus(result.get());
  return std::string(tag != nullptr ? tag : "");
}

Error PgConnection::Lost(std::string message) {
  broken_ = true;
  return Unavailable(std::move(message));
}

gatehouse::Status PgConnection::Connect(SteadyTime deadline) {
  PostgresPollingStatusType state = PGRES_POLLING_WRITING;
  while (true) {
    if (PQstatus(conn_) == CONNECTION_BAD || state == PGRES_POLLING_FAILED) {
      return Lost("postgres: cannot connect to " + Endpoint() + ": " +
                  FirstLine(PQerrorMessage(conn_)));
    }
    if (state == PGRES_POLLING_OK) return Ok();
    const short events = state == PGRES_POLLING_READING ? POLLIN : POLLOUT;
    if (!WaitFor(events, deadline)) {
      return Lost("postgres: cannot connect to " + Endpoint() +
                  " within connect_timeout");
    }
    state = PQconnectPoll(conn_);
  }
}

std::string PgConnection::Endpoint() const {
  auto text = [](const char* s) { return std::string(s != nullptr ? s : ""); };
  return text(PQhost(conn_)) + ":" + text(PQport(conn_)) + "/" +
         text(PQdb(conn_));
}

bool PgConnection::WaitFor(short events, SteadyTime deadline) {
  while (true) {
    const int fd = PQsocket(conn_);
    if (fd < 0) return false;
    const auto left =
        std::chrono::ceil<milliseconds>(deadline - SteadyClock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd, events, 0};
    const int timeout = static_cast<int>(
        std::min<int64_t>(left.count(), std::numeric_limits<int>::max()));
    const int rc = ::poll(&p, 1, timeout);
    if (rc > 0) return true;
    if (rc == 0) continue;  // re-check the deadline
    if (errno != EINTR) return false;
  }
}

Result<PgResultPtr> PgConnection::Await(std::string_view op,
                                        SteadyTime deadline) {
  auto lost = [&](std::string_view why) {
    return Lost("postgres " + std::string(op) + ": " + std::string(why));
  };
  while (true) {
    const int flushed = PQflush(conn_);
    if (flushed == 0) break;
    if (flushed < 0) return lost(FirstLine(PQerrorMessage(conn_)));
    if (!WaitFor(POLLIN | POLLOUT, deadline)) {
      return lost("the server did not take the query in time");
    }
    if (PQconsumeInput(conn_) == 0) {
      return lost(FirstLine(PQerrorMessage(conn_)));
    }
  }
  PgResultPtr kept;
  bool kept_error = false;
  while (true) {
    while (PQisBusy(conn_) != 0) {
      if (!WaitFor(POLLIN, deadline)) {
        // Results may still arrive: the connection is out of step for
        // good. The server cancels the statement at statement_timeout.
        return lost("no answer from the server in time");
      }
      if (PQconsumeInput(conn_) == 0) {
        return lost(FirstLine(PQerrorMessage(conn_)));
      }
    }
    PgResultPtr r(PQgetResult(conn_));
    if (r == nullptr) break;
    const ExecStatusType status = PQresultStatus(r.get());
    const bool is_error =
        status == PGRES_FATAL_ERROR || status == PGRES_BAD_RESPONSE;
    if (status == PGRES_COPY_IN || status == PGRES_COPY_OUT ||
        status == PGRES_COPY_BOTH) {
      return lost("unexpected COPY");  // never sent by gatehouse
    }
    if (!kept_error) {
      kept = std::move(r);
      kept_error = is_error;
    }
  }
  if (kept == nullptr) return lost(FirstLine(PQerrorMessage(conn_)));
  return kept;
}

gatehouse::Status PgConnection::Check(PGresult* r, std::string_view op) {
  const ExecStatusType status = PQresultStatus(r);
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return Ok();
  const char* state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
  last_sqlstate_ = state != nullptr ? state : "";
  std::string message = "postgres " + std::string(op) + ": ";
  if (last_sqlstate_.empty()) {
    // libpq's own error: the connection failed under the query.
    message += FirstLine(PQresultErrorMessage(r));
    if (PQstatus(conn_) != CONNECTION_OK) return Lost(std::move(message));
    return Internal(std::move(message));
  }
  const bool quotes_values =
      last_sqlstate_.starts_with("22") || last_sqlstate_.starts_with("XX");
  const char* primary = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
  message += quotes_values || primary == nullptr ? "error" : primary;
  message += " (SQLSTATE " + last_sqlstate_ + ")";
  const Classified c = Classify(last_sqlstate_);
  // Any error after which the server hung up (a FATAL one) is a lost
  // connection too, whatever its code.
  if (c.connection_lost || PQstatus(conn_) != CONNECTION_OK) {
    return Lost(std::move(message));
  }
  if (c.code == ErrorCode::kUnavailable) return Unavailable(std::move(message));
  return MakeError(c.code, std::move(message));
}

}  // namespace gatehouse
