// Test that header file is self-contained.
#include "storage/postgres/pg_store.h"

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <latch>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "storage/store_conformance.h"
#include "testing/pg_cluster.h"
#include "testing/test_records.h"

namespace gatehouse {
namespace {

using std::chrono::milliseconds;
using SteadyClock = std::chrono::steady_clock;
using testkit::PgCluster;
using testkit::MakeEvent;
using testkit::MakeSession;
using testkit::MakeToken;
using testkit::MakeUser;

template <class T>
Status StatusOf(Result<T> r) {
  if (!r.ok()) return std::move(r).error();
  return Ok();
}

// --- the database under test ---
//
// GATEHOUSE_TEST_PG_URL, if set, names a database to use (any user that
// may create schemas in it). Otherwise a private cluster is started on
// first use and shared by the whole binary. Each test gets a schema of its
// own (search_path), migrated from scratch, dropped afterwards.

class SharedDatabase {
 public:
  static SharedDatabase& Get() {
    static SharedDatabase* shared = new SharedDatabase;  // never destroyed
    return *shared;
  }

  struct State {
    std::string base_url;          // empty: see skip_reason or error
    std::string skip_reason;       // PostgreSQL is not available here
    std::string error;             // it should be, but could not be started
    PgCluster* cluster = nullptr;  // null with GATEHOUSE_TEST_PG_URL
  };

  State Acquire() {
    std::lock_guard lock(mu_);
    if (!initialised_) Initialise();
    return state_;
  }

  // Stops the private cluster (at the end of the test program).
  void Shutdown() {
    std::lock_guard lock(mu_);
    cluster_.reset();
    state_.cluster = nullptr;
  }

 private:
  void Initialise() {
    initialised_ = true;
    if (const char* url = std::getenv("GATEHOUSE_TEST_PG_URL");
        url != nullptr && *url != '\0') {
      state_.base_url = url;
      return;
    }
    if (!PgCluster::Available()) {
      std::string reason = PgCluster::UnavailableReason() +
                           "; or set GATEHOUSE_TEST_PG_URL to a database";
      const char* required = std::getenv("GATEHOUSE_REQUIRE_POSTGRES");
      if (required != nullptr && std::string_view(required) == "1") {
        state_.error = reason + " (GATEHOUSE_REQUIRE_POSTGRES=1)";
      } else {
        state_.skip_reason = reason;
      }
      return;
    }
    auto created = PgCluster::Create();
    if (!created.ok()) {
      state_.error = created.error().message;
      return;
    }
    cluster_ = std::move(created).value();
    state_.cluster = cluster_.get();
    state_.base_url = cluster_->url();
  }

  std::mutex mu_;
  bool initialised_ = false;
  State state_;
  std::unique_ptr<PgCluster> cluster_;
};

class PgEnvironment : public ::testing::Environment {
 public:
  void TearDown() override { SharedDatabase::Get().Shutdown(); }
};
[[maybe_unused]] ::testing::Environment* const kPgEnvironment =
    ::testing::AddGlobalTestEnvironment(new PgEnvironment);

// `url` with search_path set to `schema` on every connection.
std::string WithSearchPath(const std::string& url, const std::string& schema) {
  if (url.starts_with("postgres://") || url.starts_with("postgresql://")) {
    return url + (url.find('?') == std::string::npos ? "?" : "&") +
           "options=-csearch_path%3D" + schema;
  }
  return url + " options='-csearch_path=" + schema + "'";
}

// A plain libpq connection beside the store, as another program would have.
class RawConnection {
 public:
  explicit RawConnection(const std::string& url)
      : conn_(PQconnectdb(url.c_str())) {
    if (PQstatus(conn_) != CONNECTION_OK) {
      ADD_FAILURE() << "raw connect: " << PQerrorMessage(conn_);
    }
    PQsetNoticeProcessor(
        conn_, [](void*, const char*) {}, nullptr);
  }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;
  ~RawConnection() { PQfinish(conn_); }

  // Runs `sql`; true on success.
  bool Exec(const std::string& sql) {
    PGresult* r = PQexec(conn_, sql.c_str());
    const ExecStatusType status = PQresultStatus(r);
    const bool ok = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
    if (!ok) last_error_ = PQresultErrorMessage(r);
    PQclear(r);
    return ok;
  }
  // Every value of every row, rows separated by '\n', values by '|';
  // "<error: ...>" on failure.
  std::string Query(const std::string& sql) {
    PGresult* r = PQexec(conn_, sql.c_str());
    std::string out;
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
      out = "<error: " + std::string(PQresultErrorMessage(r)) + ">";
    } else {
      for (int row = 0; row < PQntuples(r); ++row) {
        if (row > 0) out += "\n";
        for (int col = 0; col < PQnfields(r); ++col) {
          if (col > 0) out += "|";
          out += PQgetisnull(r, row, col) ? "<null>" : PQgetvalue(r, row, col);
        }
      }
    }
    PQclear(r);
    return out;
  }
  // Exec, with the server's message in the error.
  Status Run(const std::string& sql) {
    if (Exec(sql)) return Ok();
    return MakeError(ErrorCode::kInternal, last_error_);
  }
  const std::string& last_error() const { return last_error_; }

