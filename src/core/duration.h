// Durations as written in gatehouse configuration: "900s", "15m", "12h",
// "30d" (and "250ms" for tests and timeouts). One integer, one unit.
#ifndef GATEHOUSE_CORE_DURATION_H_
#define GATEHOUSE_CORE_DURATION_H_

#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"

namespace gatehouse {

// The duration `text` denotes, or nullopt if it is not "<digits><unit>"
// with unit ms, s, m, h or d, or if it overflows.
std::optional<Duration> ParseDuration(std::string_view text);

// The shortest exact spelling of `d` in the same notation ("15m", "30d").
std::string FormatDuration(Duration d);

}  // namespace gatehouse

#endif  // GATEHOUSE_CORE_DURATION_H_
