// Internal to the PostgreSQL backend: PgTx, the Tx (store.h) that the
// callbacks of PgStore::Run see. Every call is one prepared statement with
// bound parameters on the connection of the transaction; rows are read
// into the records of store.h. It neither begins nor ends the transaction:
// PgStore does (pg_transaction.h), asking failure() and retry() how.
#ifndef GATEHOUSE_STORAGE_POSTGRES_PG_TX_H_
#define GATEHOUSE_STORAGE_POSTGRES_PG_TX_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "storage/postgres/pg_connection.h"
#include "storage/postgres/pg_statement.h"
#include "storage/store.h"

namespace gatehouse {

// Not thread-safe: one callback on one thread, like its connection, which
// must outlive it and have a transaction open in `mode`.
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

  // Tx, as store.h documents each call. Errors: those of PgStore::Run
  // (pg_store.h), and kInternal, without touching the database, for a
  // write method called in a kRead transaction. A constraint violation of
  // an insert is undone alone (a savepoint), so the transaction stays
  // usable after kConflict.

  // --- users --- (emails are stored and looked up in ASCII lower case)
  gatehouse::Status InsertUser(const User& user) override;
  Result<User> FindUserByEmail(std::string_view email) override;
  Result<User> GetUser(std::string_view id) override;
  Result<int64_t> CountUsers() override;
  Result<std::vector<User>> ListUsers(std::string_view after_id,
                                      int limit) override;
  gatehouse::Status UpdateUser(const User& user) override;

  // --- sessions ---
  gatehouse::Status InsertSession(const Session& s) override;
  Result<Session> GetSession(std::string_view id) override;
  Result<std::vector<Session>> ListActiveSessions(std::string_view user_id,
                                                  Time now) override;
  Result<int64_t> CountActiveSessions(Time now) override;
  gatehouse::Status UpdateSessionAfterRotation(const Session& s) override;
  Result<bool> RevokeSession(std::string_view id, Time at,
                             std::string_view reason) override;
  Result<std::vector<std::string>> RevokeUserSessions(
      std::string_view user_id, Time at, std::string_view reason,
      std::optional<std::string_view> except_id) override;
  // Skips sessions another transaction holds locked (SKIP LOCKED).
  Result<int> DeleteEndedSessions(Time cutoff, int limit) override;
  Result<std::vector<RevokedSession>> ListSessionsRevokedSince(
      Time since) override;
  Result<std::vector<std::string>> ListUsersUpdatedSince(Time since) override;

  // --- refresh tokens ---
  gatehouse::Status InsertRefreshToken(const RefreshTokenRecord& t) override;
  // In a kWrite transaction, locks the row (FOR UPDATE) until the end, so
  // a second rotation of the same token waits and then reads the first
  // one's committed result.
  Result<RefreshTokenRecord> FindRefreshToken(
      std::string_view token_hash) override;
  Result<bool> SupersedeRefreshToken(std::string_view token_hash,
                                     Time at) override;

  // --- audit log ---
  // Takes the audit advisory lock (pg_transaction.h) before the first
  // insert and holds it to commit: concurrent audit writers take their
  // ids one after the other, so ids grow in commit order. An event
  // committed while a reader pages back with before_id is newer than all
  // it reads, never a gap behind it (as SQLite's serialised writers give).
  Result<int64_t> InsertAuditEvent(const AuditEvent& e) override;
  Result<std::vector<AuditEvent>> ListAuditEvents(std::string_view user_id,
                                                  int64_t before_id,
                                                  int limit) override;
  // Skips events another transaction holds locked (SKIP LOCKED). Takes
  // no advisory lock: deleting hands out no id.
  Result<int> DeleteAuditEventsBefore(Time cutoff, int limit) override;

  // --- signing keys and server secrets ---
  gatehouse::Status InsertSigningKey(const SigningKey& key) override;
  Result<std::vector<SigningKey>> ListSigningKeys() override;
  gatehouse::Status RetireSigningKey(std::string_view kid, Time at) override;
  Result<std::string> GetSecret(std::string_view name) override;
  gatehouse::Status InsertSecret(std::string_view name,
                                 std::string_view sealed_value) override;

 private:
  // A statement; an error that aborts the transaction is remembered.
  Result<PgRows> Exec(std::string_view sql, const PgParams& params,
                      std::string_view op);
  // A statement that may violate a constraint, inside a savepoint: if it
  // fails, only it is undone, and the transaction stays usable (store.h:
  // kConflict is an answer, not a broken transaction).
  Result<PgRows> Guarded(std::string_view sql, const PgParams& params,
                         std::string_view op);
  // A parameterless statement (the savepoint commands); an error is
  // remembered as for Exec.
  gatehouse::Status Script(std::string_view sql, std::string_view op);
  // Remembers `e` as failure_ if it aborted the transaction (or broke the
  // connection), and sets retry_ if PostgreSQL asks for a rerun.
  void Note(const Error& e);

  // Ok in a kWrite transaction; kInternal naming `op` in a kRead one. A
  // write in a kRead transaction would fail in PostgreSQL too, but only
  // after a round trip and with the transaction aborted; refuse at once,
  // as the SQLite backend does, so the mistake shows in the first test.
  gatehouse::Status RequireWrite(std::string_view op) const;

  // After a conditional UPDATE changed nothing: runs `sql` (a lookup by
  // one text key) with `key`; false if the row exists, kNotFound naming
  // `what` if not.
  Result<bool> ExistsOrNotFound(std::string_view sql, std::string_view key,
                                std::string_view op, std::string_view what);

  PgConnection& connection_;
  const TxMode mode_;
  std::optional<Error> failure_;
  bool retry_ = false;
  bool audit_locked_ = false;  // kLockAuditLog taken in this transaction
};

}  // namespace gatehouse

#endif  // GATEHOUSE_STORAGE_POSTGRES_PG_TX_H_
