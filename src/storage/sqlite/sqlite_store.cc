#include "storage/sqlite/sqlite_store.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstdint>
#include <exception>
#include <optional>
#include <string_view>
#include <utility>

#include "storage/migration_bookkeeping.h"
#include "storage/sqlite/sqlite_connection.h"
#include "storage/sqlite/sqlite_helpers.h"
#include "storage/sqlite/sqlite_statement.h"
#include "storage/sqlite/sqlite_transaction.h"
#include "storage/store_errors.h"

namespace gatehouse {
namespace {

using SteadyClock = std::chrono::steady_clock;
using sqlite::AsciiLower;
using sqlite::ClampMillis;
using sqlite::FromSqlite;
using sqlite::NormaliseSynchronous;

// More connections than this only cost file descriptors (see pool_size).
constexpr int kMaxPoolSize = 64;

// --- SQL. Constant text only: values are always bound (see FromSqlite). ---

// Each member of a group commit runs inside this savepoint.
constexpr std::string_view kSavepoint = "SAVEPOINT gatehouse_member";
constexpr std::string_view kReleaseSavepoint = "RELEASE gatehouse_member";
constexpr std::string_view kRollbackToSavepoint =
    "ROLLBACK TO gatehouse_member";
// Members of one group commit at most: bounds how long one transaction
// holds the write lock (each member is a few statements, tens of us).
constexpr size_t kMaxGroupCommit = 32;
constexpr std::string_view kPing = "SELECT count(*) FROM sqlite_schema";

// Audit-only timestamps for rows whose Tx call carries no time: the
// database's clock, in unix milliseconds like every other time column.
#define GH_SQL_NOW_MS \
  "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)"

constexpr std::string_view kCreateMigrationsTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER NOT NULL PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " applied_at INTEGER NOT NULL) STRICT";
constexpr std::string_view kMigrationsTableExists =
    "SELECT 1 FROM sqlite_schema WHERE type = 'table'"
    " AND name = 'schema_migrations'";
constexpr std::string_view kSelectMigrations =
    "SELECT version, name FROM schema_migrations ORDER BY version";
constexpr std::string_view kInsertMigration =
    "INSERT INTO schema_migrations (version, name, applied_at)"
    " VALUES (?, ?, " GH_SQL_NOW_MS ")";
constexpr std::string_view kDeleteMigration =
    "DELETE FROM schema_migrations WHERE version = ?";

#define GH_USER_COLUMNS \
  "id, email, name, role, disabled, password_hash, created_at, updated_at"
constexpr std::string_view kInsertUser =
    "INSERT INTO users (" GH_USER_COLUMNS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
constexpr std::string_view kFindUserByEmail =
    "SELECT " GH_USER_COLUMNS " FROM users WHERE email = ?";
constexpr std::string_view kGetUser =
    "SELECT " GH_USER_COLUMNS " FROM users WHERE id = ?";
constexpr std::string_view kCountUsers = "SELECT count(*) FROM users";
constexpr std::string_view kListUsersFirst =
    "SELECT " GH_USER_COLUMNS " FROM users ORDER BY created_at, id LIMIT ?";
// Keyset pagination: an unknown after_id yields no rows.
constexpr std::string_view kListUsersAfter =
    "SELECT " GH_USER_COLUMNS
    " FROM users WHERE (created_at, id) >"
    " (SELECT created_at, id FROM users WHERE id = ?)"
    " ORDER BY created_at, id LIMIT ?";
constexpr std::string_view kUpdateUser =
    "UPDATE users SET role = ?, name = ?, disabled = ?, password_hash = ?,"
    " updated_at = ? WHERE id = ?";

#define GH_SESSION_COLUMNS                                        \
  "id, user_id, created_at, last_used_at, expires_at, "           \
  "absolute_expires_at, user_agent, ip, generation, revoked_at, " \
  "revoke_reason"
constexpr std::string_view kInsertSession =
    "INSERT INTO sessions (" GH_SESSION_COLUMNS
    ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr std::string_view kGetSession =
    "SELECT " GH_SESSION_COLUMNS " FROM sessions WHERE id = ?";
constexpr std::string_view kSessionExists =
    "SELECT 1 FROM sessions WHERE id = ?";
// Expired at `now`: now >= expires_at or now >= absolute_expires_at.
constexpr std::string_view kListActiveSessions =
    "SELECT " GH_SESSION_COLUMNS
    " FROM sessions WHERE user_id = ? AND revoked_at IS NULL"
    " AND expires_at > ? AND absolute_expires_at > ?"
    " ORDER BY created_at DESC, id DESC";
constexpr std::string_view kUpdateSessionAfterRotation =
    "UPDATE sessions SET generation = ?, last_used_at = ?, expires_at = ?,"
    " user_agent = ?, ip = ? WHERE id = ?";
// The active-sessions gauge; the partial index sessions_live_expires_at
// (0002_audit) answers it without reading the table. Keep the predicate
// spelled as in that index's WHERE clause, or SQLite will not use it.
constexpr std::string_view kCountActiveSessions =
    "SELECT count(*) FROM sessions WHERE revoked_at IS NULL"
    " AND expires_at > ? AND absolute_expires_at > ?";
constexpr std::string_view kRevokeSession =
    "UPDATE sessions SET revoked_at = ?, revoke_reason = ?"
    " WHERE id = ? AND revoked_at IS NULL";
// `id IS NOT ?` with NULL bound (no exception) matches every row.
constexpr std::string_view kRevokeUserSessions =
    "UPDATE sessions SET revoked_at = ?, revoke_reason = ?"
    " WHERE user_id = ? AND revoked_at IS NULL AND id IS NOT ?"
    " RETURNING id";

// The sweep: sessions that ended before ?, oldest first, at most ?. The
// end of a session is the expression indexed by sessions_ended_at
// (0003_session_sweep), spelled exactly as there so SQLite seeks on it.
// Their refresh tokens go with them through the foreign key's ON DELETE
// CASCADE (foreign_keys is ON on every connection).
#define GH_SESSION_END \
  "min(coalesce(revoked_at, expires_at), expires_at, absolute_expires_at)"
constexpr std::string_view kDeleteEndedSessions =
    "DELETE FROM sessions WHERE id IN (SELECT id FROM sessions "
    "WHERE " GH_SESSION_END " < ? ORDER BY " GH_SESSION_END " LIMIT ?)";
#undef GH_SESSION_END

// The change feed; sessions_revoked_at and users_updated_at (0004) make
// each a range seek over the few recent rows. The users are sorted in
// code: an ORDER BY id would make SQLite walk the primary key instead.
constexpr std::string_view kListSessionsRevokedSince =
    "SELECT id, revoked_at FROM sessions"
    " WHERE revoked_at IS NOT NULL AND revoked_at >= ?"
    " ORDER BY revoked_at, id";
constexpr std::string_view kListUsersUpdatedSince =
    "SELECT id FROM users WHERE updated_at >= ?";

#define GH_TOKEN_COLUMNS \
  "token_hash, session_id, generation, issued_at, superseded_at"
constexpr std::string_view kInsertRefreshToken =
    "INSERT INTO refresh_tokens (" GH_TOKEN_COLUMNS ") VALUES (?, ?, ?, ?, ?)";
constexpr std::string_view kFindRefreshToken =
    "SELECT " GH_TOKEN_COLUMNS " FROM refresh_tokens WHERE token_hash = ?";
constexpr std::string_view kRefreshTokenExists =
    "SELECT 1 FROM refresh_tokens WHERE token_hash = ?";
constexpr std::string_view kSupersedeRefreshToken =
    "UPDATE refresh_tokens SET superseded_at = ?"
    " WHERE token_hash = ? AND superseded_at IS NULL";

#define GH_AUDIT_COLUMNS \
  "id, at, type, user_id, session_id, actor_id, ip, user_agent, detail"
constexpr std::string_view kInsertAuditEvent =
    "INSERT INTO audit_events"
    " (at, type, user_id, session_id, actor_id, ip, user_agent, detail)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
// Newest first. Four statements rather than one with "? = '' OR ..." terms,
// which would keep SQLite from seeking: the unfiltered ones walk the
// primary key backwards, the per-user ones audit_events_user_id_id.
constexpr std::string_view kListAuditEvents =
    "SELECT " GH_AUDIT_COLUMNS " FROM audit_events ORDER BY id DESC LIMIT ?";
constexpr std::string_view kListAuditEventsBefore =
    "SELECT " GH_AUDIT_COLUMNS
    " FROM audit_events WHERE id < ? ORDER BY id DESC LIMIT ?";
constexpr std::string_view kListUserAuditEvents =
    "SELECT " GH_AUDIT_COLUMNS
    " FROM audit_events WHERE user_id = ? ORDER BY id DESC LIMIT ?";
constexpr std::string_view kListUserAuditEventsBefore =
    "SELECT " GH_AUDIT_COLUMNS
    " FROM audit_events WHERE user_id = ? AND id < ?"
    " ORDER BY id DESC LIMIT ?";

#define GH_KEY_COLUMNS \
  "kid, alg, public_key, sealed_private_key, created_at, retired_at"
constexpr std::string_view kInsertSigningKey =
    "INSERT INTO signing_keys (" GH_KEY_COLUMNS ") VALUES (?, ?, ?, ?, ?, ?)";
constexpr std::string_view kListSigningKeys =
    "SELECT " GH_KEY_COLUMNS " FROM signing_keys ORDER BY created_at, kid";
constexpr std::string_view kRetireSigningKey =
    "UPDATE signing_keys SET retired_at = ? WHERE kid = ?";

constexpr std::string_view kGetSecret =
    "SELECT sealed_value FROM server_secrets WHERE name = ?";
constexpr std::string_view kInsertSecret =
    "INSERT INTO server_secrets (name, sealed_value, created_at)"
    " VALUES (?, ?, " GH_SQL_NOW_MS ")";

#undef GH_USER_COLUMNS
#undef GH_SESSION_COLUMNS
#undef GH_TOKEN_COLUMNS
#undef GH_AUDIT_COLUMNS
#undef GH_KEY_COLUMNS
#undef GH_SQL_NOW_MS

}  // namespace

// A connection on loan from the pool; gives it back when destroyed.
class SqliteStore::Lease {
 public:
  Lease(SqliteStore* store, std::unique_ptr<SqliteConnection> connection)
      : store_(store), connection_(std::move(connection)) {}
  Lease(Lease&& other) noexcept = default;
  Lease& operator=(Lease&&) = delete;
  ~Lease() {
    if (connection_ != nullptr) store_->Release(std::move(connection_));
  }
  SqliteConnection& operator*() { return *connection_; }
  SqliteConnection* operator->() { return connection_.get(); }

