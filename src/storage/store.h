// The storage port: everything gatehouse persists goes through Store.
//
// Backends (storage/sqlite/, storage/postgres/) implement it and
// must pass the one conformance suite (storage/store_conformance.h, its
// cases in storage/conformance/).
// Only app/ knows which backend is in use.
//
// Every data operation runs inside a transaction: Store::Run opens one,
// hands a Tx to the callback, and commits if the callback returns Ok or
// rolls back otherwise, so a failed multi-step write leaves nothing half
// done. Errors: kNotFound and kConflict as documented per method;
// kUnavailable when the database cannot be reached or stays busy (the
// caller answers 503 with Retry-After); kInternal for anything else.
#ifndef GATEHOUSE_STORAGE_STORE_H_
#define GATEHOUSE_STORAGE_STORE_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"
#include "core/result.h"

namespace gatehouse {

// A revoked session as the change feed reports it.
struct RevokedSession {
  std::string id;
  Time revoked_at{};
};

// One transaction's view of the data. Not thread-safe; valid only inside
// the Store::Run callback that received it. A kNotFound or kConflict answer
// leaves the transaction usable: earlier writes stand and the callback may
// go on (e.g. InsertSecret's kConflict, then GetSecret for the winner).
//
// Strings are stored byte for byte, with one exception: the free-text
// fields that come from request headers (Session::user_agent and ip, and
// AuditEvent's user_agent, ip and detail) may hold bytes that are not
// UTF-8, or NUL, which PostgreSQL cannot store in text; a backend may
// replace such bytes (PostgreSQL stores U+FFFD) instead of failing the
// write. Valid UTF-8 without NUL always round-trips exactly.
class Tx {
 public:
  virtual ~Tx() = default;

  // --- users ---
  // Inserts `user`; kConflict if the email (case-insensitive) is taken.
  virtual Status InsertUser(const User& user) = 0;
  // The user with this email (compared case-insensitively), or kNotFound.
  virtual Result<User> FindUserByEmail(std::string_view email) = 0;
  // The user with this id, or kNotFound.
  virtual Result<User> GetUser(std::string_view id) = 0;
  // Number of users.
  virtual Result<int64_t> CountUsers() = 0;
  // Users ordered by created_at then id, starting after `after_id` (empty:
  // from the first), at most `limit`.
  virtual Result<std::vector<User>> ListUsers(std::string_view after_id,
                                              int limit) = 0;
  // Replaces role, name, disabled and password_hash of user `user.id`;
  // kNotFound if there is none.
  virtual Status UpdateUser(const User& user) = 0;

  // --- sessions ---
  // Inserts `session`; kConflict if its id exists.
  virtual Status InsertSession(const Session& session) = 0;
  // The session with this id (revoked or not), or kNotFound.
  virtual Result<Session> GetSession(std::string_view id) = 0;
  // Sessions of `user_id` that are neither revoked nor expired at `now`
  // (expired: now >= expires_at or now >= absolute_expires_at), newest
  // (created_at) first.
  virtual Result<std::vector<Session>> ListActiveSessions(
      std::string_view user_id, Time now) = 0;
  // Number of sessions, across all users, neither revoked nor expired at
  // `now` (the active-sessions gauge).
  virtual Result<int64_t> CountActiveSessions(Time now) = 0;
  // Records a rotation: sets generation, last_used_at, expires_at,
  // user_agent and ip of session `session.id`; kNotFound if absent.
  virtual Status UpdateSessionAfterRotation(const Session& session) = 0;
  // Marks the session revoked at `at` with `reason` unless it already is.
  // Returns true if this call revoked it; kNotFound if it does not exist.
  virtual Result<bool> RevokeSession(std::string_view id, Time at,
                                     std::string_view reason) = 0;
  // Revokes every unrevoked session of `user_id`, except `except_id` if
  // given. Returns the ids it revoked.
  virtual Result<std::vector<std::string>> RevokeUserSessions(
      std::string_view user_id, Time at, std::string_view reason,
      std::optional<std::string_view> except_id) = 0;

  // Deletes at most `limit` sessions that ended before `cutoff` (revoked
  // before it, or past expires_at or absolute_expires_at before it),
  // together with their refresh tokens; returns how many. The background
  // sweep calls it in small batches so no transaction runs long.
  // "Before" is strict: a session that ended at `cutoff` itself stays.
  // The longest-ended go first; `limit` <= 0 deletes nothing. A backend
  // with row locks (PostgreSQL) skips sessions another transaction holds
  // at that moment, so a short batch does not prove that none are left;
  // the next call finds them.
  virtual Result<int> DeleteEndedSessions(Time cutoff, int limit) = 0;

