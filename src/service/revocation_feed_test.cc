// The in-memory revocation view, alone and behind AuthService::Authenticate:
// what this process revokes is seen at once, what another process revokes
// after the next poll, nothing touches the database while the view is
// fresh, and a stale view falls back to the database.
#include "service/revocation_feed.h"

#include <gtest/gtest.h>

#include <memory>

#include "crypto/sodium_crypto.h"
#include "service/admin_service.h"
#include "service/auth_service.h"
#include "service/key_manager.h"
#include "storage/change_tracking_store.h"
#include "testing/fake_clock.h"
#include "testing/faulty_store.h"
#include "testing/seeded_random.h"
#include "testing/temp_sqlite_store.h"

namespace gatehouse {
namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

constexpr char kPassword[] = "correct horse battery";

class RevocationFeedTest : public ::testing::Test {
 protected:
  RevocationFeedTest() : crypto_(PasswordHashParams::ForTesting()) {
    settings_.access_ttl = minutes(15);
    feed_ = std::make_unique<RevocationFeed>(counted_, clock_, settings_);
    tracked_ = std::make_unique<ChangeTrackingStore>(counted_, *feed_);
    tokens_ = std::make_unique<AccessTokens>(
        crypto_, clock_, random_,
        AccessTokenSettings{"https://api.example.test", "gatehouse",
                            settings_.access_ttl});
    KeyManager keys(*tracked_, crypto_, clock_, random_, KeySettings{});
    EXPECT_TRUE(keys.LoadInto(*tokens_).ok());
    AuthSettings auth_settings;
    auth_settings.access_ttl = settings_.access_ttl;
    auth_ = std::make_unique<AuthService>(
        *tracked_, crypto_, clock_, random_, *tokens_, auth_settings,
        *keys.LoadRefreshSecret(), nullptr, feed_.get());
    admin_ = std::make_unique<AdminService>(*tracked_, clock_);
    auto user = auth_->Register("ann@example.test", kPassword, "Ann",
                                kDefaultRole, true);
    EXPECT_TRUE(user.ok());
    user_id_ = user->id;
  }

  // Signs in; returns the access token.
  std::string SignIn() {
    auto issued =
        auth_->Login("ann@example.test", kPassword, client_, /*replaced=*/{});
    EXPECT_TRUE(issued.ok());
    return issued->access_token;
  }

  Result<Identity> Authenticate(const std::string& token) {
    return auth_->Authenticate({token});
  }

  // Another instance, or the CLI: writes straight to the database, past
  // this process's ChangeTrackingStore.
  Store& elsewhere() { return *base_.store(); }

  void RevokeElsewhere(const std::string& session_id, Time at) {
    Status revoked = elsewhere().Run(TxMode::kWrite, [&](Tx& tx) -> Status {
      GH_RETURN_IF_ERROR(tx.RevokeSession(session_id, at, "cli"));
      return Ok();
    });
    ASSERT_TRUE(revoked.ok()) << revoked.error().message;
  }

