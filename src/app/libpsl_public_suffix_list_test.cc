#include "app/libpsl_public_suffix_list.h"

#include <gtest/gtest.h>

namespace gatehouse {
namespace {

// Answers of the real list (Debian's publicsuffix data through libpsl).
// The fakes in core's tests stand in for exactly these.
class LibPslPublicSuffixListTest : public ::testing::Test {
 protected:
  LibPslPublicSuffixList psl_;
};

TEST_F(LibPslPublicSuffixListTest, KnowsPublicSuffixes) {
  for (const char* suffix : {"com", ".com", "com.np", "vercel.app",
                             ".vercel.app", "co.uk", "github.io", "COM.NP"}) {
    EXPECT_TRUE(psl_.IsPublicSuffix(suffix)) << suffix;
  }
  for (const char* name :
       {"example.com", ".example.com.np", "school.example.com.np",
        "school-web.vercel.app", ""}) {
    EXPECT_FALSE(psl_.IsPublicSuffix(name)) << name;
  }
}

TEST_F(LibPslPublicSuffixListTest, RegistrableDomainIsTheSuffixPlusOneLabel) {
  EXPECT_EQ(psl_.RegistrableDomain("school.example.com.np"), "example.com.np");
  EXPECT_EQ(psl_.RegistrableDomain("api.school.example.com.np"),
            "example.com.np");
  EXPECT_EQ(psl_.RegistrableDomain("school-web.vercel.app"),
            "school-web.vercel.app");
  EXPECT_EQ(psl_.RegistrableDomain("App.Example.COM"), "example.com");
  EXPECT_EQ(psl_.RegistrableDomain(".example.co.uk"), "example.co.uk");
}

TEST_F(LibPslPublicSuffixListTest, SuffixesLocalhostAndAddressesHaveNone) {
  for (const char* host : {"com", "com.np", "vercel.app", "localhost", "",
                           "127.0.0.1", "192.168.1.20", "[::1]", "::1"}) {
    EXPECT_EQ(psl_.RegistrableDomain(host), "") << host;
  }
  // libpsl alone would call "0.1" the registrable part of 127.0.0.1.
  EXPECT_FALSE(psl_.IsPublicSuffix("127.0.0.1"));
  EXPECT_FALSE(psl_.IsPublicSuffix("[::1]"));
  EXPECT_TRUE(psl_.IsPublicSuffix("localhost"));
}

}  // namespace
}  // namespace gatehouse
