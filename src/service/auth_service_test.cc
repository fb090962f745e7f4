#include "service/auth_service.h"

#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "crypto/sodium_crypto.h"
#include "service/key_manager.h"
#include "storage/sqlite/sqlite_store.h"
#include "testing/fake_clock.h"
#include "testing/faulty_store.h"
#include "testing/seeded_random.h"
#include "testing/temp_dir.h"

namespace gatehouse {
namespace {

using std::chrono::days;
using std::chrono::minutes;
using std::chrono::seconds;

constexpr char kPassword[] = "correct horse battery";

// The service over a real SQLite file, wrapped in a FaultyStore so any
// test can make the database fail at a chosen step.
class AuthServiceTest : public ::testing::Test {
 protected:
  AuthServiceTest() : crypto_(PasswordHashParams::ForTesting()) {
    SqliteOptions options;
    options.path = (dir_.path() / "auth.db").string();
    base_ = std::move(SqliteStore::Open(options)).value();
    EXPECT_TRUE(base_->Up().ok());
    faulty_ = std::make_unique<FaultyStore>(*base_);
    tokens_ = std::make_unique<AccessTokens>(
        crypto_, clock_, random_,
        AccessTokenSettings{"https://api.example.test", "gatehouse",
                            minutes(15)});
    KeyManager keys(*base_, crypto_, clock_, random_, KeySettings{});
    EXPECT_TRUE(keys.LoadInto(*tokens_).ok());
    auto secret = keys.LoadRefreshSecret();
    EXPECT_TRUE(secret.ok());
    AuthSettings settings;
    settings.signup_open = true;
    auth_ = std::make_unique<AuthService>(*faulty_, crypto_, clock_, random_,
                                          *tokens_, settings, *secret);
  }

  User NewUser(const std::string& email) {
    auto user = auth_->Register(email, kPassword, "Name");
    EXPECT_TRUE(user.ok());
    return *user;
  }

  IssuedSession SignIn(const std::string& email,
                       std::vector<std::string_view> replaced = {}) {
    auto issued = auth_->Login(email, kPassword, client_, replaced);
    EXPECT_TRUE(issued.ok()) << (issued.ok() ? "" : issued.error().message);
    return *issued;
  }

  Result<IssuedSession> Refresh(const std::string& token) {
    return auth_->Refresh({token}, client_);
  }

  // The stored state of a refresh token and its session, read past the
  // fault injector.
  std::pair<RefreshTokenRecord, Session> Stored(const std::string& token) {
    std::pair<RefreshTokenRecord, Session> out;
    EXPECT_TRUE(base_
                    ->Run(TxMode::kRead,
                          [&](Tx& tx) -> Status {
                            GH_ASSIGN_OR_RETURN(
                                out.first,
                                tx.FindRefreshToken(crypto_.Sha256Hex(token)));
                            GH_ASSIGN_OR_RETURN(
                                out.second,
                                tx.GetSession(out.first.session_id));
                            return Ok();
                          })
                    .ok());
    return out;
  }

