// Test that header file is self-contained.
#include "storage/sqlite/sqlite_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <latch>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "storage/store_conformance.h"
#include "testing/temp_dir.h"
#include "testing/test_records.h"

namespace gatehouse {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;
using testkit::kT0;
using testkit::MakeEvent;
using testkit::MakeSession;
using testkit::MakeUser;

// A fresh temporary directory (testing/temp_dir.h) with a file helper.
class TempDir {
 public:
  std::string File(const std::string& name) const {
    return (dir_.path() / name).string();
  }

 private:
  testkit::TempDir dir_;
};

SqliteOptions OptionsFor(const std::string& path) {
  SqliteOptions options;
  options.path = path;
  return options;
}

// A plain connection beside the store, as another process would have.
class RawConnection {
 public:
  explicit RawConnection(const std::string& path) {
    if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) {
      ADD_FAILURE() << "raw open: " << sqlite3_errmsg(db_);
    }
  }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;
  ~RawConnection() { sqlite3_close(db_); }

  int Exec(const std::string& sql) {
    return sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr);
  }
  // Exec, with SQLite's message in the error.
  Status Run(const std::string& sql) {
    if (Exec(sql) == SQLITE_OK) return Ok();
    return MakeError(ErrorCode::kInternal, sqlite3_errmsg(db_));
  }
  // First column of the first row; "<none>" without a row, "<null>" for
  // NULL, "<error: ...>" if the statement fails.
  std::string Query(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    std::string out = "<none>";
    int rc = sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr);
    if (rc == SQLITE_OK) rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
      auto* text = sqlite3_column_text(stmt, 0);
      out = text != nullptr ? reinterpret_cast<const char*>(text) : "<null>";
    } else if (rc != SQLITE_DONE) {
      out = "<error: " + std::string(sqlite3_errmsg(db_)) + ">";
    }
    sqlite3_finalize(stmt);
    return out;
  }
  // The detail column of every EXPLAIN QUERY PLAN row, one per line.
  std::string QueryPlan(const std::string& sql) {
    const std::string explain = "EXPLAIN QUERY PLAN " + sql;
    sqlite3_stmt* stmt = nullptr;
    std::string rows;
    if (sqlite3_prepare_v2(db_, explain.c_str(), -1, &stmt, nullptr) !=
        SQLITE_OK) {
      ADD_FAILURE() << "explain: " << sqlite3_errmsg(db_);
    }
    while (stmt != nullptr && sqlite3_step(stmt) == SQLITE_ROW) {
      auto* detail = sqlite3_column_text(stmt, 3);
      if (detail != nullptr) rows += reinterpret_cast<const char*>(detail);
      rows += "\n";
    }
    sqlite3_finalize(stmt);
    return rows;
  }
  bool HasTable(const std::string& name) {
    return Query(
               "SELECT name FROM sqlite_schema WHERE type = 'table' AND "
               "name = '" +
               name + "'") == name;
  }

 private:
  sqlite3* db_ = nullptr;
};

// Whether SQLite may sort a query's rows itself ("USE TEMP B-TREE"), or
// must find them in order in an index.
enum class Sort { kAllowed, kNone };

// Fails the test, showing the plan, unless SQLite's plan for `sql`
// (EXPLAIN QUERY PLAN) has a step containing `step`, and, for Sort::kNone,
// sorts nothing itself.
void ExpectPlan(RawConnection& raw, const std::string& sql,
                const std::string& step, Sort sort = Sort::kAllowed) {
  const std::string plan = raw.QueryPlan(sql);
  EXPECT_NE(plan.find(step), std::string::npos) << sql << "\n" << plan;
  if (sort == Sort::kNone) {
    EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << sql << "\n"
                                                           << plan;
  }
}

// --- the conformance suite on SQLite ---

