// SystemClock: the real wall clock, for production wiring only.
#ifndef GATEHOUSE_APP_SYSTEM_CLOCK_H_
#define GATEHOUSE_APP_SYSTEM_CLOCK_H_

#include "core/clock.h"

namespace gatehouse {

class SystemClock final : public Clock {
 public:
  Time Now() const override {
    return std::chrono::floor<Duration>(std::chrono::system_clock::now());
  }
};

}  // namespace gatehouse

#endif  // GATEHOUSE_APP_SYSTEM_CLOCK_H_
