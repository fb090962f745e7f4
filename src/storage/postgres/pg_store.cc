// PgStore (pg_store.h): the pool of connections (opened on demand,
// replaced when broken or older than the schema), the retry of aborted
// transactions, and the Store and Migrator calls that run on them (the SQL
// lives in pg_tx.cc and pg_migrator.cc).
#include "storage/postgres/pg_store.h"

#include <libpq-fe.h>

#include <algorithm>
#include <random>
#include <string_view>
#include <thread>
#include <utility>

#include "core/url_redaction.h"
#include "storage/postgres/pg_connection.h"
#include "storage/postgres/pg_migrator.h"
#include "storage/postgres/pg_statement.h"
#include "storage/postgres/pg_transaction.h"
#include "storage/postgres/pg_tx.h"
#include "storage/store_errors.h"

namespace gatehouse {
namespace {

using SteadyClock = std::chrono::steady_clock;
using SteadyTime = SteadyClock::time_point;
using pg::Classify;
using pg::kBeginRead;
using pg::kBeginWrite;
using std::chrono::milliseconds;

// Beyond this, connections only cost the server memory (each backend is a
// process): gatehouse's transactions are a few milliseconds long.
constexpr int kMaxPoolSize = 64;
// Runs of one Run callback when PostgreSQL aborts it for a deadlock or a
// serialization failure. Two retries settle the rare deadlock between a
// rotation and a sweep or a logout-all; a third collision in a row means
// something keeps conflicting, and the caller gets 503 instead of a wait.
constexpr int kMaxAttempts = 3;
// After a failed attempt to connect, callers that would open a connection
// fail at once for this long: during an outage each request answers 503
// at once instead of waiting out connect_timeout on a dead host, while a
// database that is back is found within a quarter of a second.
constexpr Duration kReconnectPause{250};

// The probe of Ping. (The other SQL is in pg_tx.cc and pg_migrator.cc.)
constexpr std::string_view kPing = "SELECT 1";

// A short, jittered pause before running a callback again after a
// deadlock, so the two transactions do not collide the same way again.
void BackOff(int attempt) {
  thread_local std::minstd_rand random(std::random_device{}());
  std::uniform_int_distribution<int> jitter(0, 10 * attempt);
  std::this_thread::sleep_for(milliseconds(5 * attempt + jitter(random)));
}

}  // namespace

// A connection on loan from the pool; gives it back when destroyed.
class PgStore::Lease {
 public:
  Lease(PgStore* store, std::unique_ptr<PgConnection> connection, bool fresh)
      : store_(store), connection_(std::move(connection)), fresh_(fresh) {}
  Lease(Lease&& other) noexcept = default;
  Lease& operator=(Lease&&) = delete;
  ~Lease() {
    if (connection_ != nullptr) store_->Release(std::move(connection_));
  }
  PgConnection& operator*() { return *connection_; }
  PgConnection* operator->() { return connection_.get(); }
  // Opened for this lease (not taken from the idle pool).
  bool fresh() const { return fresh_; }

