#include "service/audit_sweeper.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "testing/fake_clock.h"
#include "testing/faulty_store.h"
#include "testing/temp_sqlite_store.h"
#include "testing/test_records.h"

namespace gatehouse {
namespace {

using std::chrono::days;
using std::chrono::milliseconds;

class AuditSweeperTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_NE(base_.store(), nullptr); }

  Store& store() { return *base_.store(); }

  // Appends an event of type `type` that happened at `at`.
  void Insert(const std::string& type, Time at) {
    ASSERT_TRUE(store()
                    .Run(TxMode::kWrite,
                         [&](Tx& tx) -> Status {
                           GH_RETURN_IF_ERROR(tx.InsertAuditEvent(
                               testkit::MakeEvent(type, "user-a", at)));
                           return Ok();
                         })
                    .ok());
  }

  // The types of the events left, oldest insert first.
  std::vector<std::string> Left() {
    std::vector<AuditEvent> events;
    EXPECT_TRUE(store()
                    .Run(TxMode::kRead,
                         [&](Tx& tx) -> Status {
                           GH_ASSIGN_OR_RETURN(events,
                                               tx.ListAuditEvents("", 0, 100));
                           return Ok();
                         })
                    .ok());
    std::vector<std::string> types;
    for (auto it = events.rbegin(); it != events.rend(); ++it) {
      types.push_back(it->type);
    }
    return types;
  }

  testkit::TempSqliteStore base_;
  testkit::FakeClock clock_;
};

// Finding 12c: the audit log grew forever. Events older than the
// retention go; the rest stay, and go when they in turn grow old.
TEST_F(AuditSweeperTest, AuditRowsOlderThanTheRetentionAreSwept) {
  const Time now = clock_.Now();
  Insert("older", now - days(401));
  Insert("just-older", now - days(400) - milliseconds(1));
  Insert("exactly-retention", now - days(400));
  Insert("yesterday", now - days(1));
  AuditSweeper sweeper(store(), clock_, {days(400), 500, 20});

  auto swept = sweeper.SweepOnce();
  ASSERT_TRUE(swept.ok()) << swept.error().message;
  EXPECT_EQ(*swept, 2);
  EXPECT_EQ(Left(),
            (std::vector<std::string>{"exactly-retention", "yesterday"}));
  EXPECT_EQ(*sweeper.SweepOnce(), 0) << "nothing more is old enough";

  clock_.Advance(milliseconds(1));
  EXPECT_EQ(*sweeper.SweepOnce(), 1);
  EXPECT_EQ(Left(), (std::vector<std::string>{"yesterday"}));
  clock_.Advance(days(399));
  EXPECT_EQ(*sweeper.SweepOnce(), 1);
  EXPECT_TRUE(Left().empty());
}

TEST_F(AuditSweeperTest, TheDefaultRetentionIs400Days) {
  const Time now = clock_.Now();
  Insert("old", now - days(400) - milliseconds(1));
  Insert("kept", now - days(399));
  AuditSweeper sweeper(store(), clock_);
  EXPECT_EQ(*sweeper.SweepOnce(), 1);
  EXPECT_EQ(Left(), (std::vector<std::string>{"kept"}));
}

TEST_F(AuditSweeperTest, OneSweepIsBoundedAndTheNextContinues) {
  for (int i = 0; i < 6; ++i) {
    Insert("old-" + std::to_string(i), clock_.Now() - days(500) + days(i));
  }
  Insert("new", clock_.Now());
  // Two batches of two per sweep: four, then the last two, then none.
  AuditSweeper sweeper(store(), clock_, {days(400), 2, 2});
  EXPECT_EQ(*sweeper.SweepOnce(), 4);
  EXPECT_EQ(Left(), (std::vector<std::string>{"old-4", "old-5", "new"}));
  EXPECT_EQ(*sweeper.SweepOnce(), 2);
  EXPECT_EQ(*sweeper.SweepOnce(), 0);
  EXPECT_EQ(Left(), (std::vector<std::string>{"new"}));
}

TEST_F(AuditSweeperTest, EachBatchIsItsOwnTransaction) {
  // The database goes away during the second batch: the first stays
  // deleted, the error is reported, and the next sweep finishes the job.
  for (int i = 0; i < 5; ++i) {
    Insert("old-" + std::to_string(i), clock_.Now() - days(500) + days(i));
  }
  FaultyStore faulty(store());
  AuditSweeper sweeper(faulty, clock_, {days(400), 2, 10});
  faulty.FailAfter(1);
  auto swept = sweeper.SweepOnce();
  ASSERT_FALSE(swept.ok());
  EXPECT_EQ(swept.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(Left(), (std::vector<std::string>{"old-2", "old-3", "old-4"}));
  faulty.Reset();
  EXPECT_EQ(*sweeper.SweepOnce(), 3);
  EXPECT_TRUE(Left().empty());
}

}  // namespace
}  // namespace gatehouse
