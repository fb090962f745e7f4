// Conformance cases: the change feed every instance polls. The suite, its
// fixture and how a backend runs it: storage/store_conformance.h.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "storage/conformance/helpers.h"
#include "storage/store_conformance.h"

namespace gatehouse::conformance {
namespace {

TEST_P(StoreConformanceTest,
       ListSessionsRevokedSinceIsEmptyWithoutRevocations) {
  ASSERT_TRUE(IsOk(SeedSessionsOfAliceAndBob(store())));
  auto got =
      Read(store(), [](Tx& tx) { return tx.ListSessionsRevokedSince(kT0); });
  ASSERT_TRUE(IsOk(got));
  EXPECT_TRUE(got->empty());
}

TEST_P(StoreConformanceTest, ListSessionsRevokedSinceIsInclusiveAndOrdered) {
  ASSERT_TRUE(IsOk(SeedAliceAndBob(store())));
  ASSERT_TRUE(IsOk(SeedSessions(
      store(), {MakeSession("s-old", "user-a"), MakeSession("s-at", "user-a"),
                MakeSession("s-late", "user-b"), MakeSession("s-tie", "user-b"),
                MakeSession("s-live", "user-a")})));
  ASSERT_TRUE(IsOk(Write(store(), [](Tx& tx) -> Status {
    GH_RETURN_IF_ERROR(
        tx.RevokeSession("s-old", kT0 + kMinute - milliseconds(1), "logout"));
    GH_RETURN_IF_ERROR(tx.RevokeSession("s-late", kT0 + 2 * kMinute, "admin"));
    GH_RETURN_IF_ERROR(tx.RevokeSession("s-tie", kT0 + 2 * kMinute, "admin"));
    GH_RETURN_IF_ERROR(tx.RevokeSession("s-at", kT0 + kMinute, "logout"));
    return Ok();
  })));

  auto got = Read(store(), [](Tx& tx) {
    return tx.ListSessionsRevokedSince(kT0 + kMinute);
  });
  ASSERT_TRUE(IsOk(got));
  std::vector<std::pair<std::string, int64_t>> rows;
  for (const RevokedSession& r : *got)
    rows.emplace_back(r.id, Ms(r.revoked_at));
  EXPECT_EQ(rows, (std::vector<std::pair<std::string, int64_t>>{
                      {"s-at", Ms(kT0 + kMinute)},
                      {"s-late", Ms(kT0 + 2 * kMinute)},
                      {"s-tie", Ms(kT0 + 2 * kMinute)},
                  }));
}

TEST_P(StoreConformanceTest, ListSessionsRevokedSinceSeesRevokeUserSessions) {
  ASSERT_TRUE(IsOk(SeedSessionsOfAliceAndBob(store())));
  ASSERT_TRUE(IsOk(Write(store(), [](Tx& tx) {
    return tx.RevokeUserSessions("user-b", kT0 + kDay, "disabled",
                                 std::nullopt);
  })));
  auto got = Read(
      store(), [](Tx& tx) { return tx.ListSessionsRevokedSince(kT0 + kDay); });
  ASSERT_TRUE(IsOk(got));
  ASSERT_EQ(got->size(), 1u);
  EXPECT_EQ(got->front().id, "s-b");
  EXPECT_EQ(Ms(got->front().revoked_at), Ms(kT0 + kDay));
}

TEST_P(StoreConformanceTest, ListUsersUpdatedSinceIsInclusiveInIdOrder) {
  ASSERT_TRUE(IsOk(SeedUsers(
      store(), {MakeUser("user-c", "carol@example.com", kT0 + kMinute),
                MakeUser("user-a", "alice@example.com", kT0 + 2 * kMinute),
                MakeUser("user-b", "bob@example.com",
                         kT0 + kMinute - milliseconds(1))})));
  auto got = Read(
      store(), [](Tx& tx) { return tx.ListUsersUpdatedSince(kT0 + kMinute); });
  ASSERT_TRUE(IsOk(got));
  EXPECT_EQ(*got, (std::vector<std::string>{"user-a", "user-c"}));
}

TEST_P(StoreConformanceTest, ListUsersUpdatedSinceSeesUpdateUser) {
  ASSERT_TRUE(IsOk(SeedAliceAndBob(store())));
  User changed = MakeUser("user-b", "bob@example.com");
  changed.role = kAdminRole;
  changed.updated_at = kT0 + kDay;
  ASSERT_TRUE(
      IsOk(Write(store(), [&](Tx& tx) { return tx.UpdateUser(changed); })));
  auto got = Read(
      store(), [](Tx& tx) { return tx.ListUsersUpdatedSince(kT0 + kMinute); });
  ASSERT_TRUE(IsOk(got));
  EXPECT_EQ(*got, (std::vector<std::string>{"user-b"}));
}

}  // namespace
}  // namespace gatehouse::conformance
