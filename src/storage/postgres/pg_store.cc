#include "storage/postgres/pg_store.h"

#include <libpq-fe.h>

#include <algorithm>
#include <random>
#include <string_view>
#include <thread>
#include <utility>

#include "storage/migration_bookkeeping.h"
#include "storage/postgres/pg_connection.h"
#include "storage/postgres/pg_statement.h"
#include "storage/postgres/pg_transaction.h"
#include "storage/store_errors.h"

namespace gatehouse {
namespace {

using SteadyClock = std::chrono::steady_clock;
using SteadyTime = SteadyClock::time_point;
using pg::Classify;
using pg::kBeginRead;
using pg::kBeginWrite;
using pg::kLockAuditLog;
using pg::kLockMigrations;
using pg::StatusOf;
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
std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// --- SQL. Constant text only: values are always bound parameters. ---

constexpr std::string_view kSavepoint = "SAVEPOINT gh_statement";
constexpr std::string_view kReleaseSavepoint = "RELEASE SAVEPOINT gh_statement";
constexpr std::string_view kRollbackToSavepoint =
    "ROLLBACK TO SAVEPOINT gh_statement";
constexpr std::string_view kPing = "SELECT 1";

constexpr std::string_view kNoStatementTimeout =
    "SET LOCAL statement_timeout = 0";
constexpr std::string_view kCreateMigrationsTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version integer NOT NULL PRIMARY KEY,"
    " name text NOT NULL,"
    " applied_at timestamptz NOT NULL DEFAULT now())";
constexpr std::string_view kMigrationsTableExists =
    "SELECT to_regclass('schema_migrations') IS NOT NULL";
constexpr std::string_view kSelectMigrations =
    "SELECT version, name FROM schema_migrations ORDER BY version";
constexpr std::string_view kInsertMigration =
    "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)";
constexpr std::string_view kDeleteMigration =
    "DELETE FROM schema_migrations WHERE version = $1";

#define GH_USER_COLUMNS \
  "id, email, name, role, disabled, password_hash, created_at, updated_at"
constexpr std::string_view kInsertUser =
    "INSERT INTO users (" GH_USER_COLUMNS
    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
constexpr std::string_view kFindUserByEmail =
    "SELECT " GH_USER_COLUMNS " FROM users WHERE email = $1";
constexpr std::string_view kGetUser =
    "SELECT " GH_USER_COLUMNS " FROM users WHERE id = $1";
constexpr std::string_view kCountUsers = "SELECT count(*) FROM users";
constexpr std::string_view kListUsersFirst =
    "SELECT " GH_USER_COLUMNS " FROM users ORDER BY created_at, id LIMIT $1";
// Keyset pagination: an unknown after_id yields no rows (the row
// comparison with NULL is not true).
constexpr std::string_view kListUsersAfter =
    "SELECT " GH_USER_COLUMNS
    " FROM users WHERE (created_at, id) >"
    " (SELECT created_at, id FROM users WHERE id = $1)"
    " ORDER BY created_at, id LIMIT $2";
constexpr std::string_view kUpdateUser =
    "UPDATE users SET role = $1, name = $2, disabled = $3,"
    " password_hash = $4, updated_at = $5 WHERE id = $6";

#define GH_SESSION_COLUMNS                                        \
  "id, user_id, created_at, last_used_at, expires_at, "           \
  "absolute_expires_at, user_agent, ip, generation, revoked_at, " \
  "revoke_reason"
constexpr std::string_view kInsertSession =
    "INSERT INTO sessions (" GH_SESSION_COLUMNS
    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
constexpr std::string_view kGetSession =
    "SELECT " GH_SESSION_COLUMNS " FROM sessions WHERE id = $1";
constexpr std::string_view kSessionExists =
    "SELECT 1 FROM sessions WHERE id = $1";
// Expired at `now`: now >= expires_at or now >= absolute_expires_at.
constexpr std::string_view kListActiveSessions =
    "SELECT " GH_SESSION_COLUMNS
    " FROM sessions WHERE user_id = $1 AND revoked_at IS NULL"
    " AND expires_at > $2 AND absolute_expires_at > $2"
    " ORDER BY created_at DESC, id DESC";
// The active-sessions gauge; `revoked_at IS NULL` lets the planner use the
// partial index sessions_live_expires_at (0002_audit).
constexpr std::string_view kCountActiveSessions =
    "SELECT count(*) FROM sessions WHERE revoked_at IS NULL"
    " AND expires_at > $1 AND absolute_expires_at > $1";
constexpr std::string_view kUpdateSessionAfterRotation =
    "UPDATE sessions SET generation = $1, last_used_at = $2,"
    " expires_at = $3, user_agent = $4, ip = $5 WHERE id = $6";
constexpr std::string_view kRevokeSession =
    "UPDATE sessions SET revoked_at = $1, revoke_reason = $2"
    " WHERE id = $3 AND revoked_at IS NULL";
// `IS DISTINCT FROM` a NULL (no exception) is true for every row.
constexpr std::string_view kRevokeUserSessions =
    "UPDATE sessions SET revoked_at = $1, revoke_reason = $2"
    " WHERE user_id = $3 AND revoked_at IS NULL AND id IS DISTINCT FROM $4"
    " RETURNING id";
// The sweep. The end of a session is the expression indexed by
// sessions_ended_at (0003_session_sweep), spelled exactly as there, so the
// batch is read from that index in order. SKIP LOCKED: a session another
// transaction holds (two instances sweeping at once, a rotation in
// flight) is left for the next batch instead of waiting for it. The ids
// go through an array, so the DELETE finds each row by primary key
// whatever the planner thinks of the batch's size (a join there may scan
// the table). The refresh tokens go with their sessions through the
// foreign key's ON DELETE CASCADE.
#define GH_SESSION_END "LEAST(revoked_at, expires_at, absolute_expires_at)"
constexpr std::string_view kDeleteEndedSessions =
    "DELETE FROM sessions WHERE id = ANY (ARRAY("
    "SELECT id FROM sessions WHERE " GH_SESSION_END
    " < $1 ORDER BY " GH_SESSION_END " LIMIT $2 FOR UPDATE SKIP LOCKED))";
#undef GH_SESSION_END

// The change feed; sessions_revoked_at and users_updated_at (0004) make
// each a range scan over the few recent rows.
constexpr std::string_view kListSessionsRevokedSince =
    "SELECT id, revoked_at FROM sessions"
    " WHERE revoked_at IS NOT NULL AND revoked_at >= $1"
    " ORDER BY revoked_at, id";
constexpr std::string_view kListUsersUpdatedSince =
    "SELECT id FROM users WHERE updated_at >= $1";

#define GH_TOKEN_COLUMNS \
  "token_hash, session_id, generation, issued_at, superseded_at"
constexpr std::string_view kInsertRefreshToken =
    "INSERT INTO refresh_tokens (" GH_TOKEN_COLUMNS
    ") VALUES ($1, $2, $3, $4, $5)";
constexpr std::string_view kFindRefreshToken =
    "SELECT " GH_TOKEN_COLUMNS " FROM refresh_tokens WHERE token_hash = $1";
// In a kWrite transaction: the row stays locked until the end, so a second
// rotation of the same token waits here and then reads the first one's
// committed result (superseded), exactly as SQLite's BEGIN IMMEDIATE.
constexpr std::string_view kFindRefreshTokenForUpdate =
    "SELECT " GH_TOKEN_COLUMNS
    " FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE";
constexpr std::string_view kRefreshTokenExists =
    "SELECT 1 FROM refresh_tokens WHERE token_hash = $1";
constexpr std::string_view kSupersedeRefreshToken =
    "UPDATE refresh_tokens SET superseded_at = $1"
    " WHERE token_hash = $2 AND superseded_at IS NULL";

#define GH_AUDIT_COLUMNS \
  "id, at, type, user_id, session_id, actor_id, ip, user_agent, detail"
constexpr std::string_view kInsertAuditEvent =
    "INSERT INTO audit_events"
    " (at, type, user_id, session_id, actor_id, ip, user_agent, detail)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";
// Newest first. Four statements rather than one with "$1 = '' OR ..."
// terms, so each has a plan that seeks: the unfiltered ones walk the
// primary key backwards, the per-user ones audit_events_user_id_id.
constexpr std::string_view kListAuditEvents =
    "SELECT " GH_AUDIT_COLUMNS " FROM audit_events ORDER BY id DESC LIMIT $1";
constexpr std::string_view kListAuditEventsBefore =
    "SELECT " GH_AUDIT_COLUMNS
    " FROM audit_events WHERE id < $1 ORDER BY id DESC LIMIT $2";
constexpr std::string_view kListUserAuditEvents =
    "SELECT " GH_AUDIT_COLUMNS
    " FROM audit_events WHERE user_id = $1 ORDER BY id DESC LIMIT $2";
constexpr std::string_view kListUserAuditEventsBefore =
    "SELECT " GH_AUDIT_COLUMNS
    " FROM audit_events WHERE user_id = $1 AND id < $2"
    " ORDER BY id DESC LIMIT $3";

#define GH_KEY_COLUMNS \
  "kid, alg, public_key, sealed_private_key, created_at, retired_at"
constexpr std::string_view kInsertSigningKey =
    "INSERT INTO signing_keys (" GH_KEY_COLUMNS
    ") VALUES ($1, $2, $3, $4, $5, $6)";
constexpr std::string_view kListSigningKeys =
    "SELECT " GH_KEY_COLUMNS " FROM signing_keys ORDER BY created_at, kid";
constexpr std::string_view kRetireSigningKey =
    "UPDATE signing_keys SET retired_at = $1 WHERE kid = $2";

constexpr std::string_view kGetSecret =
    "SELECT sealed_value FROM server_secrets WHERE name = $1";
// created_at takes the database's clock (column default): audit only.
constexpr std::string_view kInsertSecret =
    "INSERT INTO server_secrets (name, sealed_value) VALUES ($1, $2)";

#undef GH_USER_COLUMNS
#undef GH_SESSION_COLUMNS
#undef GH_TOKEN_COLUMNS
#undef GH_AUDIT_COLUMNS
#undef GH_KEY_COLUMNS

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

namespace {

User ReadUser(PgRows& rows, int r) {
  User u;
  u.id = rows.Text(r, 0);
  u.email = rows.Text(r, 1);
  u.name = rows.Text(r, 2);
  u.role = rows.Text(r, 3);
  u.disabled = rows.Bool(r, 4);
  u.password_hash = rows.Text(r, 5);
  u.created_at = rows.At(r, 6);
  u.updated_at = rows.At(r, 7);
  return u;
}

Session ReadSession(PgRows& rows, int r) {
  Session s;
  s.id = rows.Text(r, 0);
  s.user_id = rows.Text(r, 1);
  s.created_at = rows.At(r, 2);
  s.last_used_at = rows.At(r, 3);
  s.expires_at = rows.At(r, 4);
  s.absolute_expires_at = rows.At(r, 5);
  s.user_agent = rows.Text(r, 6);
  s.ip = rows.Text(r, 7);
  s.generation = rows.Int(r, 8);
  s.revoked_at = rows.OptionalAt(r, 9);
  s.revoke_reason = rows.Text(r, 10);
  return s;
}

RefreshTokenRecord ReadToken(PgRows& rows, int r) {
  RefreshTokenRecord t;
  t.token_hash = rows.Text(r, 0);
  t.session_id = rows.Text(r, 1);
  t.generation = rows.Int(r, 2);
  t.issued_at = rows.At(r, 3);
  t.superseded_at = rows.OptionalAt(r, 4);
  return t;
}

SigningKey ReadKey(PgRows& rows, int r) {
  SigningKey k;
  k.kid = rows.Text(r, 0);
  k.alg = rows.Text(r, 1);
  std::string public_key = rows.Text(r, 2);
  k.public_key.assign(public_key.begin(), public_key.end());
  k.sealed_private_key = rows.Text(r, 3);
  k.created_at = rows.At(r, 4);
  k.retired_at = rows.OptionalAt(r, 5);
  return k;
}

AuditEvent ReadAuditEvent(PgRows& rows, int r) {
  AuditEvent e;
  e.id = rows.Int(r, 0);
  e.at = rows.At(r, 1);
  e.type = rows.Text(r, 2);
  e.user_id = rows.Text(r, 3);
  e.session_id = rows.Text(r, 4);
  e.actor_id = rows.Text(r, 5);
  e.ip = rows.Text(r, 6);
  e.user_agent = rows.Text(r, 7);
  e.detail = rows.Text(r, 8);
  return e;
}

// Every row through `read`, or kInternal if a column was malformed.
template <class T>
Result<std::vector<T>> ReadAll(PgRows& rows, T (*read)(PgRows&, int),
                               std::string_view op) {
  std::vector<T> out;
  out.reserve(static_cast<size_t>(rows.size()));
  for (int r = 0; r < rows.size(); ++r) out.push_back(read(rows, r));
  if (!rows.malformed().empty()) {
    return Internal("postgres " + std::string(op) + ": " + rows.malformed());
  }
  return out;
}

// The one row of `rows` through `read`, or kNotFound naming `what`.
template <class T>
Result<T> ReadOne(PgRows& rows, T (*read)(PgRows&, int), std::string_view op,
                  std::string_view what) {
  if (rows.size() == 0) return NotFound(what);
  T value = read(rows, 0);
  if (!rows.malformed().empty()) {
    return Internal("postgres " + std::string(op) + ": " + rows.malformed());
  }
  return value;
}

Result<int64_t> ReadCount(PgRows& rows, std::string_view op) {
  if (rows.size() != 1)
    return Internal("postgres " + std::string(op) + ": no row");
  const int64_t n = rows.Int(0, 0);
  if (!rows.malformed().empty()) {
    return Internal("postgres " + std::string(op) + ": " + rows.malformed());
  }
  return n;
}

class PgTx final : public Tx {
 public:
  PgTx(PgConnection& connection, TxMode mode)
      : connection_(connection), mode_(mode) {}

