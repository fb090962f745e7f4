// ChangeTrackingStore: a Store decorator that tells a listener, right
// after each commit, which sessions the transaction revoked and which
// users it updated. Every write of this process goes through it, so the
// in-memory view of revocations (service/revocation_feed.h) learns of a
// local logout before the response that confirms it is sent, whichever
// use case made it. Writes of other processes arrive by polling instead.
#ifndef GATEHOUSE_STORAGE_CHANGE_TRACKING_STORE_H_
#define GATEHOUSE_STORAGE_CHANGE_TRACKING_STORE_H_

#include <string>
#include <vector>

#include "storage/store.h"

namespace gatehouse {

// What one committed transaction changed that cached views depend on.
struct CommittedChanges {
  std::vector<RevokedSession> revoked_sessions;
  std::vector<std::string> updated_user_ids;

  bool empty() const {
    return revoked_sessions.empty() && updated_user_ids.empty();
  }
};

class ChangeListener {
 public:
  virtual ~ChangeListener() = default;
  // Called after the commit, on the committing thread; must not block.
  virtual void OnCommitted(const CommittedChanges& changes) = 0;
};

class ChangeTrackingStore final : public Store {
 public:
  // `base` and `listener` must outlive this object.
  ChangeTrackingStore(Store& base, ChangeListener& listener)
      : base_(base), listener_(listener) {}

  ChangeTrackingStore(const ChangeTrackingStore&) = delete;
  ChangeTrackingStore& operator=(const ChangeTrackingStore&) = delete;

  // Runs `fn` in a base transaction; once it has committed, reports what
  // it changed. A rolled-back transaction reports nothing, and a base that
  // retries the callback (a serialization failure) reports the last
  // attempt only.
  Status Run(TxMode mode, const std::function<Status(Tx&)>& fn) override;
  Status Ping() override { return base_.Ping(); }

 private:
  class TrackingTx;

  Store& base_;
  ChangeListener& listener_;
};

}  // namespace gatehouse

#endif  // GATEHOUSE_STORAGE_CHANGE_TRACKING_STORE_H_