const SqlDialect kSqliteDialect = {
    .select_tables = R"sql(
      SELECT coalesce(group_concat(name, ','), '') FROM (
        SELECT name FROM sqlite_schema
        WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name))sql",
    // SQLite's AUTOINCREMENT counters (sqlite_sequence) count as well.
    .select_leftovers = R"sql(
      SELECT coalesce(group_concat(name, ','), '') FROM (
        SELECT name FROM sqlite_schema
        WHERE name NOT IN ('schema_migrations', 'sqlite_sequence')
        UNION ALL SELECT name FROM sqlite_sequence))sql",
    .missing_users_table = "no such table: users",
    .conflict_mark = "constraint failed",
};

// A fresh database file in a directory of its own, reached besides the
// store with a plain sqlite3 connection.
std::unique_ptr<DatabaseUnderTest> MakeSqliteDatabase() {
  auto dir = std::make_shared<TempDir>();
  const std::string path = dir->File("gatehouse.db");
  return MakeDatabaseUnderTest<SqliteStore, RawConnection>(
      OptionsFor(path), &SqliteOptions::busy_timeout, path, kSqliteDialect,
      [dir]() mutable { dir.reset(); });
}

INSTANTIATE_TEST_SUITE_P(Sqlite, StoreConformanceTest,
                         ::testing::Values(StoreOn(&MakeSqliteDatabase)));
INSTANTIATE_TEST_SUITE_P(
    Sqlite, DatabaseConformanceTest,
    ::testing::Values(DatabaseFactory(&MakeSqliteDatabase)));

// --- SQLite's own cases ---

class SqliteStoreTest : public ::testing::Test {
 protected:
  std::string path() const { return dir_.File("gatehouse.db"); }

  std::unique_ptr<SqliteStore> OpenStore(SqliteOptions options) {
    auto opened = SqliteStore::Open(options);
    EXPECT_TRUE(opened.ok()) << opened.error().message;
    return opened.ok() ? std::move(opened).value() : nullptr;
  }
  std::unique_ptr<SqliteStore> OpenStore() {
    return OpenStore(OptionsFor(path()));
  }
  std::unique_ptr<SqliteStore> OpenMigrated() {
    auto store = OpenStore();
    if (store != nullptr) {
      auto up = store->Up();
      EXPECT_TRUE(up.ok()) << up.error().message;
    }
    return store;
  }

  TempDir dir_;
};

TEST_F(SqliteStoreTest, EmbedsTheInitMigration) {
  std::span<const Migration> migrations = SqliteMigrations();
  ASSERT_FALSE(migrations.empty());
  EXPECT_EQ(migrations[0].version, 1);
  EXPECT_EQ(migrations[0].name, "init");
  EXPECT_NE(migrations[0].up.find("CREATE TABLE users"), std::string::npos);
  EXPECT_NE(migrations[0].down.find("DROP TABLE users"), std::string::npos);
  ASSERT_GE(migrations.size(), 2u);
  EXPECT_EQ(migrations[1].version, 2);
  EXPECT_EQ(migrations[1].name, "audit");
  EXPECT_NE(migrations[1].up.find("CREATE TABLE audit_events"),
            std::string::npos);
  EXPECT_NE(migrations[1].down.find("DROP TABLE audit_events"),
            std::string::npos);
}