  // The error that aborted the transaction, if one did (the callback may
  // have ignored it); the transaction can then only roll back.
  const std::optional<Error>& failure() const { return failure_; }
  // PostgreSQL aborted the transaction to break a deadlock or because it
  // could not serialise it: running the callback again may succeed.
  bool retry() const { return retry_; }

  // --- users ---
  gatehouse::Status InsertUser(const User& user) override {
    GH_RETURN_IF_ERROR(RequireWrite("InsertUser"));
    PgParams p;
    p.Text(user.id)
        .Text(AsciiLower(user.email))
        .Text(user.name)
        .Text(user.role)
        .Bool(user.disabled)
        .Text(user.password_hash)
        .At(user.created_at)
        .At(user.updated_at);
    return StatusOf(Guarded(kInsertUser, p, "InsertUser"));
  }

  Result<User> FindUserByEmail(std::string_view email) override {
    PgParams p;
    p.Text(AsciiLower(email));
    GH_ASSIGN_OR_RETURN(PgRows rows,
                        Exec(kFindUserByEmail, p, "FindUserByEmail"));
    return ReadOne(rows, &ReadUser, "FindUserByEmail", "user");
  }

  Result<User> GetUser(std::string_view id) override {
    PgParams p;
    p.Text(id);
    GH_ASSIGN_OR_RETURN(PgRows rows, Exec(kGetUser, p, "GetUser"));
    return ReadOne(rows, &ReadUser, "GetUser", "user");
  }

