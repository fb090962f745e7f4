#include "http/query.h"

#include <gtest/gtest.h>

namespace gatehouse {
namespace {

TEST(QueryParamTest, FindsAndDecodesParameters) {
  EXPECT_EQ(QueryParam("/x?a=1&b=two%20words", "b"), "two words");
  EXPECT_EQ(QueryParam("/x?a=1&b=2", "a"), "1");
  EXPECT_EQ(QueryParam("/x?flag&a=1", "flag"), "");
  EXPECT_EQ(QueryParam("/x?a=x+y", "a"), "x y");
  EXPECT_FALSE(QueryParam("/x", "a").has_value());
  EXPECT_FALSE(QueryParam("/x?ab=1", "a").has_value());
}

TEST(QueryParamTest, RejectsBrokenPercentEncoding) {
  EXPECT_FALSE(QueryParam("/x?a=%", "a").has_value());
  EXPECT_FALSE(QueryParam("/x?a=%4", "a").has_value());
  EXPECT_FALSE(QueryParam("/x?a=%zz", "a").has_value());
  EXPECT_EQ(QueryParam("/x?a=%41", "a"), "A");
}

}  // namespace
}  // namespace gatehouse
