// Conformance cases: users. The suite, its fixture and how a
// backend runs it: storage/store_conformance.h.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "storage/conformance/helpers.h"
#include "storage/store_conformance.h"

namespace gatehouse::conformance {
namespace {

TEST_P(StoreConformanceTest, InsertUserThenGetUserReturnsEveryField) {
  User alice = MakeUser("user-a", "alice@example.com", kT0);
  alice.role = kAdminRole;
  alice.disabled = true;
  alice.updated_at = kT0 + kMinute;
  ASSERT_TRUE(IsOk(SeedUsers(store(), {alice})));

  auto got = Read(store(), [](Tx& tx) { return tx.GetUser("user-a"); });
  ASSERT_TRUE(IsOk(got));
  EXPECT_EQ(Fields(*got), Fields(alice));
}

TEST_P(StoreConformanceTest, InsertUserStoresEmailLowerCase) {
  ASSERT_TRUE(
      IsOk(SeedUsers(store(), {MakeUser("user-a", "Alice@Example.COM")})));
  auto got = Read(store(), [](Tx& tx) { return tx.GetUser("user-a"); });
  ASSERT_TRUE(IsOk(got));
  EXPECT_EQ(got->email, "alice@example.com");
}

TEST_P(StoreConformanceTest, FindUserByEmailIgnoresCase) {
  ASSERT_TRUE(
      IsOk(SeedUsers(store(), {MakeUser("user-a", "Alice@Example.com")})));
  for (const char* email :
       {"alice@example.com", "ALICE@EXAMPLE.COM", "aLiCe@eXaMpLe.CoM"}) {
    auto got = Read(store(), [&](Tx& tx) { return tx.FindUserByEmail(email); });
    ASSERT_TRUE(IsOk(got)) << email;
    EXPECT_EQ(got->id, "user-a") << email;
  }
}

TEST_P(StoreConformanceTest, FindUserByEmailReturnsOnlyThatUser) {
  ASSERT_TRUE(IsOk(SeedAliceAndBob(store())));
  auto bob = Read(store(),
                  [](Tx& tx) { return tx.FindUserByEmail("BOB@example.com"); });
  ASSERT_TRUE(IsOk(bob));
  EXPECT_EQ(bob->id, "user-b");
  auto alice = Read(
      store(), [](Tx& tx) { return tx.FindUserByEmail("alice@example.com"); });
  ASSERT_TRUE(IsOk(alice));
  EXPECT_EQ(alice->id, "user-a");
}

TEST_P(StoreConformanceTest, FindUserByEmailUnknownIsNotFound) {
  ASSERT_TRUE(IsOk(SeedAliceAndBob(store())));
  auto got = Read(
      store(), [](Tx& tx) { return tx.FindUserByEmail("carol@example.com"); });
  EXPECT_TRUE(HasCode(got, ErrorCode::kNotFound));
  // A prefix of a stored email is not a match.
  got = Read(store(), [](Tx& tx) { return tx.FindUserByEmail("alice@"); });
  EXPECT_TRUE(HasCode(got, ErrorCode::kNotFound));
}

TEST_P(StoreConformanceTest, GetUserUnknownIsNotFound) {
  ASSERT_TRUE(IsOk(SeedAliceAndBob(store())));
  auto got = Read(store(), [](Tx& tx) { return tx.GetUser("user-c"); });
  EXPECT_TRUE(HasCode(got, ErrorCode::kNotFound));
}

TEST_P(StoreConformanceTest, InsertUserWithTakenEmailInAnyCaseConflicts) {
  ASSERT_TRUE(IsOk(SeedAliceAndBob(store())));
  Status st = SeedUsers(store(), {MakeUser("user-c", "ALICE@example.com")});
  EXPECT_TRUE(HasCode(st, ErrorCode::kConflict));

  auto count = Read(store(), [](Tx& tx) { return tx.CountUsers(); });
  ASSERT_TRUE(IsOk(count));
  EXPECT_EQ(*count, 2);
  auto alice = Read(
      store(), [](Tx& tx) { return tx.FindUserByEmail("alice@example.com"); });
  ASSERT_TRUE(IsOk(alice));
  EXPECT_EQ(alice->id, "user-a");
}

TEST_P(StoreConformanceTest, InsertUserWithTakenIdConflicts) {
  ASSERT_TRUE(IsOk(SeedAliceAndBob(store())));
  Status st = SeedUsers(store(), {MakeUser("user-a", "carol@example.com")});
  EXPECT_TRUE(HasCode(st, ErrorCode::kConflict));
  auto carol = Read(
      store(), [](Tx& tx) { return tx.FindUserByEmail("carol@example.com"); });
  EXPECT_TRUE(HasCode(carol, ErrorCode::kNotFound));
}

TEST_P(StoreConformanceTest, CountUsersCountsEveryUser) {
  auto count = Read(store(), [](Tx& tx) { return tx.CountUsers(); });
  ASSERT_TRUE(IsOk(count));
  EXPECT_EQ(*count, 0);
  ASSERT_TRUE(IsOk(SeedAliceAndBob(store())));
  ASSERT_TRUE(
      IsOk(SeedUsers(store(), {MakeUser("user-c", "carol@example.com")})));
  count = Read(store(), [](Tx& tx) { return tx.CountUsers(); });
  ASSERT_TRUE(IsOk(count));
  EXPECT_EQ(*count, 3);
}

TEST_P(StoreConformanceTest, ListUsersPagesByCreatedAtThenId) {
  // Inserted out of order; u-b and u-c share a created_at, so id decides.
  ASSERT_TRUE(IsOk(
      SeedUsers(store(), {MakeUser("u-c", "c@example.com", kT0 + kMinute),
                          MakeUser("u-e", "e@example.com", kT0 + 3 * kMinute),
                          MakeUser("u-a", "a@example.com", kT0),
                          MakeUser("u-d", "d@example.com", kT0 + 2 * kMinute),
                          MakeUser("u-b", "b@example.com", kT0 + kMinute)})));

  auto page = Read(store(), [](Tx& tx) { return tx.ListUsers("", 2); });
  ASSERT_TRUE(IsOk(page));
  EXPECT_EQ(Ids(*page), (std::vector<std::string>{"u-a", "u-b"}));
  page = Read(store(), [](Tx& tx) { return tx.ListUsers("u-b", 2); });
  ASSERT_TRUE(IsOk(page));
  EXPECT_EQ(Ids(*page), (std::vector<std::string>{"u-c", "u-d"}));
  page = Read(store(), [](Tx& tx) { return tx.ListUsers("u-d", 2); });
  ASSERT_TRUE(IsOk(page));
  EXPECT_EQ(Ids(*page), (std::vector<std::string>{"u-e"}));
  page = Read(store(), [](Tx& tx) { return tx.ListUsers("u-e", 2); });
  ASSERT_TRUE(IsOk(page));
  EXPECT_TRUE(page->empty());

  page = Read(store(), [](Tx& tx) { return tx.ListUsers("", 100); });
  ASSERT_TRUE(IsOk(page));
  EXPECT_EQ(Ids(*page),
            (std::vector<std::string>{"u-a", "u-b", "u-c", "u-d", "u-e"}));
  EXPECT_EQ(Fields((*page)[0]), Fields(MakeUser("u-a", "a@example.com", kT0)));
}

TEST_P(StoreConformanceTest, ListUsersWithZeroLimitIsEmpty) {
  ASSERT_TRUE(IsOk(SeedAliceAndBob(store())));
  auto page = Read(store(), [](Tx& tx) { return tx.ListUsers("", 0); });
  ASSERT_TRUE(IsOk(page));
  EXPECT_TRUE(page->empty());
}

TEST_P(StoreConformanceTest, UpdateUserReplacesOnlyItsMutableFields) {
  ASSERT_TRUE(IsOk(SeedAliceAndBob(store())));
  User changed = MakeUser("user-a", "ignored@example.com", kT0 + kDay);
  changed.role = kAdminRole;
  changed.name = "Alice Liddell";
  changed.disabled = true;
  changed.password_hash = "$argon2id$new";
  changed.updated_at = kT0 + kDay;
  ASSERT_TRUE(IsOk(store().Run(
      TxMode::kWrite, [&](Tx& tx) { return tx.UpdateUser(changed); })));

  auto alice = Read(store(), [](Tx& tx) { return tx.GetUser("user-a"); });
  ASSERT_TRUE(IsOk(alice));
  EXPECT_EQ(alice->role, kAdminRole);
  EXPECT_EQ(alice->name, "Alice Liddell");
  EXPECT_TRUE(alice->disabled);
  EXPECT_EQ(alice->password_hash, "$argon2id$new");
  // Identity and creation are not UpdateUser's to change.
  EXPECT_EQ(alice->email, "alice@example.com");
  EXPECT_EQ(Ms(alice->created_at), Ms(kT0));
}

TEST_P(StoreConformanceTest, UpdateUserLeavesOtherUsersAlone) {
  ASSERT_TRUE(IsOk(SeedAliceAndBob(store())));
  User bob = MakeUser("user-b", "bob@example.com");
  bob.role = kAdminRole;
  bob.disabled = true;
  ASSERT_TRUE(IsOk(
      store().Run(TxMode::kWrite, [&](Tx& tx) { return tx.UpdateUser(bob); })));
  auto alice = Read(store(), [](Tx& tx) { return tx.GetUser("user-a"); });
  ASSERT_TRUE(IsOk(alice));
  EXPECT_EQ(Fields(*alice), Fields(MakeUser("user-a", "alice@example.com")));
}

TEST_P(StoreConformanceTest, UpdateUserUnknownIsNotFound) {
  ASSERT_TRUE(IsOk(SeedAliceAndBob(store())));
  Status st = store().Run(TxMode::kWrite, [](Tx& tx) {
    return tx.UpdateUser(MakeUser("user-c", "carol@example.com"));
  });
  EXPECT_TRUE(HasCode(st, ErrorCode::kNotFound));
  auto count = Read(store(), [](Tx& tx) { return tx.CountUsers(); });
  ASSERT_TRUE(IsOk(count));
  EXPECT_EQ(*count, 2);  // no upsert
}

}  // namespace
}  // namespace gatehouse::conformance