 private:
  PGconn* conn_;
  std::string last_error_;
};

// A schema of its own for one test, dropped when this goes.
class TestSchema {
 public:
  explicit TestSchema(const SharedDatabase::State& db)
      : base_url_(db.base_url) {
    static std::atomic<int> counter{0};
    name_ = "gh_test_" + std::to_string(::getpid()) + "_" +
            std::to_string(counter.fetch_add(1));
    RawConnection raw(base_url_);
    if (!raw.Exec("CREATE SCHEMA " + name_)) {
      ADD_FAILURE() << "CREATE SCHEMA: " << raw.last_error();
    }
    url_ = WithSearchPath(base_url_, name_);
  }
  TestSchema(const TestSchema&) = delete;
  TestSchema& operator=(const TestSchema&) = delete;
  ~TestSchema() {
    RawConnection raw(base_url_);
    if (!raw.Exec("DROP SCHEMA " + name_ + " CASCADE")) {
      ADD_FAILURE() << "DROP SCHEMA: " << raw.last_error();
    }
  }
  const std::string& url() const { return url_; }
  const std::string& name() const { return name_; }

 private:
  std::string base_url_;
  std::string name_;
  std::string url_;
};

PgOptions OptionsFor(const std::string& url) {
  PgOptions options;
  options.url = url;
  return options;
}

// --- the conformance suite on PostgreSQL ---

// The statements that differ from SQLite's. Each test's schema is the
// connection's current_schema(), through search_path.
const SqlDialect kPgDialect = {
    .select_tables = R"sql(
      SELECT coalesce(string_agg(table_name, ',' ORDER BY table_name), '')
      FROM information_schema.tables
      WHERE table_schema = current_schema())sql",
    // pg_class holds indexes, sequences and views as well as tables.
    .select_leftovers = R"sql(
      SELECT coalesce(string_agg(c.relname, ',' ORDER BY c.relname), '')
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema()
        AND c.relname NOT LIKE 'schema_migrations%')sql",
    .missing_users_table = "relation \"users\" does not exist",
    .conflict_mark = "SQLSTATE 23",
};

// A schema of its own in the shared database, reached besides the store
// with a plain libpq connection whose search_path is that schema.
std::unique_ptr<DatabaseUnderTest> MakePgDatabase() {
  SharedDatabase::State shared = SharedDatabase::Get().Acquire();
  if (!shared.skip_reason.empty()) {
    auto skipped = std::make_unique<DatabaseUnderTest>();
    skipped->skip_reason = shared.skip_reason;
    return skipped;
  }
  if (!shared.error.empty()) {
    ADD_FAILURE() << shared.error;
    return nullptr;
  }
  auto schema = std::make_shared<TestSchema>(shared);
  return MakeDatabaseUnderTest<PgStore, RawConnection>(
      OptionsFor(schema->url()), &PgOptions::acquire_timeout, schema->url(),
      kPgDialect, [schema]() mutable { schema.reset(); });
}

INSTANTIATE_TEST_SUITE_P(Postgres, StoreConformanceTest,
                         ::testing::Values(StoreOn(&MakePgDatabase)));
INSTANTIATE_TEST_SUITE_P(Postgres, DatabaseConformanceTest,
                         ::testing::Values(DatabaseFactory(&MakePgDatabase)));

// --- PostgreSQL's own cases ---

Status SeedUser(Store& store, const std::string& id) {
  return store.Run(TxMode::kWrite, [&](Tx& tx) {
    return tx.InsertUser(MakeUser(id, id + "@example.com"));
  });
}

Result<int64_t> CountUsers(Store& store) {
  int64_t n = -1;
  Status st = store.Run(TxMode::kRead, [&](Tx& tx) -> Status {
    GH_ASSIGN_OR_RETURN(n, tx.CountUsers());
    return Ok();
  });
  if (!st.ok()) return std::move(st).error();
  return n;
}

class PgStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = SharedDatabase::Get().Acquire();
    if (!db_.skip_reason.empty()) GTEST_SKIP() << db_.skip_reason;
    ASSERT_TRUE(db_.error.empty()) << db_.error;
    schema_ = std::make_unique<TestSchema>(db_);
  }
  void TearDown() override {
    // Whatever a test did to the shared cluster, the next finds it up.
    if (db_.cluster != nullptr) {
      Status started = db_.cluster->Start();
      EXPECT_TRUE(started.ok()) << started.error().message;
    }
  }

  const std::string& url() const { return schema_->url(); }

  std::unique_ptr<PgStore> OpenStore(PgOptions options) {
    auto opened = PgStore::Open(options);
    EXPECT_TRUE(opened.ok()) << opened.error().message;
    return opened.ok() ? std::move(opened).value() : nullptr;
  }
  std::unique_ptr<PgStore> OpenStore() { return OpenStore(OptionsFor(url())); }
  std::unique_ptr<PgStore> OpenMigrated(PgOptions options) {
    auto store = OpenStore(options);
    if (store != nullptr) {
      auto up = store->Up();
      EXPECT_TRUE(up.ok()) << up.error().message;
    }
    return store;
  }
  std::unique_ptr<PgStore> OpenMigrated() {
    return OpenMigrated(OptionsFor(url()));
  }
  // For the outage cases, which stop the database: only on our cluster.
  PgCluster* Cluster() { return db_.cluster; }

  // Runs Run(kWrite) until it succeeds or `within` passes.
  Status AwaitRecovery(Store& store, std::chrono::milliseconds within) {
    const auto deadline = SteadyClock::now() + within;
    Status st = Ok();
    do {
      st = SeedUser(store, "probe-" + std::to_string(probes_++));
      if (st.ok()) return st;
      std::this_thread::sleep_for(milliseconds(50));
    } while (SteadyClock::now() < deadline);
    return st;
  }

  SharedDatabase::State db_;
  std::unique_ptr<TestSchema> schema_;
  int probes_ = 0;
};

#define SKIP_WITHOUT_OWN_CLUSTER()                                      \
  if (Cluster() == nullptr)                                             \
  GTEST_SKIP() << "stops the database: needs the private cluster, not " \
                  "GATEHOUSE_TEST_PG_URL"

// ------------------------------ migrations ------------------------------

TEST_F(PgStoreTest, EmbedsTheMigrationsNumberedAsSqlites) {
  // The same version means the same schema on both backends.
  std::span<const Migration> migrations = PgMigrations();
  ASSERT_EQ(migrations.size(), 5u);
  const char* names[] = {"init", "audit", "session_sweep", "change_feed",
                         "audit_retention"};
  for (size_t i = 0; i < migrations.size(); ++i) {
    EXPECT_EQ(migrations[i].version, static_cast<int>(i) + 1);
    EXPECT_EQ(migrations[i].name, names[i]);
  }
  EXPECT_NE(migrations[0].up.find("CREATE TABLE users"), std::string::npos);
  EXPECT_NE(migrations[0].down.find("DROP TABLE users"), std::string::npos);
  EXPECT_NE(migrations[1].up.find("CREATE TABLE audit_events"),
            std::string::npos);
  EXPECT_NE(migrations[2].up.find("sessions_ended_at"), std::string::npos);
  EXPECT_NE(migrations[3].up.find("sessions_revoked_at"), std::string::npos);
  EXPECT_NE(migrations[4].up.find("audit_events_at"), std::string::npos);
}

TEST_F(PgStoreTest, InstancesMigratingAtOnceApplyEachMigrationOnce) {
  constexpr int kInstances = 4;
  std::vector<std::unique_ptr<PgStore>> stores;
  for (int i = 0; i < kInstances; ++i) stores.push_back(OpenStore());
  for (auto& s : stores) ASSERT_NE(s, nullptr);
  std::latch start(kInstances);
  std::vector<Result<std::vector<int>>> results(kInstances, std::vector<int>{});
  std::vector<std::thread> threads;
  for (int i = 0; i < kInstances; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      results[i] = stores[i]->Up();
    });
  }
  for (std::thread& t : threads) t.join();
  std::vector<int> applied;
  for (auto& r : results) {
    ASSERT_TRUE(r.ok()) << r.error().message;
    applied.insert(applied.end(), r->begin(), r->end());
  }
  std::sort(applied.begin(), applied.end());
  EXPECT_EQ(applied, (std::vector<int>{1, 2, 3, 4, 5}));
  RawConnection raw(url());
  EXPECT_EQ(raw.Query("SELECT string_agg(version::text, ',' ORDER BY version)"
                      " FROM schema_migrations"),
            "1,2,3,4,5");
}

// ------------------------------ options ------------------------------