 private:
  SqliteStore* store_;
  std::unique_ptr<SqliteConnection> connection_;
};

// This process's turn to write; ends it when destroyed.
class SqliteStore::WriterTurn {
 public:
  explicit WriterTurn(SqliteStore* store) : store_(store) {}
  WriterTurn(WriterTurn&& other) noexcept
      : store_(std::exchange(other.store_, nullptr)) {}
  WriterTurn& operator=(WriterTurn&&) = delete;
  ~WriterTurn() {
    if (store_ != nullptr) store_->EndWriterTurn();
  }

 private:
  SqliteStore* store_;
};

namespace {

User ReadUser(SqliteStatement& st) {
  User u;
  u.id = st.Text(0);
  u.email = st.Text(1);
  u.name = st.Text(2);
  u.role = st.Text(3);
  u.disabled = st.Int(4) != 0;
  u.password_hash = st.Text(5);
  u.created_at = st.TimeAt(6);
  u.updated_at = st.TimeAt(7);
  return u;
}

Session ReadSession(SqliteStatement& st) {
  Session s;
  s.id = st.Text(0);
  s.user_id = st.Text(1);
  s.created_at = st.TimeAt(2);
  s.last_used_at = st.TimeAt(3);
  s.expires_at = st.TimeAt(4);
  s.absolute_expires_at = st.TimeAt(5);
  s.user_agent = st.Text(6);
  s.ip = st.Text(7);
  s.generation = st.Int(8);
  s.revoked_at = st.OptionalTime(9);
  s.revoke_reason = st.Text(10);
  return s;
}

RefreshTokenRecord ReadToken(SqliteStatement& st) {
  RefreshTokenRecord t;
  t.token_hash = st.Text(0);
  t.session_id = st.Text(1);
  t.generation = st.Int(2);
  t.issued_at = st.TimeAt(3);
  t.superseded_at = st.OptionalTime(4);
  return t;
}

SigningKey ReadKey(SqliteStatement& st) {
  SigningKey k;
  k.kid = st.Text(0);
  k.alg = st.Text(1);
  std::string public_key = st.Blob(2);
  k.public_key.assign(public_key.begin(), public_key.end());
  k.sealed_private_key = st.Blob(3);
  k.created_at = st.TimeAt(4);
  k.retired_at = st.OptionalTime(5);
  return k;
}

AuditEvent ReadAuditEvent(SqliteStatement& st) {
  AuditEvent e;
  e.id = st.Int(0);
  e.at = st.TimeAt(1);
  e.type = st.Text(2);
  e.user_id = st.Text(3);
  e.session_id = st.Text(4);
  e.actor_id = st.Text(5);
  e.ip = st.Text(6);
  e.user_agent = st.Text(7);
  e.detail = st.Text(8);
  return e;
}

class SqliteTx final : public Tx {
 public:
  SqliteTx(SqliteConnection& connection, TxMode mode)
      : connection_(connection), mode_(mode) {}

