// Conformance cases: sweeping ended sessions (DeleteEndedSessions). The suite,
// its fixture and how a backend runs it: storage/store_conformance.h.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "storage/conformance/helpers.h"
#include "storage/store_conformance.h"

namespace gatehouse::conformance {
namespace {

// The sweep's cutoff in these cases: sessions that ended before it go.
constexpr Time kCutoff = kT0 + 10 * kDay;

// Ids of the sessions GetSession still finds among `ids`.
std::vector<std::string> Remaining(Store& store,
                                   const std::vector<std::string>& ids) {
  std::vector<std::string> found;
  Status st = store.Run(TxMode::kRead, [&](Tx& tx) -> Status {
    for (const std::string& id : ids) {
      auto got = tx.GetSession(id);
      if (got.ok()) {
        found.push_back(id);
      } else if (got.error().code != ErrorCode::kNotFound) {
        return std::move(got).error();
      }
    }
    return Ok();
  });
  EXPECT_TRUE(IsOk(st));
  return found;
}

Result<int> Sweep(Store& store, Time cutoff, int limit) {
  return Write(store,
               [&](Tx& tx) { return tx.DeleteEndedSessions(cutoff, limit); });
}

TEST_P(StoreConformanceTest, DeleteEndedSessionsDeletesSessionsRevokedBefore) {
  ASSERT_TRUE(IsOk(SeedAliceAndBob(store())));
  Session revoked_before = MakeSession("s-revoked-before", "user-a");
  revoked_before.revoked_at = kCutoff - milliseconds(1);
  revoked_before.revoke_reason = "logout";
  // "Before" is strict: revoked at the cutoff itself, or later, stays.
  Session revoked_at_cutoff = MakeSession("s-revoked-at-cutoff", "user-a");
  revoked_at_cutoff.revoked_at = kCutoff;
  Session revoked_after = MakeSession("s-revoked-after", "user-a");
  revoked_after.revoked_at = kCutoff + kMinute;
  const Session live = MakeSession("s-live", "user-a");
  ASSERT_TRUE(IsOk(SeedSessions(
      store(), {revoked_before, revoked_at_cutoff, revoked_after, live})));

  auto deleted = Sweep(store(), kCutoff, 100);
  ASSERT_TRUE(IsOk(deleted));
  EXPECT_EQ(*deleted, 1);
  EXPECT_EQ(Remaining(store(), {"s-revoked-before", "s-revoked-at-cutoff",
                                "s-revoked-after", "s-live"}),
            (std::vector<std::string>{"s-revoked-at-cutoff", "s-revoked-after",
                                      "s-live"}));
  auto kept = Read(store(), [](Tx& tx) { return tx.GetSession("s-live"); });
  ASSERT_TRUE(IsOk(kept));
  EXPECT_EQ(Fields(*kept), Fields(live));
  // Nothing else has ended before the cutoff.
  deleted = Sweep(store(), kCutoff, 100);
  ASSERT_TRUE(IsOk(deleted));
  EXPECT_EQ(*deleted, 0);
}

TEST_P(StoreConformanceTest, DeleteEndedSessionsDeletesSessionsExpiredBefore) {
  ASSERT_TRUE(IsOk(SeedAliceAndBob(store())));
  Session expired = MakeSession("s-expired", "user-a");
  expired.expires_at = kCutoff - milliseconds(1);
  Session expired_at_cutoff = MakeSession("s-expired-at-cutoff", "user-a");
  expired_at_cutoff.expires_at = kCutoff;
  // The refresh expiry is still ahead; the absolute lifetime is not.
  Session too_old = MakeSession("s-too-old", "user-a");
  too_old.absolute_expires_at = kCutoff - kDay;
  Session too_old_at_cutoff = MakeSession("s-too-old-at-cutoff", "user-a");
  too_old_at_cutoff.absolute_expires_at = kCutoff;
  // Revoked after the cutoff, but it had expired before it: it ended then.
  Session expired_then_revoked = MakeSession("s-expired-revoked", "user-b");
  expired_then_revoked.expires_at = kCutoff - kDay;
  expired_then_revoked.revoked_at = kCutoff + kDay;
  ASSERT_TRUE(IsOk(SeedSessions(
      store(), {expired, expired_at_cutoff, too_old, too_old_at_cutoff,
                expired_then_revoked, MakeSession("s-live", "user-b")})));

  auto deleted = Sweep(store(), kCutoff, 100);
  ASSERT_TRUE(IsOk(deleted));
  EXPECT_EQ(*deleted, 3);
  EXPECT_EQ(Remaining(store(),
                      {"s-expired", "s-expired-at-cutoff", "s-too-old",
                       "s-too-old-at-cutoff", "s-expired-revoked", "s-live"}),
            (std::vector<std::string>{"s-expired-at-cutoff",
                                      "s-too-old-at-cutoff", "s-live"}));
  // Users are never swept with their sessions.
  auto users = Read(store(), [](Tx& tx) { return tx.CountUsers(); });
  ASSERT_TRUE(IsOk(users));
  EXPECT_EQ(*users, 2);
}

TEST_P(StoreConformanceTest, DeleteEndedSessionsHonoursTheLimitOldestFirst) {
  ASSERT_TRUE(IsOk(SeedAliceAndBob(store())));
  // Five ended sessions, inserted out of order; s-e1 ended first.
  std::vector<Session> ended;
  for (int i : {3, 1, 5, 2, 4}) {
    Session s = MakeSession("s-e" + std::to_string(i), "user-a");
    s.revoked_at = kCutoff - (6 - i) * kMinute;
    ended.push_back(s);
  }
  ASSERT_TRUE(IsOk(SeedSessions(store(), ended)));
  ASSERT_TRUE(IsOk(SeedSessions(store(), {MakeSession("s-live", "user-a")})));
  const std::vector<std::string> all = {"s-e1", "s-e2", "s-e3",
                                        "s-e4", "s-e5", "s-live"};

  for (int limit : {0, -1}) {
    auto none = Sweep(store(), kCutoff, limit);
    ASSERT_TRUE(IsOk(none)) << limit;
    EXPECT_EQ(*none, 0) << limit;
  }
  EXPECT_EQ(Remaining(store(), all), all);

  auto deleted = Sweep(store(), kCutoff, 2);
  ASSERT_TRUE(IsOk(deleted));
  EXPECT_EQ(*deleted, 2);
  EXPECT_EQ(Remaining(store(), all),
            (std::vector<std::string>{"s-e3", "s-e4", "s-e5", "s-live"}));
  deleted = Sweep(store(), kCutoff, 2);
  ASSERT_TRUE(IsOk(deleted));
  EXPECT_EQ(*deleted, 2);
  EXPECT_EQ(Remaining(store(), all),
            (std::vector<std::string>{"s-e5", "s-live"}));
  deleted = Sweep(store(), kCutoff, 2);
  ASSERT_TRUE(IsOk(deleted));
  EXPECT_EQ(*deleted, 1);  // a short batch: the sweep is done
  deleted = Sweep(store(), kCutoff, 2);
  ASSERT_TRUE(IsOk(deleted));
  EXPECT_EQ(*deleted, 0);
  EXPECT_EQ(Remaining(store(), all), (std::vector<std::string>{"s-live"}));
}

TEST_P(StoreConformanceTest, DeleteEndedSessionsTakesTheirRefreshTokens) {
  ASSERT_TRUE(IsOk(SeedAliceAndBob(store())));
  Session ended = MakeSession("s-ended", "user-a");
  ended.revoked_at = kCutoff - kDay;
  ended.revoke_reason = "logout";
  ASSERT_TRUE(
      IsOk(SeedSessions(store(), {ended, MakeSession("s-a", "user-a")})));
  RefreshTokenRecord superseded = MakeToken("hash-e0", "s-ended", 0);
  superseded.superseded_at = kT0 + kMinute;
  const RefreshTokenRecord kept = MakeToken("hash-a0", "s-a", 0);
  ASSERT_TRUE(IsOk(SeedTokens(
      store(), {superseded, MakeToken("hash-e1", "s-ended", 1), kept})));

  auto deleted = Sweep(store(), kCutoff, 100);
  ASSERT_TRUE(IsOk(deleted));
  EXPECT_EQ(*deleted, 1);  // sessions are counted, not their tokens
  ASSERT_TRUE(IsOk(store().Run(TxMode::kRead, [&](Tx& tx) -> Status {
    EXPECT_TRUE(HasCode(tx.FindRefreshToken("hash-e0"), ErrorCode::kNotFound));
    EXPECT_TRUE(HasCode(tx.FindRefreshToken("hash-e1"), ErrorCode::kNotFound));
    GH_ASSIGN_OR_RETURN(RefreshTokenRecord a0, tx.FindRefreshToken("hash-a0"));
    EXPECT_EQ(Fields(a0), Fields(kept));
    return Ok();
  })));
  // The hash of a swept token is free again, and its session is gone for
  // good: a token cannot be attached to it any more.
  Status st = SeedTokens(store(), {MakeToken("hash-e1", "s-a", 1)});
  EXPECT_TRUE(IsOk(st));
  st = SeedTokens(store(), {MakeToken("hash-e2", "s-ended", 2)});
  EXPECT_TRUE(HasCode(st, ErrorCode::kConflict));
}

TEST_P(StoreConformanceTest, DeleteEndedSessionsLeavesOtherUsersLiveSessions) {
  // Alice's sessions all ended; Bob's is live: the sweep takes Alice's
  // sessions and tokens and nothing of Bob's.
  ASSERT_TRUE(IsOk(SeedAliceAndBob(store())));
  Session a1 = MakeSession("s-a1", "user-a");
  a1.revoked_at = kT0 + kMinute;
  a1.revoke_reason = "logout-all";
  Session a2 = MakeSession("s-a2", "user-a");
  a2.expires_at = kT0 + kDay;
  const Session bobs = MakeSession("s-b", "user-b");
  ASSERT_TRUE(IsOk(SeedSessions(store(), {a1, a2, bobs})));
  RefreshTokenRecord b0 = MakeToken("hash-b0", "s-b", 0);
  b0.superseded_at = kT0 + kMinute;
  const RefreshTokenRecord b1 = MakeToken("hash-b1", "s-b", 1, kT0 + kMinute);
  ASSERT_TRUE(
      IsOk(SeedTokens(store(), {MakeToken("hash-a1", "s-a1"),
                                MakeToken("hash-a2", "s-a2"), b0, b1})));

  auto deleted = Sweep(store(), kCutoff, 100);
  ASSERT_TRUE(IsOk(deleted));
  EXPECT_EQ(*deleted, 2);
  ASSERT_TRUE(IsOk(store().Run(TxMode::kRead, [&](Tx& tx) -> Status {
    GH_ASSIGN_OR_RETURN(Session s_b, tx.GetSession("s-b"));
    EXPECT_EQ(Fields(s_b), Fields(bobs));
    GH_ASSIGN_OR_RETURN(RefreshTokenRecord got_b0,
                        tx.FindRefreshToken("hash-b0"));
    EXPECT_EQ(Fields(got_b0), Fields(b0));
    GH_ASSIGN_OR_RETURN(RefreshTokenRecord got_b1,
                        tx.FindRefreshToken("hash-b1"));
    EXPECT_EQ(Fields(got_b1), Fields(b1));
    GH_ASSIGN_OR_RETURN(auto listed, tx.ListActiveSessions("user-b", kCutoff));
    EXPECT_EQ(Ids(listed), (std::vector<std::string>{"s-b"}));
    GH_ASSIGN_OR_RETURN(int64_t active, tx.CountActiveSessions(kCutoff));
    EXPECT_EQ(active, 1);
    EXPECT_TRUE(HasCode(tx.FindRefreshToken("hash-a1"), ErrorCode::kNotFound));
    EXPECT_TRUE(HasCode(tx.GetSession("s-a2"), ErrorCode::kNotFound));
    return Ok();
  })));
}

}  // namespace
}  // namespace gatehouse::conformance
