// Conformance cases: revoking sessions, one or all of a user. The suite, its
// fixture and how a backend runs it: storage/store_conformance.h.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "storage/conformance/helpers.h"
#include "storage/store_conformance.h"

namespace gatehouse::conformance {
namespace {

TEST_P(StoreConformanceTest, RevokeSessionRevokesOnceThenReturnsFalse) {
  ASSERT_TRUE(IsOk(SeedAliceAndBob(store())));
  ASSERT_TRUE(IsOk(SeedSessions(store(), {MakeSession("s-1", "user-a")})));

  auto first = Write(store(), [](Tx& tx) {
    return tx.RevokeSession("s-1", kT0 + kMinute, "logout");
  });
  ASSERT_TRUE(IsOk(first));
  EXPECT_TRUE(*first);
  auto second = Write(store(), [](Tx& tx) {
    return tx.RevokeSession("s-1", kT0 + kDay, "reuse");
  });
  ASSERT_TRUE(IsOk(second));
  EXPECT_FALSE(*second);

  // The first revocation's time and reason stand.
  auto got = Read(store(), [](Tx& tx) { return tx.GetSession("s-1"); });
  ASSERT_TRUE(IsOk(got));
  EXPECT_EQ(Ms(got->revoked_at), Ms(kT0 + kMinute));
  EXPECT_EQ(got->revoke_reason, "logout");
}

TEST_P(StoreConformanceTest, RevokeSessionUnknownIsNotFound) {
  ASSERT_TRUE(IsOk(SeedAliceAndBob(store())));
  auto got = Write(store(), [](Tx& tx) {
    return tx.RevokeSession("s-none", kT0, "logout");
  });
  EXPECT_TRUE(HasCode(got, ErrorCode::kNotFound));
}

TEST_P(StoreConformanceTest, RevokeSessionLeavesOtherSessionsAlone) {
  ASSERT_TRUE(IsOk(SeedAliceAndBob(store())));
  ASSERT_TRUE(
      IsOk(SeedSessions(store(), {MakeSession("s-a1", "user-a"),
                                  MakeSession("s-a2", "user-a", kT0 + kMinute),
                                  MakeSession("s-b1", "user-b")})));
  auto revoked = Write(store(), [](Tx& tx) {
    return tx.RevokeSession("s-b1", kT0 + kMinute, "logout");
  });
  ASSERT_TRUE(IsOk(revoked));
  EXPECT_TRUE(*revoked);

  auto alices = Read(store(), [](Tx& tx) {
    return tx.ListActiveSessions("user-a", kT0 + kDay);
  });
  ASSERT_TRUE(IsOk(alices));
  EXPECT_EQ(Ids(*alices), (std::vector<std::string>{"s-a2", "s-a1"}));
  auto a1 = Read(store(), [](Tx& tx) { return tx.GetSession("s-a1"); });
  ASSERT_TRUE(IsOk(a1));
  EXPECT_EQ(Fields(*a1), Fields(MakeSession("s-a1", "user-a")));
}

TEST_P(StoreConformanceTest, RevokeUserSessionsRevokesEveryUnrevokedSession) {
  ASSERT_TRUE(IsOk(SeedAliceAndBob(store())));
  Session earlier = MakeSession("s-3", "user-a", kT0 + 2 * kMinute);
  earlier.revoked_at = kT0 + 3 * kMinute;
  earlier.revoke_reason = "logout";
  Session expired = MakeSession("s-4", "user-a");
  expired.expires_at = kT0 + kMinute;  // expired but not revoked: included
  ASSERT_TRUE(IsOk(
      SeedSessions(store(), {MakeSession("s-1", "user-a"),
                             MakeSession("s-2", "user-a"), earlier, expired})));

  auto ids = Write(store(), [](Tx& tx) {
    return tx.RevokeUserSessions("user-a", kT0 + kDay, "logout-all",
                                 std::nullopt);
  });
  ASSERT_TRUE(IsOk(ids));
  std::vector<std::string> sorted = *ids;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(sorted, (std::vector<std::string>{"s-1", "s-2", "s-4"}));

  auto s1 = Read(store(), [](Tx& tx) { return tx.GetSession("s-1"); });
  ASSERT_TRUE(IsOk(s1));
  EXPECT_EQ(Ms(s1->revoked_at), Ms(kT0 + kDay));
  EXPECT_EQ(s1->revoke_reason, "logout-all");
  auto s3 = Read(store(), [](Tx& tx) { return tx.GetSession("s-3"); });
  ASSERT_TRUE(IsOk(s3));
  EXPECT_EQ(Fields(*s3), Fields(earlier));  // already revoked: untouched
  auto active = Read(
      store(), [](Tx& tx) { return tx.ListActiveSessions("user-a", kT0); });
  ASSERT_TRUE(IsOk(active));
  EXPECT_TRUE(active->empty());

  // Nothing left to revoke.
  ids = Write(store(), [](Tx& tx) {
    return tx.RevokeUserSessions("user-a", kT0 + 2 * kDay, "logout-all",
                                 std::nullopt);
  });
  ASSERT_TRUE(IsOk(ids));
  EXPECT_TRUE(ids->empty());
}

TEST_P(StoreConformanceTest, RevokeUserSessionsKeepsTheExceptedSession) {
  ASSERT_TRUE(IsOk(SeedAliceAndBob(store())));
  ASSERT_TRUE(IsOk(SeedSessions(
      store(), {MakeSession("s-1", "user-a"),
                MakeSession("s-2", "user-a", kT0 + kMinute),
                MakeSession("s-3", "user-a", kT0 + 2 * kMinute)})));
  auto ids = Write(store(), [](Tx& tx) {
    return tx.RevokeUserSessions("user-a", kT0 + kDay, "password-change",
                                 std::string_view("s-2"));
  });
  ASSERT_TRUE(IsOk(ids));
  std::vector<std::string> sorted = *ids;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(sorted, (std::vector<std::string>{"s-1", "s-3"}));
  auto active = Read(store(), [](Tx& tx) {
    return tx.ListActiveSessions("user-a", kT0 + kDay);
  });
  ASSERT_TRUE(IsOk(active));
  EXPECT_EQ(Ids(*active), (std::vector<std::string>{"s-2"}));
}

TEST_P(StoreConformanceTest, RevokeUserSessionsNeverTouchesAnotherUser) {
  ASSERT_TRUE(IsOk(SeedAliceAndBob(store())));
  ASSERT_TRUE(IsOk(
      SeedSessions(store(), {MakeSession("s-a1", "user-a"),
                             MakeSession("s-a2", "user-a", kT0 + kMinute),
                             MakeSession("s-b1", "user-b"),
                             MakeSession("s-b2", "user-b", kT0 + kMinute)})));

  // Bob's logout-all, even naming one of Alice's sessions as the exception.
  auto ids = Write(store(), [](Tx& tx) {
    return tx.RevokeUserSessions("user-b", kT0 + kDay, "logout-all",
                                 std::string_view("s-a1"));
  });
  ASSERT_TRUE(IsOk(ids));
  std::vector<std::string> sorted = *ids;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(sorted, (std::vector<std::string>{"s-b1", "s-b2"}));
  ids = Write(store(), [](Tx& tx) {
    return tx.RevokeUserSessions("user-c", kT0 + kDay, "logout-all",
                                 std::nullopt);
  });
  ASSERT_TRUE(IsOk(ids));
  EXPECT_TRUE(ids->empty());

  auto alices = Read(store(), [](Tx& tx) {
    return tx.ListActiveSessions("user-a", kT0 + kDay);
  });
  ASSERT_TRUE(IsOk(alices));
  EXPECT_EQ(Ids(*alices), (std::vector<std::string>{"s-a2", "s-a1"}));
  auto a1 = Read(store(), [](Tx& tx) { return tx.GetSession("s-a1"); });
  ASSERT_TRUE(IsOk(a1));
  EXPECT_EQ(Fields(*a1), Fields(MakeSession("s-a1", "user-a")));
}

}  // namespace
}  // namespace gatehouse::conformance