  testkit::TempDir dir_;
  testkit::FakeClock clock_;
  testkit::SeededRandom random_;
  SodiumCrypto crypto_;
  std::unique_ptr<SqliteStore> base_;
  std::unique_ptr<FaultyStore> faulty_;
  std::unique_ptr<AccessTokens> tokens_;
  std::unique_ptr<AuthService> auth_;
  ClientInfo client_{"203.0.113.7", "test-agent/1.0"};
};

TEST_F(AuthServiceTest,
       RotationIssuesASuccessorAndSupersedesThePresentedToken) {
  NewUser("a@example.test");
  IssuedSession first = SignIn("a@example.test");
  clock_.Advance(minutes(20));
  auto second = Refresh(first.refresh_token);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->session.id, first.session.id);
  EXPECT_NE(second->refresh_token, first.refresh_token);
  EXPECT_EQ(second->refresh_max_age, days(30));
  auto [old_record, session] = Stored(first.refresh_token);
  EXPECT_EQ(old_record.superseded_at, clock_.Now());
  EXPECT_EQ(session.generation, 1);
  EXPECT_EQ(session.last_used_at, clock_.Now());
  EXPECT_EQ(session.ip, "203.0.113.7");
  EXPECT_EQ(Stored(second->refresh_token).first.generation, 1);
}

TEST_F(AuthServiceTest, F9_SupersededTokenWithinGraceGetsTheCurrentToken) {
  NewUser("b@example.test");
  IssuedSession first = SignIn("b@example.test");
  auto second = Refresh(first.refresh_token);
  ASSERT_TRUE(second.ok());
  clock_.Advance(seconds(10));
  auto replay = Refresh(first.refresh_token);
  ASSERT_TRUE(replay.ok());
  EXPECT_EQ(replay->refresh_token, second->refresh_token);
  EXPECT_EQ(replay->session.id, first.session.id);
  EXPECT_EQ(Stored(second->refresh_token).second.generation, 1)
      << "no extra rotation";
  // The current token still rotates normally afterwards.
  EXPECT_TRUE(Refresh(second->refresh_token).ok());
}

TEST_F(AuthServiceTest, GraceReplayFollowsTheChainToTheNewestToken) {
  NewUser("c@example.test");
  IssuedSession t0 = SignIn("c@example.test");
  auto t1 = Refresh(t0.refresh_token);
  ASSERT_TRUE(t1.ok());
  clock_.Advance(seconds(5));
  auto t2 = Refresh(t1->refresh_token);
  ASSERT_TRUE(t2.ok());
  clock_.Advance(seconds(5));
  auto replay = Refresh(t0.refresh_token);
  ASSERT_TRUE(replay.ok());
  EXPECT_EQ(replay->refresh_token, t2->refresh_token);
}

TEST_F(AuthServiceTest, ReuseAfterGraceRevokesTheWholeSession) {
  NewUser("d@example.test");
  IssuedSession t0 = SignIn("d@example.test");
  auto t1 = Refresh(t0.refresh_token);
  ASSERT_TRUE(t1.ok());
  clock_.Advance(seconds(30));
  auto reuse = Refresh(t0.refresh_token);
  ASSERT_FALSE(reuse.ok());
  EXPECT_EQ(reuse.error().code, ErrorCode::kRefreshTokenReused);
  EXPECT_EQ(Stored(t1->refresh_token).second.revoke_reason,
            "refresh-token-reuse");
  auto after = Refresh(t1->refresh_token);
  ASSERT_FALSE(after.ok());
  EXPECT_EQ(after.error().code, ErrorCode::kInvalidRefreshToken);
  auto me = auth_->Authenticate({t1->access_token});
  ASSERT_FALSE(me.ok());
  EXPECT_EQ(me.error().code, ErrorCode::kSessionRevoked);
}

TEST_F(AuthServiceTest, RefreshTokensExpireAndSessionsEndAtTheirMaximumAge) {
  NewUser("e@example.test");
  IssuedSession idle = SignIn("e@example.test");
  clock_.Advance(days(30));
  EXPECT_EQ(Refresh(idle.refresh_token).error().code,
            ErrorCode::kInvalidRefreshToken);

  IssuedSession active = SignIn("e@example.test");
  std::string token = active.refresh_token;
  for (int day = 29; day < 90; day += 29) {
    clock_.Advance(days(29));
    auto next = Refresh(token);
    ASSERT_TRUE(next.ok()) << "day " << day;
    token = next->refresh_token;
    EXPECT_LE(clock_.Now() + next->refresh_max_age,
              active.session.absolute_expires_at);
  }
  clock_.Set(active.session.absolute_expires_at);
  EXPECT_EQ(Refresh(token).error().code, ErrorCode::kInvalidRefreshToken);
}

TEST_F(AuthServiceTest, AccessTokensExpireAndReportIt) {
  NewUser("f@example.test");
  IssuedSession s = SignIn("f@example.test");
  EXPECT_TRUE(auth_->Authenticate({s.access_token}).ok());
  clock_.Advance(minutes(15));
  auto expired = auth_->Authenticate({"garbage", s.access_token});
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.error().code, ErrorCode::kAccessTokenExpired);
  EXPECT_EQ(auth_->Authenticate({}).error().code,
            ErrorCode::kAccessTokenMissing);
  EXPECT_EQ(auth_->Authenticate({"garbage"}).error().code,
            ErrorCode::kAccessTokenInvalid);
}

TEST_F(AuthServiceTest, F1_LoginReplacesOnlyThisBrowsersSession) {
  NewUser("g@example.test");
  IssuedSession laptop = SignIn("g@example.test");
  IssuedSession phone = SignIn("g@example.test");
  IssuedSession laptop_again = SignIn("g@example.test", {laptop.refresh_token});
  EXPECT_EQ(Stored(laptop.refresh_token).second.revoke_reason, "replaced");
  EXPECT_FALSE(Stored(phone.refresh_token).second.revoked_at.has_value());
  EXPECT_TRUE(auth_->Authenticate({phone.access_token}).ok());
  EXPECT_TRUE(auth_->Authenticate({laptop_again.access_token}).ok());
}