// An existing 0001 database (data included) takes 0002 on the next Up, and
// reverting 0002 alone takes exactly what it added, so Up works again.
TEST_F(SqliteStoreTest, AuditMigrationUpgradesAndRevertsAnInitDatabase) {
  {
    SqliteOptions options = OptionsFor(path());
    options.migrations = SqliteMigrations().first(1);
    auto old_binary = OpenStore(options);
    ASSERT_NE(old_binary, nullptr);
    auto up = old_binary->Up();
    ASSERT_TRUE(up.ok()) << up.error().message;
    EXPECT_EQ(*up, (std::vector<int>{1}));
    ASSERT_TRUE(
        old_binary
            ->Run(TxMode::kWrite,
                  [](Tx& tx) -> Status {
                    GH_RETURN_IF_ERROR(
                        tx.InsertUser(MakeUser("user-a", "alice@example.com")));
                    return tx.InsertSession(MakeSession("s-1", "user-a"));
                  })
            .ok());
  }
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  auto status = store->ListMigrations();
  ASSERT_TRUE(status.ok());
  ASSERT_GE(status->size(), 2u);
  EXPECT_TRUE((*status)[0].applied);
  EXPECT_EQ((*status)[1].name, "audit");
  EXPECT_FALSE((*status)[1].applied);

  auto up = store->Up();
  ASSERT_TRUE(up.ok()) << up.error().message;
  ASSERT_FALSE(up->empty());
  EXPECT_EQ(up->front(), 2);
  auto count_and_log = [&]() {
    return store->Run(TxMode::kWrite, [](Tx& tx) -> Status {
      GH_ASSIGN_OR_RETURN(int64_t active, tx.CountActiveSessions(kT0));
      EXPECT_EQ(active, 1);  // the session from before the upgrade
      GH_RETURN_IF_ERROR(
          tx.InsertAuditEvent(MakeEvent("login.succeeded", "user-a")));
      return Ok();
    });
  };
  {
    Status st = count_and_log();
    ASSERT_TRUE(st.ok()) << st.error().message;
  }

  // Revert everything after 0001: audit_events and the sessions index go,
  // the 0001 tables and their rows stay.
  for (size_t i = SqliteMigrations().size(); i > 1; --i) {
    auto down = store->Down();
    ASSERT_TRUE(down.ok()) << down.error().message;
    EXPECT_EQ(*down, static_cast<int>(i));
  }
  {
    RawConnection raw(path());
    EXPECT_FALSE(raw.HasTable("audit_events"));
    EXPECT_EQ(raw.Query("SELECT name FROM sqlite_schema"
                        " WHERE name = 'sessions_live_expires_at'"),
              "<none>");
    EXPECT_EQ(raw.Query("SELECT count(*) FROM sessions"), "1");
    EXPECT_EQ(raw.Query("SELECT count(*) FROM users"), "1");
  }
  up = store->Up();
  ASSERT_TRUE(up.ok()) << up.error().message;
  EXPECT_EQ(up->size(), SqliteMigrations().size() - 1);
  Status st = count_and_log();
  EXPECT_TRUE(st.ok()) << st.error().message;
}

TEST_F(SqliteStoreTest, DataSurvivesCloseAndReopen) {
  {
    auto store = OpenMigrated();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store
                    ->Run(TxMode::kWrite,
                          [](Tx& tx) -> Status {
                            GH_RETURN_IF_ERROR(tx.InsertUser(
                                MakeUser("user-a", "alice@example.com")));
                            GH_RETURN_IF_ERROR(
                                tx.InsertSession(MakeSession("s-1", "user-a")));
                            return tx.InsertSecret("k", "v");
                          })
                    .ok());
  }
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  auto up = store->Up();
  ASSERT_TRUE(up.ok());
  EXPECT_TRUE(up->empty());  // the schema survived too
  Status st = store->Run(TxMode::kRead, [](Tx& tx) -> Status {
    GH_ASSIGN_OR_RETURN(User u, tx.FindUserByEmail("alice@example.com"));
    EXPECT_EQ(u.id, "user-a");
    GH_ASSIGN_OR_RETURN(Session s, tx.GetSession("s-1"));
    EXPECT_EQ(s.user_id, "user-a");
    GH_ASSIGN_OR_RETURN(std::string v, tx.GetSecret("k"));
    EXPECT_EQ(v, "v");
    return Ok();
  });
  EXPECT_TRUE(st.ok()) << st.error().message;
}

TEST_F(SqliteStoreTest, JournalModeIsWal) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  RawConnection raw(path());
  EXPECT_EQ(raw.Query("PRAGMA journal_mode"), "wal");
}

TEST_F(SqliteStoreTest, ForeignKeysAreEnforced) {
  auto store = OpenMigrated();
  ASSERT_NE(store, nullptr);
  Status st = store->Run(TxMode::kWrite, [](Tx& tx) {
    return tx.InsertSession(MakeSession("s-1", "user-nobody"));
  });
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::kConflict);
}

