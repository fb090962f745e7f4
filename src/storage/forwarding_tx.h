// ForwardingTx: a Tx that passes every call to another Tx, for Store
// decorators (FaultyStore, ChangeTrackingStore) that care about a few
// calls only. Before each call it asks Intercept(), which may answer in
// the base's place with an error; a decorator overrides Intercept, or the
// calls it watches, and inherits the rest. Header only.
#ifndef GATEHOUSE_STORAGE_FORWARDING_TX_H_
#define GATEHOUSE_STORAGE_FORWARDING_TX_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/store.h"

namespace gatehouse {

class ForwardingTx : public Tx {
 public:
  explicit ForwardingTx(Tx& base) : base_(base) {}

  Status InsertUser(const User& user) override {
    if (auto e = Intercept("InsertUser")) return *e;
    return base_.InsertUser(user);
  }
  Result<User> FindUserByEmail(std::string_view email) override {
    if (auto e = Intercept("FindUserByEmail")) return *e;
    return base_.FindUserByEmail(email);
  }
  Result<User> GetUser(std::string_view id) override {
    if (auto e = Intercept("GetUser")) return *e;
    return base_.GetUser(id);
  }
  Result<int64_t> CountUsers() override {
    if (auto e = Intercept("CountUsers")) return *e;
    return base_.CountUsers();
  }
  Result<std::vector<User>> ListUsers(std::string_view after_id,
                                      int limit) override {
    if (auto e = Intercept("ListUsers")) return *e;
    return base_.ListUsers(after_id, limit);
  }
  Status UpdateUser(const User& user) override {
    if (auto e = Intercept("UpdateUser")) return *e;
    return base_.UpdateUser(user);
  }

  Status InsertSession(const Session& session) override {
    if (auto e = Intercept("InsertSession")) return *e;
    return base_.InsertSession(session);
  }
  Result<Session> GetSession(std::string_view id) override {
    if (auto e = Intercept("GetSession")) return *e;
    return base_.GetSession(id);
  }
  Result<std::vector<Session>> ListActiveSessions(std::string_view user_id,
                                                  Time now) override {
    if (auto e = Intercept("ListActiveSessions")) return *e;
    return base_.ListActiveSessions(user_id, now);
  }
  Result<int64_t> CountActiveSessions(Time now) override {
    if (auto e = Intercept("CountActiveSessions")) return *e;
    return base_.CountActiveSessions(now);
  }
  Status UpdateSessionAfterRotation(const Session& session) override {
    if (auto e = Intercept("UpdateSessionAfterRotation")) return *e;
    return base_.UpdateSessionAfterRotation(session);
  }
  Result<bool> RevokeSession(std::string_view id, Time at,
                             std::string_view reason) override {
    if (auto e = Intercept("RevokeSession")) return *e;
    return base_.RevokeSession(id, at, reason);
  }
  Result<std::vector<std::string>> RevokeUserSessions(
      std::string_view user_id, Time at, std::string_view reason,
      std::optional<std::string_view> except_id) override {
    if (auto e = Intercept("RevokeUserSessions")) return *e;
    return base_.RevokeUserSessions(user_id, at, reason, except_id);
  }
  Result<int> DeleteEndedSessions(Time cutoff, int limit) override {
    if (auto e = Intercept("DeleteEndedSessions")) return *e;
    return base_.DeleteEndedSessions(cutoff, limit);
  }

  Result<std::vector<RevokedSession>> ListSessionsRevokedSince(
      Time since) override {
    if (auto e = Intercept("ListSessionsRevokedSince")) return *e;
    return base_.ListSessionsRevokedSince(since);
  }
  Result<std::vector<std::string>> ListUsersUpdatedSince(Time since) override {
    if (auto e = Intercept("ListUsersUpdatedSince")) return *e;
    return base_.ListUsersUpdatedSince(since);
  }

  Status InsertRefreshToken(const RefreshTokenRecord& token) override {
    if (auto e = Intercept("InsertRefreshToken")) return *e;
    return base_.InsertRefreshToken(token);
  }
  Result<RefreshTokenRecord> FindRefreshToken(
      std::string_view token_hash) override {
    if (auto e = Intercept("FindRefreshToken")) return *e;
    return base_.FindRefreshToken(token_hash);
  }
  Result<bool> SupersedeRefreshToken(std::string_view token_hash,
                                     Time at) override {
    if (auto e = Intercept("SupersedeRefreshToken")) return *e;
    return base_.SupersedeRefreshToken(token_hash, at);
  }

  Result<int64_t> InsertAuditEvent(const AuditEvent& event) override {
    if (auto e = Intercept("InsertAuditEvent")) return *e;
    return base_.InsertAuditEvent(event);
  }
  Result<std::vector<AuditEvent>> ListAuditEvents(std::string_view user_id,
                                                  int64_t before_id,
                                                  int limit) override {
    if (auto e = Intercept("ListAuditEvents")) return *e;
    return base_.ListAuditEvents(user_id, before_id, limit);
  }
  Result<int> DeleteAuditEventsBefore(Time cutoff, int limit) override {
    if (auto e = Intercept("DeleteAuditEventsBefore")) return *e;
    return base_.DeleteAuditEventsBefore(cutoff, limit);
  }

  Status InsertSigningKey(const SigningKey& key) override {
    if (auto e = Intercept("InsertSigningKey")) return *e;
    return base_.InsertSigningKey(key);
  }
  Result<std::vector<SigningKey>> ListSigningKeys() override {
    if (auto e = Intercept("ListSigningKeys")) return *e;
    return base_.ListSigningKeys();
  }
  Status RetireSigningKey(std::string_view kid, Time at) override {
    if (auto e = Intercept("RetireSigningKey")) return *e;
    return base_.RetireSigningKey(kid, at);
  }
  Result<std::string> GetSecret(std::string_view name) override {
    if (auto e = Intercept("GetSecret")) return *e;
    return base_.GetSecret(name);
  }
  Status InsertSecret(std::string_view name,
                      std::string_view sealed_value) override {
    if (auto e = Intercept("InsertSecret")) return *e;
    return base_.InsertSecret(name, sealed_value);
  }

 protected:
  // Called before each call named `call` reaches the base; an error
  // returned here is that call's answer. Default: always pass.
  virtual std::optional<Error> Intercept(std::string_view /*call*/) {
    return std::nullopt;
  }

  Tx& base() { return base_; }

 private:
  Tx& base_;
};

}  // namespace gatehouse

#endif  // GATEHOUSE_STORAGE_FORWARDING_TX_H_