  // --- changes, for the in-memory view of every instance ---
  // Sessions with revoked_at >= `since`, oldest revocation first (ties by
  // id). Instances poll this to learn of revocations made elsewhere
  // (service/revocation_feed.h).
  virtual Result<std::vector<RevokedSession>> ListSessionsRevokedSince(
      Time since) = 0;
  // Ids of the users with updated_at >= `since`, in id order.
  virtual Result<std::vector<std::string>> ListUsersUpdatedSince(
      Time since) = 0;

  // --- refresh tokens ---
  // Inserts `token`; kConflict if its hash exists.
  virtual Status InsertRefreshToken(const RefreshTokenRecord& token) = 0;
  // The token with this hash, or kNotFound. In a write transaction the
  // row stays locked against other writers until the transaction ends, so
  // two concurrent rotations of one token are serialised.
  virtual Result<RefreshTokenRecord> FindRefreshToken(
      std::string_view token_hash) = 0;
  // Sets superseded_at of the token if it is not yet superseded. Returns
  // true if this call superseded it; kNotFound if absent.
  virtual Result<bool> SupersedeRefreshToken(std::string_view token_hash,
                                             Time at) = 0;

  // --- audit log ---
  // Appends `event` (its id is ignored) and returns the id assigned, which
  // is greater than every earlier one.
  virtual Result<int64_t> InsertAuditEvent(const AuditEvent& event) = 0;
  // Events newest first, with id < `before_id` (0: from the newest), of
  // `user_id` only if non-empty, at most `limit`.
  virtual Result<std::vector<AuditEvent>> ListAuditEvents(
      std::string_view user_id, int64_t before_id, int limit) = 0;
  // Deletes at most `limit` events whose `at` is before `cutoff`, of every
  // user, and returns how many. The background sweep calls it in small
  // batches so no transaction runs long. "Before" is strict: an event at
  // `cutoff` itself stays. The oldest (`at`) go first; `limit` <= 0
  // deletes nothing. Ids are never handed out again, so a deleted event's
  // id never comes to name another one. A backend with row locks
  // (PostgreSQL) skips events another transaction holds at that moment,
  // so a short batch does not prove that none are left.
  virtual Result<int> DeleteAuditEventsBefore(Time cutoff, int limit) = 0;

  // --- signing keys and server secrets ---
  // Inserts `key`; kConflict if its kid exists.
  virtual Status InsertSigningKey(const SigningKey& key) = 0;
  // All signing keys, oldest first.
  virtual Result<std::vector<SigningKey>> ListSigningKeys() = 0;
  // Sets retired_at of key `kid`; kNotFound if absent.
  virtual Status RetireSigningKey(std::string_view kid, Time at) = 0;
  // The sealed value of server secret `name`, or kNotFound.
  virtual Result<std::string> GetSecret(std::string_view name) = 0;
  // Stores secret `name`; kConflict if it exists (another instance won).
  virtual Status InsertSecret(std::string_view name,
                              std::string_view sealed_value) = 0;
};

enum class TxMode {
  kRead,   // reads only; may run beside other transactions
  kWrite,  // takes the write lock up front, so its reads are current
};

class Store {
 public:
  virtual ~Store() = default;

  // Runs `fn` in one transaction: commits if it returns Ok, rolls back
  // otherwise and returns its error. Thread-safe; blocks the calling
  // thread for the duration, so callers keep it off network threads.
  virtual Status Run(TxMode mode, const std::function<Status(Tx&)>& fn) = 0;

  // Ok if the database answers a trivial query now; kUnavailable if not.
  virtual Status Ping() = 0;
};

// A schema migration with its up and down steps.
struct MigrationStatus {
  int version = 0;
  std::string name;
  bool applied = false;
};

class Migrator {
 public:
  virtual ~Migrator() = default;
  // Applies every pending migration in order, each in its own transaction.
  // Returns the versions applied (empty if already current).
  virtual Result<std::vector<int>> Up() = 0;
  // Reverts the newest applied migration; returns its version, or
  // kNotFound if none is applied.
  virtual Result<int> Down() = 0;
  // Every known migration and whether it is applied, oldest first.
  // (Not named Status(): that would hide the gatehouse::Status type in
  // every implementing class.)
  virtual Result<std::vector<MigrationStatus>> ListMigrations() = 0;
};

}  // namespace gatehouse

#endif  // GATEHOUSE_STORAGE_STORE_H_
