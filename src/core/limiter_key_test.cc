#include "core/limiter_key.h"

#include <gtest/gtest.h>

namespace gatehouse {
namespace {

TEST(LimiterKeyTest, Ipv4IsItsOwnKey) {
  EXPECT_EQ(LimiterKey("203.0.113.7"), "203.0.113.7");
  EXPECT_NE(LimiterKey("203.0.113.7"), LimiterKey("203.0.113.8"));
}

TEST(LimiterKeyTest, Ipv6CountsByIts64) {
  EXPECT_EQ(LimiterKey("2001:db8:7:42::1"), "2001:db8:7:42::/64");
  EXPECT_EQ(LimiterKey("2001:db8:7:42:ffff:ffff:ffff:ffff"),
            "2001:db8:7:42::/64");
  EXPECT_EQ(LimiterKey("2001:DB8:7:42:0:0:0:9"), "2001:db8:7:42::/64")
      << "one spelling per network";
  EXPECT_EQ(LimiterKey("2001:db8:7:43::1"), "2001:db8:7:43::/64")
      << "the next /64 is another client";
  EXPECT_EQ(LimiterKey("::1"), "::/64");
}

TEST(LimiterKeyTest, Ipv4MappedIpv6IsTheIpv4Address) {
  EXPECT_EQ(LimiterKey("::ffff:203.0.113.7"), "203.0.113.7");
  EXPECT_EQ(LimiterKey("::ffff:cb00:7107"), "203.0.113.7");
}

TEST(LimiterKeyTest, ZonesKeepLinksApart) {
  EXPECT_EQ(LimiterKey("fe80::1%eth0"), "fe80::/64%eth0");
  EXPECT_NE(LimiterKey("fe80::1%eth0"), LimiterKey("fe80::1%eth1"));
}

TEST(LimiterKeyTest, AnythingElseIsItsOwnKey) {
  EXPECT_EQ(LimiterKey(""), "");
  EXPECT_EQ(LimiterKey("unknown"), "unknown");
  EXPECT_EQ(LimiterKey("203.0.113.7:443"), "203.0.113.7:443");
  EXPECT_EQ(LimiterKey("1.2.3.4%eth0"), "1.2.3.4%eth0");
  std::string long_text(500, 'a');
  EXPECT_EQ(LimiterKey(long_text), long_text);
}

}  // namespace
}  // namespace gatehouse