TEST_F(AuthServiceTest, F9_ConcurrentRefreshesConvergeOnOneToken) {
  NewUser("h@example.test");
  IssuedSession s = SignIn("h@example.test");
  constexpr int kRacers = 8;
  std::vector<std::string> tokens(kRacers);
  std::vector<std::thread> threads;
  for (int i = 0; i < kRacers; ++i) {
    threads.emplace_back([&, i] {
      auto r = Refresh(s.refresh_token);
      if (r.ok()) tokens[i] = r->refresh_token;
    });
  }
  for (auto& t : threads) t.join();
  std::set<std::string> distinct(tokens.begin(), tokens.end());
  EXPECT_EQ(distinct.size(), 1u);
  EXPECT_FALSE(distinct.begin()->empty()) << "every racer succeeded";
  EXPECT_EQ(Stored(*distinct.begin()).second.generation, 1)
      << "rotated exactly once";
}

TEST_F(AuthServiceTest, EveryFailurePointOfLoginLeavesNothingBehind) {
  NewUser("i@example.test");
  IssuedSession replaced = SignIn("i@example.test");
  for (int n = 0;; ++n) {
    faulty_->FailAfter(n);
    auto r = auth_->Login("i@example.test", kPassword, client_,
                          {replaced.refresh_token});
    faulty_->Reset();
    if (r.ok()) {
      ASSERT_GT(n, 0);
      break;
    }
    ASSERT_EQ(r.error().code, ErrorCode::kUnavailable) << "n=" << n;
    // The browser's previous session is intact and no new session exists.
    auto [record, session] = Stored(replaced.refresh_token);
    EXPECT_FALSE(session.revoked_at.has_value()) << "n=" << n;
    // A copy the lambda can capture (clang 14 cannot capture a structured
    // binding).
    const std::string user_id = session.user_id;
    std::vector<Session> sessions;
    ASSERT_TRUE(base_
                    ->Run(TxMode::kRead,
                          [&](Tx& tx) -> Status {
                            GH_ASSIGN_OR_RETURN(
                                sessions,
                                tx.ListActiveSessions(user_id, clock_.Now()));
                            return Ok();
                          })
                    .ok());
    EXPECT_EQ(sessions.size(), 1u) << "n=" << n;
    ASSERT_LT(n, 50) << "login never succeeded";
  }
}

TEST_F(AuthServiceTest, EveryFailurePointOfRotationLeavesNoHalfRotatedFamily) {
  NewUser("j@example.test");
  IssuedSession s = SignIn("j@example.test");
  for (int n = 0;; ++n) {
    faulty_->FailAfter(n);
    auto r = Refresh(s.refresh_token);
    faulty_->Reset();
    if (r.ok()) {
      ASSERT_GT(n, 0);
      auto [record, session] = Stored(s.refresh_token);
      EXPECT_TRUE(record.superseded_at.has_value());
      EXPECT_EQ(session.generation, 1);
      break;
    }
    ASSERT_EQ(r.error().code, ErrorCode::kUnavailable) << "n=" << n;
    auto [record, session] = Stored(s.refresh_token);
    EXPECT_FALSE(record.superseded_at.has_value()) << "n=" << n;
    EXPECT_EQ(session.generation, 0) << "n=" << n;
    EXPECT_FALSE(session.revoked_at.has_value()) << "n=" << n;
    ASSERT_LT(n, 50) << "refresh never succeeded";
  }
}

TEST_F(AuthServiceTest, ReuseRevocationIsCommittedEvenThoughTheRequestFails) {
  NewUser("k@example.test");
  IssuedSession s = SignIn("k@example.test");
  ASSERT_TRUE(Refresh(s.refresh_token).ok());
  clock_.Advance(minutes(1));
  ASSERT_EQ(Refresh(s.refresh_token).error().code,
            ErrorCode::kRefreshTokenReused);
  EXPECT_TRUE(Stored(s.refresh_token).second.revoked_at.has_value());
}

TEST_F(AuthServiceTest, DisabledAccountsAreRefusedOnlyAfterTheRightPassword) {
  User user = NewUser("l@example.test");
  IssuedSession s = SignIn("l@example.test");
  user.disabled = true;
  ASSERT_TRUE(
      base_->Run(TxMode::kWrite, [&](Tx& tx) { return tx.UpdateUser(user); })
          .ok());
  EXPECT_EQ(auth_->Login("l@example.test", "wrong password!", client_, {})
                .error()
                .code,
            ErrorCode::kInvalidCredentials);
  EXPECT_EQ(auth_->Login("l@example.test", kPassword, client_, {}).error().code,
            ErrorCode::kAccountDisabled);
  EXPECT_EQ(Refresh(s.refresh_token).error().code,
            ErrorCode::kInvalidRefreshToken);
}

TEST_F(AuthServiceTest, UnknownEmailAndWrongPasswordGiveTheSameError) {
  NewUser("m@example.test");
  auto unknown = auth_->Login("nobody@example.test", kPassword, client_, {});
  auto wrong = auth_->Login("m@example.test", "not the password", client_, {});
  ASSERT_FALSE(unknown.ok());
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(unknown.error().code, wrong.error().code);
  EXPECT_EQ(unknown.error().message, wrong.error().message);
}