  Result<int64_t> CountUsers() override {
    GH_ASSIGN_OR_RETURN(PgRows rows,
                        Exec(kCountUsers, PgParams(), "CountUsers"));
    return ReadCount(rows, "CountUsers");
  }

  Result<std::vector<User>> ListUsers(std::string_view after_id,
                                      int limit) override {
    if (limit <= 0) return std::vector<User>();
    PgParams p;
    if (!after_id.empty()) p.Text(after_id);
    p.Int(limit);
    GH_ASSIGN_OR_RETURN(
        PgRows rows, Exec(after_id.empty() ? kListUsersFirst : kListUsersAfter,
                          p, "ListUsers"));
    return ReadAll(rows, &ReadUser, "ListUsers");
  }

  gatehouse::Status UpdateUser(const User& user) override {
    GH_RETURN_IF_ERROR(RequireWrite("UpdateUser"));
    PgParams p;
    p.Text(user.role)
        .Text(user.name)
        .Bool(user.disabled)
        .Text(user.password_hash)
        .At(user.updated_at)
        .Text(user.id);
    GH_ASSIGN_OR_RETURN(PgRows rows, Exec(kUpdateUser, p, "UpdateUser"));
    if (rows.affected() == 0) return NotFound("user");
    return Ok();
  }

  // --- sessions ---
  gatehouse::Status InsertSession(const Session& s) override {
    GH_RETURN_IF_ERROR(RequireWrite("InsertSession"));
    PgParams p;
    p.Text(s.id)
        .Text(s.user_id)
        .At(s.created_at)
        .At(s.last_used_at)
        .At(s.expires_at)
        .At(s.absolute_expires_at)
        .HeaderText(s.user_agent)
        .HeaderText(s.ip)
        .Int(s.generation)
        .At(s.revoked_at)
        .Text(s.revoke_reason);
    return StatusOf(Guarded(kInsertSession, p, "InsertSession"));
  }