 private:
  PgStore* store_;
  std::unique_ptr<PgConnection> connection_;
  bool fresh_;
};

PgStore::PgStore(const PgOptions& options) : options_(options) {}

PgStore::~PgStore() = default;

Result<std::unique_ptr<PgStore>> PgStore::Open(const PgOptions& options) {
  auto invalid = [](std::string message) {
    return MakeError(ErrorCode::kValidationFailed, std::move(message));
  };
  if (options.url.empty()) return invalid("postgres url: must not be empty");
  if (HasUnencodedUserinfo(options.url)) {
    // libpq would end the userinfo at the first '@' (or find none before a
    // '/'), read the rest of the password as host or port, and quote it in
    // its connection errors.
    return invalid(
        "postgres url: a '@', '/', '?' or '#' in the user name or password "
        "must be percent-encoded (%40, %2F, %3F, %23); so must an '@' in "
        "the query of a URL with a password");
  }
  {
    // libpq's parse error may quote part of the string (a password, say),
    // so it is not passed on.
    char* error = nullptr;
    PQconninfoOption* parsed = PQconninfoParse(options.url.c_str(), &error);
    const bool ok = parsed != nullptr;
    PQconninfoFree(parsed);
    PQfreemem(error);
    if (!ok) {
      return invalid(
          "postgres url: not a valid connection string (expected "
          "postgres://user:password@host:port/database, with special "
          "characters percent-encoded)");
    }
  }
  if (options.pool_size < 1 || options.pool_size > kMaxPoolSize) {
    return invalid("postgres pool_size: must be between 1 and " +
                   std::to_string(kMaxPoolSize));
  }
  if (options.connect_timeout <= Duration::zero()) {
    return invalid("postgres connect_timeout: must be positive");
  }
  if (options.statement_timeout <= Duration::zero()) {
    return invalid("postgres statement_timeout: must be positive");
  }
  if (options.acquire_timeout < Duration::zero()) {
    return invalid("postgres acquire_timeout: must not be negative");
  }
  for (size_t i = 0; i < options.migrations.size(); ++i) {
    if (options.migrations[i].version != static_cast<int>(i) + 1) {
      return Internal("postgres: migrations must be numbered 1, 2, 3, ...");
    }
  }
  return std::unique_ptr<PgStore>(new PgStore(options));
}

Result<PgStore::Lease> PgStore::Acquire(SteadyTime deadline) {
  while (true) {
    std::unique_ptr<PgConnection> stale;  // closed outside the lock
    SteadyTime now;
    uint64_t epoch = 0;
    {
      MutexLock lock(&pool_mu_);
      while (idle_.empty() && open_ >= options_.pool_size) {
        if (!pool_cv_.WaitUntil(&pool_mu_, deadline) && idle_.empty() &&
            open_ >= options_.pool_size) {
          return Unavailable(
              "postgres: no free connection within acquire_timeout (all " +
              std::to_string(options_.pool_size) + " in use)");
        }
      }
      if (!idle_.empty()) {
        std::unique_ptr<PgConnection> connection = std::move(idle_.back());
        idle_.pop_back();
        if (connection->epoch() == schema_epoch_) {
          return Lease(this, std::move(connection), /*fresh=*/false);
        }
        --open_;  // planned for an older schema: replace it
        stale = std::move(connection);
      } else {
        now = SteadyClock::now();
        if (last_connect_failure_.has_value() &&
            now - last_connect_failure_->first < kReconnectPause) {
          return last_connect_failure_->second;
        }
        ++open_;
        epoch = schema_epoch_;
      }
    }
    if (stale != nullptr) {
      stale.reset();
      continue;
    }
    auto opened =
        PgConnection::Open(options_, now + options_.connect_timeout, epoch);
    MutexLock lock(&pool_mu_);
    if (!opened.ok()) {
      --open_;
      last_connect_failure_.emplace(SteadyClock::now(), opened.error());
      pool_cv_.Signal();
      return std::move(opened).error();
    }
    last_connect_failure_.reset();
    return Lease(this, std::move(opened).value(), /*fresh=*/true);
  }
}

void PgStore::Release(std::unique_ptr<PgConnection> connection) {
  const bool reusable =
      !connection->broken() && connection->tx_status() == PQTRANS_IDLE;
  {
    MutexLock lock(&pool_mu_);
    if (reusable && connection->epoch() == schema_epoch_) {
      idle_.push_back(std::move(connection));
    } else {
      --open_;
    }
  }
  pool_cv_.Signal();
  // A connection not kept is closed here, outside the lock.
}

void PgStore::SchemaChanged() {
  std::vector<std::unique_ptr<PgConnection>> stale;
  {
    MutexLock lock(&pool_mu_);
    ++schema_epoch_;
    open_ -= static_cast<int>(idle_.size());
    stale.swap(idle_);
  }
  pool_cv_.SignalAll();
}

Result<PgStore::Lease> PgStore::Begin(TxMode mode) {
  const SteadyTime deadline = SteadyClock::now() + options_.acquire_timeout;
  for (int tries = 0;; ++tries) {
    GH_ASSIGN_OR_RETURN(Lease connection, Acquire(deadline));
    auto begun = connection->Script(
        mode == TxMode::kWrite ? kBeginWrite : kBeginRead, "BEGIN");
    if (begun.ok()) return connection;
    // An idle connection that died meanwhile: the Lease closes it; try
    // the next, or a new one. Every pooled connection may be dead after
    // a restart, so up to pool_size of them.
    if (!connection.fresh() && connection->broken() &&
        tries < options_.pool_size) {
      continue;
    }
    return std::move(begun).error();
  }
}

gatehouse::Status PgStore::Run(
    TxMode mode, const std::function<gatehouse::Status(Tx&)>& fn) {
  for (int attempt = 1;; ++attempt) {
    GH_ASSIGN_OR_RETURN(Lease connection, Begin(mode));
    PgTransaction txn(*connection);
    PgTx tx(*connection, mode);
    gatehouse::Status result = fn(tx);
    if (result.ok()) {
      result = txn.Commit(tx.failure());
    } else {
      (void)txn.Rollback();
    }
    if (result.ok()) return result;
    const bool retry =
        tx.retry() || Classify(connection->last_sqlstate()).retry_transaction;
    if (!retry || attempt >= kMaxAttempts) return result;
    BackOff(attempt);
  }
}

gatehouse::Status PgStore::Ping() {
  const SteadyTime deadline = SteadyClock::now() + options_.acquire_timeout;
  for (int tries = 0;; ++tries) {
    GH_ASSIGN_OR_RETURN(Lease connection, Acquire(deadline));
    auto answered = connection->Script(kPing, "Ping");
    if (answered.ok()) return Ok();
    if (!connection.fresh() && connection->broken() &&
        tries < options_.pool_size) {
      continue;
    }
    Error e = std::move(answered).error();
    // Whatever stops a trivial query means "not reachable" to a probe.
    return Unavailable(std::move(e.message));
  }
}

Result<std::vector<int>> PgStore::Up() {
  GH_ASSIGN_OR_RETURN(Lease connection,
                      Acquire(SteadyClock::now() + options_.acquire_timeout));
  std::vector<int> applied_now;
  gatehouse::Status status =
      PgMigrator(*connection, options_.migrations).Up(&applied_now);
  // Replace pooled connections once anything ran, even if a later step
  // failed. (Checked here, before `applied_now` is moved into the result:
  // a scope guard reading it on return saw it already moved from.)
  if (!applied_now.empty()) SchemaChanged();
  GH_RETURN_IF_ERROR(status);
  return applied_now;
}

Result<int> PgStore::Down() {
  GH_ASSIGN_OR_RETURN(Lease connection,
                      Acquire(SteadyClock::now() + options_.acquire_timeout));
  GH_ASSIGN_OR_RETURN(int version,
                      PgMigrator(*connection, options_.migrations).Down());
  SchemaChanged();
  return version;
}

Result<std::vector<MigrationStatus>> PgStore::ListMigrations() {
  GH_ASSIGN_OR_RETURN(Lease connection, Begin(TxMode::kRead));
  return PgMigrator(*connection, options_.migrations).List();
}

}  // namespace gatehouse
