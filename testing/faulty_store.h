// FaultyStore: a Store decorator that makes the Nth data call fail, to
// prove that a multi-step write interrupted at any step leaves nothing
// half done (leveldb's SpecialEnv, Beast's fail_count).
//
// A service test loops over every failure point until the operation
// succeeds (docs/storage.md, "Testing a backend"):
//
//   testkit::TempSqliteStore base;  // or any other Store
//   FaultyStore store(*base.store());
//   for (int n = 0;; ++n) {
//     store.FailAfter(n);
//     Result<IssuedSession> r = service.Login(...);  // uses `store`
//     store.Reset();
//     if (r.ok()) break;
//     ASSERT_EQ(r.error().code, ErrorCode::kUnavailable);
//     ... assert through `base` that nothing of the login was kept ...
//   }
//
// Every Tx method counts as one data call: FaultyStore's Tx is a
// ForwardingTx (storage/forwarding_tx.h) whose Intercept counts.
#ifndef GATEHOUSE_TESTING_FAULTY_STORE_H_
#define GATEHOUSE_TESTING_FAULTY_STORE_H_

#include <functional>
#include <optional>
#include <string_view>

#include "core/mutex.h"
#include "core/result.h"
#include "core/thread_annotations.h"
#include "storage/store.h"

namespace gatehouse {

class FaultyStore final : public Store {
 public:
  // Wraps `base`, which must outlive this object. Starts with no fault.
  explicit FaultyStore(Store& base) : base_(base) {}

  FaultyStore(const FaultyStore&) = delete;
  FaultyStore& operator=(const FaultyStore&) = delete;

  // From now on, Tx data calls number 0, 1, 2, ... (every Tx method counts
  // once, across any number of Run calls). Call number `n` and every call
  // after it return kUnavailable (retry_after_seconds = 1) without reaching
  // the base store, as if the database went away at that point and stayed
  // away; Ping fails too once the fault has fired. REQUIRES: n >= 0.
  void FailAfter(int n);
  // Removes the fault and restarts the count: every call goes through.
  void Reset();
  // Tx data calls made since the last FailAfter or Reset, failed or not.
  int calls() const;
  // Whether a call has failed since the last FailAfter.
  bool fired() const;

  // Store. Thread-safe (as thread-safe as `base`). Runs `fn` in a base
  // transaction with a Tx that injects the fault, so the base commits or
  // rolls back exactly as it would have for the same callback result.
  Status Run(TxMode mode, const std::function<Status(Tx&)>& fn) override;
  // The base's Ping, or kUnavailable once the fault has fired.
  Status Ping() override;

 private:
  class FaultyTx;

  // Counts one data call `op`; returns the injected error if it must fail.
  std::optional<Error> NextCall(std::string_view op) EXCLUDES(mu_);

  // Set in the constructor.
  Store& base_;

  mutable Mutex mu_;
  // State below is guarded by mu_.
  int calls_ GUARDED_BY(mu_) = 0;
  std::optional<int> fail_at_ GUARDED_BY(mu_);
  bool fired_ GUARDED_BY(mu_) = false;
};

}  // namespace gatehouse

#endif  // GATEHOUSE_TESTING_FAULTY_STORE_H_