TEST_F(SqliteStoreTest, LockedDatabaseIsUnavailableThenRecovers) {
  SqliteOptions options = OptionsFor(path());
  options.busy_timeout = milliseconds(100);
  auto store = OpenStore(options);
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->Up().ok());

  RawConnection other(path());
  ASSERT_EQ(other.Exec("BEGIN EXCLUSIVE"), SQLITE_OK);
  const auto started = std::chrono::steady_clock::now();
  Status st = store->Run(TxMode::kWrite, [](Tx& tx) {
    return tx.InsertUser(MakeUser("u", "u@example.com"));
  });
  const auto waited = std::chrono::steady_clock::now() - started;
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::kUnavailable) << st.error().message;
  EXPECT_EQ(st.error().retry_after_seconds, std::optional<int>(1));
  EXPECT_GE(waited, milliseconds(80));  // it did wait for the lock
  EXPECT_LT(waited, milliseconds(2000));
  // In WAL mode readers go on beside the writer.
  EXPECT_TRUE(store
                  ->Run(TxMode::kRead,
                        [](Tx& tx) -> Status {
                          auto count = tx.CountUsers();
                          return count.ok() ? Ok() : std::move(count).error();
                        })
                  .ok());
  EXPECT_TRUE(store->Ping().ok());

  ASSERT_EQ(other.Exec("COMMIT"), SQLITE_OK);
  st = store->Run(TxMode::kWrite, [](Tx& tx) {
    return tx.InsertUser(MakeUser("u", "u@example.com"));
  });
  EXPECT_TRUE(st.ok()) << st.error().message;
}

TEST_F(SqliteStoreTest, OpenInMissingDirectoryIsUnavailableNamingThePath) {
  const std::string missing = dir_.File("no-such-dir/gatehouse.db");
  auto opened = SqliteStore::Open(OptionsFor(missing));
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(opened.error().retry_after_seconds, std::optional<int>(1));
  EXPECT_NE(opened.error().message.find(missing), std::string::npos)
      << opened.error().message;
  EXPECT_FALSE(fs::exists(dir_.File("no-such-dir")));  // nothing created
}

TEST_F(SqliteStoreTest, OpenOfAFileThatIsNotADatabaseIsUnavailable) {
  std::ofstream(path()) << "this is not an SQLite database, just some text "
                           "long enough to fill the header page of one";
  auto opened = SqliteStore::Open(OptionsFor(path()));
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(opened.error().message.find(path()), std::string::npos);
}

TEST_F(SqliteStoreTest, OpenRejectsBadOptionsNamingThem) {
  struct Case {
    const char* field;
    SqliteOptions options;
  };
  std::vector<Case> cases;
  cases.push_back({"path", OptionsFor("")});
  cases.push_back({"path", OptionsFor(":memory:")});
  cases.push_back({"pool_size", OptionsFor(path())});
  cases.back().options.pool_size = 0;
  cases.push_back({"busy_timeout", OptionsFor(path())});
  cases.back().options.busy_timeout = milliseconds(-1);
  cases.push_back({"synchronous", OptionsFor(path())});
  cases.back().options.synchronous = "FULL; DROP TABLE users";
  for (const Case& c : cases) {
    auto opened = SqliteStore::Open(c.options);
    ASSERT_FALSE(opened.ok()) << c.field;
    EXPECT_EQ(opened.error().code, ErrorCode::kValidationFailed) << c.field;
    EXPECT_NE(opened.error().message.find(c.field), std::string::npos)
        << opened.error().message;
  }
  SqliteOptions lower = OptionsFor(path());
  lower.synchronous = "normal";
  EXPECT_NE(OpenStore(lower), nullptr);
}

