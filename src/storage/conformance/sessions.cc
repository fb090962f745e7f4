// Conformance cases: sessions: insert, get, list, count and rotate. The suite,
// its fixture and how a backend runs it: storage/store_conformance.h.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "storage/conformance/helpers.h"
#include "storage/store_conformance.h"

namespace gatehouse::conformance {
namespace {

TEST_P(StoreConformanceTest, InsertSessionThenGetSessionReturnsEveryField) {
  ASSERT_TRUE(IsOk(SeedAliceAndBob(store())));
  Session live = MakeSession("s-1", "user-a", kT0);
  live.generation = 3;
  live.last_used_at = kT0 + kMinute;
  Session ended = MakeSession("s-2", "user-a", kT0 + kMinute);
  ended.revoked_at = kT0 + 2 * kMinute;
  ended.revoke_reason = "logout";
  ASSERT_TRUE(IsOk(SeedSessions(store(), {live, ended})));

  auto got = Read(store(), [](Tx& tx) { return tx.GetSession("s-1"); });
  ASSERT_TRUE(IsOk(got));
  EXPECT_EQ(Fields(*got), Fields(live));
  got = Read(store(), [](Tx& tx) { return tx.GetSession("s-2"); });
  ASSERT_TRUE(IsOk(got));
  EXPECT_EQ(Fields(*got), Fields(ended));
}

TEST_P(StoreConformanceTest, InsertSessionWithTakenIdConflicts) {
  ASSERT_TRUE(IsOk(SeedAliceAndBob(store())));
  ASSERT_TRUE(IsOk(SeedSessions(store(), {MakeSession("s-1", "user-a")})));
  Status st = SeedSessions(store(), {MakeSession("s-1", "user-b", kT0 + kDay)});
  EXPECT_TRUE(HasCode(st, ErrorCode::kConflict));
  auto got = Read(store(), [](Tx& tx) { return tx.GetSession("s-1"); });
  ASSERT_TRUE(IsOk(got));
  EXPECT_EQ(Fields(*got), Fields(MakeSession("s-1", "user-a")));
}

TEST_P(StoreConformanceTest, GetSessionUnknownIsNotFound) {
  ASSERT_TRUE(IsOk(SeedAliceAndBob(store())));
  ASSERT_TRUE(IsOk(SeedSessions(store(), {MakeSession("s-1", "user-a")})));
  auto got = Read(store(), [](Tx& tx) { return tx.GetSession("s-2"); });
  EXPECT_TRUE(HasCode(got, ErrorCode::kNotFound));
}

TEST_P(StoreConformanceTest, ListActiveSessionsIsNewestFirst) {
  ASSERT_TRUE(IsOk(SeedAliceAndBob(store())));
  ASSERT_TRUE(IsOk(SeedSessions(
      store(), {MakeSession("s-mid", "user-a", kT0 + kMinute),
                MakeSession("s-old", "user-a", kT0),
                MakeSession("s-new", "user-a", kT0 + 2 * kMinute)})));
  auto list = Read(store(), [](Tx& tx) {
    return tx.ListActiveSessions("user-a", kT0 + kDay);
  });
  ASSERT_TRUE(IsOk(list));
  EXPECT_EQ(Ids(*list), (std::vector<std::string>{"s-new", "s-mid", "s-old"}));
  EXPECT_EQ(Fields((*list)[0]),
            Fields(MakeSession("s-new", "user-a", kT0 + 2 * kMinute)));
}

TEST_P(StoreConformanceTest, ListActiveSessionsExcludesRevokedAndExpired) {
  ASSERT_TRUE(IsOk(SeedAliceAndBob(store())));
  const Time now = kT0 + kDay;
  Session active = MakeSession("s-active", "user-a");
  Session revoked = MakeSession("s-revoked", "user-a");
  revoked.revoked_at = kT0 + kMinute;
  revoked.revoke_reason = "logout";
  // Expiry is exclusive: a session is expired from the instant itself on.
  Session expired_now = MakeSession("s-expires-now", "user-a");
  expired_now.expires_at = now;
  Session expires_soon = MakeSession("s-expires-soon", "user-a", kT0 + kMinute);
  expires_soon.expires_at = now + milliseconds(1);
  // The refresh expiry may still be ahead; the absolute lifetime is not.
  Session too_old = MakeSession("s-too-old", "user-a");
  too_old.absolute_expires_at = now - kMinute;
  ASSERT_TRUE(IsOk(SeedSessions(
      store(), {active, revoked, expired_now, expires_soon, too_old})));

  auto list = Read(
      store(), [&](Tx& tx) { return tx.ListActiveSessions("user-a", now); });
  ASSERT_TRUE(IsOk(list));
  EXPECT_EQ(Ids(*list),
            (std::vector<std::string>{"s-expires-soon", "s-active"}));
}

TEST_P(StoreConformanceTest, ListActiveSessionsShowsOnlyThatUsersSessions) {
  ASSERT_TRUE(IsOk(SeedAliceAndBob(store())));
  ASSERT_TRUE(IsOk(SeedSessions(
      store(), {MakeSession("s-a1", "user-a", kT0),
                MakeSession("s-b1", "user-b", kT0 + kMinute),
                MakeSession("s-a2", "user-a", kT0 + 2 * kMinute)})));
  auto bobs = Read(store(), [](Tx& tx) {
    return tx.ListActiveSessions("user-b", kT0 + kDay);
  });
  ASSERT_TRUE(IsOk(bobs));
  EXPECT_EQ(Ids(*bobs), (std::vector<std::string>{"s-b1"}));
  auto alices = Read(store(), [](Tx& tx) {
    return tx.ListActiveSessions("user-a", kT0 + kDay);
  });
  ASSERT_TRUE(IsOk(alices));
  EXPECT_EQ(Ids(*alices), (std::vector<std::string>{"s-a2", "s-a1"}));
  auto nobodys = Read(store(), [](Tx& tx) {
    return tx.ListActiveSessions("user-c", kT0 + kDay);
  });
  ASSERT_TRUE(IsOk(nobodys));
  EXPECT_TRUE(nobodys->empty());
}

TEST_P(StoreConformanceTest, CountActiveSessionsIsZeroWithoutSessions) {
  ASSERT_TRUE(IsOk(SeedAliceAndBob(store())));
  auto count =
      Read(store(), [](Tx& tx) { return tx.CountActiveSessions(kT0); });
  ASSERT_TRUE(IsOk(count));
  EXPECT_EQ(*count, 0);
}

TEST_P(StoreConformanceTest, CountActiveSessionsExcludesRevokedAndExpired) {
  ASSERT_TRUE(IsOk(SeedAliceAndBob(store())));
  const Time now = kT0 + kDay;
  Session revoked = MakeSession("s-revoked", "user-a");
  revoked.revoked_at = kT0 + kMinute;
  revoked.revoke_reason = "logout";
  // Expiry is exclusive, as in ListActiveSessions.
  Session expired_now = MakeSession("s-expires-now", "user-a");
  expired_now.expires_at = now;
  Session expired = MakeSession("s-expired", "user-b");
  expired.expires_at = now - kMinute;
  Session expires_soon = MakeSession("s-expires-soon", "user-a");
  expires_soon.expires_at = now + milliseconds(1);
  // The refresh expiry is still ahead; the absolute lifetime is not.
  Session too_old = MakeSession("s-too-old", "user-b");
  too_old.absolute_expires_at = now - kMinute;
  Session too_old_now = MakeSession("s-too-old-now", "user-b");
  too_old_now.absolute_expires_at = now;
  // Revoked although not yet expired: still out.
  Session revoked_future = MakeSession("s-revoked-future", "user-b");
  revoked_future.revoked_at = now + kDay;
  ASSERT_TRUE(IsOk(SeedSessions(
      store(), {MakeSession("s-a", "user-a"), MakeSession("s-b", "user-b"),
                revoked, expired_now, expired, expires_soon, too_old,
                too_old_now, revoked_future})));

  // s-a, s-b and s-expires-soon, across both users.
  auto count =
      Read(store(), [&](Tx& tx) { return tx.CountActiveSessions(now); });
  ASSERT_TRUE(IsOk(count));
  EXPECT_EQ(*count, 3);
  // The same answer as summing each user's devices list.
  auto listed = Read(store(), [&](Tx& tx) -> Result<int64_t> {
    GH_ASSIGN_OR_RETURN(auto a, tx.ListActiveSessions("user-a", now));
    GH_ASSIGN_OR_RETURN(auto b, tx.ListActiveSessions("user-b", now));
    return static_cast<int64_t>(a.size() + b.size());
  });
  ASSERT_TRUE(IsOk(listed));
  EXPECT_EQ(*listed, *count);

  // At kT0 nothing has expired yet; only the two revoked ones are out.
  count = Read(store(), [](Tx& tx) { return tx.CountActiveSessions(kT0); });
  ASSERT_TRUE(IsOk(count));
  EXPECT_EQ(*count, 7);
  // Past every expiry, none is left.
  count = Read(store(),
               [](Tx& tx) { return tx.CountActiveSessions(kT0 + 365 * kDay); });
  ASSERT_TRUE(IsOk(count));
  EXPECT_EQ(*count, 0);
}

TEST_P(StoreConformanceTest, CountActiveSessionsFollowsRevocation) {
  ASSERT_TRUE(IsOk(SeedSessionsOfAliceAndBob(store())));
  auto count =
      Read(store(), [](Tx& tx) { return tx.CountActiveSessions(kT0); });
  ASSERT_TRUE(IsOk(count));
  EXPECT_EQ(*count, 2);
  // Bob's logout takes his session, and only his, out of the count.
  ASSERT_TRUE(IsOk(Write(store(), [](Tx& tx) {
    return tx.RevokeSession("s-b", kT0 + kMinute, "logout");
  })));
  count = Read(store(),
               [](Tx& tx) { return tx.CountActiveSessions(kT0 + kMinute); });
  ASSERT_TRUE(IsOk(count));
  EXPECT_EQ(*count, 1);
  auto alices = Read(store(), [](Tx& tx) {
    return tx.ListActiveSessions("user-a", kT0 + kMinute);
  });
  ASSERT_TRUE(IsOk(alices));
  EXPECT_EQ(Ids(*alices), (std::vector<std::string>{"s-a"}));
  // A rotation moves expires_at; the session stays counted past the old one.
  Session rotated = MakeSession("s-a", "user-a");
  rotated.generation = 1;
  rotated.expires_at = kT0 + 60 * kDay;
  ASSERT_TRUE(IsOk(store().Run(TxMode::kWrite, [&](Tx& tx) {
    return tx.UpdateSessionAfterRotation(rotated);
  })));
  count = Read(store(),
               [](Tx& tx) { return tx.CountActiveSessions(kT0 + 45 * kDay); });
  ASSERT_TRUE(IsOk(count));
  EXPECT_EQ(*count, 1);
}

TEST_P(StoreConformanceTest, UpdateSessionAfterRotationSetsRotationFields) {
  ASSERT_TRUE(IsOk(SeedAliceAndBob(store())));
  const Session original = MakeSession("s-1", "user-a");
  ASSERT_TRUE(IsOk(SeedSessions(store(), {original})));

  Session rotated = original;
  rotated.generation = 1;
  rotated.last_used_at = kT0 + kDay;
  rotated.expires_at = kT0 + 31 * kDay;
  rotated.user_agent = "Firefox/140";
  rotated.ip = "2001:db8::1";
  // Not UpdateSessionAfterRotation's to change:
  Session attempt = rotated;
  attempt.user_id = "user-b";
  attempt.created_at = kT0 + kDay;
  attempt.absolute_expires_at = kT0 + 365 * kDay;
  attempt.revoked_at = kT0 + kDay;
  attempt.revoke_reason = "nope";
  ASSERT_TRUE(IsOk(store().Run(TxMode::kWrite, [&](Tx& tx) {
    return tx.UpdateSessionAfterRotation(attempt);
  })));

  auto got = Read(store(), [](Tx& tx) { return tx.GetSession("s-1"); });
  ASSERT_TRUE(IsOk(got));
  EXPECT_EQ(Fields(*got), Fields(rotated));
}

TEST_P(StoreConformanceTest, UpdateSessionAfterRotationLeavesOthersAlone) {
  ASSERT_TRUE(IsOk(SeedAliceAndBob(store())));
  ASSERT_TRUE(IsOk(SeedSessions(
      store(), {MakeSession("s-a", "user-a"), MakeSession("s-b", "user-b")})));
  Session bobs = MakeSession("s-b", "user-b");
  bobs.generation = 7;
  bobs.expires_at = kT0 + 60 * kDay;
  ASSERT_TRUE(IsOk(store().Run(TxMode::kWrite, [&](Tx& tx) {
    return tx.UpdateSessionAfterRotation(bobs);
  })));
  auto alices = Read(store(), [](Tx& tx) { return tx.GetSession("s-a"); });
  ASSERT_TRUE(IsOk(alices));
  EXPECT_EQ(Fields(*alices), Fields(MakeSession("s-a", "user-a")));
}

TEST_P(StoreConformanceTest, UpdateSessionAfterRotationUnknownIsNotFound) {
  ASSERT_TRUE(IsOk(SeedAliceAndBob(store())));
  Status st = store().Run(TxMode::kWrite, [](Tx& tx) {
    return tx.UpdateSessionAfterRotation(MakeSession("s-none", "user-a"));
  });
  EXPECT_TRUE(HasCode(st, ErrorCode::kNotFound));
  auto got = Read(store(), [](Tx& tx) { return tx.GetSession("s-none"); });
  EXPECT_TRUE(HasCode(got, ErrorCode::kNotFound));  // no upsert
}

}  // namespace
}  // namespace gatehouse::conformance