  Result<Session> GetSession(std::string_view id) override {
    PgParams p;
    p.Text(id);
    GH_ASSIGN_OR_RETURN(PgRows rows, Exec(kGetSession, p, "GetSession"));
    return ReadOne(rows, &ReadSession, "GetSession", "session");
  }

  Result<std::vector<Session>> ListActiveSessions(std::string_view user_id,
                                                  Time now) override {
    PgParams p;
    p.Text(user_id).At(now);
    GH_ASSIGN_OR_RETURN(PgRows rows,
                        Exec(kListActiveSessions, p, "ListActiveSessions"));
    return ReadAll(rows, &ReadSession, "ListActiveSessions");
  }

  Result<int64_t> CountActiveSessions(Time now) override {
    PgParams p;
    p.At(now);
    GH_ASSIGN_OR_RETURN(PgRows rows,
                        Exec(kCountActiveSessions, p, "CountActiveSessions"));
    return ReadCount(rows, "CountActiveSessions");
  }

  gatehouse::Status UpdateSessionAfterRotation(const Session& s) override {
    GH_RETURN_IF_ERROR(RequireWrite("UpdateSessionAfterRotation"));
    PgParams p;
    p.Int(s.generation)
        .At(s.last_used_at)
        .At(s.expires_at)
        .HeaderText(s.user_agent)
        .HeaderText(s.ip)
        .Text(s.id);
    GH_ASSIGN_OR_RETURN(PgRows rows, Exec(kUpdateSessionAfterRotation, p,
                                          "UpdateSessionAfterRotation"));
    if (rows.affected() == 0) return NotFound("session");
    return Ok();
  }