TEST_F(PgStoreTest, OpenRejectsBadOptionsNamingThemNotTheirValues) {
  auto rejected = [](const PgOptions& options, const std::string& names) {
    auto opened = PgStore::Open(options);
    EXPECT_FALSE(opened.ok()) << names;
    if (opened.ok()) return;
    EXPECT_EQ(opened.error().code, ErrorCode::kValidationFailed);
    EXPECT_NE(opened.error().message.find(names), std::string::npos)
        << opened.error().message;
  };
  rejected(OptionsFor(""), "url");
  // An invalid percent-encoding in the password: the message must not
  // quote it.
  PgOptions bad_url = OptionsFor("postgres://u:s3cr%zzet@127.0.0.1/db");
  auto opened = PgStore::Open(bad_url);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, ErrorCode::kValidationFailed);
  EXPECT_EQ(opened.error().message.find("s3cr"), std::string::npos)
      << opened.error().message;
  // A password with '@' or '/' not percent-encoded: libpq would take part
  // of it for the host or the port and quote it when connecting fails.
  for (const char* unencoded : {"postgres://u:s3cr@et@127.0.0.1/db",
                                "postgres://u:s3cr/et@127.0.0.1/db"}) {
    auto refused = PgStore::Open(OptionsFor(unencoded));
    ASSERT_FALSE(refused.ok()) << unencoded;
    EXPECT_EQ(refused.error().code, ErrorCode::kValidationFailed);
    EXPECT_NE(refused.error().message.find("percent-encoded"),
              std::string::npos)
        << refused.error().message;
    EXPECT_EQ(refused.error().message.find("s3cr"), std::string::npos)
        << refused.error().message;
  }
  EXPECT_TRUE(
      PgStore::Open(OptionsFor("postgres://u:s3cr%40et@127.0.0.1/db")).ok());
  for (int size : {0, 65}) {
    PgOptions options = OptionsFor(url());
    options.pool_size = size;
    rejected(options, "pool_size");
  }
  PgOptions options = OptionsFor(url());
  options.connect_timeout = Duration::zero();
  rejected(options, "connect_timeout");
  options = OptionsFor(url());
  options.statement_timeout = Duration::zero();
  rejected(options, "statement_timeout");
  options = OptionsFor(url());
  options.acquire_timeout = milliseconds(-1);
  rejected(options, "acquire_timeout");
  // Key=value strings work as well as URIs.
  EXPECT_TRUE(PgStore::Open(OptionsFor("host=127.0.0.1 dbname=x")).ok());
}

// ------------------------------ behaviour ------------------------------

TEST_F(PgStoreTest, TimesKeepMillisecondsAndDatesBefore1970) {
  auto store = OpenMigrated();
  ASSERT_NE(store, nullptr);
  User old = MakeUser("u-old", "old@example.com");
  old.created_at = FromUnixMillis(-1501);            // 1969-12-31T23:59:58.499Z
  old.updated_at = FromUnixMillis(253402300799999);  // 9999-12-31T23:59:59.999Z
  ASSERT_TRUE(
      store->Run(TxMode::kWrite, [&](Tx& tx) { return tx.InsertUser(old); })
          .ok());
  Status st = store->Run(TxMode::kRead, [&](Tx& tx) -> Status {
    GH_ASSIGN_OR_RETURN(User got, tx.GetUser("u-old"));
    EXPECT_EQ(ToUnixMillis(got.created_at), -1501);
    EXPECT_EQ(ToUnixMillis(got.updated_at), 253402300799999);
    return Ok();
  });
  EXPECT_TRUE(st.ok()) << st.error().message;
  // And the database sees them as the same instants (UTC).
  RawConnection raw(url());
  EXPECT_EQ(raw.Query("SELECT to_char(created_at AT TIME ZONE 'UTC',"
                      " 'YYYY-MM-DD\"T\"HH24:MI:SS.MS') FROM users"),
            "1969-12-31T23:59:58.499");
}

TEST_F(PgStoreTest, EmailIsUniqueIgnoringAsciiCaseOnly) {
  auto store = OpenMigrated();
  ASSERT_NE(store, nullptr);
  const User eve = MakeUser("u1", "\xc3\x89VE@Example.com");
  Status inserted =
      store->Run(TxMode::kWrite, [&](Tx& tx) { return tx.InsertUser(eve); });
  ASSERT_TRUE(inserted.ok()) << inserted.error().message;
  // ASCII letters fold, as in SQLite; É does not (it stays as given).
  auto got = store->Run(TxMode::kRead, [](Tx& tx) -> Status {
    GH_ASSIGN_OR_RETURN(User u, tx.FindUserByEmail("\xc3\x89ve@EXAMPLE.COM"));
    EXPECT_EQ(u.email, "\xc3\x89ve@example.com");
    EXPECT_EQ(tx.FindUserByEmail("\xc3\xa9ve@example.com").error().code,
              ErrorCode::kNotFound);
    return Ok();
  });
  EXPECT_TRUE(got.ok()) << got.error().message;
  // A hand-written upper-case row is refused by the schema itself.
  RawConnection raw(url());
  EXPECT_FALSE(raw.Exec(
      "INSERT INTO users (id, email, password_hash, created_at, updated_at)"
      " VALUES ('u2', 'Bob@example.com', 'x', now(), now())"));
}

TEST_F(PgStoreTest, TextThatPostgresCannotStoreIsAValidationError) {
  auto store = OpenMigrated();
  ASSERT_NE(store, nullptr);
  Status st = store->Run(TxMode::kWrite, [](Tx& tx) -> Status {
    Status bad = tx.InsertUser(MakeUser("u\xff", "u@example.com"));
    EXPECT_EQ(bad.error().code, ErrorCode::kValidationFailed);
    bad = tx.InsertUser(MakeUser(std::string("u\0v", 3), "v@example.com"));
    EXPECT_EQ(bad.error().code, ErrorCode::kValidationFailed);
    // The transaction goes on.
    return tx.InsertUser(MakeUser("u", "u@example.com"));
  });
  EXPECT_TRUE(st.ok()) << st.error().message;
  auto count = CountUsers(*store);
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 1);
}

