#include "core/session_rules.h"

#include <gtest/gtest.h>

namespace gatehouse {
namespace {

constexpr Time kT0{std::chrono::seconds(1'700'000'000)};

Session LiveSession() {
  Session s;
  s.id = "s1";
  s.user_id = "u1";
  s.created_at = kT0;
  s.expires_at = kT0 + std::chrono::hours(24);
  s.absolute_expires_at = kT0 + std::chrono::hours(24 * 90);
  return s;
}

TEST(SessionRulesTest, LiveSessionHonoursAccessTokensAndCanRefresh) {
  Session s = LiveSession();
  EXPECT_TRUE(SessionHonoursAccessTokens(s, kT0));
  EXPECT_TRUE(SessionCanRefresh(s, kT0));
}

TEST(SessionRulesTest, RevokedSessionIsOverForBoth) {
  Session s = LiveSession();
  s.revoked_at = kT0;
  EXPECT_FALSE(SessionHonoursAccessTokens(s, kT0));
  EXPECT_FALSE(SessionCanRefresh(s, kT0));
}

TEST(SessionRulesTest, AbsoluteExpiryEndsBothAtTheInstant) {
  Session s = LiveSession();
  const Time end = s.absolute_expires_at;
  EXPECT_TRUE(
      SessionHonoursAccessTokens(s, end - std::chrono::milliseconds(1)));
  EXPECT_FALSE(SessionHonoursAccessTokens(s, end));
  s.expires_at = end;
  EXPECT_FALSE(SessionCanRefresh(s, end));
}

// The rules differ here: an idle session's refresh token has expired, yet
// an access token issued just before still lives out its `exp`.
TEST(SessionRulesTest, ExpiredRefreshTokenStillHonoursAccessTokens) {
  Session s = LiveSession();
  const Time after_refresh_expiry = s.expires_at;
  EXPECT_TRUE(SessionHonoursAccessTokens(s, after_refresh_expiry));
  EXPECT_FALSE(SessionCanRefresh(s, after_refresh_expiry));
}

}  // namespace
}  // namespace gatehouse