  // --- users ---
  gatehouse::Status InsertUser(const User& user) override {
    GH_RETURN_IF_ERROR(RequireWrite("InsertUser"));
    GH_ASSIGN_OR_RETURN(SqliteStatement st, Use(kInsertUser, "InsertUser"));
    st.Bind(user.id)
        .Bind(AsciiLower(user.email))
        .Bind(user.name)
        .Bind(user.role)
        .Bind(int64_t{user.disabled ? 1 : 0})
        .Bind(user.password_hash)
        .Bind(user.created_at)
        .Bind(user.updated_at);
    return st.Exec();
  }

  Result<User> FindUserByEmail(std::string_view email) override {
    GH_ASSIGN_OR_RETURN(SqliteStatement st,
                        Use(kFindUserByEmail, "FindUserByEmail"));
    st.Bind(AsciiLower(email));
    GH_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return NotFound("user");
    return ReadUser(st);
  }

  Result<User> GetUser(std::string_view id) override {
    GH_ASSIGN_OR_RETURN(SqliteStatement st, Use(kGetUser, "GetUser"));
    st.Bind(id);
    GH_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return NotFound("user");
    return ReadUser(st);
  }

  Result<int64_t> CountUsers() override {
    GH_ASSIGN_OR_RETURN(SqliteStatement st, Use(kCountUsers, "CountUsers"));
    GH_ASSIGN_OR_RETURN(bool row, st.Step());
    return row ? st.Int(0) : 0;
  }

  Result<std::vector<User>> ListUsers(std::string_view after_id,
                                      int limit) override {
    std::vector<User> users;
    // LIMIT -1 means "no limit" to SQLite; the contract means none.
    if (limit <= 0) return users;
    GH_ASSIGN_OR_RETURN(
        SqliteStatement st,
        Use(after_id.empty() ? kListUsersFirst : kListUsersAfter, "ListUsers"));
    if (!after_id.empty()) st.Bind(after_id);
    st.Bind(int64_t{limit});
    while (true) {
      GH_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) return users;
      users.push_back(ReadUser(st));
    }
  }

