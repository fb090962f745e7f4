#include "http/connection_limits.h"

#include <gtest/gtest.h>

#include "core/limiter_key.h"

namespace gatehouse {
namespace {

TEST(ConnectionCapForTest, LeavesTheReserveOfTheDescriptorLimit) {
  EXPECT_EQ(ConnectionCapFor(10000, 1024), 1024 - kReservedDescriptors);
  EXPECT_EQ(ConnectionCapFor(10000, 1'048'576), 10000u) << "fits as asked";
  EXPECT_EQ(ConnectionCapFor(500, 1024), 500u);
  EXPECT_EQ(ConnectionCapFor(10000, 0), 10000u) << "no limit";
}

TEST(ConnectionCapForTest, ATinyLimitKeepsHalfForConnections) {
  EXPECT_EQ(ConnectionCapFor(10000, 128), 64u);
  EXPECT_EQ(ConnectionCapFor(10000, 64), 32u);
  EXPECT_EQ(ConnectionCapFor(10000, 1), 1u);
}

TEST(ConnectionCounterTest, CapsEachClientAndTheTotal) {
  ConnectionCounter counter(5, 2);
  using V = ConnectionCounter::Verdict;
  EXPECT_EQ(counter.TryAdd("a"), V::kAdmitted);
  EXPECT_EQ(counter.TryAdd("a"), V::kAdmitted);
  EXPECT_EQ(counter.TryAdd("a"), V::kOverPerClient);
  EXPECT_EQ(counter.of("a"), 2u);
  EXPECT_EQ(counter.TryAdd("b"), V::kAdmitted);
  EXPECT_EQ(counter.TryAdd("b"), V::kAdmitted);
  EXPECT_EQ(counter.TryAdd("c"), V::kAdmitted);
  EXPECT_EQ(counter.TryAdd("d"), V::kOverTotal);
  EXPECT_EQ(counter.total(), 5u);
  EXPECT_EQ(counter.of("d"), 0u) << "a refused connection is not counted";

  counter.Remove("a");
  EXPECT_EQ(counter.TryAdd("d"), V::kAdmitted);
  counter.Remove("a");
  counter.Remove("a");  // nothing left to remove: ignored
  EXPECT_EQ(counter.of("a"), 0u);
  EXPECT_EQ(counter.total(), 4u);
}

TEST(ConnectionCounterTest, UncappedClientsCountOnlyInTheTotal) {
  ConnectionCounter counter(3, 1);
  using V = ConnectionCounter::Verdict;
  EXPECT_EQ(counter.TryAdd("proxy", false), V::kAdmitted);
  EXPECT_EQ(counter.TryAdd("proxy", false), V::kAdmitted);
  EXPECT_EQ(counter.TryAdd("proxy"), V::kOverPerClient);
  EXPECT_EQ(counter.TryAdd("proxy", false), V::kAdmitted);
  EXPECT_EQ(counter.TryAdd("proxy", false), V::kOverTotal);
  counter.Remove("proxy");
  EXPECT_EQ(counter.of("proxy"), 2u);
  EXPECT_EQ(counter.total(), 2u);
}

TEST(ConnectionCounterTest, AnIpv6ClientIsCountedByIts64) {
  ConnectionCounter counter(100, 2);
  using V = ConnectionCounter::Verdict;
  EXPECT_EQ(counter.TryAdd(LimiterKey("2001:db8:1:2::1")), V::kAdmitted);
  EXPECT_EQ(counter.TryAdd(LimiterKey("2001:db8:1:2::2")), V::kAdmitted);
  EXPECT_EQ(counter.TryAdd(LimiterKey("2001:db8:1:2:ffff::3")),
            V::kOverPerClient);
  EXPECT_EQ(counter.TryAdd(LimiterKey("2001:db8:1:3::1")), V::kAdmitted);
  EXPECT_EQ(counter.TryAdd(LimiterKey("::ffff:192.0.2.1")), V::kAdmitted);
  EXPECT_EQ(counter.of("192.0.2.1"), 1u) << "IPv4-mapped counts as IPv4";
}

}  // namespace
}  // namespace gatehouse
