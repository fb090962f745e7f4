#include "testing/faulty_store.h"

#include <string>
#include <utility>

#include "storage/forwarding_tx.h"
#include "storage/store_errors.h"

namespace gatehouse {

// Counts each call and fails it once the fault has fired.
class FaultyStore::FaultyTx final : public ForwardingTx {
 public:
  FaultyTx(FaultyStore& owner, Tx& base) : ForwardingTx(base), owner_(owner) {}

 protected:
  std::optional<Error> Intercept(std::string_view call) override {
    return owner_.NextCall(call);
  }

 private:
  FaultyStore& owner_;
};

void FaultyStore::FailAfter(int n) {
  MutexLock lock(&mu_);
  calls_ = 0;
  fail_at_ = n < 0 ? 0 : n;
  fired_ = false;
}

void FaultyStore::Reset() {
  MutexLock lock(&mu_);
  calls_ = 0;
  fail_at_.reset();
  fired_ = false;
}

int FaultyStore::calls() const {
  MutexLock lock(&mu_);
  return calls_;
}

bool FaultyStore::fired() const {
  MutexLock lock(&mu_);
  return fired_;
}

std::optional<Error> FaultyStore::NextCall(std::string_view op) {
  MutexLock lock(&mu_);
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
