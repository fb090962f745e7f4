// SqliteTx (sqlite_tx.h): the SQL of every Tx call, and the reading of
// its rows into the records of store.h.
#include "storage/sqlite/sqlite_tx.h"

#include <algorithm>
#include <utility>

#include "storage/sqlite/sqlite_helpers.h"
#include "storage/store_errors.h"

namespace gatehouse {
namespace {

using sqlite::AsciiLower;

// --- SQL. Constant text only: values are always bound (see FromSqlite). ---

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
// The retention sweep: the batch is read in order from audit_events_at
// (0005_audit_retention), so it costs `limit` index entries however long
// the log is, and nothing once the sweep has caught up.
constexpr std::string_view kDeleteAuditEventsBefore =
    "DELETE FROM audit_events WHERE id IN (SELECT id FROM audit_events"
    " WHERE at < ? ORDER BY at LIMIT ?)";

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
    " VALUES (?, ?, " GH_SQLITE_NOW_MS ")";

#undef GH_USER_COLUMNS
#undef GH_SESSION_COLUMNS
#undef GH_TOKEN_COLUMNS
#undef GH_AUDIT_COLUMNS
#undef GH_KEY_COLUMNS

// --- rows ---

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

}  // namespace

// --- users ---
gatehouse::Status SqliteTx::InsertUser(const User& user) {
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

Result<User> SqliteTx::FindUserByEmail(std::string_view email) {
  GH_ASSIGN_OR_RETURN(SqliteStatement st,
                      Use(kFindUserByEmail, "FindUserByEmail"));
  st.Bind(AsciiLower(email));
  GH_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return NotFound("user");
  return ReadUser(st);
}

Result<User> SqliteTx::GetUser(std::string_view id) {
  GH_ASSIGN_OR_RETURN(SqliteStatement st, Use(kGetUser, "GetUser"));
  st.Bind(id);
  GH_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return NotFound("user");
  return ReadUser(st);
}

Result<int64_t> SqliteTx::CountUsers() {
  GH_ASSIGN_OR_RETURN(SqliteStatement st, Use(kCountUsers, "CountUsers"));
  GH_ASSIGN_OR_RETURN(bool row, st.Step());
  return row ? st.Int(0) : 0;
}

Result<std::vector<User>> SqliteTx::ListUsers(std::string_view after_id,
                                              int limit) {
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

gatehouse::Status SqliteTx::UpdateUser(const User& user) {
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
gatehouse::Status SqliteTx::InsertSession(const Session& s) {
  GH_RETURN_IF_ERROR(RequireWrite("InsertSession"));
  GH_ASSIGN_OR_RETURN(SqliteStatement st, Use(kInsertSession, "InsertSession"));
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

Result<Session> SqliteTx::GetSession(std::string_view id) {
  GH_ASSIGN_OR_RETURN(SqliteStatement st, Use(kGetSession, "GetSession"));
  st.Bind(id);
  GH_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return NotFound("session");
  return ReadSession(st);
}

Result<std::vector<Session>> SqliteTx::ListActiveSessions(
    std::string_view user_id, Time now) {
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

Result<int64_t> SqliteTx::CountActiveSessions(Time now) {
  GH_ASSIGN_OR_RETURN(SqliteStatement st,
                      Use(kCountActiveSessions, "CountActiveSessions"));
  st.Bind(now).Bind(now);
  GH_ASSIGN_OR_RETURN(bool row, st.Step());
  return row ? st.Int(0) : 0;
}

gatehouse::Status SqliteTx::UpdateSessionAfterRotation(const Session& s) {
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

Result<bool> SqliteTx::RevokeSession(std::string_view id, Time at,
                                     std::string_view reason) {
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

Result<std::vector<std::string>> SqliteTx::RevokeUserSessions(
    std::string_view user_id, Time at, std::string_view reason,
    std::optional<std::string_view> except_id) {
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

Result<int> SqliteTx::DeleteEndedSessions(Time cutoff, int limit) {
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

Result<std::vector<RevokedSession>> SqliteTx::ListSessionsRevokedSince(
    Time since) {
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

Result<std::vector<std::string>> SqliteTx::ListUsersUpdatedSince(Time since) {
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
gatehouse::Status SqliteTx::InsertRefreshToken(const RefreshTokenRecord& t) {
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

Result<RefreshTokenRecord> SqliteTx::FindRefreshToken(
    std::string_view token_hash) {
  GH_ASSIGN_OR_RETURN(SqliteStatement st,
                      Use(kFindRefreshToken, "FindRefreshToken"));
  st.Bind(token_hash);
  GH_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return NotFound("refresh token");
  return ReadToken(st);
}

Result<bool> SqliteTx::SupersedeRefreshToken(std::string_view token_hash,
                                             Time at) {
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
Result<int64_t> SqliteTx::InsertAuditEvent(const AuditEvent& e) {
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

Result<std::vector<AuditEvent>> SqliteTx::ListAuditEvents(
    std::string_view user_id, int64_t before_id, int limit) {
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

Result<int> SqliteTx::DeleteAuditEventsBefore(Time cutoff, int limit) {
  GH_RETURN_IF_ERROR(RequireWrite("DeleteAuditEventsBefore"));
  // LIMIT -1 means "no limit" to SQLite; the contract means none.
  if (limit <= 0) return 0;
  GH_ASSIGN_OR_RETURN(SqliteStatement st,
                      Use(kDeleteAuditEventsBefore, "DeleteAuditEventsBefore"));
  st.Bind(cutoff).Bind(int64_t{limit});
  GH_RETURN_IF_ERROR(st.Exec());
  return static_cast<int>(st.Changes());
}

// --- signing keys and server secrets ---
gatehouse::Status SqliteTx::InsertSigningKey(const SigningKey& key) {
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

Result<std::vector<SigningKey>> SqliteTx::ListSigningKeys() {
  GH_ASSIGN_OR_RETURN(SqliteStatement st,
                      Use(kListSigningKeys, "ListSigningKeys"));
  std::vector<SigningKey> keys;
  while (true) {
    GH_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return keys;
    keys.push_back(ReadKey(st));
  }
}

gatehouse::Status SqliteTx::RetireSigningKey(std::string_view kid, Time at) {
  GH_RETURN_IF_ERROR(RequireWrite("RetireSigningKey"));
  GH_ASSIGN_OR_RETURN(SqliteStatement st,
                      Use(kRetireSigningKey, "RetireSigningKey"));
  st.Bind(at).Bind(kid);
  GH_RETURN_IF_ERROR(st.Exec());
  if (st.Changes() == 0) return NotFound("signing key");
  return Ok();
}

Result<std::string> SqliteTx::GetSecret(std::string_view name) {
  GH_ASSIGN_OR_RETURN(SqliteStatement st, Use(kGetSecret, "GetSecret"));
  st.Bind(name);
  GH_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return NotFound("secret");
  return st.Blob(0);
}

gatehouse::Status SqliteTx::InsertSecret(std::string_view name,
                                         std::string_view sealed_value) {
  GH_RETURN_IF_ERROR(RequireWrite("InsertSecret"));
  GH_ASSIGN_OR_RETURN(SqliteStatement st, Use(kInsertSecret, "InsertSecret"));
  st.Bind(name).BindBlob(sealed_value.data(), sealed_value.size());
  return st.Exec();
}

Result<SqliteStatement> SqliteTx::Use(std::string_view sql,
                                      std::string_view op) {
  return SqliteStatement::Use(connection_, sql, op);
}

gatehouse::Status SqliteTx::RequireWrite(std::string_view op) const {
  if (mode_ == TxMode::kWrite) return Ok();
  return Internal("sqlite " + std::string(op) +
                  ": write in a kRead transaction");
}

Result<bool> SqliteTx::ExistsOrNotFound(std::string_view sql,
                                        std::string_view key,
                                        std::string_view op,
                                        std::string_view what) {
  GH_ASSIGN_OR_RETURN(SqliteStatement st, Use(sql, op));
  st.Bind(key);
  GH_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return NotFound(what);
  return false;
}

}  // namespace gatehouse