  Result<bool> RevokeSession(std::string_view id, Time at,
                             std::string_view reason) override {
    GH_RETURN_IF_ERROR(RequireWrite("RevokeSession"));
    PgParams p;
    p.At(at).Text(reason).Text(id);
    GH_ASSIGN_OR_RETURN(PgRows rows, Exec(kRevokeSession, p, "RevokeSession"));
    if (rows.affected() == 1) return true;
    return ExistsOrNotFound(kSessionExists, id, "RevokeSession", "session");
  }

  Result<std::vector<std::string>> RevokeUserSessions(
      std::string_view user_id, Time at, std::string_view reason,
      std::optional<std::string_view> except_id) override {
    GH_RETURN_IF_ERROR(RequireWrite("RevokeUserSessions"));
    PgParams p;
    p.At(at).Text(reason).Text(user_id);
    if (except_id.has_value()) {
      p.Text(*except_id);
    } else {
      p.NullText();
    }
    GH_ASSIGN_OR_RETURN(PgRows rows,
                        Exec(kRevokeUserSessions, p, "RevokeUserSessions"));
    std::vector<std::string> ids;
    for (int r = 0; r < rows.size(); ++r) ids.push_back(rows.Text(r, 0));
    if (!rows.malformed().empty()) {
      return Internal("postgres RevokeUserSessions: " + rows.malformed());
    }
    // RETURNING gives no order; a stable one makes logs and tests simpler.
    std::sort(ids.begin(), ids.end());
    return ids;
  }

  Result<int> DeleteEndedSessions(Time cutoff, int limit) override {
    GH_RETURN_IF_ERROR(RequireWrite("DeleteEndedSessions"));
    if (limit <= 0) return 0;
    PgParams p;
    p.At(cutoff).Int(limit);
    GH_ASSIGN_OR_RETURN(PgRows rows,
                        Exec(kDeleteEndedSessions, p, "DeleteEndedSessions"));
    // The command tag counts the sessions only, not the cascaded tokens.
    return static_cast<int>(rows.affected());
  }

  Result<std::vector<RevokedSession>> ListSessionsRevokedSince(
      Time since) override {
    PgParams p;
    p.At(since);
    GH_ASSIGN_OR_RETURN(PgRows rows, Exec(kListSessionsRevokedSince, p,
                                          "ListSessionsRevokedSince"));
    std::vector<RevokedSession> revoked;
    for (int r = 0; r < rows.size(); ++r) {
      revoked.push_back({rows.Text(r, 0), rows.At(r, 1)});
    }
    if (!rows.malformed().empty()) {
      return Internal("postgres ListSessionsRevokedSince: " + rows.malformed());
    }
    return revoked;
  }

  Result<std::vector<std::string>> ListUsersUpdatedSince(Time since) override {
    PgParams p;
    p.At(since);
    GH_ASSIGN_OR_RETURN(
        PgRows rows, Exec(kListUsersUpdatedSince, p, "ListUsersUpdatedSince"));
    std::vector<std::string> ids;
    for (int r = 0; r < rows.size(); ++r) ids.push_back(rows.Text(r, 0));
    if (!rows.malformed().empty()) {
      return Internal("postgres ListUsersUpdatedSince: " + rows.malformed());
    }
    std::sort(ids.begin(), ids.end());  // as the SQLite store does
    return ids;
  }

  // --- refresh tokens ---
  gatehouse::Status InsertRefreshToken(const RefreshTokenRecord& t) override {
    GH_RETURN_IF_ERROR(RequireWrite("InsertRefreshToken"));
    PgParams p;
    p.Text(t.token_hash)
        .Text(t.session_id)
        .Int(t.generation)
        .At(t.issued_at)
        .At(t.superseded_at);
    return StatusOf(Guarded(kInsertRefreshToken, p, "InsertRefreshToken"));
  }

  Result<RefreshTokenRecord> FindRefreshToken(
      std::string_view token_hash) override {
    PgParams p;
    p.Text(token_hash);
    GH_ASSIGN_OR_RETURN(
        PgRows rows, Exec(mode_ == TxMode::kWrite ? kFindRefreshTokenForUpdate
                                                  : kFindRefreshToken,
                          p, "FindRefreshToken"));
    return ReadOne(rows, &ReadToken, "FindRefreshToken", "refresh token");
  }

  Result<bool> SupersedeRefreshToken(std::string_view token_hash,
                                     Time at) override {
    GH_RETURN_IF_ERROR(RequireWrite("SupersedeRefreshToken"));
    PgParams p;
    p.At(at).Text(token_hash);
    GH_ASSIGN_OR_RETURN(
        PgRows rows, Exec(kSupersedeRefreshToken, p, "SupersedeRefreshToken"));
    if (rows.affected() == 1) return true;
    return ExistsOrNotFound(kRefreshTokenExists, token_hash,
                            "SupersedeRefreshToken", "refresh token");
  }

