// PgTx (pg_tx.h): the SQL of every Tx call, and the reading of its rows
// into the records of store.h.
#include "storage/postgres/pg_tx.h"

#include <algorithm>
#include <utility>

#include "storage/postgres/pg_transaction.h"
#include "storage/store_errors.h"

namespace gatehouse {
namespace {

using pg::Classify;
using pg::kLockAuditLog;
using pg::StatusOf;

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// --- SQL. Constant text only: values are always bound parameters. ---

// Guarded runs each statement that may violate a constraint inside this.
constexpr std::string_view kSavepoint = "SAVEPOINT gh_statement";
constexpr std::string_view kReleaseSavepoint = "RELEASE SAVEPOINT gh_statement";
constexpr std::string_view kRollbackToSavepoint =
    "ROLLBACK TO SAVEPOINT gh_statement";

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
// The retention sweep, built as the session sweep's: the batch read in
// order from audit_events_at (0005_audit_retention), rows another sweep
// holds skipped, each row then found by primary key.
constexpr std::string_view kDeleteAuditEventsBefore =
    "DELETE FROM audit_events WHERE id = ANY (ARRAY("
    "SELECT id FROM audit_events WHERE at < $1"
    " ORDER BY at LIMIT $2 FOR UPDATE SKIP LOCKED))";

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

// --- rows ---

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

}  // namespace

// --- users ---
gatehouse::Status PgTx::InsertUser(const User& user) {
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

Result<User> PgTx::FindUserByEmail(std::string_view email) {
  PgParams p;
  p.Text(AsciiLower(email));
  GH_ASSIGN_OR_RETURN(PgRows rows,
                      Exec(kFindUserByEmail, p, "FindUserByEmail"));
  return ReadOne(rows, &ReadUser, "FindUserByEmail", "user");
}

Result<User> PgTx::GetUser(std::string_view id) {
  PgParams p;
  p.Text(id);
  GH_ASSIGN_OR_RETURN(PgRows rows, Exec(kGetUser, p, "GetUser"));
  return ReadOne(rows, &ReadUser, "GetUser", "user");
}

Result<int64_t> PgTx::CountUsers() {
  GH_ASSIGN_OR_RETURN(PgRows rows, Exec(kCountUsers, PgParams(), "CountUsers"));
  return ReadCount(rows, "CountUsers");
}

Result<std::vector<User>> PgTx::ListUsers(std::string_view after_id,
                                          int limit) {
  if (limit <= 0) return std::vector<User>();
  PgParams p;
  if (!after_id.empty()) p.Text(after_id);
  p.Int(limit);
  GH_ASSIGN_OR_RETURN(
      PgRows rows, Exec(after_id.empty() ? kListUsersFirst : kListUsersAfter, p,
                        "ListUsers"));
  return ReadAll(rows, &ReadUser, "ListUsers");
}

gatehouse::Status PgTx::UpdateUser(const User& user) {
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
gatehouse::Status PgTx::InsertSession(const Session& s) {
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

Result<Session> PgTx::GetSession(std::string_view id) {
  PgParams p;
  p.Text(id);
  GH_ASSIGN_OR_RETURN(PgRows rows, Exec(kGetSession, p, "GetSession"));
  return ReadOne(rows, &ReadSession, "GetSession", "session");
}

Result<std::vector<Session>> PgTx::ListActiveSessions(std::string_view user_id,
                                                      Time now) {
  PgParams p;
  p.Text(user_id).At(now);
  GH_ASSIGN_OR_RETURN(PgRows rows,
                      Exec(kListActiveSessions, p, "ListActiveSessions"));
  return ReadAll(rows, &ReadSession, "ListActiveSessions");
}

Result<int64_t> PgTx::CountActiveSessions(Time now) {
  PgParams p;
  p.At(now);
  GH_ASSIGN_OR_RETURN(PgRows rows,
                      Exec(kCountActiveSessions, p, "CountActiveSessions"));
  return ReadCount(rows, "CountActiveSessions");
}

gatehouse::Status PgTx::UpdateSessionAfterRotation(const Session& s) {
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

Result<bool> PgTx::RevokeSession(std::string_view id, Time at,
                                 std::string_view reason) {
  GH_RETURN_IF_ERROR(RequireWrite("RevokeSession"));
  PgParams p;
  p.At(at).Text(reason).Text(id);
  GH_ASSIGN_OR_RETURN(PgRows rows, Exec(kRevokeSession, p, "RevokeSession"));
  if (rows.affected() == 1) return true;
  return ExistsOrNotFound(kSessionExists, id, "RevokeSession", "session");
}

Result<std::vector<std::string>> PgTx::RevokeUserSessions(
    std::string_view user_id, Time at, std::string_view reason,
    std::optional<std::string_view> except_id) {
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

Result<int> PgTx::DeleteEndedSessions(Time cutoff, int limit) {
  GH_RETURN_IF_ERROR(RequireWrite("DeleteEndedSessions"));
  if (limit <= 0) return 0;
  PgParams p;
  p.At(cutoff).Int(limit);
  GH_ASSIGN_OR_RETURN(PgRows rows,
                      Exec(kDeleteEndedSessions, p, "DeleteEndedSessions"));
  // The command tag counts the sessions only, not the cascaded tokens.
  return static_cast<int>(rows.affected());
}

Result<std::vector<RevokedSession>> PgTx::ListSessionsRevokedSince(Time since) {
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

Result<std::vector<std::string>> PgTx::ListUsersUpdatedSince(Time since) {
  PgParams p;
  p.At(since);
  GH_ASSIGN_OR_RETURN(PgRows rows,
                      Exec(kListUsersUpdatedSince, p, "ListUsersUpdatedSince"));
  std::vector<std::string> ids;
  for (int r = 0; r < rows.size(); ++r) ids.push_back(rows.Text(r, 0));
  if (!rows.malformed().empty()) {
    return Internal("postgres ListUsersUpdatedSince: " + rows.malformed());
  }
  std::sort(ids.begin(), ids.end());  // as the SQLite store does
  return ids;
}

// --- refresh tokens ---
gatehouse::Status PgTx::InsertRefreshToken(const RefreshTokenRecord& t) {
  GH_RETURN_IF_ERROR(RequireWrite("InsertRefreshToken"));
  PgParams p;
  p.Text(t.token_hash)
      .Text(t.session_id)
      .Int(t.generation)
      .At(t.issued_at)
      .At(t.superseded_at);
  return StatusOf(Guarded(kInsertRefreshToken, p, "InsertRefreshToken"));
}

Result<RefreshTokenRecord> PgTx::FindRefreshToken(std::string_view token_hash) {
  PgParams p;
  p.Text(token_hash);
  GH_ASSIGN_OR_RETURN(PgRows rows,
                      Exec(mode_ == TxMode::kWrite ? kFindRefreshTokenForUpdate
                                                   : kFindRefreshToken,
                           p, "FindRefreshToken"));
  return ReadOne(rows, &ReadToken, "FindRefreshToken", "refresh token");
}

Result<bool> PgTx::SupersedeRefreshToken(std::string_view token_hash, Time at) {
  GH_RETURN_IF_ERROR(RequireWrite("SupersedeRefreshToken"));
  PgParams p;
  p.At(at).Text(token_hash);
  GH_ASSIGN_OR_RETURN(PgRows rows,
                      Exec(kSupersedeRefreshToken, p, "SupersedeRefreshToken"));
  if (rows.affected() == 1) return true;
  return ExistsOrNotFound(kRefreshTokenExists, token_hash,
                          "SupersedeRefreshToken", "refresh token");
}

// --- audit log ---
Result<int64_t> PgTx::InsertAuditEvent(const AuditEvent& e) {
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

Result<std::vector<AuditEvent>> PgTx::ListAuditEvents(std::string_view user_id,
                                                      int64_t before_id,
                                                      int limit) {
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

Result<int> PgTx::DeleteAuditEventsBefore(Time cutoff, int limit) {
  GH_RETURN_IF_ERROR(RequireWrite("DeleteAuditEventsBefore"));
  if (limit <= 0) return 0;
  PgParams p;
  p.At(cutoff).Int(limit);
  GH_ASSIGN_OR_RETURN(PgRows rows, Exec(kDeleteAuditEventsBefore, p,
                                        "DeleteAuditEventsBefore"));
  return static_cast<int>(rows.affected());
}

// --- signing keys and server secrets ---
gatehouse::Status PgTx::InsertSigningKey(const SigningKey& key) {
  GH_RETURN_IF_ERROR(RequireWrite("InsertSigningKey"));
  PgParams p;
  p.Text(key.kid)
      .Text(key.alg)
      .Bytes(
          std::string_view(reinterpret_cast<const char*>(key.public_key.data()),
                           key.public_key.size()))
      .Bytes(key.sealed_private_key)
      .At(key.created_at)
      .At(key.retired_at);
  return StatusOf(Guarded(kInsertSigningKey, p, "InsertSigningKey"));
}

Result<std::vector<SigningKey>> PgTx::ListSigningKeys() {
  GH_ASSIGN_OR_RETURN(PgRows rows,
                      Exec(kListSigningKeys, PgParams(), "ListSigningKeys"));
  return ReadAll(rows, &ReadKey, "ListSigningKeys");
}

gatehouse::Status PgTx::RetireSigningKey(std::string_view kid, Time at) {
  GH_RETURN_IF_ERROR(RequireWrite("RetireSigningKey"));
  PgParams p;
  p.At(at).Text(kid);
  GH_ASSIGN_OR_RETURN(PgRows rows,
                      Exec(kRetireSigningKey, p, "RetireSigningKey"));
  if (rows.affected() == 0) return NotFound("signing key");
  return Ok();
}

Result<std::string> PgTx::GetSecret(std::string_view name) {
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

gatehouse::Status PgTx::InsertSecret(std::string_view name,
                                     std::string_view sealed_value) {
  GH_RETURN_IF_ERROR(RequireWrite("InsertSecret"));
  PgParams p;
  p.Text(name).Bytes(sealed_value);
  return StatusOf(Guarded(kInsertSecret, p, "InsertSecret"));
}

Result<PgRows> PgTx::Exec(std::string_view sql, const PgParams& params,
                          std::string_view op) {
  Result<PgRows> rows = connection_.Exec(sql, params, op);
  if (!rows.ok()) Note(rows.error());
  return rows;
}

Result<PgRows> PgTx::Guarded(std::string_view sql, const PgParams& params,
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

gatehouse::Status PgTx::Script(std::string_view sql, std::string_view op) {
  auto done = connection_.Script(sql, op);
  if (!done.ok()) {
    Note(done.error());
    return std::move(done).error();
  }
  return Ok();
}

void PgTx::Note(const Error& e) {
  if (Classify(connection_.last_sqlstate()).retry_transaction) retry_ = true;
  if (!failure_.has_value() &&
      (connection_.broken() || connection_.tx_status() == PQTRANS_INERROR)) {
    failure_ = e;
  }
}

gatehouse::Status PgTx::RequireWrite(std::string_view op) const {
  if (mode_ == TxMode::kWrite) return Ok();
  return Internal("postgres " + std::string(op) +
                  ": write in a kRead transaction");
}

Result<bool> PgTx::ExistsOrNotFound(std::string_view sql, std::string_view key,
                                    std::string_view op,
                                    std::string_view what) {
  PgParams p;
  p.Text(key);
  GH_ASSIGN_OR_RETURN(PgRows rows, Exec(sql, p, op));
  if (rows.size() == 0) return NotFound(what);
  return false;
}

}  // namespace gatehouse
