#include "core/ids.h"

#include <gtest/gtest.h>

#include <set>

#include "testing/seeded_random.h"

namespace gatehouse {
namespace {

TEST(IdsTest, UuidsAreVersion4AndDistinct) {
  testkit::SeededRandom random;
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    std::string id = NewUuid(random);
    EXPECT_TRUE(LooksLikeUuid(id)) << id;
    EXPECT_EQ(id[14], '4');
    EXPECT_TRUE(std::string("89ab").find(id[19]) != std::string::npos);
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 100u);
  EXPECT_FALSE(LooksLikeUuid("not-a-uuid"));
  EXPECT_FALSE(LooksLikeUuid("00000000-0000-4000-8000-00000000000G"));
}

TEST(IdsTest, RefreshTokensCarry256BitsAsBase64Url) {
  testkit::SeededRandom random;
  std::string token = NewOpaqueToken(random);
  EXPECT_EQ(token.size(), 43u);  // ceil(32 * 4 / 3) without padding
  EXPECT_EQ(
      token.find_first_not_of(
          "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
      std::string::npos);
  EXPECT_NE(token, NewOpaqueToken(random));
}

}  // namespace
}  // namespace gatehouse