  gatehouse::Status UpdateUser(const User& user) override {
    GH_RETURN_IF_ERROR(RequireWrite("UpdateUser"));
    GH_ASSIGN_OR_RETURN(SqliteStatement st, Use(kUpdateUser, "UpdateUser"));
    st.Bind(user.role)
        .Bind(user.name)
        .Bind(int64_t{user.disabled ? 1 : 0})
        .Bind(user.password_hash)
        .Bind(user.updated_at)
        .Bind(user.id);
    GH_RETURN_IF_ERROR(st.Exec());
    if (st.Changes() == 0) return NotFound("user");
    return Ok();
  }

  // --- sessions ---
  gatehouse::Status InsertSession(const Session& s) override {
    GH_RETURN_IF_ERROR(RequireWrite("InsertSession"));
    GH_ASSIGN_OR_RETURN(SqliteStatement st,
                        Use(kInsertSession, "InsertSession"));
    st.Bind(s.id)
        .Bind(s.user_id)
        .Bind(s.created_at)
        .Bind(s.last_used_at)
        .Bind(s.expires_at)
        .Bind(s.absolute_expires_at)
        .Bind(s.user_agent)
        .Bind(s.ip)
        .Bind(s.generation)
        .Bind(s.revoked_at)
        .Bind(s.revoke_reason);
    return st.Exec();
  }

  Result<Session> GetSession(std::string_view id) override {
    GH_ASSIGN_OR_RETURN(SqliteStatement st, Use(kGetSession, "GetSession"));
    st.Bind(id);
    GH_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return NotFound("session");
    return ReadSession(st);
  }

  Result<std::vector<Session>> ListActiveSessions(std::string_view user_id,
                                                  Time now) override {
    GH_ASSIGN_OR_RETURN(SqliteStatement st,
                        Use(kListActiveSessions, "ListActiveSessions"));
    st.Bind(user_id).Bind(now).Bind(now);
    std::vector<Session> sessions;
    while (true) {
      GH_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) return sessions;
      sessions.push_back(ReadSession(st));
    }
  }

  Result<int64_t> CountActiveSessions(Time now) override {
    GH_ASSIGN_OR_RETURN(SqliteStatement st,
                        Use(kCountActiveSessions, "CountActiveSessions"));
    st.Bind(now).Bind(now);
    GH_ASSIGN_OR_RETURN(bool row, st.Step());
    return row ? st.Int(0) : 0;
  }

  gatehouse::Status UpdateSessionAfterRotation(const Session& s) override {
    GH_RETURN_IF_ERROR(RequireWrite("UpdateSessionAfterRotation"));
    GH_ASSIGN_OR_RETURN(SqliteStatement st, Use(kUpdateSessionAfterRotation,
                                                "UpdateSessionAfterRotation"));
    st.Bind(s.generation)
        .Bind(s.last_used_at)
        .Bind(s.expires_at)
        .Bind(s.user_agent)
        .Bind(s.ip)
        .Bind(s.id);
    GH_RETURN_IF_ERROR(st.Exec());
    if (st.Changes() == 0) return NotFound("session");
    return Ok();
  }

  Result<bool> RevokeSession(std::string_view id, Time at,
                             std::string_view reason) override {
    GH_RETURN_IF_ERROR(RequireWrite("RevokeSession"));
    {
      GH_ASSIGN_OR_RETURN(SqliteStatement st,
                          Use(kRevokeSession, "RevokeSession"));
      st.Bind(at).Bind(reason).Bind(id);
      GH_RETURN_IF_ERROR(st.Exec());
      if (st.Changes() == 1) return true;
    }
    return ExistsOrNotFound(kSessionExists, id, "RevokeSession", "session");
  }

  Result<std::vector<std::string>> RevokeUserSessions(
      std::string_view user_id, Time at, std::string_view reason,
      std::optional<std::string_view> except_id) override {
    GH_RETURN_IF_ERROR(RequireWrite("RevokeUserSessions"));
    GH_ASSIGN_OR_RETURN(SqliteStatement st,
                        Use(kRevokeUserSessions, "RevokeUserSessions"));
    st.Bind(at).Bind(reason).Bind(user_id);
    if (except_id.has_value()) {
      st.Bind(*except_id);
    } else {
      st.BindNull();
    }
    std::vector<std::string> ids;
    while (true) {
      GH_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      ids.push_back(st.Text(0));
    }
    // RETURNING gives no order; a stable one makes logs and tests simpler.
    std::sort(ids.begin(), ids.end());
    return ids;
  }

  Result<int> DeleteEndedSessions(Time cutoff, int limit) override {
    GH_RETURN_IF_ERROR(RequireWrite("DeleteEndedSessions"));
    // LIMIT -1 means "no limit" to SQLite; the contract means none.
    if (limit <= 0) return 0;
    GH_ASSIGN_OR_RETURN(SqliteStatement st,
                        Use(kDeleteEndedSessions, "DeleteEndedSessions"));
    st.Bind(cutoff).Bind(int64_t{limit});
    GH_RETURN_IF_ERROR(st.Exec());
    // Counts the sessions only: rows removed by the cascade are not
    // included in sqlite3_changes().
    return static_cast<int>(st.Changes());
  }

