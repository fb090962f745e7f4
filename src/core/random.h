// Random: the only source of random bytes for domain and service code.
//
// Production wires the OS CSPRNG through libsodium (crypto/); tests wire a
// seeded generator (testing/seeded_random.h) for reproducible ids.
#ifndef GATEHOUSE_CORE_RANDOM_H_
#define GATEHOUSE_CORE_RANDOM_H_

#include <cstdint>
#include <span>

namespace gatehouse {

class Random {
 public:
  virtual ~Random() = default;
  // Thread-safe. Fills `out` with random bytes; never fails.
  virtual void Fill(std::span<uint8_t> out) = 0;
};

}  // namespace gatehouse

#endif  // GATEHOUSE_CORE_RANDOM_H_
