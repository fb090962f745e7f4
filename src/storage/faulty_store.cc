#include "storage/faulty_store.h"

#include <string>
#include <utility>

#include "storage/store_errors.h"

namespace gatehouse {

// Forwards each call to the base Tx unless the fault says otherwise.
class FaultyStore::FaultyTx final : public Tx {
 public:
  FaultyTx(FaultyStore& owner, Tx& base) : owner_(owner), base_(base) {}

  Status InsertUser(const User& user) override {
    if (auto e = owner_.NextCall("InsertUser")) return *e;
    return base_.InsertUser(user);
  }
  Result<User> FindUserByEmail(std::string_view email) override {
    if (auto e = owner_.NextCall("FindUserByEmail")) return *e;
    return base_.FindUserByEmail(email);
  }
  Result<User> GetUser(std::string_view id) override {
    if (auto e = owner_.NextCall("GetUser")) return *e;
    return base_.GetUser(id);
  }
  Result<int64_t> CountUsers() override {
    if (auto e = owner_.NextCall("CountUsers")) return *e;
    return base_.CountUsers();
  }
  Result<std::vector<User>> ListUsers(std::string_view after_id,
                                      int limit) override {
    if (auto e = owner_.NextCall("ListUsers")) return *e;
    return base_.ListUsers(after_id, limit);
  }
  Status UpdateUser(const User& user) override {
    if (auto e = owner_.NextCall("UpdateUser")) return *e;
    return base_.UpdateUser(user);
  }

  Status InsertSession(const Session& session) override {
    if (auto e = owner_.NextCall("InsertSession")) return *e;
    return base_.InsertSession(session);
  }
  Result<Session> GetSession(std::string_view id) override {
    if (auto e = owner_.NextCall("GetSession")) return *e;
    return base_.GetSession(id);
  }
  Result<std::vector<Session>> ListActiveSessions(std::string_view user_id,
                                                  Time now) override {
    if (auto e = owner_.NextCall("ListActiveSessions")) return *e;
    return base_.ListActiveSessions(user_id, now);
  }
  Result<int64_t> CountActiveSessions(Time now) override {
    if (auto e = owner_.NextCall("CountActiveSessions")) return *e;
    return base_.CountActiveSessions(now);
  }
  Status UpdateSessionAfterRotation(const Session& session) override {
    if (auto e = owner_.NextCall("UpdateSessionAfterRotation")) return *e;
    return base_.UpdateSessionAfterRotation(session);
  }
  Result<bool> RevokeSession(std::string_view id, Time at,
                             std::string_view reason) override {
    if (auto e = owner_.NextCall("RevokeSession")) return *e;
    return base_.RevokeSession(id, at, reason);
  }
  Result<std::vector<std::string>> RevokeUserSessions(
      std::string_view user_id, Time at, std::string_view reason,
      std::optional<std::string_view> except_id) override {
    if (auto e = owner_.NextCall("RevokeUserSessions")) return *e;
    return base_.RevokeUserSessions(user_id, at, reason, except_id);
  }

  Result<int> DeleteEndedSessions(Time cutoff, int limit) override {
    if (auto e = owner_.NextCall("DeleteEndedSessions")) return *e;
    return base_.DeleteEndedSessions(cutoff, limit);
  }

  Status InsertRefreshToken(const RefreshTokenRecord& token) override {
    if (auto e = owner_.NextCall("InsertRefreshToken")) return *e;
    return base_.InsertRefreshToken(token);
  }
  Result<RefreshTokenRecord> FindRefreshToken(
      std::string_view token_hash) override {
    if (auto e = owner_.NextCall("FindRefreshToken")) return *e;
    return base_.FindRefreshToken(token_hash);
  }
  Result<bool> SupersedeRefreshToken(std::string_view token_hash,
                                     Time at) override {
    if (auto e = owner_.NextCall("SupersedeRefreshToken")) return *e;
    return base_.SupersedeRefreshToken(token_hash, at);
  }

  Result<int64_t> InsertAuditEvent(const AuditEvent& event) override {
    if (auto e = owner_.NextCall("InsertAuditEvent")) return *e;
    return base_.InsertAuditEvent(event);
  }
  Result<std::vector<AuditEvent>> ListAuditEvents(std::string_view user_id,
                                                  int64_t before_id,
                                                  int limit) override {
    if (auto e = owner_.NextCall("ListAuditEvents")) return *e;
    return base_.ListAuditEvents(user_id, before_id, limit);
  }

  Status InsertSigningKey(const SigningKey& key) override {
    if (auto e = owner_.NextCall("InsertSigningKey")) return *e;
    return base_.InsertSigningKey(key);
  }
  Result<std::vector<SigningKey>> ListSigningKeys() override {
    if (auto e = owner_.NextCall("ListSigningKeys")) return *e;
    return base_.ListSigningKeys();
  }
  Status RetireSigningKey(std::string_view kid, Time at) override {
    if (auto e = owner_.NextCall("RetireSigningKey")) return *e;
    return base_.RetireSigningKey(kid, at);
  }
  Result<std::string> GetSecret(std::string_view name) override {
    if (auto e = owner_.NextCall("GetSecret")) return *e;
    return base_.GetSecret(name);
  }
  Status InsertSecret(std::string_view name,
                      std::string_view sealed_value) override {
    if (auto e = owner_.NextCall("InsertSecret")) return *e;
    return base_.InsertSecret(name, sealed_value);
  }

 private:
  FaultyStore& owner_;
  Tx& base_;
};

void FaultyStore::FailAfter(int n) {
  std::lock_guard lock(mu_);
  calls_ = 0;
  fail_at_ = n < 0 ? 0 : n;
  fired_ = false;
}

void FaultyStore::Reset() {
  std::lock_guard lock(mu_);
  calls_ = 0;
  fail_at_.reset();
  fired_ = false;
}

int FaultyStore::calls() const {
  std::lock_guard lock(mu_);
  return calls_;
}

bool FaultyStore::fired() const {
  std::lock_guard lock(mu_);
  return fired_;
}

std::optional<Error> FaultyStore::NextCall(std::string_view op) {
  std::lock_guard lock(mu_);
  const int call = calls_++;
  if (!fail_at_.has_value() || call < *fail_at_) return std::nullopt;
  fired_ = true;
  return Unavailable("injected fault: " + std::string(op) + " (data call " +
                     std::to_string(call) + ")");
}

Status FaultyStore::Run(TxMode mode, const std::function<Status(Tx&)>& fn) {
  return base_.Run(mode, [&](Tx& base_tx) {
    FaultyTx tx(*this, base_tx);
    return fn(tx);
  });
}

Status FaultyStore::Ping() {
  if (fired()) return Unavailable("injected fault: Ping");
  return base_.Ping();
}

}  // namespace gatehouse
