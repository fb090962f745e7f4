#include "core/duration.h"

#include <gtest/gtest.h>

namespace gatehouse {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

TEST(DurationTest, ParsesEveryUnitOfTheSpec) {
  EXPECT_EQ(ParseDuration("900s"), Duration(seconds(900)));
  EXPECT_EQ(ParseDuration("15m"), Duration(minutes(15)));
  EXPECT_EQ(ParseDuration("12h"), Duration(hours(12)));
  EXPECT_EQ(ParseDuration("30d"), Duration(days(30)));
  EXPECT_EQ(ParseDuration("250ms"), Duration(250));
  EXPECT_EQ(ParseDuration("0s"), Duration(0));
}

TEST(DurationTest, RejectsAnythingElse) {
  for (std::string_view bad : {"", "s", "15", "15 m", "-5s", "1.5h", "15M",
                               "1w", "99999999999999999d", "15mm", " 15m"}) {
    EXPECT_FALSE(ParseDuration(bad).has_value()) << bad;
  }
}

TEST(DurationTest, FormatsShortestExactSpelling) {
  EXPECT_EQ(FormatDuration(minutes(15)), "15m");
  EXPECT_EQ(FormatDuration(days(90)), "90d");
  EXPECT_EQ(FormatDuration(seconds(90)), "90s");
  EXPECT_EQ(FormatDuration(Duration(1500)), "1500ms");
  EXPECT_EQ(*ParseDuration(FormatDuration(hours(36))), hours(36));
}

}  // namespace
}  // namespace gatehouse
