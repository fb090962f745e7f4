// FaultyStore: a Store decorator that makes the Nth data call fail, to
// prove that a multi-step write interrupted at any step leaves nothing
// half done (leveldb's SpecialEnv, Beast's fail_count).
//
// A service test loops over every failure point until the operation
// succeeds (STYLE.md (c) 6):
//
//   MemoryStore base;  // any backend
//   FaultyStore store(base);
//   for (int n = 0;; ++n) {
//     store.FailAfter(n);
//     Result<LoginResult> r = service.Login(...);   // uses `store`
//     store.Reset();
//     if (r.ok()) break;
//     ASSERT_EQ(r.error().code, ErrorCode::kUnavailable);
//     ... assert through `base` that nothing of the login was kept ...
//   }
#ifndef GATEHOUSE_TESTING_FAULTY_STORE_H_
#define GATEHOUSE_TESTING_FAULTY_STORE_H_

#include <functional>
#include <mutex>
#include <optional>
#include <string_view>

#include "core/result.h"
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
  std::optional<Error> NextCall(std::string_view op);

  Store& base_;

  mutable std::mutex mu_;
  int calls_ = 0;               // guarded by mu_
  std::optional<int> fail_at_;  // guarded by mu_
  bool fired_ = false;          // guarded by mu_
};

}  // namespace gatehouse

#endif  // GATEHOUSE_TESTING_FAULTY_STORE_H_
