#include "storage/store_conformance.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <latch>
#include <optional>
#include <string>
#include <thread>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "storage/test_records.h"

namespace gatehouse {

StoreUnderTest::~StoreUnderTest() {
  store.reset();
  if (cleanup) cleanup();
}

void PrintTo(const StoreFactory& factory, std::ostream* os) {
  *os << (factory ? "a store factory" : "an empty store factory");
}

void StoreConformanceTest::SetUp() {
  under_test_ = GetParam()();
  ASSERT_NE(under_test_, nullptr) << "the store factory returned null";
  if (!under_test_->skip_reason.empty()) {
    GTEST_SKIP() << under_test_->skip_reason;
  }
  ASSERT_NE(under_test_->store, nullptr) << "the store factory made no store";
}

void StoreConformanceTest::TearDown() { under_test_.reset(); }

// Backends linking the suite without instantiating it (yet) still pass.
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(StoreConformanceTest);

namespace {

using std::chrono::milliseconds;

using testing::kT0;
using testing::MakeEvent;
using testing::MakeKey;
using testing::MakeSession;
using testing::MakeToken;
using testing::MakeUser;

constexpr Duration kMinute = std::chrono::minutes(1);
constexpr Duration kDay = std::chrono::hours(24);

// Field tuples with times as integers, so gtest prints a mismatch legibly.
int64_t Ms(const std::optional<Time>& t) {
  return t.has_value() ? ToUnixMillis(*t) : -1;
}
auto Fields(const User& u) {
  return std::make_tuple(u.id, u.email, u.name, u.role, u.disabled,
                         u.password_hash, Ms(u.created_at), Ms(u.updated_at));
}
auto Fields(const Session& s) {
  return std::make_tuple(s.id, s.user_id, Ms(s.created_at), Ms(s.last_used_at),
                         Ms(s.expires_at), Ms(s.absolute_expires_at),
                         s.user_agent, s.ip, s.generation, Ms(s.revoked_at),
                         s.revoke_reason);
}
auto Fields(const RefreshTokenRecord& t) {
  return std::make_tuple(t.token_hash, t.session_id, t.generation,
                         Ms(t.issued_at), Ms(t.superseded_at));
}
auto Fields(const SigningKey& k) {
  return std::make_tuple(k.kid, k.alg, k.public_key, k.sealed_private_key,
                         Ms(k.created_at), Ms(k.retired_at));
}
auto Fields(const AuditEvent& e) {
  return std::make_tuple(e.id, Ms(e.at), e.type, e.user_id, e.session_id,
                         e.actor_id, e.ip, e.user_agent, e.detail);
}
std::vector<int64_t> EventIds(const std::vector<AuditEvent>& events) {
  std::vector<int64_t> ids;
  for (const AuditEvent& e : events) ids.push_back(e.id);
  return ids;
}
template <class T>
std::vector<std::string> Ids(const std::vector<T>& items) {
  std::vector<std::string> ids;
  for (const T& item : items) ids.push_back(item.id);
  return ids;
}

// --- assertions on Result ---

template <class R>
::testing::AssertionResult IsOk(const R& r) {
  if (r.ok()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << ErrorCodeName(r.error().code) << ": " << r.error().message;
}

template <class R>
::testing::AssertionResult HasCode(const R& r, ErrorCode code) {
  if (r.ok()) {
    return ::testing::AssertionFailure()
           << "succeeded; expected " << ErrorCodeName(code);
  }
  if (r.error().code != code) {
    return ::testing::AssertionFailure()
           << "got " << ErrorCodeName(r.error().code) << " ("
           << r.error().message << "); expected " << ErrorCodeName(code);
  }
  return ::testing::AssertionSuccess();
}

// --- running transactions ---

// Runs `fn` (Tx& -> Result<T>) in its own transaction, which commits
// whatever `fn` returns, and hands back fn's result (or Run's error).
template <class F>
std::invoke_result_t<F&, Tx&> InTx(Store& store, TxMode mode, F fn) {
  using R = std::invoke_result_t<F&, Tx&>;
  std::optional<R> out;
  Status run = store.Run(mode, [&](Tx& tx) -> Status {
    out.emplace(fn(tx));
    return Ok();
  });
  if (!run.ok()) return R(std::move(run).error());
  return std::move(*out);
}
template <class F>
auto Read(Store& store, F fn) {
  return InTx(store, TxMode::kRead, std::move(fn));
}
template <class F>
auto Write(Store& store, F fn) {
  return InTx(store, TxMode::kWrite, std::move(fn));
}

// Common seeds. Each returns the status of one committed transaction.
Status SeedUsers(Store& store, const std::vector<User>& users) {
  return store.Run(TxMode::kWrite, [&](Tx& tx) -> Status {
    for (const User& u : users) GH_RETURN_IF_ERROR(tx.InsertUser(u));
    return Ok();
  });
}
Status SeedSessions(Store& store, const std::vector<Session>& sessions) {
  return store.Run(TxMode::kWrite, [&](Tx& tx) -> Status {
    for (const Session& s : sessions) GH_RETURN_IF_ERROR(tx.InsertSession(s));
    return Ok();
  });
}
Status SeedTokens(Store& store, const std::vector<RefreshTokenRecord>& tokens) {
  return store.Run(TxMode::kWrite, [&](Tx& tx) -> Status {
    for (const auto& t : tokens) GH_RETURN_IF_ERROR(tx.InsertRefreshToken(t));
    return Ok();
  });
}

// Two users, alice (A) and bob (B), for the isolation twins.
Status SeedAliceAndBob(Store& store) {
  return SeedUsers(store, {MakeUser("user-a", "alice@example.com"),
                           MakeUser("user-b", "bob@example.com")});
}

// Alice with session s-a, Bob with session s-b.
Status SeedSessionsOfAliceAndBob(Store& store) {
  GH_RETURN_IF_ERROR(SeedAliceAndBob(store));
  return SeedSessions(
      store, {MakeSession("s-a", "user-a"), MakeSession("s-b", "user-b")});
}

// ============================== users ==============================

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

// ============================== sessions ==============================

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

TEST_P(StoreConformanceTest, RevokeSessionRevokesOnceThenReturnsFalse) {
  ASSERT_TRUE(IsOk(SeedAliceAndBob(store())));
  ASSERT_TRUE(IsOk(SeedSessions(store(), {MakeSession("s-1", "user-a")})));

  auto first = Write(store(), [](Tx& tx) {
    return tx.RevokeSession("s-1", kT0 + kMinute, "logout");
  });
  ASSERT_TRUE(IsOk(first));
  EXPECT_TRUE(*first);
  auto second = Write(store(), [](Tx& tx) {
    return tx.RevokeSession("s-1", kT0 + kDay, "reuse");
  });
  ASSERT_TRUE(IsOk(second));
  EXPECT_FALSE(*second);

  // The first revocation's time and reason stand.
  auto got = Read(store(), [](Tx& tx) { return tx.GetSession("s-1"); });
  ASSERT_TRUE(IsOk(got));
  EXPECT_EQ(Ms(got->revoked_at), Ms(kT0 + kMinute));
  EXPECT_EQ(got->revoke_reason, "logout");
}

TEST_P(StoreConformanceTest, RevokeSessionUnknownIsNotFound) {
  ASSERT_TRUE(IsOk(SeedAliceAndBob(store())));
  auto got = Write(store(), [](Tx& tx) {
    return tx.RevokeSession("s-none", kT0, "logout");
  });
  EXPECT_TRUE(HasCode(got, ErrorCode::kNotFound));
}

TEST_P(StoreConformanceTest, RevokeSessionLeavesOtherSessionsAlone) {
  ASSERT_TRUE(IsOk(SeedAliceAndBob(store())));
  ASSERT_TRUE(
      IsOk(SeedSessions(store(), {MakeSession("s-a1", "user-a"),
                                  MakeSession("s-a2", "user-a", kT0 + kMinute),
                                  MakeSession("s-b1", "user-b")})));
  auto revoked = Write(store(), [](Tx& tx) {
    return tx.RevokeSession("s-b1", kT0 + kMinute, "logout");
  });
  ASSERT_TRUE(IsOk(revoked));
  EXPECT_TRUE(*revoked);

  auto alices = Read(store(), [](Tx& tx) {
    return tx.ListActiveSessions("user-a", kT0 + kDay);
  });
  ASSERT_TRUE(IsOk(alices));
  EXPECT_EQ(Ids(*alices), (std::vector<std::string>{"s-a2", "s-a1"}));
  auto a1 = Read(store(), [](Tx& tx) { return tx.GetSession("s-a1"); });
  ASSERT_TRUE(IsOk(a1));
  EXPECT_EQ(Fields(*a1), Fields(MakeSession("s-a1", "user-a")));
}

TEST_P(StoreConformanceTest, RevokeUserSessionsRevokesEveryUnrevokedSession) {
  ASSERT_TRUE(IsOk(SeedAliceAndBob(store())));
  Session earlier = MakeSession("s-3", "user-a", kT0 + 2 * kMinute);
  earlier.revoked_at = kT0 + 3 * kMinute;
  earlier.revoke_reason = "logout";
  Session expired = MakeSession("s-4", "user-a");
  expired.expires_at = kT0 + kMinute;  // expired but not revoked: included
  ASSERT_TRUE(IsOk(
      SeedSessions(store(), {MakeSession("s-1", "user-a"),
                             MakeSession("s-2", "user-a"), earlier, expired})));

  auto ids = Write(store(), [](Tx& tx) {
    return tx.RevokeUserSessions("user-a", kT0 + kDay, "logout-all",
                                 std::nullopt);
  });
  ASSERT_TRUE(IsOk(ids));
  std::vector<std::string> sorted = *ids;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(sorted, (std::vector<std::string>{"s-1", "s-2", "s-4"}));

  auto s1 = Read(store(), [](Tx& tx) { return tx.GetSession("s-1"); });
  ASSERT_TRUE(IsOk(s1));
  EXPECT_EQ(Ms(s1->revoked_at), Ms(kT0 + kDay));
  EXPECT_EQ(s1->revoke_reason, "logout-all");
  auto s3 = Read(store(), [](Tx& tx) { return tx.GetSession("s-3"); });
  ASSERT_TRUE(IsOk(s3));
  EXPECT_EQ(Fields(*s3), Fields(earlier));  // already revoked: untouched
  auto active = Read(
      store(), [](Tx& tx) { return tx.ListActiveSessions("user-a", kT0); });
  ASSERT_TRUE(IsOk(active));
  EXPECT_TRUE(active->empty());

  // Nothing left to revoke.
  ids = Write(store(), [](Tx& tx) {
    return tx.RevokeUserSessions("user-a", kT0 + 2 * kDay, "logout-all",
                                 std::nullopt);
  });
  ASSERT_TRUE(IsOk(ids));
  EXPECT_TRUE(ids->empty());
}

TEST_P(StoreConformanceTest, RevokeUserSessionsKeepsTheExceptedSession) {
  ASSERT_TRUE(IsOk(SeedAliceAndBob(store())));
  ASSERT_TRUE(IsOk(SeedSessions(
      store(), {MakeSession("s-1", "user-a"),
                MakeSession("s-2", "user-a", kT0 + kMinute),
                MakeSession("s-3", "user-a", kT0 + 2 * kMinute)})));
  auto ids = Write(store(), [](Tx& tx) {
    return tx.RevokeUserSessions("user-a", kT0 + kDay, "password-change",
                                 std::string_view("s-2"));
  });
  ASSERT_TRUE(IsOk(ids));
  std::vector<std::string> sorted = *ids;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(sorted, (std::vector<std::string>{"s-1", "s-3"}));
  auto active = Read(store(), [](Tx& tx) {
    return tx.ListActiveSessions("user-a", kT0 + kDay);
  });
  ASSERT_TRUE(IsOk(active));
  EXPECT_EQ(Ids(*active), (std::vector<std::string>{"s-2"}));
}

TEST_P(StoreConformanceTest, RevokeUserSessionsNeverTouchesAnotherUser) {
  ASSERT_TRUE(IsOk(SeedAliceAndBob(store())));
  ASSERT_TRUE(IsOk(
      SeedSessions(store(), {MakeSession("s-a1", "user-a"),
                             MakeSession("s-a2", "user-a", kT0 + kMinute),
                             MakeSession("s-b1", "user-b"),
                             MakeSession("s-b2", "user-b", kT0 + kMinute)})));

  // Bob's logout-all, even naming one of Alice's sessions as the exception.
  auto ids = Write(store(), [](Tx& tx) {
    return tx.RevokeUserSessions("user-b", kT0 + kDay, "logout-all",
                                 std::string_view("s-a1"));
  });
  ASSERT_TRUE(IsOk(ids));
  std::vector<std::string> sorted = *ids;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(sorted, (std::vector<std::string>{"s-b1", "s-b2"}));
  ids = Write(store(), [](Tx& tx) {
    return tx.RevokeUserSessions("user-c", kT0 + kDay, "logout-all",
                                 std::nullopt);
  });
  ASSERT_TRUE(IsOk(ids));
  EXPECT_TRUE(ids->empty());

  auto alices = Read(store(), [](Tx& tx) {
    return tx.ListActiveSessions("user-a", kT0 + kDay);
  });
  ASSERT_TRUE(IsOk(alices));
  EXPECT_EQ(Ids(*alices), (std::vector<std::string>{"s-a2", "s-a1"}));
  auto a1 = Read(store(), [](Tx& tx) { return tx.GetSession("s-a1"); });
  ASSERT_TRUE(IsOk(a1));
  EXPECT_EQ(Fields(*a1), Fields(MakeSession("s-a1", "user-a")));
}

// ======================= sweeping ended sessions =======================

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

// ============================== change feed ==============================

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

// ============================== refresh tokens ==============================

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

// ============================== audit log ==============================

// Inserts `events` in one committed transaction; the ids assigned, in order.
Result<std::vector<int64_t>> SeedEvents(Store& store,
                                        const std::vector<AuditEvent>& events) {
  return Write(store, [&](Tx& tx) -> Result<std::vector<int64_t>> {
    std::vector<int64_t> ids;
    for (const AuditEvent& e : events) {
      GH_ASSIGN_OR_RETURN(int64_t id, tx.InsertAuditEvent(e));
      ids.push_back(id);
    }
    return ids;
  });
}

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

// ======================= signing keys and secrets =======================

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

// ============================== transactions ==============================

TEST_P(StoreConformanceTest, CallbackErrorIsReturnedAsIs) {
  Error custom = MakeError(ErrorCode::kRateLimited, "slow down");
  custom.retry_after_seconds = 42;
  Status st =
      store().Run(TxMode::kWrite, [&](Tx&) -> Status { return custom; });
  ASSERT_TRUE(HasCode(st, ErrorCode::kRateLimited));
  EXPECT_EQ(st.error().message, "slow down");
  EXPECT_EQ(st.error().retry_after_seconds, std::optional<int>(42));
}

TEST_P(StoreConformanceTest, CallbackErrorRollsBackEveryWrite) {
  ASSERT_TRUE(IsOk(SeedSessionsOfAliceAndBob(store())));
  ASSERT_TRUE(IsOk(SeedTokens(store(), {MakeToken("hash-a0", "s-a")})));
  ASSERT_TRUE(IsOk(store().Run(TxMode::kWrite, [](Tx& tx) {
    return tx.InsertSigningKey(MakeKey("kid-1", kT0));
  })));

  // One of every write, then a failure at the end.
  Status st = store().Run(TxMode::kWrite, [](Tx& tx) -> Status {
    GH_RETURN_IF_ERROR(tx.InsertUser(MakeUser("user-c", "carol@example.com")));
    User alice = MakeUser("user-a", "alice@example.com");
    alice.disabled = true;
    GH_RETURN_IF_ERROR(tx.UpdateUser(alice));
    GH_RETURN_IF_ERROR(tx.InsertSession(MakeSession("s-c", "user-c")));
    Session rotated = MakeSession("s-a", "user-a");
    rotated.generation = 1;
    GH_RETURN_IF_ERROR(tx.UpdateSessionAfterRotation(rotated));
    GH_RETURN_IF_ERROR(tx.InsertRefreshToken(MakeToken("hash-a1", "s-a", 1)));
    GH_RETURN_IF_ERROR(tx.SupersedeRefreshToken("hash-a0", kT0));
    GH_RETURN_IF_ERROR(tx.RevokeSession("s-b", kT0, "logout"));
    GH_RETURN_IF_ERROR(
        tx.RevokeUserSessions("user-a", kT0, "logout-all", std::nullopt));
    GH_RETURN_IF_ERROR(tx.InsertSigningKey(MakeKey("kid-2", kT0)));
    GH_RETURN_IF_ERROR(tx.RetireSigningKey("kid-1", kT0));
    GH_RETURN_IF_ERROR(tx.InsertSecret("secret", "value"));
    GH_RETURN_IF_ERROR(tx.InsertAuditEvent(MakeEvent("logout.all", "user-a")));
    // Every session has ended by then (s-c expires after 30 days).
    GH_ASSIGN_OR_RETURN(int swept,
                        tx.DeleteEndedSessions(kT0 + 365 * kDay, 10));
    EXPECT_EQ(swept, 3);
    return MakeError(ErrorCode::kInternal, "the last step failed");
  });
  ASSERT_TRUE(HasCode(st, ErrorCode::kInternal));
  EXPECT_EQ(st.error().message, "the last step failed");

  ASSERT_TRUE(IsOk(store().Run(TxMode::kRead, [](Tx& tx) -> Status {
    EXPECT_TRUE(HasCode(tx.GetUser("user-c"), ErrorCode::kNotFound));
    GH_ASSIGN_OR_RETURN(int64_t count, tx.CountUsers());
    EXPECT_EQ(count, 2);
    GH_ASSIGN_OR_RETURN(User alice, tx.GetUser("user-a"));
    EXPECT_FALSE(alice.disabled);
    EXPECT_TRUE(HasCode(tx.GetSession("s-c"), ErrorCode::kNotFound));
    GH_ASSIGN_OR_RETURN(Session s_a, tx.GetSession("s-a"));
    EXPECT_EQ(Fields(s_a), Fields(MakeSession("s-a", "user-a")));
    GH_ASSIGN_OR_RETURN(Session s_b, tx.GetSession("s-b"));
    EXPECT_EQ(Fields(s_b), Fields(MakeSession("s-b", "user-b")));
    EXPECT_TRUE(HasCode(tx.FindRefreshToken("hash-a1"), ErrorCode::kNotFound));
    GH_ASSIGN_OR_RETURN(RefreshTokenRecord a0, tx.FindRefreshToken("hash-a0"));
    EXPECT_EQ(Fields(a0), Fields(MakeToken("hash-a0", "s-a")));
    GH_ASSIGN_OR_RETURN(std::vector<SigningKey> keys, tx.ListSigningKeys());
    EXPECT_EQ(keys.size(), 1u);
    for (const SigningKey& k : keys) {
      EXPECT_EQ(Fields(k), Fields(MakeKey("kid-1", kT0)));
    }
    EXPECT_TRUE(HasCode(tx.GetSecret("secret"), ErrorCode::kNotFound));
    GH_ASSIGN_OR_RETURN(std::vector<AuditEvent> events,
                        tx.ListAuditEvents("", 0, 100));
    EXPECT_TRUE(events.empty());
    GH_ASSIGN_OR_RETURN(int64_t active, tx.CountActiveSessions(kT0));
    EXPECT_EQ(active, 2);  // the revocations were undone too
    return Ok();
  })));
}

TEST_P(StoreConformanceTest, FailedTxCallLeavesTheTransactionUsable) {
  // A kConflict or kNotFound answer is data, not a broken transaction:
  // InsertSecret's "another instance won" is followed by GetSecret.
  ASSERT_TRUE(IsOk(SeedAliceAndBob(store())));
  ASSERT_TRUE(IsOk(store().Run(TxMode::kWrite, [](Tx& tx) {
    return tx.InsertSecret("master", "theirs");
  })));
  std::string winner;
  ASSERT_TRUE(IsOk(store().Run(TxMode::kWrite, [&](Tx& tx) -> Status {
    GH_RETURN_IF_ERROR(tx.InsertUser(MakeUser("user-c", "carol@example.com")));
    EXPECT_TRUE(
        HasCode(tx.InsertSecret("master", "ours"), ErrorCode::kConflict));
    EXPECT_TRUE(HasCode(tx.InsertUser(MakeUser("user-d", "ALICE@example.com")),
                        ErrorCode::kConflict));
    EXPECT_TRUE(HasCode(tx.GetSession("s-none"), ErrorCode::kNotFound));
    GH_ASSIGN_OR_RETURN(winner, tx.GetSecret("master"));
    return tx.InsertUser(MakeUser("user-e", "erin@example.com"));
  })));
  EXPECT_EQ(winner, "theirs");
  auto count = Read(store(), [](Tx& tx) { return tx.CountUsers(); });
  ASSERT_TRUE(IsOk(count));
  EXPECT_EQ(*count, 4);  // alice, bob, carol, erin
}

TEST_P(StoreConformanceTest, DanglingReferenceConflictsAndKeepsTheTxUsable) {
  // A session for no user, a token for no session: kConflict, like a taken
  // key, and the transaction goes on.
  ASSERT_TRUE(IsOk(SeedAliceAndBob(store())));
  ASSERT_TRUE(IsOk(store().Run(TxMode::kWrite, [](Tx& tx) -> Status {
    EXPECT_TRUE(HasCode(tx.InsertSession(MakeSession("s-x", "user-none")),
                        ErrorCode::kConflict));
    EXPECT_TRUE(HasCode(tx.InsertRefreshToken(MakeToken("hash-x", "s-none")),
                        ErrorCode::kConflict));
    GH_RETURN_IF_ERROR(tx.InsertSession(MakeSession("s-a", "user-a")));
    return tx.InsertRefreshToken(MakeToken("hash-a0", "s-a"));
  })));
  ASSERT_TRUE(IsOk(store().Run(TxMode::kRead, [](Tx& tx) -> Status {
    EXPECT_TRUE(HasCode(tx.GetSession("s-x"), ErrorCode::kNotFound));
    EXPECT_TRUE(HasCode(tx.FindRefreshToken("hash-x"), ErrorCode::kNotFound));
    GH_ASSIGN_OR_RETURN(Session s_a, tx.GetSession("s-a"));
    EXPECT_EQ(Fields(s_a), Fields(MakeSession("s-a", "user-a")));
    return tx.FindRefreshToken("hash-a0").ok()
               ? Ok()
               : Status(MakeError(ErrorCode::kInternal, "hash-a0 lost"));
  })));
}

TEST_P(StoreConformanceTest, HeaderTextThatIsNotUtf8IsStoredNotRefused) {
  // Header values are bytes: a user agent in Latin-1, cut inside a UTF-8
  // sequence or holding a NUL must never make a sign-in or a refresh fail
  // (store.h allows a backend to replace such bytes).
  ASSERT_TRUE(IsOk(SeedAliceAndBob(store())));
  Session s = MakeSession("s-1", "user-a");
  s.user_agent = "Mozilla/5.0 (caf\xc3";  // an é cut in half
  s.ip = std::string("203.0.113.7\0", 12);
  AuditEvent e = MakeEvent("login.succeeded", "user-a");
  e.user_agent = "Agent \xe9t\xe9";  // Latin-1
  e.ip = "\xff\xfe";
  e.detail = std::string("a\0b", 3);
  int64_t id = 0;
  ASSERT_TRUE(IsOk(store().Run(TxMode::kWrite, [&](Tx& tx) -> Status {
    GH_RETURN_IF_ERROR(tx.InsertSession(s));
    GH_ASSIGN_OR_RETURN(id, tx.InsertAuditEvent(e));
    return Ok();
  })));
  Session rotated = s;
  rotated.generation = 1;
  rotated.user_agent = "Opera \x80\x81";
  ASSERT_TRUE(IsOk(store().Run(TxMode::kWrite, [&](Tx& tx) {
    return tx.UpdateSessionAfterRotation(rotated);
  })));

  auto got = Read(store(), [](Tx& tx) { return tx.GetSession("s-1"); });
  ASSERT_TRUE(IsOk(got));
  EXPECT_EQ(got->user_agent.rfind("Opera ", 0), 0u) << got->user_agent;
  EXPECT_EQ(got->ip.rfind("203.0.113.7", 0), 0u) << got->ip;
  EXPECT_EQ(got->generation, 1);
  auto events =
      Read(store(), [](Tx& tx) { return tx.ListAuditEvents("user-a", 0, 10); });
  ASSERT_TRUE(IsOk(events));
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].id, id);
  EXPECT_EQ((*events)[0].user_agent.rfind("Agent ", 0), 0u);
  EXPECT_EQ((*events)[0].detail.rfind("a", 0), 0u);
}

TEST_P(StoreConformanceTest, ConcurrentRotationsOfOneTokenSerialise) {
  ASSERT_TRUE(IsOk(SeedSessionsOfAliceAndBob(store())));
  ASSERT_TRUE(IsOk(SeedTokens(store(), {MakeToken("hash-0", "s-a")})));

  // Each thread does what a refresh does: read the token, and supersede it
  // if it is still current. With the rotation lock, exactly one thread
  // ever sees it current; without it, several would, and each would mint
  // its own successor.
  constexpr int kThreads = 8;
  std::latch start(kThreads);
  std::atomic<int> saw_current{0};
  std::atomic<int> superseded{0};
  std::vector<Status> results(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      results[i] = store().Run(TxMode::kWrite, [&](Tx& tx) -> Status {
        GH_ASSIGN_OR_RETURN(RefreshTokenRecord token,
                            tx.FindRefreshToken("hash-0"));
        if (token.superseded_at.has_value()) return Ok();
        saw_current.fetch_add(1);
        // Widen the window between read and write for a racing thread.
        std::this_thread::sleep_for(milliseconds(5));
        GH_ASSIGN_OR_RETURN(bool won,
                            tx.SupersedeRefreshToken("hash-0", kT0 + kMinute));
        if (won) superseded.fetch_add(1);
        return tx.InsertRefreshToken(
            MakeToken("hash-1", "s-a", 1, kT0 + kMinute));
      });
    });
  }
  for (std::thread& t : threads) t.join();

  for (int i = 0; i < kThreads; ++i) EXPECT_TRUE(IsOk(results[i])) << i;
  EXPECT_EQ(saw_current.load(), 1);
  EXPECT_EQ(superseded.load(), 1);
  auto successor =
      Read(store(), [](Tx& tx) { return tx.FindRefreshToken("hash-1"); });
  EXPECT_TRUE(IsOk(successor));
}

