// Conformance cases: refresh tokens. The suite, its fixture and how a
// backend runs it: storage/store_conformance.h.
#include <gtest/gtest.h>

#include <string>

#include "storage/conformance/helpers.h"
#include "storage/store_conformance.h"

namespace gatehouse::conformance {
namespace {

TEST_P(StoreConformanceTest, InsertRefreshTokenThenFindReturnsEveryField) {
  ASSERT_TRUE(IsOk(SeedSessionsOfAliceAndBob(store())));
  RefreshTokenRecord old_token = MakeToken("hash-0", "s-a", 0, kT0);
  old_token.superseded_at = kT0 + kMinute;
  RefreshTokenRecord current = MakeToken("hash-1", "s-a", 1, kT0 + kMinute);
  ASSERT_TRUE(IsOk(SeedTokens(store(), {old_token, current})));

  auto got =
      Read(store(), [](Tx& tx) { return tx.FindRefreshToken("hash-0"); });
  ASSERT_TRUE(IsOk(got));
  EXPECT_EQ(Fields(*got), Fields(old_token));
  got = Read(store(), [](Tx& tx) { return tx.FindRefreshToken("hash-1"); });
  ASSERT_TRUE(IsOk(got));
  EXPECT_EQ(Fields(*got), Fields(current));
}

TEST_P(StoreConformanceTest, InsertRefreshTokenWithTakenHashConflicts) {
  ASSERT_TRUE(IsOk(SeedSessionsOfAliceAndBob(store())));
  ASSERT_TRUE(IsOk(SeedTokens(store(), {MakeToken("hash-0", "s-a")})));
  Status st = SeedTokens(store(), {MakeToken("hash-0", "s-b", 5)});
  EXPECT_TRUE(HasCode(st, ErrorCode::kConflict));
  auto got =
      Read(store(), [](Tx& tx) { return tx.FindRefreshToken("hash-0"); });
  ASSERT_TRUE(IsOk(got));
  EXPECT_EQ(Fields(*got), Fields(MakeToken("hash-0", "s-a")));
}

TEST_P(StoreConformanceTest, FindRefreshTokenUnknownIsNotFound) {
  ASSERT_TRUE(IsOk(SeedSessionsOfAliceAndBob(store())));
  ASSERT_TRUE(IsOk(SeedTokens(store(), {MakeToken("hash-0", "s-a")})));
  auto got =
      Read(store(), [](Tx& tx) { return tx.FindRefreshToken("hash-1"); });
  EXPECT_TRUE(HasCode(got, ErrorCode::kNotFound));
  got = Read(store(), [](Tx& tx) { return tx.FindRefreshToken("HASH-0"); });
  EXPECT_TRUE(HasCode(got, ErrorCode::kNotFound));  // hashes are exact
}

TEST_P(StoreConformanceTest, SupersedeRefreshTokenSucceedsOnceThenFalse) {
  ASSERT_TRUE(IsOk(SeedSessionsOfAliceAndBob(store())));
  ASSERT_TRUE(IsOk(SeedTokens(store(), {MakeToken("hash-0", "s-a")})));
  auto first = Write(store(), [](Tx& tx) {
    return tx.SupersedeRefreshToken("hash-0", kT0 + kMinute);
  });
  ASSERT_TRUE(IsOk(first));
  EXPECT_TRUE(*first);
  auto second = Write(store(), [](Tx& tx) {
    return tx.SupersedeRefreshToken("hash-0", kT0 + kDay);
  });
  ASSERT_TRUE(IsOk(second));
  EXPECT_FALSE(*second);
  auto got =
      Read(store(), [](Tx& tx) { return tx.FindRefreshToken("hash-0"); });
  ASSERT_TRUE(IsOk(got));
  EXPECT_EQ(Ms(got->superseded_at), Ms(kT0 + kMinute));  // the first stands
}

TEST_P(StoreConformanceTest, SupersedeRefreshTokenUnknownIsNotFound) {
  ASSERT_TRUE(IsOk(SeedSessionsOfAliceAndBob(store())));
  auto got = Write(store(), [](Tx& tx) {
    return tx.SupersedeRefreshToken("hash-none", kT0);
  });
  EXPECT_TRUE(HasCode(got, ErrorCode::kNotFound));
}

TEST_P(StoreConformanceTest, SupersedeRefreshTokenLeavesOtherTokensAlone) {
  ASSERT_TRUE(IsOk(SeedSessionsOfAliceAndBob(store())));
  ASSERT_TRUE(IsOk(SeedTokens(
      store(), {MakeToken("hash-a0", "s-a"), MakeToken("hash-b0", "s-b"),
                MakeToken("hash-b1", "s-b", 1)})));
  auto won = Write(store(), [](Tx& tx) {
    return tx.SupersedeRefreshToken("hash-b0", kT0 + kMinute);
  });
  ASSERT_TRUE(IsOk(won));
  EXPECT_TRUE(*won);
  // Alice's token and Bob's sibling are untouched.
  auto a0 =
      Read(store(), [](Tx& tx) { return tx.FindRefreshToken("hash-a0"); });
  ASSERT_TRUE(IsOk(a0));
  EXPECT_EQ(Fields(*a0), Fields(MakeToken("hash-a0", "s-a")));
  auto b1 =
      Read(store(), [](Tx& tx) { return tx.FindRefreshToken("hash-b1"); });
  ASSERT_TRUE(IsOk(b1));
  EXPECT_EQ(Fields(*b1), Fields(MakeToken("hash-b1", "s-b", 1)));
}

}  // namespace
}  // namespace gatehouse::conformance