  Result<std::vector<RevokedSession>> ListSessionsRevokedSince(
      Time since) override {
    GH_ASSIGN_OR_RETURN(SqliteStatement st, Use(kListSessionsRevokedSince,
                                                "ListSessionsRevokedSince"));
    st.Bind(since);
    std::vector<RevokedSession> revoked;
    while (true) {
      GH_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) return revoked;
      revoked.push_back({st.Text(0), st.TimeAt(1)});
    }
  }

  Result<std::vector<std::string>> ListUsersUpdatedSince(Time since) override {
    GH_ASSIGN_OR_RETURN(SqliteStatement st,
                        Use(kListUsersUpdatedSince, "ListUsersUpdatedSince"));
    st.Bind(since);
    std::vector<std::string> ids;
    while (true) {
      GH_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      ids.push_back(st.Text(0));
    }
    std::sort(ids.begin(), ids.end());
    return ids;
  }

  // --- refresh tokens ---
  gatehouse::Status InsertRefreshToken(const RefreshTokenRecord& t) override {
    GH_RETURN_IF_ERROR(RequireWrite("InsertRefreshToken"));
    GH_ASSIGN_OR_RETURN(SqliteStatement st,
                        Use(kInsertRefreshToken, "InsertRefreshToken"));
    st.Bind(t.token_hash)
        .Bind(t.session_id)
        .Bind(t.generation)
        .Bind(t.issued_at)
        .Bind(t.superseded_at);
    return st.Exec();
  }

  // In a kWrite transaction the whole database is already write-locked
  // (BEGIN IMMEDIATE), which is what keeps this row stable until commit.
  Result<RefreshTokenRecord> FindRefreshToken(
      std::string_view token_hash) override {
    GH_ASSIGN_OR_RETURN(SqliteStatement st,
                        Use(kFindRefreshToken, "FindRefreshToken"));
    st.Bind(token_hash);
    GH_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return NotFound("refresh token");
    return ReadToken(st);
  }

  Result<bool> SupersedeRefreshToken(std::string_view token_hash,
                                     Time at) override {
    GH_RETURN_IF_ERROR(RequireWrite("SupersedeRefreshToken"));
    {
      GH_ASSIGN_OR_RETURN(SqliteStatement st,
                          Use(kSupersedeRefreshToken, "SupersedeRefreshToken"));
      st.Bind(at).Bind(token_hash);
      GH_RETURN_IF_ERROR(st.Exec());
      if (st.Changes() == 1) return true;
    }
    return ExistsOrNotFound(kRefreshTokenExists, token_hash,
                            "SupersedeRefreshToken", "refresh token");
  }

  // --- audit log ---
  // Writers are serialised (BEGIN IMMEDIATE), so ids grow in commit order:
  // an event committed while a reader pages back with before_id is newer
  // than all it reads, never a gap behind it.
  Result<int64_t> InsertAuditEvent(const AuditEvent& e) override {
    GH_RETURN_IF_ERROR(RequireWrite("InsertAuditEvent"));
    GH_ASSIGN_OR_RETURN(SqliteStatement st,
                        Use(kInsertAuditEvent, "InsertAuditEvent"));
    st.Bind(e.at)
        .Bind(e.type)
        .Bind(e.user_id)
        .Bind(e.session_id)
        .Bind(e.actor_id)
        .Bind(e.ip)
        .Bind(e.user_agent)
        .Bind(e.detail);
    GH_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return Internal("sqlite InsertAuditEvent: no id returned");
    const int64_t id = st.Int(0);
    GH_RETURN_IF_ERROR(st.Exec());  // runs the statement to completion
    return id;
  }

  Result<std::vector<AuditEvent>> ListAuditEvents(std::string_view user_id,
                                                  int64_t before_id,
                                                  int limit) override {
    std::vector<AuditEvent> events;
    // LIMIT -1 means "no limit" to SQLite; the contract means none.
    if (limit <= 0) return events;
    const bool by_user = !user_id.empty();
    const bool before = before_id != 0;
    std::string_view sql =
        by_user ? (before ? kListUserAuditEventsBefore : kListUserAuditEvents)
                : (before ? kListAuditEventsBefore : kListAuditEvents);
    GH_ASSIGN_OR_RETURN(SqliteStatement st, Use(sql, "ListAuditEvents"));
    if (by_user) st.Bind(user_id);
    if (before) st.Bind(before_id);
    st.Bind(int64_t{limit});
    while (true) {
      GH_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) return events;
      events.push_back(ReadAuditEvent(st));
    }
  }

  // --- signing keys and server secrets ---
  gatehouse::Status InsertSigningKey(const SigningKey& key) override {
    GH_RETURN_IF_ERROR(RequireWrite("InsertSigningKey"));
    GH_ASSIGN_OR_RETURN(SqliteStatement st,
                        Use(kInsertSigningKey, "InsertSigningKey"));
    st.Bind(key.kid)
        .Bind(key.alg)
        .BindBlob(key.public_key.data(), key.public_key.size())
        .BindBlob(key.sealed_private_key.data(), key.sealed_private_key.size())
        .Bind(key.created_at)
        .Bind(key.retired_at);
    return st.Exec();
  }

  Result<std::vector<SigningKey>> ListSigningKeys() override {
    GH_ASSIGN_OR_RETURN(SqliteStatement st,
                        Use(kListSigningKeys, "ListSigningKeys"));
    std::vector<SigningKey> keys;
    while (true) {
      GH_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) return keys;
      keys.push_back(ReadKey(st));
    }
  }

  gatehouse::Status RetireSigningKey(std::string_view kid, Time at) override {
    GH_RETURN_IF_ERROR(RequireWrite("RetireSigningKey"));
    GH_ASSIGN_OR_RETURN(SqliteStatement st,
                        Use(kRetireSigningKey, "RetireSigningKey"));
    st.Bind(at).Bind(kid);
    GH_RETURN_IF_ERROR(st.Exec());
    if (st.Changes() == 0) return NotFound("signing key");
    return Ok();
  }

  Result<std::string> GetSecret(std::string_view name) override {
    GH_ASSIGN_OR_RETURN(SqliteStatement st, Use(kGetSecret, "GetSecret"));
    st.Bind(name);
    GH_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return NotFound("secret");
    return st.Blob(0);
  }

  gatehouse::Status InsertSecret(std::string_view name,
                                 std::string_view sealed_value) override {
    GH_RETURN_IF_ERROR(RequireWrite("InsertSecret"));
    GH_ASSIGN_OR_RETURN(SqliteStatement st, Use(kInsertSecret, "InsertSecret"));
    st.Bind(name).BindBlob(sealed_value.data(), sealed_value.size());
    return st.Exec();
  }

 private:
  Result<SqliteStatement> Use(std::string_view sql, std::string_view op) {
    return SqliteStatement::Use(connection_, sql, op);
  }

  // A write in a deferred (kRead) transaction would quietly upgrade it,
  // losing the "reads are current" guarantee kWrite gives; refuse instead,
  // so the caller's mistake shows in the first test that reaches it.
  gatehouse::Status RequireWrite(std::string_view op) const {
    if (mode_ == TxMode::kWrite) return Ok();
    return Internal("sqlite " + std::string(op) +
                    ": write in a kRead transaction");
  }

  // After a conditional UPDATE changed nothing: false if the row exists,
  // kNotFound if not.
  Result<bool> ExistsOrNotFound(std::string_view sql, std::string_view key,
                                std::string_view op, std::string_view what) {
    GH_ASSIGN_OR_RETURN(SqliteStatement st, Use(sql, op));
    st.Bind(key);
    GH_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return NotFound(what);
    return false;
  }

  SqliteConnection& connection_;
  const TxMode mode_;
};