  // --- audit log ---
  // The lock makes concurrent audit writers take their ids one after the
  // other, each holding it to its commit, so ids grow in commit order: an
  // event committed while a reader pages back with before_id is newer than
  // all it reads, never a gap behind it (as SQLite's serialised writers
  // give).
  Result<int64_t> InsertAuditEvent(const AuditEvent& e) override {
    GH_RETURN_IF_ERROR(RequireWrite("InsertAuditEvent"));
    if (!audit_locked_) {
      GH_RETURN_IF_ERROR(
          StatusOf(Exec(kLockAuditLog, PgParams(), "InsertAuditEvent")));
      audit_locked_ = true;
    }
    PgParams p;
    p.At(e.at)
        .Text(e.type)
        .Text(e.user_id)
        .Text(e.session_id)
        .Text(e.actor_id)
        .HeaderText(e.ip)
        .HeaderText(e.user_agent)
        .HeaderText(e.detail);
    GH_ASSIGN_OR_RETURN(PgRows rows,
                        Exec(kInsertAuditEvent, p, "InsertAuditEvent"));
    return ReadCount(rows, "InsertAuditEvent");
  }

  Result<std::vector<AuditEvent>> ListAuditEvents(std::string_view user_id,
                                                  int64_t before_id,
                                                  int limit) override {
    if (limit <= 0) return std::vector<AuditEvent>();
    const bool by_user = !user_id.empty();
    const bool before = before_id != 0;
    std::string_view sql =
        by_user ? (before ? kListUserAuditEventsBefore : kListUserAuditEvents)
                : (before ? kListAuditEventsBefore : kListAuditEvents);
    PgParams p;
    if (by_user) p.Text(user_id);
    if (before) p.Int(before_id);
    p.Int(limit);
    GH_ASSIGN_OR_RETURN(PgRows rows, Exec(sql, p, "ListAuditEvents"));
    return ReadAll(rows, &ReadAuditEvent, "ListAuditEvents");
  }

  // --- signing keys and server secrets ---
  gatehouse::Status InsertSigningKey(const SigningKey& key) override {
    GH_RETURN_IF_ERROR(RequireWrite("InsertSigningKey"));
    PgParams p;
    p.Text(key.kid)
        .Text(key.alg)
        .Bytes(std::string_view(
            reinterpret_cast<const char*>(key.public_key.data()),
            key.public_key.size()))
        .Bytes(key.sealed_private_key)
        .At(key.created_at)
        .At(key.retired_at);
    return StatusOf(Guarded(kInsertSigningKey, p, "InsertSigningKey"));
  }

  Result<std::vector<SigningKey>> ListSigningKeys() override {
    GH_ASSIGN_OR_RETURN(PgRows rows,
                        Exec(kListSigningKeys, PgParams(), "ListSigningKeys"));
    return ReadAll(rows, &ReadKey, "ListSigningKeys");
  }

  gatehouse::Status RetireSigningKey(std::string_view kid, Time at) override {
    GH_RETURN_IF_ERROR(RequireWrite("RetireSigningKey"));
    PgParams p;
    p.At(at).Text(kid);
    GH_ASSIGN_OR_RETURN(PgRows rows,
                        Exec(kRetireSigningKey, p, "RetireSigningKey"));
    if (rows.affected() == 0) return NotFound("signing key");
    return Ok();
  }

  Result<std::string> GetSecret(std::string_view name) override {
    PgParams p;
    p.Text(name);
    GH_ASSIGN_OR_RETURN(PgRows rows, Exec(kGetSecret, p, "GetSecret"));
    if (rows.size() == 0) return NotFound("secret");
    std::string value = rows.Text(0, 0);
    if (!rows.malformed().empty()) {
      return Internal("postgres GetSecret: " + rows.malformed());
    }
    return value;
  }

  gatehouse::Status InsertSecret(std::string_view name,
                                 std::string_view sealed_value) override {
    GH_RETURN_IF_ERROR(RequireWrite("InsertSecret"));
    PgParams p;
    p.Text(name).Bytes(sealed_value);
    return StatusOf(Guarded(kInsertSecret, p, "InsertSecret"));
  }

 private:
  // A statement; an error that aborts the transaction is remembered.
  Result<PgRows> Exec(std::string_view sql, const PgParams& params,
                      std::string_view op) {
    Result<PgRows> rows = connection_.Exec(sql, params, op);
    if (!rows.ok()) Note(rows.error());
    return rows;
  }

