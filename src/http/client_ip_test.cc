#include "http/client_ip.h"

#include <gtest/gtest.h>

#include <initializer_list>

namespace gatehouse {
namespace {

TrustedProxies MustParse(const std::vector<std::string>& entries) {
  Result<TrustedProxies> proxies = TrustedProxies::Parse(entries);
  EXPECT_TRUE(proxies.ok()) << proxies.error().message;
  return proxies.ok() ? *proxies : TrustedProxies();
}

Request WithForwardedFor(std::initializer_list<std::string_view> headers) {
  Request req{bhttp::verb::get, "/api/v1/auth/me", 11};
  for (std::string_view value : headers) {
    req.insert(kForwardedForHeader, value);
  }
  return req;
}

// --- TrustedProxies::Parse and Contains ---

TEST(TrustedProxiesTest, DefaultTrustsNobody) {
  TrustedProxies none;
  EXPECT_TRUE(none.empty());
  EXPECT_FALSE(none.Contains("127.0.0.1"));
  EXPECT_FALSE(none.Contains("::1"));
}

TEST(TrustedProxiesTest, ParsesAddressesAndNetworksIgnoringBlanks) {
  TrustedProxies proxies = MustParse(
      {"10.0.0.7", " 192.168.0.0/16 ", "", "  ", "2001:db8::/32", "::1"});
  EXPECT_FALSE(proxies.empty());
  EXPECT_TRUE(proxies.Contains("10.0.0.7"));
  EXPECT_FALSE(proxies.Contains("10.0.0.8"));
  EXPECT_TRUE(proxies.Contains("192.168.200.1"));
  EXPECT_TRUE(proxies.Contains("2001:db8:1234::1"));
  EXPECT_TRUE(proxies.Contains("::1"));
  EXPECT_FALSE(proxies.Contains("::2"));
  EXPECT_FALSE(proxies.Contains("2001:db9::1"));
  EXPECT_FALSE(proxies.Contains("not an ip"));
  EXPECT_FALSE(proxies.Contains(""));
}

TEST(TrustedProxiesTest, EmptyListTrustsNobody) {
  TrustedProxies proxies = MustParse({});
  EXPECT_TRUE(proxies.empty());
  EXPECT_FALSE(proxies.Contains("10.0.0.1"));
}

TEST(TrustedProxiesTest, Ipv4CidrEdges) {
  TrustedProxies proxies =
      MustParse({"10.0.0.0/8", "192.168.1.128/25", "172.16.0.0/12"});
  EXPECT_TRUE(proxies.Contains("10.0.0.0"));
  EXPECT_TRUE(proxies.Contains("10.255.255.255"));
  EXPECT_FALSE(proxies.Contains("9.255.255.255"));
  EXPECT_FALSE(proxies.Contains("11.0.0.0"));
  // A prefix that does not end on a byte boundary.
  EXPECT_TRUE(proxies.Contains("192.168.1.128"));
  EXPECT_TRUE(proxies.Contains("192.168.1.255"));
  EXPECT_FALSE(proxies.Contains("192.168.1.127"));
  EXPECT_TRUE(proxies.Contains("172.31.255.255"));
  EXPECT_FALSE(proxies.Contains("172.32.0.0"));
  EXPECT_FALSE(proxies.Contains("172.15.255.255"));
}

TEST(TrustedProxiesTest, HostRoutesAndNarrowestNetworks) {
  TrustedProxies proxies = MustParse({"203.0.113.4/32", "198.51.100.0/31"});
  EXPECT_TRUE(proxies.Contains("203.0.113.4"));
  EXPECT_FALSE(proxies.Contains("203.0.113.5"));
  EXPECT_TRUE(proxies.Contains("198.51.100.0"));
  EXPECT_TRUE(proxies.Contains("198.51.100.1"));
  EXPECT_FALSE(proxies.Contains("198.51.100.2"));
}

TEST(TrustedProxiesTest, Ipv6CidrEdges) {
  TrustedProxies proxies =
      MustParse({"2001:db8::/33", "fd00::/127", "2001:db8:ffff::1/128"});
  EXPECT_TRUE(proxies.Contains("2001:db8::"));
  EXPECT_TRUE(proxies.Contains("2001:db8:7fff:ffff:ffff:ffff:ffff:ffff"));
  EXPECT_FALSE(proxies.Contains("2001:db8:8000::"));
  EXPECT_TRUE(proxies.Contains("fd00::"));
  EXPECT_TRUE(proxies.Contains("fd00::1"));
  EXPECT_FALSE(proxies.Contains("fd00::2"));
  EXPECT_TRUE(proxies.Contains("2001:db8:ffff::1"));
  EXPECT_FALSE(proxies.Contains("2001:db8:ffff::2"));
  // Address families never match each other by accident.
  EXPECT_FALSE(proxies.Contains("32.1.13.184"));
}

TEST(TrustedProxiesTest, Ipv4MappedIpv6IsTheIpv4Address) {
  TrustedProxies v4 = MustParse({"10.0.0.0/8"});
  EXPECT_TRUE(v4.Contains("::ffff:10.1.2.3"));
  EXPECT_FALSE(v4.Contains("::ffff:11.1.2.3"));
  TrustedProxies mapped = MustParse({"::ffff:10.0.0.0/104"});
  EXPECT_TRUE(mapped.Contains("10.1.2.3"));
  EXPECT_TRUE(mapped.Contains("::ffff:10.1.2.3"));
  EXPECT_FALSE(mapped.Contains("11.1.2.3"));
  // An IPv6 network that holds the mapped range holds IPv4 addresses too.
  TrustedProxies wide = MustParse({"::fffe:0:0/95"});
  EXPECT_TRUE(wide.Contains("1.2.3.4"));
}

TEST(TrustedProxiesTest, BadEntriesAreRejectedNamingSettingAndEntry) {
  for (const char* bad :
       {"nope", "10.0.0", "10.0.0.0/33", "10.0.0.0/", "10.0.0.0/x",
        "10.0.0.0/8/8", "10.0.0.0/-1", "10.0.0.0/+8", "::/129", "1.2.3.4:80",
        "10.0.0.1/8", "2001:db8::1/32", "0.0.0.0/0", "::/0",
        "::ffff:0.0.0.0/96"}) {
    Result<TrustedProxies> proxies = TrustedProxies::Parse({"10.0.0.1", bad});
    ASSERT_FALSE(proxies.ok()) << bad;
    EXPECT_EQ(proxies.error().code, ErrorCode::kValidationFailed) << bad;
    EXPECT_NE(proxies.error().message.find("GATEHOUSE_TRUSTED_PROXIES"),
              std::string::npos);
    EXPECT_NE(proxies.error().message.find(std::string("'") + bad + "'"),
              std::string::npos)
        << proxies.error().message;
  }
}

// --- ResolveClientIp ---

class ResolveClientIpTest : public ::testing::Test {
 protected:
  TrustedProxies proxies_ = MustParse({"10.0.0.0/8", "2001:db8:1::/48"});
};

TEST_F(ResolveClientIpTest, SpoofedForwardedForFromUntrustedPeerIsIgnored) {
  Request req = WithForwardedFor({"1.2.3.4"});
  EXPECT_EQ(ResolveClientIp(req, "203.0.113.9", proxies_), "203.0.113.9");
  // With no trusted proxies at all, the header is never believed.
  EXPECT_EQ(ResolveClientIp(req, "10.0.0.1", TrustedProxies()), "10.0.0.1");
}

TEST_F(ResolveClientIpTest, TrustedPeerWithoutHeaderIsTheClient) {
  EXPECT_EQ(ResolveClientIp(WithForwardedFor({}), "10.0.0.1", proxies_),
            "10.0.0.1");
}

TEST_F(ResolveClientIpTest, OneProxy) {
  Request req = WithForwardedFor({"198.51.100.7"});
  EXPECT_EQ(ResolveClientIp(req, "10.0.0.1", proxies_), "198.51.100.7");
}

TEST_F(ResolveClientIpTest, ClientSuppliedEntriesLeftOfTheProxyAreIgnored) {
  // The client sent "X-Forwarded-For: 6.6.6.6"; our proxy appended the
  // address it really saw.
  Request req = WithForwardedFor({"6.6.6.6, 198.51.100.7"});
  EXPECT_EQ(ResolveClientIp(req, "10.0.0.1", proxies_), "198.51.100.7");
}

TEST_F(ResolveClientIpTest, ChainOfProxiesIsSkippedFromTheRight) {
  Request req = WithForwardedFor({"6.6.6.6,198.51.100.7 ,10.0.0.2,  10.9.0.3"});
  EXPECT_EQ(ResolveClientIp(req, "10.0.0.1", proxies_), "198.51.100.7");
}

TEST_F(ResolveClientIpTest, EveryHeaderCountsAndTheLastIsNearest) {
  Request split = WithForwardedFor({"6.6.6.6, 198.51.100.7", "10.0.0.2"});
  EXPECT_EQ(ResolveClientIp(split, "10.0.0.1", proxies_), "198.51.100.7");
  Request two = WithForwardedFor({"198.51.100.7", "203.0.113.5"});
  EXPECT_EQ(ResolveClientIp(two, "10.0.0.1", proxies_), "203.0.113.5");
}

TEST_F(ResolveClientIpTest, AllHopsTrustedGivesTheLeftMost) {
  Request req = WithForwardedFor({"10.0.0.5, 10.0.0.6", "10.0.0.7"});
  EXPECT_EQ(ResolveClientIp(req, "10.0.0.1", proxies_), "10.0.0.5");
}

TEST_F(ResolveClientIpTest, MalformedEntryStopsTheWalkAtTheLastGoodAddress) {
  EXPECT_EQ(ResolveClientIp(WithForwardedFor({"6.6.6.6, garbage, 10.0.0.2"}),
                            "10.0.0.1", proxies_),
            "10.0.0.2");
  for (const char* bad : {"198.51.100.7:1234", "unknown", "", " ", "[::1]",
                          "fe80::1%eth0", "1.2.3.4,"}) {
    EXPECT_EQ(ResolveClientIp(WithForwardedFor({bad}), "10.0.0.1", proxies_),
              "10.0.0.1")
        << bad;
  }
  EXPECT_EQ(ResolveClientIp(WithForwardedFor({"1.2.3.4,,10.0.0.2"}), "10.0.0.1",
                            proxies_),
            "10.0.0.2");
}

TEST_F(ResolveClientIpTest, Ipv6ChainsAndNormalisation) {
  Request req = WithForwardedFor({"2001:DB8:FFFF:0:0:0:0:1, 2001:db8:1::7"});
  EXPECT_EQ(ResolveClientIp(req, "2001:db8:1::5", proxies_),
            "2001:db8:ffff::1");
  // Mixed families: an IPv4 client behind an IPv6 proxy.
  Request mixed = WithForwardedFor({"198.51.100.7"});
  EXPECT_EQ(ResolveClientIp(mixed, "2001:db8:1::5", proxies_), "198.51.100.7");
  EXPECT_EQ(ResolveClientIp(mixed, "2001:db8:2::5", proxies_), "2001:db8:2::5");
}

TEST_F(ResolveClientIpTest, Ipv4MappedAddressesAreReturnedAsIpv4) {
  Request req = WithForwardedFor({"::ffff:198.51.100.7"});
  EXPECT_EQ(ResolveClientIp(req, "::ffff:10.0.0.1", proxies_), "198.51.100.7");
  EXPECT_EQ(ResolveClientIp(req, "::ffff:203.0.113.9", proxies_),
            "203.0.113.9");
}

TEST_F(ResolveClientIpTest, LinkLocalPeerWithZoneIsStillAPeer) {
  TrustedProxies link_local = MustParse({"fe80::/10"});
  Request req = WithForwardedFor({"198.51.100.7"});
  EXPECT_EQ(ResolveClientIp(req, "fe80::1%lo", link_local), "198.51.100.7");
  // Untrusted: the peer itself (its zone spelled as the system does).
  EXPECT_TRUE(
      ResolveClientIp(req, "fe80::1%lo", proxies_).starts_with("fe80::1"));
}

TEST_F(ResolveClientIpTest, UnparseablePeerIsReturnedAsGiven) {
  Request req = WithForwardedFor({"198.51.100.7"});
  EXPECT_EQ(ResolveClientIp(req, "", proxies_), "");
  EXPECT_EQ(ResolveClientIp(req, "peer", proxies_), "peer");
}

}  // namespace
}  // namespace gatehouse