// Migration bookkeeping: version -> recorded name.
Result<AppliedMigrations> ReadAppliedMigrations(SqliteConnection& connection) {
  AppliedMigrations applied;
  {
    GH_ASSIGN_OR_RETURN(
        SqliteStatement exists,
        SqliteStatement::Use(connection, kMigrationsTableExists, "migrations"));
    GH_ASSIGN_OR_RETURN(bool has_table, exists.Step());
    if (!has_table) return applied;
  }
  GH_ASSIGN_OR_RETURN(
      SqliteStatement st,
      SqliteStatement::Use(connection, kSelectMigrations, "migrations"));
  while (true) {
    GH_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return applied;
    applied.emplace(static_cast<int>(st.Int(0)), st.Text(1));
  }
}

}  // namespace

SqliteStore::SqliteStore(const SqliteOptions& options) : options_(options) {}

SqliteStore::~SqliteStore() = default;

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(
    const SqliteOptions& options) {
  if (options.path.empty() || options.path == ":memory:") {
    return MakeError(ErrorCode::kValidationFailed,
                     "sqlite path: must name a database file");
  }
  if (options.pool_size < 1 || options.pool_size > kMaxPoolSize) {
    return MakeError(ErrorCode::kValidationFailed,
                     "sqlite pool_size: must be between 1 and " +
                         std::to_string(kMaxPoolSize));
  }
  if (options.busy_timeout < Duration::zero()) {
    return MakeError(ErrorCode::kValidationFailed,
                     "sqlite busy_timeout: must not be negative");
  }
  std::optional<std::string> synchronous =
      NormaliseSynchronous(options.synchronous);
  if (!synchronous.has_value()) {
    return MakeError(ErrorCode::kValidationFailed,
                     "sqlite synchronous: must be OFF, NORMAL, FULL or EXTRA");
  }
  for (size_t i = 0; i < options.migrations.size(); ++i) {
    if (options.migrations[i].version != static_cast<int>(i) + 1) {
      return Internal("sqlite: migrations must be numbered 1, 2, 3, ...");
    }
  }

  auto store = std::unique_ptr<SqliteStore>(new SqliteStore(options));
  for (int i = 0; i < options.pool_size; ++i) {
    GH_ASSIGN_OR_RETURN(
        std::unique_ptr<SqliteConnection> connection,
        SqliteConnection::Open(options, *synchronous, /*set_wal=*/i == 0));
    store->idle_.push_back(std::move(connection));
  }
  return store;
}

Result<SqliteStore::Lease> SqliteStore::Acquire(SteadyTime deadline) {
  std::unique_lock lock(pool_mu_);
  if (!pool_cv_.wait_until(lock, deadline, [&] { return !idle_.empty(); })) {
    return Unavailable(
        "sqlite: no free connection within busy_timeout (pool exhausted)");
  }
  std::unique_ptr<SqliteConnection> connection = std::move(idle_.back());
  idle_.pop_back();
  return Lease(this, std::move(connection));
}

