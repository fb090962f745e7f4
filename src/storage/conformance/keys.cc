// Conformance cases: signing keys and server secrets. The suite, its fixture
// and how a backend runs it: storage/store_conformance.h.
#include <gtest/gtest.h>

#include <string>

#include "storage/conformance/helpers.h"
#include "storage/store_conformance.h"

namespace gatehouse::conformance {
namespace {

TEST_P(StoreConformanceTest, ListSigningKeysIsEmptyAtFirst) {
  auto keys = Read(store(), [](Tx& tx) { return tx.ListSigningKeys(); });
  ASSERT_TRUE(IsOk(keys));
  EXPECT_TRUE(keys->empty());
}

TEST_P(StoreConformanceTest, ListSigningKeysReturnsEveryFieldOldestFirst) {
  SigningKey newer = MakeKey("kid-new", kT0 + kDay);
  SigningKey older = MakeKey("kid-old", kT0);
  older.retired_at = kT0 + kDay;
  ASSERT_TRUE(IsOk(store().Run(TxMode::kWrite, [&](Tx& tx) -> Status {
    GH_RETURN_IF_ERROR(tx.InsertSigningKey(newer));
    return tx.InsertSigningKey(older);
  })));
  auto keys = Read(store(), [](Tx& tx) { return tx.ListSigningKeys(); });
  ASSERT_TRUE(IsOk(keys));
  ASSERT_EQ(keys->size(), 2u);
  EXPECT_EQ(Fields((*keys)[0]), Fields(older));
  EXPECT_EQ(Fields((*keys)[1]), Fields(newer));
}

TEST_P(StoreConformanceTest, InsertSigningKeyWithTakenKidConflicts) {
  ASSERT_TRUE(IsOk(store().Run(TxMode::kWrite, [](Tx& tx) {
    return tx.InsertSigningKey(MakeKey("kid-1", kT0));
  })));
  Status st = store().Run(TxMode::kWrite, [](Tx& tx) {
    return tx.InsertSigningKey(MakeKey("kid-1", kT0 + kDay));
  });
  EXPECT_TRUE(HasCode(st, ErrorCode::kConflict));
  auto keys = Read(store(), [](Tx& tx) { return tx.ListSigningKeys(); });
  ASSERT_TRUE(IsOk(keys));
  ASSERT_EQ(keys->size(), 1u);
  EXPECT_EQ(Fields((*keys)[0]), Fields(MakeKey("kid-1", kT0)));
}

TEST_P(StoreConformanceTest, RetireSigningKeyRetiresOnlyThatKey) {
  ASSERT_TRUE(IsOk(store().Run(TxMode::kWrite, [](Tx& tx) -> Status {
    GH_RETURN_IF_ERROR(tx.InsertSigningKey(MakeKey("kid-1", kT0)));
    return tx.InsertSigningKey(MakeKey("kid-2", kT0 + kMinute));
  })));
  ASSERT_TRUE(IsOk(store().Run(TxMode::kWrite, [](Tx& tx) {
    return tx.RetireSigningKey("kid-1", kT0 + kDay);
  })));
  auto keys = Read(store(), [](Tx& tx) { return tx.ListSigningKeys(); });
  ASSERT_TRUE(IsOk(keys));
  ASSERT_EQ(keys->size(), 2u);
  EXPECT_EQ(Ms((*keys)[0].retired_at), Ms(kT0 + kDay));
  EXPECT_EQ(Fields((*keys)[1]), Fields(MakeKey("kid-2", kT0 + kMinute)));
}

TEST_P(StoreConformanceTest, RetireSigningKeyUnknownIsNotFound) {
  ASSERT_TRUE(IsOk(store().Run(TxMode::kWrite, [](Tx& tx) {
    return tx.InsertSigningKey(MakeKey("kid-1", kT0));
  })));
  Status st = store().Run(TxMode::kWrite, [](Tx& tx) {
    return tx.RetireSigningKey("kid-2", kT0 + kDay);
  });
  EXPECT_TRUE(HasCode(st, ErrorCode::kNotFound));
}

TEST_P(StoreConformanceTest, InsertSecretThenGetSecretRoundTripsBytes) {
  const std::string value("\x00sealed\xff\x80\n", 10);
  ASSERT_TRUE(IsOk(store().Run(TxMode::kWrite, [&](Tx& tx) -> Status {
    GH_RETURN_IF_ERROR(tx.InsertSecret("jwt-hs256", value));
    return tx.InsertSecret("empty", "");
  })));
  auto got = Read(store(), [](Tx& tx) { return tx.GetSecret("jwt-hs256"); });
  ASSERT_TRUE(IsOk(got));
  EXPECT_EQ(*got, value);
  got = Read(store(), [](Tx& tx) { return tx.GetSecret("empty"); });
  ASSERT_TRUE(IsOk(got));
  EXPECT_EQ(*got, "");
}

TEST_P(StoreConformanceTest, InsertSecretWithTakenNameConflictsAndKeepsFirst) {
  ASSERT_TRUE(IsOk(store().Run(TxMode::kWrite, [](Tx& tx) {
    return tx.InsertSecret("csrf", "first");
  })));
  Status st = store().Run(
      TxMode::kWrite, [](Tx& tx) { return tx.InsertSecret("csrf", "second"); });
  EXPECT_TRUE(HasCode(st, ErrorCode::kConflict));
  auto got = Read(store(), [](Tx& tx) { return tx.GetSecret("csrf"); });
  ASSERT_TRUE(IsOk(got));
  EXPECT_EQ(*got, "first");
}

TEST_P(StoreConformanceTest, GetSecretUnknownIsNotFound) {
  ASSERT_TRUE(IsOk(store().Run(TxMode::kWrite, [](Tx& tx) {
    return tx.InsertSecret("a", "value of a");
  })));
  auto got = Read(store(), [](Tx& tx) { return tx.GetSecret("b"); });
  EXPECT_TRUE(HasCode(got, ErrorCode::kNotFound));
  got = Read(store(), [](Tx& tx) { return tx.GetSecret("A"); });
  EXPECT_TRUE(HasCode(got, ErrorCode::kNotFound));  // names are exact
}

}  // namespace
}  // namespace gatehouse::conformance