TEST_F(PgStoreTest, LockHeldPastStatementTimeoutIsUnavailableThenRecovers) {
  PgOptions options = OptionsFor(url());
  options.statement_timeout = milliseconds(300);
  auto store = OpenMigrated(options);
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store
                  ->Run(TxMode::kWrite,
                        [](Tx& tx) -> Status {
                          GH_RETURN_IF_ERROR(
                              tx.InsertUser(MakeUser("u", "u@example.com")));
                          GH_RETURN_IF_ERROR(
                              tx.InsertSession(MakeSession("s", "u")));
                          return tx.InsertRefreshToken(MakeToken("h", "s"));
                        })
                  .ok());
  RawConnection other(url());  // another instance, stuck mid-rotation
  ASSERT_TRUE(other.Exec("BEGIN"));
  ASSERT_EQ(other.Query("SELECT generation FROM refresh_tokens"
                        " WHERE token_hash = 'h' FOR UPDATE"),
            "0");
  const auto started = SteadyClock::now();
  Status st = store->Run(TxMode::kWrite, [](Tx& tx) -> Status {
    return StatusOf(tx.FindRefreshToken("h"));
  });
  const auto waited = SteadyClock::now() - started;
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::kUnavailable) << st.error().message;
  EXPECT_NE(st.error().message.find("57014"), std::string::npos)
      << st.error().message;
  EXPECT_LT(waited, milliseconds(3000));
  // Readers are not blocked by the row lock.
  auto read = store->Run(TxMode::kRead, [](Tx& tx) -> Status {
    return StatusOf(tx.FindRefreshToken("h"));
  });
  EXPECT_TRUE(read.ok()) << read.error().message;
  ASSERT_TRUE(other.Exec("COMMIT"));
  st = store->Run(TxMode::kWrite, [](Tx& tx) -> Status {
    return StatusOf(tx.FindRefreshToken("h"));
  });
  EXPECT_TRUE(st.ok()) << st.error().message;
}

// Two transactions that lock two rows in opposite orders deadlock;
// PostgreSQL aborts one (40P01), and Run runs its callback again, so both
// callers succeed and never see it.
TEST_F(PgStoreTest, DeadlockedTransactionIsRunAgain) {
  auto store = OpenMigrated();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(SeedUser(*store, "a").ok());
  ASSERT_TRUE(SeedUser(*store, "b").ok());
  std::latch both_hold_one(2);
  std::atomic<int> runs{0};
  auto update_both = [&](const std::string& first, const std::string& second) {
    bool first_run = true;
    return store->Run(TxMode::kWrite, [&](Tx& tx) -> Status {
      ++runs;
      User u = MakeUser(first, first + "@example.com");
      u.name = "by " + first;
      GH_RETURN_IF_ERROR(tx.UpdateUser(u));
      if (first_run) {
        first_run = false;
        both_hold_one.arrive_and_wait();
      }
      u = MakeUser(second, second + "@example.com");
      u.name = "by " + first;
      return tx.UpdateUser(u);
    });
  };
  Status ab = Ok(), ba = Ok();
  std::thread t([&] { ab = update_both("a", "b"); });
  ba = update_both("b", "a");
  t.join();
  EXPECT_TRUE(ab.ok()) << ab.error().message;
  EXPECT_TRUE(ba.ok()) << ba.error().message;
  EXPECT_EQ(runs.load(), 3);  // one of them twice
}

// A sequence hands out ids at insert; the audit lock makes them follow
// commit order too: a writer that took an id first commits first, so a
// reader paging back with before_id never has a gap behind it.
TEST_F(PgStoreTest, AuditIdsFollowCommitOrder) {
  auto store = OpenMigrated();
  ASSERT_NE(store, nullptr);
  std::latch inserted(1);
  int64_t first_id = 0, second_id = 0;
  std::atomic<int> commits{0};
  int first_commit = 0, second_commit = 0;
  std::thread first([&] {
    Status st = store->Run(TxMode::kWrite, [&](Tx& tx) -> Status {
      GH_ASSIGN_OR_RETURN(first_id, tx.InsertAuditEvent(MakeEvent("a", "u")));
      inserted.count_down();
      std::this_thread::sleep_for(milliseconds(300));  // a slow transaction
      return Ok();
    });
    first_commit = ++commits;
    EXPECT_TRUE(st.ok()) << st.error().message;
  });
  inserted.wait();
  Status st = store->Run(TxMode::kWrite, [&](Tx& tx) -> Status {
    GH_ASSIGN_OR_RETURN(second_id, tx.InsertAuditEvent(MakeEvent("b", "u")));
    return Ok();
  });
  second_commit = ++commits;
  first.join();
  ASSERT_TRUE(st.ok()) << st.error().message;
  EXPECT_LT(first_id, second_id);
  EXPECT_LT(first_commit, second_commit) << "the later id committed first";
}