TEST_F(AuthServiceTest, LogoutAllWorksWithARefreshTokenWhenAccessExpired) {
  NewUser("n@example.test");
  IssuedSession a = SignIn("n@example.test");
  IssuedSession b = SignIn("n@example.test");
  clock_.Advance(minutes(20));
  auto count = auth_->LogoutAll({a.access_token}, {a.refresh_token}, client_);
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 2);
  EXPECT_TRUE(Stored(b.refresh_token).second.revoked_at.has_value());
  EXPECT_FALSE(auth_->LogoutAll({}, {"garbage"}, client_).ok());
}

TEST_F(AuthServiceTest, RegisterValidatesAndRespectsTheSignupPolicy) {
  EXPECT_EQ(auth_->Register("no-at-sign", kPassword, "").error().code,
            ErrorCode::kValidationFailed);
  EXPECT_EQ(auth_->Register("o@example.test", "short", "").error().code,
            ErrorCode::kValidationFailed);
  NewUser("o@example.test");
  EXPECT_EQ(auth_->Register("O@Example.test", kPassword, "").error().code,
            ErrorCode::kEmailTaken);
  AuthSettings closed;
  AuthService closed_signup(*faulty_, crypto_, clock_, random_, *tokens_,
                            closed, "secret");
  EXPECT_EQ(
      closed_signup.Register("p@example.test", kPassword, "").error().code,
      ErrorCode::kForbidden);
  EXPECT_TRUE(
      closed_signup.Register("p@example.test", kPassword, "", kAdminRole, true)
          .ok());
}

}  // namespace
}  // namespace gatehouse

namespace gatehouse {
namespace {

TEST_F(AuthServiceTest,
       AccountLimitBlocksEvenTheRightPasswordUntilTheWindowEnds) {
  NewUser("q@example.test");
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(auth_->Login("q@example.test", "wrong password", client_, {})
                  .error()
                  .code,
              ErrorCode::kInvalidCredentials);
  }
  auto limited = auth_->Login("Q@example.test", kPassword, client_, {});
  ASSERT_FALSE(limited.ok());
  EXPECT_EQ(limited.error().code, ErrorCode::kRateLimited);
  EXPECT_EQ(*limited.error().retry_after_seconds, 15 * 60);
  NewUser("r@example.test");
  EXPECT_TRUE(
      auth_->Login("r@example.test", kPassword, {"198.51.100.9", ""}, {}).ok())
      << "another account is not affected";
  clock_.Advance(minutes(15));
  EXPECT_TRUE(auth_->Login("q@example.test", kPassword, client_, {}).ok());
}

TEST_F(AuthServiceTest, IpLimitSpansAccountsAndUnknownEmails) {
  for (int i = 0; i < 50; ++i) {
    std::string email = "nobody" + std::to_string(i) + "@example.test";
    EXPECT_EQ(auth_->Login(email, "guess", client_, {}).error().code,
              ErrorCode::kInvalidCredentials);
  }
  NewUser("s@example.test");
  EXPECT_EQ(auth_->Login("s@example.test", kPassword, client_, {}).error().code,
            ErrorCode::kRateLimited);
  EXPECT_TRUE(
      auth_->Login("s@example.test", kPassword, {"198.51.100.10", ""}, {})
          .ok());
}

// Finding: an IPv6 client owns a whole /64 and could take a new address
// for every attempt; the per-IP limit must count the /64.
TEST_F(AuthServiceTest, PerIpSignInLimitCountsIpv6By64) {
  for (int i = 0; i < 50; ++i) {
    std::string ip = "2001:db8:a:b::" + std::to_string(i + 1);
    std::string email = "nobody" + std::to_string(i) + "@example.test";
    EXPECT_EQ(auth_->Login(email, "guess", {ip, ""}, {}).error().code,
              ErrorCode::kInvalidCredentials)
        << ip;
    clock_.Advance(std::chrono::seconds(1));
  }
  NewUser("v6@example.test");
  auto limited = auth_->Login("v6@example.test", kPassword,
                              {"2001:db8:a:b:ffff:1:2:3", ""}, {});
  ASSERT_FALSE(limited.ok());
  EXPECT_EQ(limited.error().code, ErrorCode::kRateLimited);
  EXPECT_TRUE(
      auth_->Login("v6@example.test", kPassword, {"2001:db8:a:c::1", ""}, {})
          .ok())
      << "the next /64 is another client";
}

TEST_F(AuthServiceTest, SuccessfulLoginsAreNeverCounted) {
  NewUser("t@example.test");
  for (int i = 0; i < 30; ++i) {
    ASSERT_TRUE(auth_->Login("t@example.test", kPassword, client_, {}).ok())
        << i;
  }
}

}  // namespace
}  // namespace gatehouse
