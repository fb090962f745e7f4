// Test that header file is self-contained.
#include "storage/change_tracking_store.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "storage/store_conformance.h"
#include "testing/temp_sqlite_store.h"
#include "testing/test_records.h"

namespace gatehouse {
namespace {

using testkit::kT0;
using testkit::MakeSession;
using testkit::MakeUser;

class RecordingListener final : public ChangeListener {
 public:
  void OnCommitted(const CommittedChanges& changes) override {
    commits.push_back(changes);
  }
  std::vector<CommittedChanges> commits;
};

// Tracking must not change what the store does: the whole suite again.
std::unique_ptr<StoreUnderTest> MakeTrackingOverSqlite() {
  auto base = std::make_shared<testkit::TempSqliteStore>();
  if (base->store() == nullptr) {
    ADD_FAILURE() << "cannot open a temporary SQLite store";
    return nullptr;
  }
  auto listener = std::make_shared<RecordingListener>();
  auto out = std::make_unique<StoreUnderTest>();
  out->store = std::make_unique<ChangeTrackingStore>(*base->store(), *listener);
  out->cleanup = [base, listener]() mutable {
    base.reset();
    listener.reset();
  };
  return out;
}

INSTANTIATE_TEST_SUITE_P(
    TrackingOverSqlite, StoreConformanceTest,
    ::testing::Values(StoreFactory(&MakeTrackingOverSqlite)));

std::vector<std::string> RevokedIds(const CommittedChanges& changes) {
  std::vector<std::string> ids;
  for (const RevokedSession& r : changes.revoked_sessions) ids.push_back(r.id);
  return ids;
}

class ChangeTrackingStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NE(base_.store(), nullptr);
    Status seeded = base_.store()->Run(TxMode::kWrite, [](Tx& tx) -> Status {
      GH_RETURN_IF_ERROR(tx.InsertUser(MakeUser("u", "u@example.com")));
      for (const char* id : {"s-1", "s-2", "s-3"}) {
        GH_RETURN_IF_ERROR(tx.InsertSession(MakeSession(id, "u")));
      }
      return Ok();
    });
    ASSERT_TRUE(seeded.ok());
  }

  testkit::TempSqliteStore base_;
  RecordingListener listener_;
  ChangeTrackingStore store_{*base_.store(), listener_};
};

TEST_F(ChangeTrackingStoreTest, ReportsCommittedRevocationsAndUserUpdates) {
  const Time at = kT0 + std::chrono::minutes(1);
  Status done = store_.Run(TxMode::kWrite, [&](Tx& tx) -> Status {
    GH_RETURN_IF_ERROR(tx.RevokeSession("s-1", at, "logout"));
    GH_RETURN_IF_ERROR(tx.RevokeUserSessions("u", at, "disabled", "s-3"));
    User u = MakeUser("u", "u@example.com");
    u.disabled = true;
    return tx.UpdateUser(u);
  });
  ASSERT_TRUE(done.ok());
  ASSERT_EQ(listener_.commits.size(), 1u);
  EXPECT_EQ(RevokedIds(listener_.commits[0]),
            (std::vector<std::string>{"s-1", "s-2"}));
  for (const RevokedSession& r : listener_.commits[0].revoked_sessions) {
    EXPECT_EQ(r.revoked_at, at);
  }
  EXPECT_EQ(listener_.commits[0].updated_user_ids,
            (std::vector<std::string>{"u"}));
}

TEST_F(ChangeTrackingStoreTest, ReportsNothingForARolledBackTransaction) {
  Status done = store_.Run(TxMode::kWrite, [&](Tx& tx) -> Status {
    GH_RETURN_IF_ERROR(tx.RevokeSession("s-1", kT0, "logout"));
    return MakeError(ErrorCode::kInternal, "changed my mind");
  });
  EXPECT_FALSE(done.ok());
  EXPECT_TRUE(listener_.commits.empty());
}

TEST_F(ChangeTrackingStoreTest, ReportsOnlyRevocationsThatHappened) {
  ASSERT_TRUE(store_
                  .Run(TxMode::kWrite,
                       [&](Tx& tx) -> Status {
                         GH_RETURN_IF_ERROR(
                             tx.RevokeSession("s-1", kT0, "logout"));
                         return Ok();
                       })
                  .ok());
  listener_.commits.clear();
  // Already revoked, and unknown: neither is a revocation by this call.
  Status done = store_.Run(TxMode::kWrite, [&](Tx& tx) -> Status {
    GH_RETURN_IF_ERROR(tx.RevokeSession("s-1", kT0, "logout"));
    EXPECT_FALSE(tx.RevokeSession("s-none", kT0, "logout").ok());
    return Ok();
  });
  ASSERT_TRUE(done.ok());
  EXPECT_TRUE(listener_.commits.empty());
}

TEST_F(ChangeTrackingStoreTest, ReadTransactionsReportNothing) {
  Status done = store_.Run(TxMode::kRead, [&](Tx& tx) -> Status {
    return tx.GetSession("s-1").ok() ? Ok()
                                     : MakeError(ErrorCode::kInternal, "gone");
  });
  ASSERT_TRUE(done.ok());
  EXPECT_TRUE(listener_.commits.empty());
}

}  // namespace
}  // namespace gatehouse
