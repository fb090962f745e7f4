#include "core/web_url.h"

#include <gtest/gtest.h>

namespace gatehouse {
namespace {

TEST(ParseWebUrlTest, SplitsSchemeHostAndOrigin) {
  auto url = ParseWebUrl("https://App.School.Example.com.np:8443/login?x=1");
  ASSERT_TRUE(url);
  EXPECT_EQ(url->scheme, "https");
  EXPECT_EQ(url->host, "app.school.example.com.np");
  EXPECT_EQ(url->origin, "https://app.school.example.com.np:8443");
  auto v6 = ParseWebUrl("http://[::1]:8080");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "[::1]");
  EXPECT_EQ(ParseWebUrl("https://api.example.com:443")->origin,
            "https://api.example.com");
}

TEST(ParseWebUrlTest, RejectsWhatIsNotAnHttpUrl) {
  for (const char* bad :
       {"", "null", "*", "api.example.com", "ftp://example.com", "https://",
        "https://user@example.com", "https://example.com:port",
        "https://.example.com", "https://a..example.com", "http://[::1"}) {
    EXPECT_FALSE(ParseWebUrl(bad)) << bad;
  }
}

TEST(IsIpAddressTest, NumbersAndBracketsAreAddressesNamesAreNot) {
  for (const char* ip : {"127.0.0.1", "10.1", "192.168.0.1", "[::1]",
                         "[2001:db8::1]", "0x7f.1"}) {
    EXPECT_TRUE(IsIpAddress(ip)) << ip;
  }
  for (const char* name :
       {"localhost", "example.com", "127.example.com", "1.example", "a1"}) {
    EXPECT_FALSE(IsIpAddress(name)) << name;
  }
}

TEST(IsLoopbackHostTest, LocalhostLoopbackRangeAndIpv6One) {
  for (const char* host :
       {"localhost", "app.localhost", "127.0.0.1", "127.1.2.3", "[::1]"}) {
    EXPECT_TRUE(IsLoopbackHost(host)) << host;
  }
  // A name that merely starts like a loopback address is somebody's host.
  for (const char* host : {"127.example.com", "localhost.example.com",
                           "10.0.0.1", "[::2]", "example.com"}) {
    EXPECT_FALSE(IsLoopbackHost(host)) << host;
  }
}

TEST(IsPotentiallyTrustworthyTest, HttpsOrLoopback) {
  EXPECT_TRUE(IsPotentiallyTrustworthy(*ParseWebUrl("https://example.com")));
  EXPECT_TRUE(IsPotentiallyTrustworthy(*ParseWebUrl("http://localhost:3000")));
  EXPECT_TRUE(IsPotentiallyTrustworthy(*ParseWebUrl("http://127.0.0.1:8080")));
  EXPECT_FALSE(IsPotentiallyTrustworthy(*ParseWebUrl("http://example.com")));
  EXPECT_FALSE(IsPotentiallyTrustworthy(*ParseWebUrl("http://10.0.0.5")));
}

}  // namespace
}  // namespace gatehouse
