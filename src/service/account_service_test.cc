#include "service/account_service.h"

#include <gtest/gtest.h>

#include "core/audit.h"
#include "testing/service_fixture.h"

namespace gatehouse {
namespace {

using std::chrono::minutes;

class AccountServiceTest : public testkit::ServiceTest {
 protected:
  AccountService account_{*store_, crypto_, clock_, {3, minutes(15)}};
};

// F2: every sign-in is a device of its own, listed and revoked alone.
TEST_F(AccountServiceTest, F2_ListsOwnSessionsAndRevokesOneAlone) {
  NewUser("a@example.test");
  Identity laptop = SignIn("a@example.test", "laptop");
  clock_.Advance(minutes(1));
  Identity phone = SignIn("a@example.test", "phone");
  auto sessions = account_.ListSessions(laptop);
  ASSERT_TRUE(sessions.ok());
  ASSERT_EQ(sessions->size(), 2u);
  EXPECT_EQ((*sessions)[0].user_agent, "phone") << "newest first";
  EXPECT_EQ((*sessions)[0].ip, "198.51.100.1");

  ASSERT_TRUE(account_.RevokeSession(laptop, phone.session_id, client_).ok());
  EXPECT_EQ(account_.ListSessions(laptop)->size(), 1u);
  EXPECT_EQ(
      account_.RevokeSession(laptop, phone.session_id, client_).error().code,
      ErrorCode::kNotFound)
      << "already ended";
  EXPECT_EQ(Audit()[0].type, audit::kSessionRevoked);
}

TEST_F(AccountServiceTest, CannotSeeOrRevokeAnotherUsersSessions) {
  NewUser("b@example.test");
  NewUser("c@example.test");
  Identity b = SignIn("b@example.test");
  Identity c = SignIn("c@example.test");
  EXPECT_EQ(account_.ListSessions(b)->size(), 1u);
  EXPECT_EQ(account_.RevokeSession(b, c.session_id, client_).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(account_.RevokeSession(b, "no-such-id", client_).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(account_.ListSessions(c)->size(), 1u);
}

TEST_F(AccountServiceTest, PasswordChangeRevokesEveryOtherSession) {
  NewUser("d@example.test");
  Identity here = SignIn("d@example.test");
  SignIn("d@example.test");
  ASSERT_TRUE(account_
                  .ChangePassword(here, testkit::kTestPassword,
                                  "a brand new password", client_)
                  .ok());
  auto sessions = account_.ListSessions(here);
  ASSERT_EQ(sessions->size(), 1u);
  EXPECT_EQ((*sessions)[0].id, here.session_id);
  EXPECT_EQ(Audit()[0].type, audit::kPasswordChanged);
  EXPECT_FALSE(
      auth_->Login("d@example.test", testkit::kTestPassword, client_, {}).ok());
  EXPECT_TRUE(
      auth_->Login("d@example.test", "a brand new password", client_, {}).ok());
}

TEST_F(AccountServiceTest,
       PasswordChangeChecksTheCurrentPasswordAndLimitsGuesses) {
  NewUser("e@example.test");
  Identity who = SignIn("e@example.test");
  EXPECT_EQ(
      account_.ChangePassword(who, testkit::kTestPassword, "short", client_)
          .error()
          .code,
      ErrorCode::kValidationFailed);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(account_
                  .ChangePassword(who, "wrong password", "another new password",
                                  client_)
                  .error()
                  .code,
              ErrorCode::kInvalidCredentials);
  }
  auto limited = account_.ChangePassword(who, testkit::kTestPassword,
                                         "another new password", client_);
  ASSERT_FALSE(limited.ok());
  EXPECT_EQ(limited.error().code, ErrorCode::kRateLimited);
  EXPECT_GT(*limited.error().retry_after_seconds, 0);
}

}  // namespace
}  // namespace gatehouse
