#include "service/admin_service.h"

#include <gtest/gtest.h>

#include "core/audit.h"
#include "testing/service_fixture.h"

namespace gatehouse {
namespace {

class AdminServiceTest : public testkit::ServiceTest {
 protected:
  AdminService admin_{*store_, clock_};
};

TEST_F(AdminServiceTest, OnlyAdminsMayAct) {
  User user = NewUser("u@example.test");
  Actor nobody{user.id, "user"};
  EXPECT_EQ(admin_.ListUsers(nobody, "", 10).error().code,
            ErrorCode::kForbidden);
  EXPECT_EQ(admin_.UpdateUser(nobody, user.id, {"admin", std::nullopt}, client_)
                .error()
                .code,
            ErrorCode::kForbidden);
  EXPECT_EQ(admin_.RevokeUserSessions(nobody, user.id, client_).error().code,
            ErrorCode::kForbidden);
  EXPECT_EQ(admin_.ListAudit(nobody, "", 0, 10).error().code,
            ErrorCode::kForbidden);
}

TEST_F(AdminServiceTest, ListsUsersInPages) {
  for (char c = 'a'; c < 'f'; ++c) NewUser(std::string(1, c) + "@example.test");
  Actor admin = Actor::Cli();
  auto first = admin_.ListUsers(admin, "", 2);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->size(), 2u);
  auto second = admin_.ListUsers(admin, first->back().id, 2);
  ASSERT_EQ(second->size(), 2u);
  EXPECT_NE((*second)[0].id, (*first)[1].id);
  auto rest = admin_.ListUsers(admin, second->back().id, 2);
  EXPECT_EQ(rest->size(), 1u);
}

TEST_F(AdminServiceTest, DisablingRevokesEverySessionAtOnce) {
  User user = NewUser("v@example.test");
  auto issued =
      auth_->Login("v@example.test", testkit::kTestPassword, client_, {});
  ASSERT_TRUE(issued.ok());
  SignIn("v@example.test");
  auto updated =
      admin_.UpdateUser(Actor::Cli(), user.id, {std::nullopt, true}, client_);
  ASSERT_TRUE(updated.ok());
  EXPECT_TRUE(updated->disabled);
  EXPECT_TRUE(admin_.ListUserSessions(Actor::Cli(), user.id)->empty());
  EXPECT_EQ(auth_->Authenticate({issued->access_token}).error().code,
            ErrorCode::kSessionRevoked)
      << "the still-unexpired access token is refused at once";
  EXPECT_EQ(Audit()[0].type, audit::kUserDisabled);
  EXPECT_EQ(Audit()[0].actor_id, "cli");
  EXPECT_EQ(auth_->Login("v@example.test", testkit::kTestPassword, client_, {})
                .error()
                .code,
            ErrorCode::kAccountDisabled);
  ASSERT_TRUE(
      admin_.UpdateUser(Actor::Cli(), user.id, {std::nullopt, false}, client_)
          .ok());
  EXPECT_TRUE(
      auth_->Login("v@example.test", testkit::kTestPassword, client_, {}).ok());
}

TEST_F(AdminServiceTest, RoleChangesAreValidatedAndAudited) {
  User user = NewUser("w@example.test");
  EXPECT_EQ(admin_
                .UpdateUser(Actor::Cli(), user.id,
                            {"Not A Role!", std::nullopt}, client_)
                .error()
                .code,
            ErrorCode::kValidationFailed);
  auto updated = admin_.UpdateUser(Actor::Cli(), user.id,
                                   {"teacher", std::nullopt}, client_);
  ASSERT_TRUE(updated.ok());
  EXPECT_EQ(updated->role, "teacher");
  EXPECT_EQ(Audit()[0].type, audit::kRoleChanged);
  EXPECT_EQ(Audit()[0].detail, "user->teacher");
  EXPECT_EQ(
      admin_.UpdateUser(Actor::Cli(), "missing", {"x", std::nullopt}, client_)
          .error()
          .code,
      ErrorCode::kNotFound);
}

TEST_F(AdminServiceTest, AdminsCannotLockThemselvesOut) {
  User admin_user = NewUser("root@example.test", kAdminRole);
  Actor self{admin_user.id, kAdminRole};
  EXPECT_EQ(
      admin_.UpdateUser(self, admin_user.id, {std::nullopt, true}, client_)
          .error()
          .code,
      ErrorCode::kValidationFailed);
  EXPECT_EQ(
      admin_.UpdateUser(self, admin_user.id, {"user", std::nullopt}, client_)
          .error()
          .code,
      ErrorCode::kValidationFailed);
}

TEST_F(AdminServiceTest, RevokesAllSessionsOfOneUserOnly) {
  User x = NewUser("x@example.test");
  NewUser("y@example.test");
  SignIn("x@example.test");
  SignIn("x@example.test");
  Identity y = SignIn("y@example.test");
  auto count = admin_.RevokeUserSessions(Actor::Cli(), x.id, client_);
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 2);
  EXPECT_TRUE(admin_.ListUserSessions(Actor::Cli(), x.id)->empty());
  EXPECT_EQ(admin_.ListUserSessions(Actor::Cli(), y.user.id)->size(), 1u);
}

TEST_F(AdminServiceTest, AuditLogRecordsWhatHappenedWithoutSecrets) {
  NewUser("z@example.test");
  SignIn("z@example.test");
  EXPECT_FALSE(
      auth_->Login("z@example.test", "wrong password", client_, {}).ok());
  auto events = admin_.ListAudit(Actor::Cli(), "", 0, 10);
  ASSERT_TRUE(events.ok());
  ASSERT_GE(events->size(), 2u);
  EXPECT_EQ((*events)[0].type, audit::kLoginFailed);
  EXPECT_EQ((*events)[1].type, audit::kLoginSucceeded);
  for (const AuditEvent& e : *events) {
    EXPECT_EQ(e.detail.find("password"), std::string::npos);
    EXPECT_EQ(e.detail.find(testkit::kTestPassword), std::string::npos);
  }
}

}  // namespace
}  // namespace gatehouse
