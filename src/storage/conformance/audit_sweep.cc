// Conformance cases: sweeping audit events past their retention
// (DeleteAuditEventsBefore). The suite, its fixture and how a backend runs
// it: storage/store_conformance.h.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "storage/conformance/helpers.h"
#include "storage/store_conformance.h"

namespace gatehouse::conformance {
namespace {

// The sweep's cutoff in these cases: events before it go.
constexpr Time kCutoff = kT0 + 10 * kDay;

Result<int> Sweep(Store& store, Time cutoff, int limit) {
  return Write(
      store, [&](Tx& tx) { return tx.DeleteAuditEventsBefore(cutoff, limit); });
}

// Every event of `user_id` (all users if empty), newest first.
std::vector<AuditEvent> Events(Store& store, const std::string& user_id = "") {
  auto got =
      Read(store, [&](Tx& tx) { return tx.ListAuditEvents(user_id, 0, 1000); });
  EXPECT_TRUE(IsOk(got));
  return got.ok() ? *got : std::vector<AuditEvent>();
}

// The types of every event, sorted: which events are left.
std::vector<std::string> Types(Store& store) {
  std::vector<std::string> types;
  for (const AuditEvent& e : Events(store)) types.push_back(e.type);
  std::sort(types.begin(), types.end());
  return types;
}

TEST_P(StoreConformanceTest, DeleteAuditEventsBeforeDeletesOnlyOlderEvents) {
  // Inserted latest `at` first, so the ids run against the times.
  AuditEvent after = MakeEvent("login.succeeded", "user-a", kCutoff + kMinute);
  // "Before" is strict: an event at the cutoff itself stays.
  AuditEvent at_cutoff = MakeEvent("logout", "user-a", kCutoff);
  AuditEvent just_before =
      MakeEvent("login.failed", "", kCutoff - milliseconds(1));
  AuditEvent long_before = MakeEvent("user.created", "user-a", kT0);
  auto ids = SeedEvents(store(), {after, at_cutoff, just_before, long_before});
  ASSERT_TRUE(IsOk(ids));
  after.id = (*ids)[0];
  at_cutoff.id = (*ids)[1];

  auto deleted = Sweep(store(), kCutoff, 100);
  ASSERT_TRUE(IsOk(deleted));
  EXPECT_EQ(*deleted, 2);
  const std::vector<AuditEvent> left = Events(store());
  ASSERT_EQ(left.size(), 2u);
  EXPECT_EQ(Fields(left[0]), Fields(at_cutoff));
  EXPECT_EQ(Fields(left[1]), Fields(after));
  // Nothing else is older than the cutoff.
  deleted = Sweep(store(), kCutoff, 100);
  ASSERT_TRUE(IsOk(deleted));
  EXPECT_EQ(*deleted, 0);
  EXPECT_EQ(Events(store()).size(), 2u);
}

TEST_P(StoreConformanceTest,
       DeleteAuditEventsBeforeHonoursTheLimitOldestFirst) {
  // Five old events inserted out of `at` order; event-1 is the oldest.
  std::vector<AuditEvent> events;
  for (int i : {3, 1, 5, 2, 4}) {
    events.push_back(MakeEvent("event-" + std::to_string(i), "user-a",
                               kCutoff - (6 - i) * kMinute));
  }
  events.push_back(MakeEvent("recent", "user-a", kCutoff + kDay));
  ASSERT_TRUE(IsOk(SeedEvents(store(), events)));
  const std::vector<std::string> all = {"event-1", "event-2", "event-3",
                                        "event-4", "event-5", "recent"};

  for (int limit : {0, -1}) {
    auto none = Sweep(store(), kCutoff, limit);
    ASSERT_TRUE(IsOk(none)) << limit;
    EXPECT_EQ(*none, 0) << limit;
  }
  EXPECT_EQ(Types(store()), all);

  auto deleted = Sweep(store(), kCutoff, 2);
  ASSERT_TRUE(IsOk(deleted));
  EXPECT_EQ(*deleted, 2);
  EXPECT_EQ(Types(store()), (std::vector<std::string>{"event-3", "event-4",
                                                      "event-5", "recent"}));
  deleted = Sweep(store(), kCutoff, 2);
  ASSERT_TRUE(IsOk(deleted));
  EXPECT_EQ(*deleted, 2);
  EXPECT_EQ(Types(store()), (std::vector<std::string>{"event-5", "recent"}));
  deleted = Sweep(store(), kCutoff, 2);
  ASSERT_TRUE(IsOk(deleted));
  EXPECT_EQ(*deleted, 1);  // a short batch: the sweep is done
  deleted = Sweep(store(), kCutoff, 2);
  ASSERT_TRUE(IsOk(deleted));
  EXPECT_EQ(*deleted, 0);
  EXPECT_EQ(Types(store()), (std::vector<std::string>{"recent"}));
}

TEST_P(StoreConformanceTest,
       DeleteAuditEventsBeforeLeavesOtherUsersRecentEvents) {
  // Alice's events are all old; Bob's are recent, and so is one about no
  // user: the sweep takes Alice's and nothing else.
  const AuditEvent bobs = MakeEvent("login.succeeded", "user-b", kCutoff);
  const AuditEvent nobodys = MakeEvent("login.failed", "", kCutoff + kDay);
  auto ids = SeedEvents(
      store(), {MakeEvent("user.created", "user-a", kT0), bobs,
                MakeEvent("logout", "user-a", kCutoff - kMinute), nobodys});
  ASSERT_TRUE(IsOk(ids));

  auto deleted = Sweep(store(), kCutoff, 100);
  ASSERT_TRUE(IsOk(deleted));
  EXPECT_EQ(*deleted, 2);
  EXPECT_TRUE(Events(store(), "user-a").empty());
  const std::vector<AuditEvent> left_b = Events(store(), "user-b");
  ASSERT_EQ(left_b.size(), 1u);
  AuditEvent expected = bobs;
  expected.id = (*ids)[1];
  EXPECT_EQ(Fields(left_b[0]), Fields(expected));
  EXPECT_EQ(EventIds(Events(store())),
            (std::vector<int64_t>{(*ids)[3], (*ids)[1]}));
}

TEST_P(StoreConformanceTest, DeleteAuditEventsBeforeNeverHandsAnIdOutAgain) {
  // The newest event carries the oldest time (its writer's clock was
  // behind): the sweep takes it, and the next insert still gets an id
  // above it, so a client's paging cursor never names another event.
  auto ids = SeedEvents(
      store(), {MakeEvent("login.succeeded", "user-a", kCutoff + kMinute),
                MakeEvent("logout", "user-a", kT0)});
  ASSERT_TRUE(IsOk(ids));
  auto deleted = Sweep(store(), kCutoff, 100);
  ASSERT_TRUE(IsOk(deleted));
  EXPECT_EQ(*deleted, 1);
  auto next = SeedEvents(store(),
                         {MakeEvent("login.failed", "user-a", kCutoff + kDay)});
  ASSERT_TRUE(IsOk(next));
  EXPECT_GT(next->front(), (*ids)[1]);
}

TEST_P(StoreConformanceTest, DeleteAuditEventsBeforeIsAWriteThatRollsBack) {
  ASSERT_TRUE(IsOk(SeedEvents(store(), {MakeEvent("logout", "user-a", kT0)})));
  Status st = store().Run(TxMode::kRead, [](Tx& tx) -> Status {
    GH_RETURN_IF_ERROR(tx.DeleteAuditEventsBefore(kCutoff, 10));
    return Ok();
  });
  ASSERT_TRUE(HasCode(st, ErrorCode::kInternal));
  EXPECT_NE(st.error().message.find("DeleteAuditEventsBefore"),
            std::string::npos);
  // Swept, then the transaction fails: the event is back.
  st = store().Run(TxMode::kWrite, [](Tx& tx) -> Status {
    GH_ASSIGN_OR_RETURN(int n, tx.DeleteAuditEventsBefore(kCutoff, 10));
    EXPECT_EQ(n, 1);
    return MakeError(ErrorCode::kInternal, "the last step failed");
  });
  ASSERT_TRUE(HasCode(st, ErrorCode::kInternal));
  EXPECT_EQ(Types(store()), (std::vector<std::string>{"logout"}));
}

}  // namespace
}  // namespace gatehouse::conformance