  testkit::TempSqliteStore base_;
  FaultyStore counted_{*base_.store()};  // counts calls; fails on demand
  testkit::FakeClock clock_;
  testkit::SeededRandom random_;
  SodiumCrypto crypto_;
  RevocationFeedSettings settings_;
  std::unique_ptr<RevocationFeed> feed_;
  std::unique_ptr<ChangeTrackingStore> tracked_;
  std::unique_ptr<AccessTokens> tokens_;
  std::unique_ptr<AuthService> auth_;
  std::unique_ptr<AdminService> admin_;
  std::string user_id_;
  ClientInfo client_{"203.0.113.9", "test"};
};

TEST_F(RevocationFeedTest, IsNotFreshBeforeItsFirstPoll) {
  EXPECT_FALSE(feed_->Fresh());
  ASSERT_TRUE(feed_->Poll().ok());
  EXPECT_TRUE(feed_->Fresh());
}

TEST_F(RevocationFeedTest, GoesStaleWithoutASuccessfulPoll) {
  ASSERT_TRUE(feed_->Poll().ok());
  clock_.Advance(settings_.max_staleness);
  EXPECT_TRUE(feed_->Fresh());
  clock_.Advance(milliseconds(1));
  EXPECT_FALSE(feed_->Fresh());
  counted_.FailAfter(0);  // the database is gone: polls fail
  EXPECT_FALSE(feed_->Poll().ok());
  EXPECT_FALSE(feed_->Fresh());
  counted_.Reset();
  ASSERT_TRUE(feed_->Poll().ok());
  EXPECT_TRUE(feed_->Fresh());
}

TEST_F(RevocationFeedTest, NoDatabaseCallWhileTheViewIsFresh) {
  std::string token = SignIn();
  ASSERT_TRUE(feed_->Poll().ok());
  ASSERT_TRUE(Authenticate(token).ok());  // caches the user
  counted_.Reset();
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(Authenticate(token).ok());
  EXPECT_EQ(counted_.calls(), 0);
  // Proof by absence: with the database unreachable it still answers.
  counted_.FailAfter(0);
  auto who = Authenticate(token);
  ASSERT_TRUE(who.ok()) << who.error().message;
  EXPECT_EQ(who->user.id, user_id_);
  EXPECT_TRUE(who->user.password_hash.empty());
}

TEST_F(RevocationFeedTest, StaleViewFallsBackToTheDatabase) {
  std::string token = SignIn();
  ASSERT_TRUE(feed_->Poll().ok());
  ASSERT_TRUE(Authenticate(token).ok());
  clock_.Advance(seconds(1));  // past max_staleness, no poll since
  counted_.FailAfter(0);
  auto who = Authenticate(token);
  ASSERT_FALSE(who.ok());
  EXPECT_EQ(who.error().code, ErrorCode::kUnavailable);
}

TEST_F(RevocationFeedTest, StaleViewStillCatchesARevocationMadeElsewhere) {
  std::string token = SignIn();
  ASSERT_TRUE(feed_->Poll().ok());
  auto who = Authenticate(token);
  ASSERT_TRUE(who.ok());
  RevokeElsewhere(who->session_id, clock_.Now());
  clock_.Advance(seconds(1));  // stale: the database answers
  EXPECT_EQ(Authenticate(token).error().code, ErrorCode::kSessionRevoked);
}

TEST_F(RevocationFeedTest, LocalLogoutIsSeenAtOnceWithoutAPoll) {
  std::string token = SignIn();
  ASSERT_TRUE(feed_->Poll().ok());
  ASSERT_TRUE(Authenticate(token).ok());
  ASSERT_TRUE(auth_->Logout({token}, {}, client_).ok());
  counted_.Reset();
  EXPECT_EQ(Authenticate(token).error().code, ErrorCode::kSessionRevoked);
  EXPECT_EQ(counted_.calls(), 0) << "answered from memory";
}

TEST_F(RevocationFeedTest, LocalAdminRevocationAndRoleChangeAreSeenAtOnce) {
  std::string token = SignIn();
  ASSERT_TRUE(feed_->Poll().ok());
  ASSERT_EQ(Authenticate(token)->user.role, kDefaultRole);
  UserChange change;
  change.role = "teacher";
  ASSERT_TRUE(admin_->UpdateUser(Actor::Cli(), user_id_, change, client_).ok());
  EXPECT_EQ(Authenticate(token)->user.role, "teacher");
  ASSERT_TRUE(admin_->RevokeUserSessions(Actor::Cli(), user_id_, client_).ok());
  EXPECT_EQ(Authenticate(token).error().code, ErrorCode::kSessionRevoked);
}

TEST_F(RevocationFeedTest, RevocationElsewhereIsSeenAfterTheNextPoll) {
  std::string token = SignIn();
  ASSERT_TRUE(feed_->Poll().ok());
  auto who = Authenticate(token);
  ASSERT_TRUE(who.ok());
  RevokeElsewhere(who->session_id, clock_.Now());
  // Until the next poll this process cannot know: the documented bound.
  EXPECT_TRUE(Authenticate(token).ok());
  clock_.Advance(kRevocationPollInterval);
  ASSERT_TRUE(feed_->Poll().ok());
  EXPECT_TRUE(feed_->IsRevoked(who->session_id));
  EXPECT_EQ(Authenticate(token).error().code, ErrorCode::kSessionRevoked);
}

TEST_F(RevocationFeedTest, UserChangeElsewhereReachesTheCacheAfterThePoll) {
  std::string token = SignIn();
  ASSERT_TRUE(feed_->Poll().ok());
  ASSERT_EQ(Authenticate(token)->user.role, kDefaultRole);
  ASSERT_TRUE(elsewhere()
                  .Run(TxMode::kWrite,
                       [&](Tx& tx) -> Status {
                         GH_ASSIGN_OR_RETURN(User u, tx.GetUser(user_id_));
                         u.role = kAdminRole;
                         u.updated_at = clock_.Now();
                         return tx.UpdateUser(u);
                       })
                  .ok());
  clock_.Advance(kRevocationPollInterval);
  ASSERT_TRUE(feed_->Poll().ok());
  EXPECT_EQ(Authenticate(token)->user.role, kAdminRole);
}

TEST_F(RevocationFeedTest, SeesARevocationStampedBeforeThePreviousPoll) {
  std::string token = SignIn();
  auto who = Authenticate(token);
  ASSERT_TRUE(who.ok());
  ASSERT_TRUE(feed_->Poll().ok());
  clock_.Advance(kRevocationPollInterval);
  // Committed only now, by an instance whose clock is 5 s behind ours (or
  // by a transaction that took that long): within the overlap.
  RevokeElsewhere(who->session_id, clock_.Now() - seconds(5));
  ASSERT_TRUE(feed_->Poll().ok());
  EXPECT_TRUE(feed_->IsRevoked(who->session_id));
}

TEST_F(RevocationFeedTest, FirstPollLoadsOnlyRevocationsWhoseTokensMayLive) {
  auto old_who = Authenticate(SignIn());
  auto recent_who = Authenticate(SignIn());
  ASSERT_TRUE(recent_who.ok() && old_who.ok());
  RevokeElsewhere(old_who->session_id, clock_.Now());
  clock_.Advance(settings_.access_ttl + settings_.overlap + seconds(1));
  RevokeElsewhere(recent_who->session_id, clock_.Now());
  ASSERT_TRUE(feed_->Poll().ok());
  EXPECT_TRUE(feed_->IsRevoked(recent_who->session_id));
  EXPECT_FALSE(feed_->IsRevoked(old_who->session_id))
      << "every token of that session has expired; nothing to remember";
  EXPECT_EQ(feed_->revoked_sessions(), 1u);
}

TEST_F(RevocationFeedTest, ForgetsRevocationsOnceTheirTokensHaveExpired) {
  std::string token = SignIn();
  ASSERT_TRUE(feed_->Poll().ok());
  ASSERT_TRUE(auth_->Logout({token}, {}, client_).ok());
  EXPECT_EQ(feed_->revoked_sessions(), 1u);
  clock_.Advance(settings_.access_ttl);
  ASSERT_TRUE(feed_->Poll().ok());
  EXPECT_EQ(feed_->revoked_sessions(), 1u) << "a token may still be alive";
  clock_.Advance(settings_.overlap + seconds(1));
  ASSERT_TRUE(feed_->Poll().ok());
  EXPECT_EQ(feed_->revoked_sessions(), 0u);
}

TEST_F(RevocationFeedTest, DoesNotCacheAUserReadBeforeAChange) {
  auto lookup = feed_->FindUser(user_id_);
  ASSERT_FALSE(lookup.user.has_value());
  User read_earlier;
  read_earlier.id = user_id_;
  read_earlier.role = kDefaultRole;
  // The user changes while the row above is on its way.
  CommittedChanges changes;
  changes.updated_user_ids.push_back(user_id_);
  feed_->OnCommitted(changes);
  feed_->RememberUser(read_earlier, lookup.generation);
  EXPECT_FALSE(feed_->FindUser(user_id_).user.has_value());
  // Read again after the change: cached.
  lookup = feed_->FindUser(user_id_);
  feed_->RememberUser(read_earlier, lookup.generation);
  EXPECT_TRUE(feed_->FindUser(user_id_).user.has_value());
}

TEST_F(RevocationFeedTest, DisabledUserIsRefusedFromMemory) {
  std::string token = SignIn();
  ASSERT_TRUE(feed_->Poll().ok());
  ASSERT_TRUE(Authenticate(token).ok());
  UserChange change;
  change.disabled = true;
  ASSERT_TRUE(admin_->UpdateUser(Actor::Cli(), user_id_, change, client_).ok());
  EXPECT_EQ(Authenticate(token).error().code, ErrorCode::kSessionRevoked);
}

// No token outlives its session, so the memory path, which never reads
// the session row, cannot accept one past the session's absolute end.
TEST_F(RevocationFeedTest, AccessTokenNeverOutlivesItsSession) {
  AuthSettings short_sessions;
  short_sessions.access_ttl = settings_.access_ttl;
  short_sessions.session_max_age = minutes(10);
  KeyManager keys(*tracked_, crypto_, clock_, random_, KeySettings{});
  AuthService auth(*tracked_, crypto_, clock_, random_, *tokens_,
                   short_sessions, *keys.LoadRefreshSecret(), nullptr,
                   feed_.get());
  auto issued = auth.Login("ann@example.test", kPassword, client_, {});
  ASSERT_TRUE(issued.ok());
  EXPECT_EQ(issued->access_max_age, minutes(10));
  ASSERT_TRUE(feed_->Poll().ok());
  clock_.Advance(minutes(10) - seconds(1));
  ASSERT_TRUE(feed_->Poll().ok());
  EXPECT_TRUE(auth.Authenticate({issued->access_token}).ok());
  clock_.Advance(seconds(1));
  ASSERT_TRUE(feed_->Poll().ok());
  EXPECT_EQ(auth.Authenticate({issued->access_token}).error().code,
            ErrorCode::kAccessTokenExpired);
}

// After GATEHOUSE_ACCESS_TTL is lowered, tokens issued under the old one
// may outlive what the view remembers: those are checked in the database.
TEST_F(RevocationFeedTest, TokenLongerThanTheTtlIsCheckedInTheDatabase) {
  AccessTokens long_lived(crypto_, clock_, random_,
                          AccessTokenSettings{"https://api.example.test",
                                              "gatehouse", minutes(60)});
  KeyManager keys(*tracked_, crypto_, clock_, random_, KeySettings{});
  ASSERT_TRUE(keys.LoadInto(long_lived).ok());
  std::string token = SignIn();
  auto who = Authenticate(token);
  ASSERT_TRUE(who.ok());
  auto old_style = long_lived.Issue(user_id_, who->session_id, kDefaultRole);
  ASSERT_TRUE(old_style.ok());
  ASSERT_TRUE(feed_->Poll().ok());
  ASSERT_TRUE(auth_->Authenticate({old_style->token}).ok());
  counted_.Reset();
  ASSERT_TRUE(auth_->Authenticate({old_style->token}).ok());
  EXPECT_GT(counted_.calls(), 0);
}

// The network threads' variant: it answers only what it can answer
// without the database, and says so otherwise.
TEST_F(RevocationFeedTest, WithoutBlockingAnswersOnlyFromMemory) {
  std::string token = SignIn();
  counted_.Reset();
  EXPECT_FALSE(auth_->AuthenticateWithoutBlocking({token}).has_value())
      << "no poll yet: the database must decide";
  ASSERT_TRUE(feed_->Poll().ok());
  counted_.Reset();
  EXPECT_FALSE(auth_->AuthenticateWithoutBlocking({token}).has_value())
      << "the user is not cached yet";
  EXPECT_EQ(counted_.calls(), 0);

  ASSERT_TRUE(Authenticate(token).ok());  // reads and caches the user
  counted_.Reset();
  auto fast = auth_->AuthenticateWithoutBlocking({token});
  ASSERT_TRUE(fast.has_value());
  ASSERT_TRUE(fast->ok());
  EXPECT_EQ((*fast)->user.id, user_id_);
  auto missing = auth_->AuthenticateWithoutBlocking({});
  ASSERT_TRUE(missing.has_value());
  EXPECT_EQ(missing->error().code, ErrorCode::kAccessTokenMissing);
  EXPECT_EQ(counted_.calls(), 0);

  ASSERT_TRUE(auth_->Logout({token}, {}, client_).ok());
  counted_.Reset();
  auto revoked = auth_->AuthenticateWithoutBlocking({token});
  ASSERT_TRUE(revoked.has_value());
  EXPECT_EQ(revoked->error().code, ErrorCode::kSessionRevoked);
  EXPECT_EQ(counted_.calls(), 0);
}

}  // namespace
}  // namespace gatehouse
