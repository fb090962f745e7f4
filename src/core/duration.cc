#include "core/duration.h"

#include <array>
#include <charconv>
#include <cstdint>
#include <limits>

namespace gatehouse {
namespace {

struct Unit {
  std::string_view suffix;
  int64_t millis;
};

// Largest first, so FormatDuration picks the shortest spelling.
constexpr std::array<Unit, 5> kUnits = {{{"d", 86'400'000},
                                         {"h", 3'600'000},
                                         {"m", 60'000},
                                         {"s", 1'000},
                                         {"ms", 1}}};

}  // namespace

std::optional<Duration> ParseDuration(std::string_view text) {
  size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') {
    ++digits;
  }
  if (digits == 0 || digits > 15) return std::nullopt;
  int64_t count = 0;
  std::from_chars(text.data(), text.data() + digits, count);
  std::string_view suffix = text.substr(digits);
  for (const Unit& unit : kUnits) {
    if (suffix != unit.suffix) continue;
    if (count > std::numeric_limits<int64_t>::max() / unit.millis) {
      return std::nullopt;
    }
    return Duration(count * unit.millis);
  }
  return std::nullopt;
}

std::string FormatDuration(Duration d) {
  int64_t ms = d.count();
  if (ms == 0) return "0s";
  for (const Unit& unit : kUnits) {
    if (ms % unit.millis == 0) {
      return std::to_string(ms / unit.millis) + std::string(unit.suffix);
    }
  }
  return std::to_string(ms) + "ms";
}

}  // namespace gatehouse