  // A statement that may violate a constraint, inside a savepoint: if it
  // fails, only it is undone, and the transaction stays usable (store.h:
  // kConflict is an answer, not a broken transaction).
  Result<PgRows> Guarded(std::string_view sql, const PgParams& params,
                         std::string_view op) {
    if (params.invalid()) return connection_.Exec(sql, params, op);
    GH_RETURN_IF_ERROR(Script(kSavepoint, op));
    const bool already_failed = failure_.has_value();
    Result<PgRows> rows = Exec(sql, params, op);
    if (rows.ok()) {
      GH_RETURN_IF_ERROR(Script(kReleaseSavepoint, op));
      return rows;
    }
    if (connection_.broken()) return rows;
    GH_RETURN_IF_ERROR(Script(kRollbackToSavepoint, op));
    GH_RETURN_IF_ERROR(Script(kReleaseSavepoint, op));
    if (!already_failed) failure_.reset();  // undone: usable again
    return rows;
  }

  gatehouse::Status Script(std::string_view sql, std::string_view op) {
    auto done = connection_.Script(sql, op);
    if (!done.ok()) {
      Note(done.error());
      return std::move(done).error();
    }
    return Ok();
  }

  void Note(const Error& e) {
    if (Classify(connection_.last_sqlstate()).retry_transaction) retry_ = true;
    if (!failure_.has_value() &&
        (connection_.broken() || connection_.tx_status() == PQTRANS_INERROR)) {
      failure_ = e;
    }
  }

  // A write in a kRead transaction would fail in PostgreSQL too, but only
  // after a round trip and with the transaction aborted; refuse at once,
  // as the SQLite backend does, so the mistake shows in the first test.
  gatehouse::Status RequireWrite(std::string_view op) const {
    if (mode_ == TxMode::kWrite) return Ok();
    return Internal("postgres " + std::string(op) +
                    ": write in a kRead transaction");
  }

  // After a conditional UPDATE changed nothing: false if the row exists,
  // kNotFound if not.
  Result<bool> ExistsOrNotFound(std::string_view sql, std::string_view key,
                                std::string_view op, std::string_view what) {
    PgParams p;
    p.Text(key);
    GH_ASSIGN_OR_RETURN(PgRows rows, Exec(sql, p, op));
    if (rows.size() == 0) return NotFound(what);
    return false;
  }