TEST_P(StoreConformanceTest, ConcurrentWritersAllCommit) {
  constexpr int kThreads = 8;
  constexpr int kWritesPerThread = 10;
  std::latch start(kThreads);
  std::vector<Status> results(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      for (int j = 0; j < kWritesPerThread && results[i].ok(); ++j) {
        std::string id = "u-" + std::to_string(i) + "-" + std::to_string(j);
        results[i] = store().Run(TxMode::kWrite, [&](Tx& tx) {
          return tx.InsertUser(MakeUser(id, id + "@example.com"));
        });
        // Readers run beside the writers.
        if (results[i].ok()) {
          results[i] = store().Run(TxMode::kRead, [&](Tx& tx) -> Status {
            return tx.GetUser(id).ok()
                       ? Ok()
                       : MakeError(ErrorCode::kInternal, "lost write " + id);
          });
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (int i = 0; i < kThreads; ++i) EXPECT_TRUE(IsOk(results[i])) << i;
  auto count = Read(store(), [](Tx& tx) { return tx.CountUsers(); });
  ASSERT_TRUE(IsOk(count));
  EXPECT_EQ(*count, kThreads * kWritesPerThread);
}

TEST_P(StoreConformanceTest, PingSucceeds) {
  EXPECT_TRUE(IsOk(store().Ping()));
}

}  // namespace
}  // namespace gatehouse
