// Internal to the SQLite backend: SqliteTx, the Tx (store.h) that the
// callbacks of SqliteStore::Run see. Every call is one cached statement
// with bound parameters on the connection of the transaction; rows are read
// into the records of store.h. It neither begins nor ends the transaction:
// SqliteStore does (sqlite_transaction.h).
#ifndef GATEHOUSE_STORAGE_SQLITE_SQLITE_TX_H_
#define GATEHOUSE_STORAGE_SQLITE_SQLITE_TX_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "storage/sqlite/sqlite_connection.h"
#include "storage/sqlite/sqlite_statement.h"
#include "storage/store.h"

namespace gatehouse {

// Not thread-safe: one callback on one thread, like its connection, which
// must outlive it and have a transaction open in `mode`.
class SqliteTx final : public Tx {
 public:
  SqliteTx(SqliteConnection& connection, TxMode mode)
      : connection_(connection), mode_(mode) {}

  // Tx, as store.h documents each call. Errors: those of SqliteStore::Run
  // (sqlite_store.h), and kInternal, without touching the database, for a
  // write method called in a kRead transaction.

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
  Result<int> DeleteEndedSessions(Time cutoff, int limit) override;
  Result<std::vector<RevokedSession>> ListSessionsRevokedSince(
      Time since) override;
  Result<std::vector<std::string>> ListUsersUpdatedSince(Time since) override;

  // --- refresh tokens ---
  gatehouse::Status InsertRefreshToken(const RefreshTokenRecord& t) override;
  // In a kWrite transaction the whole database is already write-locked
  // (BEGIN IMMEDIATE), which is what keeps this row stable until commit.
  Result<RefreshTokenRecord> FindRefreshToken(
      std::string_view token_hash) override;
  Result<bool> SupersedeRefreshToken(std::string_view token_hash,
                                     Time at) override;

  // --- audit log ---
  // Writers are serialised (BEGIN IMMEDIATE), so ids grow in commit order:
  // an event committed while a reader pages back with before_id is newer
  // than all it reads, never a gap behind it.
  Result<int64_t> InsertAuditEvent(const AuditEvent& e) override;
  Result<std::vector<AuditEvent>> ListAuditEvents(std::string_view user_id,
                                                  int64_t before_id,
                                                  int limit) override;
  // AUTOINCREMENT (0002_audit) keeps the deleted ids from coming back.
  Result<int> DeleteAuditEventsBefore(Time cutoff, int limit) override;

  // --- signing keys and server secrets ---
  gatehouse::Status InsertSigningKey(const SigningKey& key) override;
  Result<std::vector<SigningKey>> ListSigningKeys() override;
  gatehouse::Status RetireSigningKey(std::string_view kid, Time at) override;
  Result<std::string> GetSecret(std::string_view name) override;
  gatehouse::Status InsertSecret(std::string_view name,
                                 std::string_view sealed_value) override;

 private:
  // SqliteStatement::Use on this transaction's connection.
  Result<SqliteStatement> Use(std::string_view sql, std::string_view op);

  // Ok in a kWrite transaction; kInternal naming `op` in a kRead one. A
  // write in a deferred (kRead) transaction would quietly upgrade it,
  // losing the "reads are current" guarantee kWrite gives; refuse instead,
  // so the caller's mistake shows in the first test that reaches it.
  gatehouse::Status RequireWrite(std::string_view op) const;

  // After a conditional UPDATE changed nothing: runs `sql` (a lookup by
  // one key) with `key`; false if the row exists, kNotFound naming `what`
  // if not.
  Result<bool> ExistsOrNotFound(std::string_view sql, std::string_view key,
                                std::string_view op, std::string_view what);

  SqliteConnection& connection_;
  const TxMode mode_;
};

}  // namespace gatehouse

#endif  // GATEHOUSE_STORAGE_SQLITE_SQLITE_TX_H_