// The indexes exist for these queries. If the planner could no longer use
// one (an expression spelled differently from the index's, say), the
// sweep, the gauge, the devices list or the change feed polled five times
// a second would scan whole tables. On a server's worth of rows, analysed;
// the SQL is a copy of pg_store.cc's.
TEST_F(PgStoreTest, SweepGaugeDevicesAuditAndFeedQueriesUseTheirIndexes) {
  auto store = OpenMigrated();
  ASSERT_NE(store, nullptr);
  RawConnection raw(url());
  // 20000 sessions of 200 users over 14 days, each live for a day after
  // its creation, one in ten revoked; 5000 audit events.
  ASSERT_TRUE(raw.Exec(
      "INSERT INTO users (id, email, password_hash, created_at, updated_at)"
      " SELECT 'u' || i, 'u' || i || '@example.com', 'x', now(), now()"
      " FROM generate_series(1, 200) i;"
      "INSERT INTO sessions (id, user_id, created_at, last_used_at,"
      " expires_at, absolute_expires_at, revoked_at)"
      " SELECT 's' || i, 'u' || (i % 200 + 1), t, t, t + interval '1 day',"
      " t + interval '90 days',"
      " CASE WHEN i % 10 = 0 THEN t + interval '1 hour' END"
      " FROM generate_series(1, 20000) i,"
      " LATERAL (SELECT '2026-01-01'::timestamptz + i * interval '1 minute'"
      " AS t) x;"
      "INSERT INTO audit_events (at, type, user_id)"
      " SELECT now(), 'login.succeeded', 'u' || (i % 200 + 1)"
      " FROM generate_series(1, 5000) i"))
      << raw.last_error();
  ASSERT_TRUE(raw.Exec("VACUUM ANALYZE users, sessions, audit_events"))
      << raw.last_error();
  const std::string now = "'2026-01-14T22:00:00Z'::timestamptz";
  const std::string week_ago = "'2026-01-07T22:00:00Z'::timestamptz";

  std::string sweep = raw.Query(
      "EXPLAIN DELETE FROM sessions WHERE id = ANY (ARRAY(SELECT id FROM"
      " sessions WHERE LEAST(revoked_at, expires_at, absolute_expires_at) < " +
      week_ago +
      " ORDER BY LEAST(revoked_at, expires_at, absolute_expires_at)"
      " LIMIT 500 FOR UPDATE SKIP LOCKED))");
  EXPECT_NE(sweep.find("Index Scan using sessions_ended_at"), std::string::npos)
      << sweep;
  EXPECT_NE(sweep.find("sessions_pkey"), std::string::npos) << sweep;
  EXPECT_EQ(sweep.find("Seq Scan"), std::string::npos) << sweep;
  EXPECT_EQ(sweep.find("Sort"), std::string::npos) << sweep;
  std::string gauge = raw.Query(
      "EXPLAIN SELECT count(*) FROM sessions WHERE revoked_at IS NULL"
      " AND expires_at > " +
      now + " AND absolute_expires_at > " + now);
  EXPECT_NE(gauge.find("sessions_live_expires_at"), std::string::npos) << gauge;
  std::string devices = raw.Query(
      "EXPLAIN SELECT id FROM sessions WHERE user_id = 'u7' AND revoked_at IS"
      " NULL AND expires_at > " +
      now + " AND absolute_expires_at > " + now +
      " ORDER BY created_at DESC, id DESC");
  EXPECT_NE(devices.find("sessions_user_id_created_at"), std::string::npos)
      << devices;
  EXPECT_EQ(devices.find("Seq Scan"), std::string::npos) << devices;
  std::string audit = raw.Query(
      "EXPLAIN SELECT id FROM audit_events WHERE user_id = 'u7' AND id < 4000"
      " ORDER BY id DESC LIMIT 50");
  EXPECT_NE(audit.find("audit_events_user_id_id"), std::string::npos) << audit;
  EXPECT_EQ(audit.find("Sort"), std::string::npos) << audit;
  std::string all = raw.Query(
      "EXPLAIN SELECT id FROM audit_events WHERE id < 4000"
      " ORDER BY id DESC LIMIT 50");
  EXPECT_NE(all.find("audit_events_pkey"), std::string::npos) << all;
  EXPECT_EQ(all.find("Sort"), std::string::npos) << all;
  // The audit retention sweep reads its batch from audit_events_at
  // (0005), in order, and deletes each row by primary key.
  std::string audit_sweep = raw.Query(
      "EXPLAIN DELETE FROM audit_events WHERE id = ANY (ARRAY(SELECT id FROM"
      " audit_events WHERE at < " +
      week_ago + " ORDER BY at LIMIT 500 FOR UPDATE SKIP LOCKED))");
  EXPECT_NE(audit_sweep.find("audit_events_at"), std::string::npos)
      << audit_sweep;
  EXPECT_NE(audit_sweep.find("audit_events_pkey"), std::string::npos)
      << audit_sweep;
  EXPECT_EQ(audit_sweep.find("Seq Scan"), std::string::npos) << audit_sweep;
  EXPECT_EQ(audit_sweep.find("Sort"), std::string::npos) << audit_sweep;
  std::string revoked = raw.Query(
      "EXPLAIN SELECT id, revoked_at FROM sessions WHERE revoked_at IS NOT"
      " NULL AND revoked_at >= '2026-01-14T21:45:00Z'::timestamptz"
      " ORDER BY revoked_at, id");
  EXPECT_NE(revoked.find("sessions_revoked_at"), std::string::npos) << revoked;
  EXPECT_EQ(revoked.find("Seq Scan"), std::string::npos) << revoked;
  // The users were all written at now(): none is "recent" past it.
  std::string users = raw.Query(
      "EXPLAIN SELECT id FROM users WHERE updated_at >= now() + interval "
      "'1 hour'");
  EXPECT_NE(users.find("users_updated_at"), std::string::npos) << users;

  // And the sweep does what the plan says: oldest-ended first, in batches.
  auto deleted = store->Run(TxMode::kWrite, [](Tx& tx) -> Status {
    GH_ASSIGN_OR_RETURN(
        int n, tx.DeleteEndedSessions(FromUnixMillis(1767823200000), 500));
    EXPECT_EQ(n, 500);
    return Ok();
  });
  EXPECT_TRUE(deleted.ok()) << deleted.error().message;
}

