#include "storage/change_tracking_store.h"

#include "storage/forwarding_tx.h"

namespace gatehouse {

// Records the revocations and user updates that succeed.
class ChangeTrackingStore::TrackingTx final : public ForwardingTx {
 public:
  TrackingTx(Tx& base, CommittedChanges& changes)
      : ForwardingTx(base), changes_(changes) {}

  Status UpdateUser(const User& user) override {
    Status updated = base().UpdateUser(user);
    if (updated.ok()) changes_.updated_user_ids.push_back(user.id);
    return updated;
  }

  Result<bool> RevokeSession(std::string_view id, Time at,
                             std::string_view reason) override {
    auto revoked = base().RevokeSession(id, at, reason);
    if (revoked.ok() && *revoked) {
      changes_.revoked_sessions.push_back({std::string(id), at});
    }
    return revoked;
  }

  Result<std::vector<std::string>> RevokeUserSessions(
      std::string_view user_id, Time at, std::string_view reason,
      std::optional<std::string_view> except_id) override {
    auto revoked = base().RevokeUserSessions(user_id, at, reason, except_id);
    if (revoked.ok()) {
      for (const std::string& id : *revoked) {
        changes_.revoked_sessions.push_back({id, at});
      }
    }
    return revoked;
  }

 private:
  CommittedChanges& changes_;
};

Status ChangeTrackingStore::Run(TxMode mode,
                                const std::function<Status(Tx&)>& fn) {
  CommittedChanges changes;
  Status done = base_.Run(mode, [&](Tx& base_tx) {
    changes = {};  // a retried attempt starts over
    TrackingTx tx(base_tx, changes);
    return fn(tx);
  });
  if (done.ok() && !changes.empty()) listener_.OnCommitted(changes);
  return done;
}

}  // namespace gatehouse