// AUTOINCREMENT: an id once used is never handed out again, even after the
// newest events are deleted (as a retention purge might), so a client
// holding an id as a paging cursor or a reference never meets another
// event under it.
TEST_F(SqliteStoreTest, AuditEventIdsAreNeverReused) {
  auto store = OpenMigrated();
  ASSERT_NE(store, nullptr);
  auto insert = [&](const std::string& type) -> int64_t {
    int64_t id = -1;
    Status st = store->Run(TxMode::kWrite, [&](Tx& tx) -> Status {
      GH_ASSIGN_OR_RETURN(id, tx.InsertAuditEvent(MakeEvent(type, "u")));
      return Ok();
    });
    EXPECT_TRUE(st.ok()) << st.error().message;
    return id;
  };
  const int64_t first = insert("a");
  const int64_t newest = insert("b");
  ASSERT_GT(newest, first);
  {
    RawConnection raw(path());
    ASSERT_EQ(raw.Exec("DELETE FROM audit_events WHERE id = " +
                       std::to_string(newest)),
              SQLITE_OK);
  }
  EXPECT_GT(insert("c"), newest);
}

// The indexes of 0002_audit exist for these queries; if the planner stopped
// using them (a predicate reworded so that it no longer implies the partial
// index's WHERE, say), the gauge and the audit listing would scan whole
// tables. The SQL is a copy of the store's (sqlite_store.cc): keep in step.
TEST_F(SqliteStoreTest, CountAndAuditQueriesUseTheirIndexes) {
  auto store = OpenMigrated();
  ASSERT_NE(store, nullptr);
  RawConnection raw(path());
  ExpectPlan(raw,
             "SELECT count(*) FROM sessions WHERE revoked_at IS NULL"
             " AND expires_at > ? AND absolute_expires_at > ?",
             "USING INDEX sessions_live_expires_at (expires_at>?)");
  ExpectPlan(raw,
             "SELECT id, at, type, user_id, session_id, actor_id, ip,"
             " user_agent, detail FROM audit_events WHERE user_id = ?"
             " AND id < ? ORDER BY id DESC LIMIT ?",
             "USING INDEX audit_events_user_id_id (user_id=? AND id<?)",
             Sort::kNone);
  ExpectPlan(raw,
             "SELECT id, at, type, user_id, session_id, actor_id, ip,"
             " user_agent, detail FROM audit_events WHERE id < ?"
             " ORDER BY id DESC LIMIT ?",
             "INTEGER PRIMARY KEY (rowid<?)", Sort::kNone);
  // The devices list keeps its own index rather than the new partial one.
  ExpectPlan(raw,
             "SELECT id, user_id, created_at, last_used_at, expires_at,"
             " absolute_expires_at, user_agent, ip, generation, revoked_at,"
             " revoke_reason FROM sessions WHERE user_id = ?"
             " AND revoked_at IS NULL AND expires_at > ?"
             " AND absolute_expires_at > ? ORDER BY created_at DESC, id DESC",
             "sessions_user_id_created_at");
}

// sessions_ended_at (0003_session_sweep) exists for the sweep: without it
// every batch would scan all sessions, live ones included, to find a few
// ended ones. The SQL is a copy of the store's: keep in step.
TEST_F(SqliteStoreTest, SweepUsesTheSessionsEndedAtIndex) {
  auto store = OpenMigrated();
  ASSERT_NE(store, nullptr);
  RawConnection raw(path());
  ExpectPlan(raw,
             "DELETE FROM sessions WHERE id IN (SELECT id FROM sessions WHERE"
             " min(coalesce(revoked_at, expires_at), expires_at,"
             " absolute_expires_at) < ? ORDER BY min(coalesce(revoked_at,"
             " expires_at), expires_at, absolute_expires_at) LIMIT ?)",
             "USING INDEX sessions_ended_at (<expr><?)", Sort::kNone);
}

// audit_events_at (0005_audit_retention) exists for the audit retention
// sweep: without it each sweep would scan the whole log to find the few
// events past their retention. The SQL is a copy of the store's: keep in
// step.
TEST_F(SqliteStoreTest, AuditSweepUsesTheAuditEventsAtIndex) {
  auto store = OpenMigrated();
  ASSERT_NE(store, nullptr);
  RawConnection raw(path());
  ExpectPlan(raw,
             "DELETE FROM audit_events WHERE id IN (SELECT id FROM audit_events"
             " WHERE at < ? ORDER BY at LIMIT ?)",
             "USING COVERING INDEX audit_events_at (at<?)", Sort::kNone);
}