// ------------------------------ outages ------------------------------

TEST_F(PgStoreTest, UnreachableDatabaseIsUnavailableWithinConnectTimeout) {
  // Nothing listens on the port: refused at once. The message names the
  // server, never the password.
  PgOptions options =
      OptionsFor("postgres://gatehouse:s3cret-pw@127.0.0.1:1/gatehouse");
  options.connect_timeout = milliseconds(500);
  auto store = OpenStore(options);  // Open connects to nothing
  ASSERT_NE(store, nullptr);
  auto started = SteadyClock::now();
  auto count = CountUsers(*store);
  ASSERT_FALSE(count.ok());
  EXPECT_EQ(count.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(count.error().retry_after_seconds, std::optional<int>(1));
  EXPECT_NE(count.error().message.find("127.0.0.1:1"), std::string::npos)
      << count.error().message;
  EXPECT_EQ(count.error().message.find("s3cret"), std::string::npos)
      << count.error().message;
  EXPECT_LT(SteadyClock::now() - started, milliseconds(1500));
  Status ping = store->Ping();
  ASSERT_FALSE(ping.ok());
  EXPECT_EQ(ping.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(store->Up().error().code, ErrorCode::kUnavailable);

  // A host that never answers (TEST-NET-1 is not routed): bounded by
  // connect_timeout, not by the operating system's minutes.
  options.url = "postgres://gatehouse@192.0.2.1:5432/gatehouse";
  store = OpenStore(options);
  ASSERT_NE(store, nullptr);
  started = SteadyClock::now();
  count = CountUsers(*store);
  ASSERT_FALSE(count.ok());
  EXPECT_EQ(count.error().code, ErrorCode::kUnavailable);
  EXPECT_LT(SteadyClock::now() - started, milliseconds(1500));
  // Right after a failed attempt, callers fail at once rather than each
  // waiting out connect_timeout again.
  started = SteadyClock::now();
  EXPECT_FALSE(CountUsers(*store).ok());
  EXPECT_LT(SteadyClock::now() - started, milliseconds(100));
}

TEST_F(PgStoreTest, TerminatedConnectionsAreReplacedUnnoticed) {
  // Named, so that only this store's connections are terminated.
  const std::string name = schema_->name();
  auto store = OpenMigrated(
      OptionsFor(url() + (url().starts_with("postgres") ? "&" : " ") +
                 "application_name=" + name));
  ASSERT_NE(store, nullptr);
  // Four connections in the pool: four transactions open at once.
  std::latch all_open(4);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      Status st = store->Run(TxMode::kWrite, [&](Tx& tx) -> Status {
        all_open.arrive_and_wait();
        const std::string id = "u" + std::to_string(i);
        return tx.InsertUser(MakeUser(id, id + "@example.com"));
      });
      EXPECT_TRUE(st.ok()) << st.error().message;
    });
  }
  for (std::thread& t : threads) t.join();
  {
    RawConnection raw(url());
    EXPECT_EQ(raw.Query("SELECT count(pg_terminate_backend(pid))"
                        " FROM pg_stat_activity WHERE application_name = '" +
                        name + "'"),
              "4");
  }
  std::this_thread::sleep_for(milliseconds(100));
  // Every idle connection is dead now; the next calls never see it.
  for (int i = 0; i < 6; ++i) {
    auto count = CountUsers(*store);
    ASSERT_TRUE(count.ok()) << count.error().message;
    EXPECT_EQ(*count, 4);
  }
  EXPECT_TRUE(store->Ping().ok());
}

