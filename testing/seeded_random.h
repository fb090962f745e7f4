// SeededRandom: a deterministic Random for reproducible tests. Not secure.
#ifndef GATEHOUSE_TESTING_SEEDED_RANDOM_H_
#define GATEHOUSE_TESTING_SEEDED_RANDOM_H_

#include <random>

#include "core/mutex.h"
#include "core/random.h"
#include "core/thread_annotations.h"

namespace gatehouse::testkit {

class SeededRandom final : public Random {
 public:
  explicit SeededRandom(uint64_t seed = 42) : engine_(seed) {}

  void Fill(std::span<uint8_t> out) override {
    MutexLock lock(&mu_);
    for (auto& b : out) b = static_cast<uint8_t>(engine_());
  }

 private:
  Mutex mu_;
  // State below is guarded by mu_.
  std::mt19937_64 engine_ GUARDED_BY(mu_);
};

}  // namespace gatehouse::testkit

#endif  // GATEHOUSE_TESTING_SEEDED_RANDOM_H_