void SqliteStore::Release(std::unique_ptr<SqliteConnection> connection) {
  {
    std::lock_guard lock(pool_mu_);
    idle_.push_back(std::move(connection));
  }
  pool_cv_.notify_one();
}

Result<SqliteStore::WriterTurn> SqliteStore::AwaitWriterTurn(
    SteadyTime deadline) {
  std::unique_lock lock(write_mu_);
  if (!write_cv_.wait_until(lock, deadline, [&] { return !writing_; })) {
    return Unavailable(
        "sqlite: another write held the lock for longer than "
        "busy_timeout");
  }
  writing_ = true;
  return WriterTurn(this);
}

void SqliteStore::EndWriterTurn() {
  {
    std::lock_guard lock(write_mu_);
    writing_ = false;
  }
  // All: queued group-commit callers wait here too (see RunWrite).
  write_cv_.notify_all();
}

// One write transaction waiting for, or inside, a group commit.
struct SqliteStore::PendingWrite {
  const std::function<gatehouse::Status(Tx&)>* fn = nullptr;
  // Set, under write_mu_, when its group has ended.
  std::optional<gatehouse::Status> result;
  // Thrown by fn on the leader's thread; rethrown on the caller's.
  std::exception_ptr exception;
  // Taken into a group: from then on its caller must wait for the end,
  // since fn (on the caller's stack) is in use.
  bool taken = false;
};

gatehouse::Status SqliteStore::Run(
    TxMode mode, const std::function<gatehouse::Status(Tx&)>& fn) {
  const SteadyTime deadline = SteadyClock::now() + options_.busy_timeout;
  if (mode == TxMode::kWrite) return RunWrite(fn, deadline);
  GH_ASSIGN_OR_RETURN(Lease connection, Acquire(deadline));
  GH_ASSIGN_OR_RETURN(SqliteTransaction txn,
                      SqliteTransaction::Begin(*connection, mode, deadline));
  SqliteTx tx(*connection, mode);
  gatehouse::Status result = fn(tx);
  if (!result.ok()) return result;  // ~SqliteTransaction rolls back
  return txn.Commit();
}

gatehouse::Status SqliteStore::RunWrite(
    const std::function<gatehouse::Status(Tx&)>& fn, SteadyTime deadline) {
  PendingWrite me;
  me.fn = &fn;
  std::unique_lock lock(write_mu_);
  write_queue_.push_back(&me);
  while (!me.result) {
    if (!writing_ && !me.taken && write_queue_.front() == &me) {
      // This caller leads the next group: everything queued so far.
      std::vector<PendingWrite*> group;
      while (!write_queue_.empty() && group.size() < kMaxGroupCommit) {
        group.push_back(write_queue_.front());
        group.back()->taken = true;
        write_queue_.pop_front();
      }
      writing_ = true;
      lock.unlock();
      try {
        CommitGroup(group, deadline);
      } catch (...) {
        // Out of memory or the like around the callbacks: nobody may be
        // left waiting for a result, nor the writer turn left taken.
        std::lock_guard failed(write_mu_);
        for (PendingWrite* member : group) {
          if (!member->result) {
            member->result = Internal("sqlite: group commit failed");
          }
        }
      }
      lock.lock();
      writing_ = false;
      write_cv_.notify_all();
      break;
    }
    if (me.taken) {
      write_cv_.wait(lock);  // the leader's own deadline bounds this
    } else if (write_cv_.wait_until(lock, deadline) ==
                   std::cv_status::timeout &&
               !me.taken && !me.result) {
      write_queue_.erase(
          std::find(write_queue_.begin(), write_queue_.end(), &me));
      write_cv_.notify_all();  // the front may have changed
      return Unavailable(
          "sqlite: another write held the lock for longer than "
          "busy_timeout");
    }
  }
  if (me.exception) std::rethrow_exception(me.exception);
  return *std::move(me.result);
}

void SqliteStore::CommitGroup(const std::vector<PendingWrite*>& group,
                              SteadyTime deadline) {
  // Results are published under write_mu_, which the waiting callers read.
  auto finish = [&](const std::vector<std::optional<gatehouse::Status>>& own,
                    const gatehouse::Status& commit) {
    std::lock_guard lock(write_mu_);
    for (size_t i = 0; i < group.size(); ++i) {
      group[i]->result = own[i].has_value() ? *own[i] : commit;
    }
  };
  std::vector<std::optional<gatehouse::Status>> own(group.size());
  auto lease = Acquire(deadline);
  if (!lease.ok()) return finish(own, lease.error());
  SqliteConnection& connection = **lease;
  auto txn = SqliteTransaction::Begin(connection, TxMode::kWrite, deadline);
  if (!txn.ok()) return finish(own, txn.error());

  // A group of one needs no savepoint: its transaction is its own.
  const bool alone = group.size() == 1;
  for (size_t i = 0; i < group.size(); ++i) {
    if (!alone) {
      gatehouse::Status opened =
          ExecCached(connection, kSavepoint, "SAVEPOINT");
      if (!opened.ok()) return finish(own, opened);
    }
    SqliteTx tx(connection, TxMode::kWrite);
    gatehouse::Status result = Ok();
    try {
      result = (*group[i]->fn)(tx);
    } catch (...) {
      group[i]->exception = std::current_exception();
      result = Internal("sqlite: the transaction callback threw");
    }
    if (sqlite3_get_autocommit(connection.db()) != 0) {
      // SQLite itself ended the transaction (a busy, full-disk or I/O
      // error): every member so far is gone with it.
      return finish(own, FromSqlite(connection.last_failure() != SQLITE_OK
                                        ? connection.last_failure()
                                        : SQLITE_ERROR,
                                    "group commit",
                                    "the database rolled the transaction back "
                                    "after an error"));
    }
    if (!result.ok()) {
      own[i] = result;
      if (alone) return finish(own, result);  // ~SqliteTransaction rolls back
      gatehouse::Status undone =
          ExecCached(connection, kRollbackToSavepoint, "ROLLBACK TO");
      if (!undone.ok()) return finish(own, undone);
    }
    if (!alone) {
      gatehouse::Status released =
          ExecCached(connection, kReleaseSavepoint, "RELEASE");
      if (!released.ok()) return finish(own, released);
    }
  }
  finish(own, txn->Commit());
}

