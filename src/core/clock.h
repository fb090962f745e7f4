// Clock: the only way domain and service code learns the time.
//
// Production wires SystemClock (app/); tests wire testing/fake_clock.h so
// expiry, grace windows and reuse detection are tested without sleeping.
#ifndef GATEHOUSE_CORE_CLOCK_H_
#define GATEHOUSE_CORE_CLOCK_H_

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace gatehouse {

// Millisecond precision everywhere: it survives a round trip through every
// storage backend unchanged, so comparisons after a load are exact.
using Duration = std::chrono::milliseconds;
using Time = std::chrono::sys_time<Duration>;

inline int64_t ToUnixMillis(Time t) { return t.time_since_epoch().count(); }
inline Time FromUnixMillis(int64_t ms) { return Time(Duration(ms)); }
inline int64_t ToUnixSeconds(Time t) {
  return std::chrono::floor<std::chrono::seconds>(t).time_since_epoch().count();
}

// "2026-01-01T00:00:00Z": UTC, whole seconds, as the API returns times.
inline std::string FormatIso8601(Time t) {
  auto day = std::chrono::floor<std::chrono::days>(t);
  std::chrono::year_month_day ymd{day};
  std::chrono::hh_mm_ss hms{std::chrono::floor<std::chrono::seconds>(t - day)};
  char buf[32];
  std::snprintf(
      buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ",
      static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
      static_cast<unsigned>(ymd.day()), static_cast<int>(hms.hours().count()),
      static_cast<int>(hms.minutes().count()),
      static_cast<int>(hms.seconds().count()));
  return buf;
}

class Clock {
 public:
  virtual ~Clock() = default;
  // Thread-safe. Returns the current wall-clock time.
  virtual Time Now() const = 0;
};

}  // namespace gatehouse

#endif  // GATEHOUSE_CORE_CLOCK_H_