TEST_F(PgStoreTest, ConnectionsTheServerClosedWhileIdleAreReplaced) {
  if (!url().starts_with("postgres")) GTEST_SKIP() << "needs a URI";
  // The server ends sessions idle for 100 ms (FATAL 57P05).
  auto store =
      OpenMigrated(OptionsFor(url() + "%20-cidle_session_timeout%3D100"));
  ASSERT_NE(store, nullptr);
  for (int i = 0; i < 3; ++i) {
    std::this_thread::sleep_for(milliseconds(300));
    Status st = SeedUser(*store, "u" + std::to_string(i));
    ASSERT_TRUE(st.ok()) << st.error().message;
  }
  EXPECT_TRUE(store->Ping().ok());
}

TEST_F(PgStoreTest, DatabaseDownIsUnavailableQuicklyAndTheStoreRecovers) {
  SKIP_WITHOUT_OWN_CLUSTER();
  auto store = OpenMigrated();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(SeedUser(*store, "before").ok());
  ASSERT_TRUE(Cluster()->Stop().ok());

  for (int i = 0; i < 3; ++i) {
    const auto started = SteadyClock::now();
    Status st = SeedUser(*store, "during-" + std::to_string(i));
    ASSERT_FALSE(st.ok());
    EXPECT_EQ(st.error().code, ErrorCode::kUnavailable) << st.error().message;
    EXPECT_EQ(st.error().retry_after_seconds, std::optional<int>(1));
    EXPECT_LT(SteadyClock::now() - started, PgOptions().connect_timeout);
  }
  Status ping = store->Ping();
  ASSERT_FALSE(ping.ok());
  EXPECT_EQ(ping.error().code, ErrorCode::kUnavailable);

  ASSERT_TRUE(Cluster()->Start().ok());
  // The same object, not reopened, works again.
  Status recovered = AwaitRecovery(*store, milliseconds(5000));
  ASSERT_TRUE(recovered.ok()) << recovered.error().message;
  EXPECT_TRUE(store->Ping().ok());
  Status st = store->Run(TxMode::kRead, [](Tx& tx) -> Status {
    GH_ASSIGN_OR_RETURN(User before, tx.GetUser("before"));
    EXPECT_EQ(before.email, "before@example.com");
    EXPECT_EQ(tx.GetUser("during-0").error().code, ErrorCode::kNotFound);
    return Ok();
  });
  EXPECT_TRUE(st.ok()) << st.error().message;
}

TEST_F(PgStoreTest, WriteCutOffByAnOutageLeavesNothing) {
  SKIP_WITHOUT_OWN_CLUSTER();
  auto store = OpenMigrated();
  ASSERT_NE(store, nullptr);
  Status st = store->Run(TxMode::kWrite, [&](Tx& tx) -> Status {
    GH_RETURN_IF_ERROR(tx.InsertUser(MakeUser("u", "u@example.com")));
    // The database goes away in the middle of the login.
    EXPECT_TRUE(Cluster()->Stop().ok());
    GH_RETURN_IF_ERROR(tx.InsertSession(MakeSession("s", "u")));
    return tx.InsertRefreshToken(MakeToken("h", "s"));
  });
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::kUnavailable) << st.error().message;

  ASSERT_TRUE(Cluster()->Start().ok());
  ASSERT_TRUE(AwaitRecovery(*store, milliseconds(5000)).ok());
  st = store->Run(TxMode::kRead, [](Tx& tx) -> Status {
    EXPECT_EQ(tx.GetUser("u").error().code, ErrorCode::kNotFound);
    EXPECT_EQ(tx.GetSession("s").error().code, ErrorCode::kNotFound);
    EXPECT_EQ(tx.FindRefreshToken("h").error().code, ErrorCode::kNotFound);
    return Ok();
  });
  EXPECT_TRUE(st.ok()) << st.error().message;
}

TEST_F(PgStoreTest, AcknowledgedCommitsSurviveAServerCrash) {
  SKIP_WITHOUT_OWN_CLUSTER();
  auto store = OpenMigrated();
  ASSERT_NE(store, nullptr);
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(SeedUser(*store, "u" + std::to_string(i)).ok());
  }
  ASSERT_TRUE(Cluster()->Kill().ok());
  EXPECT_FALSE(Cluster()->running());
  EXPECT_EQ(CountUsers(*store).error().code, ErrorCode::kUnavailable);
  ASSERT_TRUE(Cluster()->Start().ok());  // crash recovery from the WAL
  ASSERT_TRUE(AwaitRecovery(*store, milliseconds(5000)).ok());
  auto count = CountUsers(*store);
  ASSERT_TRUE(count.ok()) << count.error().message;
  EXPECT_EQ(*count, 21);  // the 20 and AwaitRecovery's probe
}

}  // namespace
}  // namespace gatehouse