gatehouse::Status SqliteStore::Ping() {
  const SteadyTime deadline = SteadyClock::now() + options_.busy_timeout;
  GH_ASSIGN_OR_RETURN(Lease connection, Acquire(deadline));
  GH_ASSIGN_OR_RETURN(SqliteStatement st,
                      SqliteStatement::Use(*connection, kPing, "Ping"));
  gatehouse::Status done = st.Exec();
  if (!done.ok()) {
    Error e = std::move(done).error();
    // Whatever stops a trivial read means "not reachable" to a probe.
    return Unavailable(std::move(e.message));
  }
  return Ok();
}

Result<std::vector<int>> SqliteStore::Up() {
  const SteadyTime deadline = SteadyClock::now() + options_.busy_timeout;
  GH_ASSIGN_OR_RETURN(WriterTurn writer, AwaitWriterTurn(deadline));
  GH_ASSIGN_OR_RETURN(Lease connection, Acquire(deadline));
  GH_RETURN_IF_ERROR(ExecCached(*connection, kCreateMigrationsTable,
                                "create schema_migrations"));

  std::vector<int> applied_now;
  for (const Migration& m : options_.migrations) {
    const std::string label = MigrationLabel(m.version, m.name);
    GH_ASSIGN_OR_RETURN(
        SqliteTransaction txn,
        SqliteTransaction::Begin(*connection, TxMode::kWrite,
                                 SteadyClock::now() + options_.busy_timeout));
    // Read inside the write transaction: another process may have applied
    // this migration since the previous one.
    GH_ASSIGN_OR_RETURN(auto applied, ReadAppliedMigrations(*connection));
    GH_ASSIGN_OR_RETURN(bool done,
                        IsApplied("sqlite", applied, options_.migrations, m));
    if (done) continue;  // ~SqliteTransaction ends the read-only transaction
    GH_RETURN_IF_ERROR(connection->ExecScript(m.up, "migration " + label));
    {
      GH_ASSIGN_OR_RETURN(SqliteStatement st,
                          SqliteStatement::Use(*connection, kInsertMigration,
                                               "record migration"));
      st.Bind(int64_t{m.version}).Bind(m.name);
      GH_RETURN_IF_ERROR(st.Exec());
    }
    GH_RETURN_IF_ERROR(txn.Commit());
    applied_now.push_back(m.version);
  }
  return applied_now;
}

Result<int> SqliteStore::Down() {
  const SteadyTime deadline = SteadyClock::now() + options_.busy_timeout;
  GH_ASSIGN_OR_RETURN(WriterTurn writer, AwaitWriterTurn(deadline));
  GH_ASSIGN_OR_RETURN(Lease connection, Acquire(deadline));
  GH_ASSIGN_OR_RETURN(
      SqliteTransaction txn,
      SqliteTransaction::Begin(*connection, TxMode::kWrite, deadline));
  GH_ASSIGN_OR_RETURN(auto applied, ReadAppliedMigrations(*connection));
  GH_ASSIGN_OR_RETURN(const Migration* migration,
                      NewestApplied("sqlite", applied, options_.migrations));
  const int version = migration->version;
  GH_RETURN_IF_ERROR(connection->ExecScript(
      migration->down,
      "revert migration " + MigrationLabel(version, migration->name)));
  {
    GH_ASSIGN_OR_RETURN(SqliteStatement st,
                        SqliteStatement::Use(*connection, kDeleteMigration,
                                             "unrecord migration"));
    st.Bind(int64_t{version});
    GH_RETURN_IF_ERROR(st.Exec());
  }
  GH_RETURN_IF_ERROR(txn.Commit());
  return version;
}

Result<std::vector<MigrationStatus>> SqliteStore::ListMigrations() {
  const SteadyTime deadline = SteadyClock::now() + options_.busy_timeout;
  GH_ASSIGN_OR_RETURN(Lease connection, Acquire(deadline));
  GH_ASSIGN_OR_RETURN(
      SqliteTransaction txn,
      SqliteTransaction::Begin(*connection, TxMode::kRead, deadline));
  GH_ASSIGN_OR_RETURN(auto applied, ReadAppliedMigrations(*connection));
  std::vector<MigrationStatus> statuses =
      MigrationStatuses(options_.migrations, std::move(applied));
  GH_RETURN_IF_ERROR(txn.Commit());
  return statuses;
}

}  // namespace gatehouse