// The change feed (0004_change_feed) is polled several times a second by
// every instance: each poll must seek to the few recent rows, never scan
// the sessions or users. The SQL is a copy of the store's: keep in step.
TEST_F(SqliteStoreTest, ChangeFeedQueriesSeekTheirIndexes) {
  auto store = OpenMigrated();
  ASSERT_NE(store, nullptr);
  RawConnection raw(path());
  ExpectPlan(raw,
             "SELECT id, revoked_at FROM sessions"
             " WHERE revoked_at IS NOT NULL AND revoked_at >= ?"
             " ORDER BY revoked_at, id",
             "USING INDEX sessions_revoked_at (revoked_at>?)");
  ExpectPlan(raw, "SELECT id FROM users WHERE updated_at >= ?",
             "users_updated_at (updated_at>?)");
}

// Group commit: writes that queue up behind a running one commit together
// (one fsync), yet each stays all-or-nothing and hears its own result.
TEST_F(SqliteStoreTest, QueuedWritesCommitAsAGroupEachAllOrNothing) {
  auto store = OpenMigrated();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store
                  ->Run(TxMode::kWrite,
                        [](Tx& tx) {
                          return tx.InsertUser(MakeUser("u", "u@example.com"));
                        })
                  .ok());
  // The first write holds the writer turn until every other has queued.
  std::latch first_running(1);
  std::atomic<bool> release{false};
  std::thread first([&] {
    EXPECT_TRUE(store
                    ->Run(TxMode::kWrite,
                          [&](Tx& tx) -> gatehouse::Status {
                            first_running.count_down();
                            while (!release.load())
                              std::this_thread::sleep_for(
                                  std::chrono::milliseconds(1));
                            return tx.InsertSession(MakeSession("s-0", "u"));
                          })
                    .ok());
  });
  first_running.wait();
  constexpr int kQueued = 6;
  std::vector<gatehouse::Status> results(kQueued, Ok());
  std::vector<std::string> thrown(kQueued);
  std::vector<std::thread> queued;
  for (int i = 1; i <= kQueued; ++i) {
    queued.emplace_back([&, i] {
      auto write = [&](Tx& tx) -> gatehouse::Status {
        GH_RETURN_IF_ERROR(
            tx.InsertSession(MakeSession("s-" + std::to_string(i), "u")));
        // Member 2 changes its mind after writing; member 4 throws.
        if (i == 2) return MakeError(ErrorCode::kInternal, "changed my mind");
        if (i == 4) throw std::runtime_error("callback threw");
        return Ok();
      };
      try {
        results[i - 1] = store->Run(TxMode::kWrite, write);
      } catch (const std::runtime_error& e) {
        thrown[i - 1] = e.what();
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // all queue
  release = true;
  first.join();
  for (std::thread& t : queued) t.join();

  auto committed = [&](const std::string& id) {
    return store
        ->Run(TxMode::kRead,
              [&](Tx& tx) -> gatehouse::Status {
                GH_RETURN_IF_ERROR(tx.GetSession(id));
                return Ok();
              })
        .ok();
  };
  for (int i = 1; i <= kQueued; ++i) {
    const bool session = committed("s-" + std::to_string(i));
    if (i == 2) {
      EXPECT_EQ(results[i - 1].error().message, "changed my mind");
      EXPECT_FALSE(session) << "its write was rolled back";
    } else if (i == 4) {
      EXPECT_EQ(thrown[i - 1], "callback threw") << "rethrown to its caller";
      EXPECT_FALSE(session) << "its write was rolled back";
    } else {
      EXPECT_TRUE(results[i - 1].ok()) << i;
      EXPECT_TRUE(session) << "member " << i << " committed";
    }
  }
  EXPECT_TRUE(committed("s-0"));
}

}  // namespace
}  // namespace gatehouse