  PgConnection& connection_;
  const TxMode mode_;
  std::optional<Error> failure_;
  bool retry_ = false;
  bool audit_locked_ = false;  // kLockAuditLog taken in this transaction
};

// Migration bookkeeping: version -> recorded name.
Result<AppliedMigrations> ReadAppliedMigrations(PgConnection& connection) {
  AppliedMigrations applied;
  {
    GH_ASSIGN_OR_RETURN(
        PgRows exists,
        connection.Exec(kMigrationsTableExists, PgParams(), "migrations"));
    const bool has_table = exists.size() == 1 && exists.Bool(0, 0);
    if (!exists.malformed().empty()) {
      return Internal("postgres migrations: " + exists.malformed());
    }
    if (!has_table) return applied;
  }
  GH_ASSIGN_OR_RETURN(PgRows rows, connection.Exec(kSelectMigrations,
                                                   PgParams(), "migrations"));
  for (int r = 0; r < rows.size(); ++r) {
    applied.emplace(static_cast<int>(rows.Int(r, 0)), rows.Text(r, 1));
  }
  if (!rows.malformed().empty()) {
    return Internal("postgres migrations: " + rows.malformed());
  }
  return applied;
}

// A short, jittered pause before running a callback again after a
// deadlock, so the two transactions do not collide the same way again.
void BackOff(int attempt) {
  thread_local std::minstd_rand random(std::random_device{}());
  std::uniform_int_distribution<int> jitter(0, 10 * attempt);
  std::this_thread::sleep_for(milliseconds(5 * attempt + jitter(random)));
}

}  // namespace

PgStore::PgStore(const PgOptions& options) : options_(options) {}

PgStore::~PgStore() = default;

Result<std::unique_ptr<PgStore>> PgStore::Open(const PgOptions& options) {
  auto invalid = [](std::string message) {
    return MakeError(ErrorCode::kValidationFailed, std::move(message));
  };
  if (options.url.empty()) return invalid("postgres url: must not be empty");
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
  std::unique_lock lock(pool_mu_);
  while (true) {
    if (!pool_cv_.wait_until(lock, deadline, [&] {
          return !idle_.empty() || open_ < options_.pool_size;
        })) {
      return Unavailable(
          "postgres: no free connection within acquire_timeout (all " +
          std::to_string(options_.pool_size) + " in use)");
    }
    if (!idle_.empty()) {
      std::unique_ptr<PgConnection> connection = std::move(idle_.back());
      idle_.pop_back();
      if (connection->epoch() == schema_epoch_) {
        return Lease(this, std::move(connection), /*fresh=*/false);
      }
      --open_;  // planned for an older schema: replace it
      lock.unlock();
      connection.reset();
      lock.lock();
      continue;
    }
    const SteadyTime now = SteadyClock::now();
    if (last_connect_failure_.has_value() &&
        now - last_connect_failure_->first < kReconnectPause) {
      return last_connect_failure_->second;
    }
    ++open_;
    const uint64_t epoch = schema_epoch_;
    lock.unlock();
    auto opened =
        PgConnection::Open(options_, now + options_.connect_timeout, epoch);
    lock.lock();
    if (!opened.ok()) {
      --open_;
      last_connect_failure_.emplace(SteadyClock::now(), opened.error());
      pool_cv_.notify_one();
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
    std::lock_guard lock(pool_mu_);
    if (reusable && connection->epoch() == schema_epoch_) {
      idle_.push_back(std::move(connection));
    } else {
      --open_;
    }
  }
  pool_cv_.notify_one();
  // A connection not kept is closed here, outside the lock.
}

void PgStore::SchemaChanged() {
  std::vector<std::unique_ptr<PgConnection>> stale;
  {
    std::lock_guard lock(pool_mu_);
    ++schema_epoch_;
    open_ -= static_cast<int>(idle_.size());
    stale.swap(idle_);
  }
  pool_cv_.notify_all();
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

gatehouse::Status PgStore::BeginMigrationStep(PgConnection& connection) {
  GH_RETURN_IF_ERROR(StatusOf(connection.Script(kBeginWrite, "BEGIN")));
  // A migration may rebuild an index on a large table, and the lock may be
  // held by another instance doing so: neither is a hung statement.
  GH_RETURN_IF_ERROR(
      StatusOf(connection.Script(kNoStatementTimeout, "migration")));
  GH_RETURN_IF_ERROR(StatusOf(
      connection.Script(kLockMigrations, "migration lock", SteadyTime::max())));
  return StatusOf(
      connection.Script(kCreateMigrationsTable, "create schema_migrations"));
}

Result<std::vector<int>> PgStore::Up() {
  GH_ASSIGN_OR_RETURN(Lease connection,
                      Acquire(SteadyClock::now() + options_.acquire_timeout));
  std::vector<int> applied_now;
  // Replace pooled connections whatever happens below, once anything ran.
  struct OnExit {
    PgStore* store;
    const std::vector<int>* applied;
    ~OnExit() {
      if (!applied->empty()) store->SchemaChanged();
    }
  } on_exit{this, &applied_now};

  for (const Migration& m : options_.migrations) {
    const std::string label = MigrationLabel(m.version, m.name);
    PgTransaction txn(*connection);
    GH_RETURN_IF_ERROR(BeginMigrationStep(*connection));
    // Read under the lock: another instance may have applied this one
    // since the previous step.
    GH_ASSIGN_OR_RETURN(auto applied, ReadAppliedMigrations(*connection));
    GH_ASSIGN_OR_RETURN(bool done,
                        IsApplied("postgres", applied, options_.migrations, m));
    if (done) {
      GH_RETURN_IF_ERROR(txn.Commit(std::nullopt));
      continue;
    }
    GH_RETURN_IF_ERROR(StatusOf(
        connection->Script(m.up, "migration " + label, SteadyTime::max())));
    PgParams p;
    p.Int(m.version).Text(m.name);
    GH_RETURN_IF_ERROR(
        StatusOf(connection->Exec(kInsertMigration, p, "record migration")));
    GH_RETURN_IF_ERROR(txn.Commit(std::nullopt));
    applied_now.push_back(m.version);
  }
  return applied_now;
}

Result<int> PgStore::Down() {
  GH_ASSIGN_OR_RETURN(Lease connection,
                      Acquire(SteadyClock::now() + options_.acquire_timeout));
  PgTransaction txn(*connection);
  GH_RETURN_IF_ERROR(BeginMigrationStep(*connection));
  GH_ASSIGN_OR_RETURN(auto applied, ReadAppliedMigrations(*connection));
  GH_ASSIGN_OR_RETURN(const Migration* migration,
                      NewestApplied("postgres", applied, options_.migrations));
  const int version = migration->version;
  GH_RETURN_IF_ERROR(StatusOf(connection->Script(
      migration->down,
      "revert migration " + MigrationLabel(version, migration->name),
      SteadyTime::max())));
  PgParams p;
  p.Int(version);
  GH_RETURN_IF_ERROR(
      StatusOf(connection->Exec(kDeleteMigration, p, "unrecord migration")));
  GH_RETURN_IF_ERROR(txn.Commit(std::nullopt));
  SchemaChanged();
  return version;
}

Result<std::vector<MigrationStatus>> PgStore::ListMigrations() {
  GH_ASSIGN_OR_RETURN(Lease connection, Begin(TxMode::kRead));
  PgTransaction txn(*connection);
  GH_ASSIGN_OR_RETURN(auto applied, ReadAppliedMigrations(*connection));
  std::vector<MigrationStatus> statuses =
      MigrationStatuses(options_.migrations, std::move(applied));
  GH_RETURN_IF_ERROR(txn.Commit(std::nullopt));
  return statuses;
}

}  // namespace gatehouse
