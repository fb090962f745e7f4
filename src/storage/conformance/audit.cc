// Conformance cases: the audit log. The suite, its fixture and how a
// backend runs it: storage/store_conformance.h.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "storage/conformance/helpers.h"
#include "storage/store_conformance.h"

namespace gatehouse::conformance {
namespace {

// Every page of ListAuditEvents(user_id, ..., limit), from the newest on,
// concatenated; fails the test after more pages than events could fill.
std::vector<AuditEvent> WalkEvents(Store& store, const std::string& user_id,
                                   int limit, std::vector<size_t>* sizes) {
  std::vector<AuditEvent> all;
  int64_t before = 0;
  for (int page = 0; page < 100; ++page) {
    auto got = Read(store, [&](Tx& tx) {
      return tx.ListAuditEvents(user_id, before, limit);
    });
    EXPECT_TRUE(IsOk(got));
    if (!got.ok() || got->empty()) return all;
    if (sizes != nullptr) sizes->push_back(got->size());
    all.insert(all.end(), got->begin(), got->end());
    before = got->back().id;
  }
  ADD_FAILURE() << "paging never ended";
  return all;
}

TEST_P(StoreConformanceTest, ListAuditEventsIsEmptyAtFirst) {
  auto got =
      Read(store(), [](Tx& tx) { return tx.ListAuditEvents("", 0, 100); });
  ASSERT_TRUE(IsOk(got));
  EXPECT_TRUE(got->empty());
}

TEST_P(StoreConformanceTest, InsertAuditEventReturnsIncreasingIds) {
  // The id passed in is ignored: were it kept, 5 would follow 1000000.
  AuditEvent first = MakeEvent("login.succeeded", "user-a");
  first.id = 1000000;
  AuditEvent second = MakeEvent("logout", "user-a");
  second.id = 5;
  AuditEvent third = MakeEvent("login.failed", "");
  third.id = -1;
  auto in_one = SeedEvents(store(), {first, second});
  ASSERT_TRUE(IsOk(in_one));
  auto in_another = SeedEvents(store(), {third});
  ASSERT_TRUE(IsOk(in_another));
  std::vector<int64_t> ids = *in_one;
  ids.push_back(in_another->front());
  ASSERT_EQ(ids.size(), 3u);
  EXPECT_LT(ids[0], ids[1]);
  EXPECT_LT(ids[1], ids[2]);

  // The ids returned are the ids stored.
  auto got =
      Read(store(), [](Tx& tx) { return tx.ListAuditEvents("", 0, 100); });
  ASSERT_TRUE(IsOk(got));
  EXPECT_EQ(EventIds(*got), (std::vector<int64_t>{ids[2], ids[1], ids[0]}));
}

TEST_P(StoreConformanceTest, ListAuditEventsReturnsEveryFieldNewestFirst) {
  AuditEvent full = MakeEvent("user.role_changed", "user-a",
                              kT0 + milliseconds(1234));  // ms survive
  full.ip = "2001:db8::7";
  full.user_agent = "Mozilla/5.0 (X11; Linux) \xc3\xa9t\xc3\xa9 \"quoted\"";
  full.detail = "role=admin\nfrom=user; 'x'";
  // An event about nobody in particular: every optional field empty.
  AuditEvent bare;
  bare.at = kT0 + kMinute;
  bare.type = "login.failed";
  // Newest means most recently inserted (highest id), whatever `at` says.
  AuditEvent late = MakeEvent("keys.rotated", "", kT0 - kDay);
  auto ids = SeedEvents(store(), {full, bare, late});
  ASSERT_TRUE(IsOk(ids));
  full.id = (*ids)[0];
  bare.id = (*ids)[1];
  late.id = (*ids)[2];

  auto got =
      Read(store(), [](Tx& tx) { return tx.ListAuditEvents("", 0, 100); });
  ASSERT_TRUE(IsOk(got));
  ASSERT_EQ(got->size(), 3u);
  EXPECT_EQ(Fields((*got)[0]), Fields(late));
  EXPECT_EQ(Fields((*got)[1]), Fields(bare));
  EXPECT_EQ(Fields((*got)[2]), Fields(full));
}

TEST_P(StoreConformanceTest, ListAuditEventsBeforeIdWalksEveryEventOnce) {
  std::vector<AuditEvent> events;
  for (int i = 0; i < 10; ++i) {
    const char* user = i % 3 == 0 ? "user-a" : i % 3 == 1 ? "user-b" : "";
    events.push_back(
        MakeEvent("event-" + std::to_string(i), user, kT0 + i * kMinute));
  }
  // In three transactions, so ids from several commits meet on one page.
  std::vector<int64_t> ids;
  for (auto [from, to] : {std::pair{0, 4}, std::pair{4, 7}, std::pair{7, 10}}) {
    auto seeded = SeedEvents(
        store(),
        std::vector<AuditEvent>(events.begin() + from, events.begin() + to));
    ASSERT_TRUE(IsOk(seeded));
    ids.insert(ids.end(), seeded->begin(), seeded->end());
  }
  std::vector<int64_t> newest_first(ids.rbegin(), ids.rend());

  std::vector<size_t> sizes;
  std::vector<AuditEvent> walked = WalkEvents(store(), "", 3, &sizes);
  EXPECT_EQ(EventIds(walked), newest_first);  // no gap, no repeat, in order
  EXPECT_EQ(sizes, (std::vector<size_t>{3, 3, 3, 1}));
  for (size_t i = 0; i < walked.size() && i < events.size(); ++i) {
    AuditEvent want = events[events.size() - 1 - i];
    want.id = newest_first[i];
    EXPECT_EQ(Fields(walked[i]), Fields(want)) << i;
  }

  // A page size that divides the count ends with an empty page, not a
  // repeat; one larger than the count returns everything at once.
  sizes.clear();
  EXPECT_EQ(EventIds(WalkEvents(store(), "", 5, &sizes)), newest_first);
  EXPECT_EQ(sizes, (std::vector<size_t>{5, 5}));
  sizes.clear();
  EXPECT_EQ(EventIds(WalkEvents(store(), "", 1000, &sizes)), newest_first);
  EXPECT_EQ(sizes, (std::vector<size_t>{10}));

  // before_id is exclusive, need not name an existing event, and may lie
  // beyond the newest one.
  auto got = Read(store(), [&](Tx& tx) {
    return tx.ListAuditEvents("", newest_first[4], 2);
  });
  ASSERT_TRUE(IsOk(got));
  EXPECT_EQ(EventIds(*got),
            (std::vector<int64_t>{newest_first[5], newest_first[6]}));
  got = Read(store(), [&](Tx& tx) {
    return tx.ListAuditEvents("", ids.back() + 1000, 100);
  });
  ASSERT_TRUE(IsOk(got));
  EXPECT_EQ(EventIds(*got), newest_first);
  got = Read(store(),
             [&](Tx& tx) { return tx.ListAuditEvents("", ids.front(), 100); });
  ASSERT_TRUE(IsOk(got));
  EXPECT_TRUE(got->empty());  // nothing is older than the oldest
}

TEST_P(StoreConformanceTest, ListAuditEventsFiltersByUserAndPages) {
  std::vector<AuditEvent> events;
  for (int i = 0; i < 9; ++i) {
    // Users need not exist: a deleted user's events stay (no foreign key).
    const char* user = i % 3 == 0 ? "user-a" : i % 3 == 1 ? "user-gone" : "";
    events.push_back(MakeEvent("event-" + std::to_string(i), user));
  }
  auto ids = SeedEvents(store(), events);
  ASSERT_TRUE(IsOk(ids));
  auto ids_of = [&](const std::string& user) {
    std::vector<int64_t> out;
    for (size_t i = events.size(); i-- > 0;) {
      if (events[i].user_id == user) out.push_back((*ids)[i]);
    }
    return out;
  };

  std::vector<size_t> sizes;
  std::vector<AuditEvent> alices = WalkEvents(store(), "user-a", 2, &sizes);
  EXPECT_EQ(EventIds(alices), ids_of("user-a"));
  EXPECT_EQ(sizes, (std::vector<size_t>{2, 1}));
  for (const AuditEvent& e : alices) EXPECT_EQ(e.user_id, "user-a");
  EXPECT_EQ(EventIds(WalkEvents(store(), "user-gone", 2, nullptr)),
            ids_of("user-gone"));
  // Events about nobody appear only in the unfiltered list.
  EXPECT_EQ(EventIds(WalkEvents(store(), "", 4, nullptr)).size(), 9u);

  auto newest = Read(
      store(), [](Tx& tx) { return tx.ListAuditEvents("user-gone", 0, 1); });
  ASSERT_TRUE(IsOk(newest));
  EXPECT_EQ(EventIds(*newest), (std::vector<int64_t>{ids_of("user-gone")[0]}));
}

TEST_P(StoreConformanceTest, ListAuditEventsOfOneUserNeverShowsAnothers) {
  // Bob's filter, from any starting point, never yields Alice's events.
  auto ids = SeedEvents(store(), {MakeEvent("login.succeeded", "user-a"),
                                  MakeEvent("login.succeeded", "user-b"),
                                  MakeEvent("logout", "user-a"),
                                  MakeEvent("login.failed", "user-ab"),
                                  MakeEvent("password.changed", "user-a")});
  ASSERT_TRUE(IsOk(ids));
  for (int64_t before : {int64_t{0}, (*ids)[4], (*ids)[2], (*ids)[4] + 1}) {
    auto bobs = Read(store(), [&](Tx& tx) {
      return tx.ListAuditEvents("user-b", before, 100);
    });
    ASSERT_TRUE(IsOk(bobs)) << before;
    EXPECT_EQ(EventIds(*bobs), (std::vector<int64_t>{(*ids)[1]})) << before;
  }
  // User ids match exactly: no prefix, no case folding.
  for (const char* other : {"user-", "USER-B", "user-b ", "user-c"}) {
    auto got = Read(store(),
                    [&](Tx& tx) { return tx.ListAuditEvents(other, 0, 100); });
    ASSERT_TRUE(IsOk(got)) << other;
    EXPECT_TRUE(got->empty()) << other;
  }
  auto alices = Read(
      store(), [](Tx& tx) { return tx.ListAuditEvents("user-a", 0, 100); });
  ASSERT_TRUE(IsOk(alices));
  EXPECT_EQ(EventIds(*alices),
            (std::vector<int64_t>{(*ids)[4], (*ids)[2], (*ids)[0]}));
}

TEST_P(StoreConformanceTest, ListAuditEventsHonoursTheLimit) {
  auto ids =
      SeedEvents(store(), {MakeEvent("a", "user-a"), MakeEvent("b", "user-a"),
                           MakeEvent("c", "user-a")});
  ASSERT_TRUE(IsOk(ids));
  for (int limit : {0, -1}) {
    auto got =
        Read(store(), [&](Tx& tx) { return tx.ListAuditEvents("", 0, limit); });
    ASSERT_TRUE(IsOk(got)) << limit;
    EXPECT_TRUE(got->empty()) << limit;
    got = Read(store(),
               [&](Tx& tx) { return tx.ListAuditEvents("user-a", 0, limit); });
    ASSERT_TRUE(IsOk(got)) << limit;
    EXPECT_TRUE(got->empty()) << limit;
  }
  auto got =
      Read(store(), [](Tx& tx) { return tx.ListAuditEvents("user-a", 0, 1); });
  ASSERT_TRUE(IsOk(got));
  EXPECT_EQ(EventIds(*got), (std::vector<int64_t>{(*ids)[2]}));
  got = Read(store(), [](Tx& tx) { return tx.ListAuditEvents("", 0, 2); });
  ASSERT_TRUE(IsOk(got));
  EXPECT_EQ(EventIds(*got), (std::vector<int64_t>{(*ids)[2], (*ids)[1]}));
}

TEST_P(StoreConformanceTest, AuditEventOfAFailedTransactionIsGone) {
  auto kept = SeedEvents(store(), {MakeEvent("login.succeeded", "user-a")});
  ASSERT_TRUE(IsOk(kept));
  int64_t lost_id = 0;
  Status st = store().Run(TxMode::kWrite, [&](Tx& tx) -> Status {
    GH_ASSIGN_OR_RETURN(lost_id,
                        tx.InsertAuditEvent(MakeEvent("logout", "user-a")));
    // Visible inside its own transaction...
    GH_ASSIGN_OR_RETURN(auto inside, tx.ListAuditEvents("user-a", 0, 10));
    EXPECT_EQ(EventIds(inside), (std::vector<int64_t>{lost_id, kept->front()}));
    return MakeError(ErrorCode::kUnavailable, "the next step failed");
  });
  ASSERT_TRUE(HasCode(st, ErrorCode::kUnavailable));

  // ...and gone with it.
  auto got =
      Read(store(), [](Tx& tx) { return tx.ListAuditEvents("", 0, 100); });
  ASSERT_TRUE(IsOk(got));
  EXPECT_EQ(EventIds(*got), (std::vector<int64_t>{kept->front()}));
  // The next event still sorts after the kept one.
  auto next = SeedEvents(store(), {MakeEvent("login.succeeded", "user-b")});
  ASSERT_TRUE(IsOk(next));
  EXPECT_GT(next->front(), kept->front());
  got = Read(store(), [](Tx& tx) { return tx.ListAuditEvents("", 0, 100); });
  ASSERT_TRUE(IsOk(got));
  EXPECT_EQ(EventIds(*got),
            (std::vector<int64_t>{next->front(), kept->front()}));
}

}  // namespace
}  // namespace gatehouse::conformance
