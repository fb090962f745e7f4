// ServiceTest: the auth use cases over a real SQLite file, with a fake
// clock and seeded randomness, for service-level tests.
#ifndef GATEHOUSE_TESTING_SERVICE_FIXTURE_H_
#define GATEHOUSE_TESTING_SERVICE_FIXTURE_H_

#include <gtest/gtest.h>

#include <memory>

#include "crypto/sodium_crypto.h"
#include "service/auth_service.h"
#include "service/key_manager.h"
#include "storage/sqlite/sqlite_store.h"
#include "testing/fake_clock.h"
#include "testing/seeded_random.h"
#include "testing/temp_dir.h"

namespace gatehouse::testkit {

inline constexpr char kTestPassword[] = "correct horse battery";

class ServiceTest : public ::testing::Test {
 protected:
  ServiceTest() : crypto_(PasswordHashParams::ForTesting()) {
    SqliteOptions options;
    options.path = (dir_.path() / "service.db").string();
    store_ = std::move(SqliteStore::Open(options)).value();
    EXPECT_TRUE(store_->Up().ok());
    tokens_ = std::make_unique<AccessTokens>(
        crypto_, clock_, random_,
        AccessTokenSettings{"https://api.example.test", "gatehouse",
                            std::chrono::minutes(15)});
    KeyManager keys(*store_, crypto_, clock_, random_, KeySettings{});
    EXPECT_TRUE(keys.LoadInto(*tokens_).ok());
    AuthSettings settings;
    settings.signup_open = true;
    auth_ = std::make_unique<AuthService>(*store_, crypto_, clock_, random_,
                                          *tokens_, settings,
                                          *keys.LoadRefreshSecret());
  }

  User NewUser(const std::string& email,
               const std::string& role = kDefaultRole) {
    auto user = auth_->Register(email, kTestPassword, "Name", role, true);
    EXPECT_TRUE(user.ok());
    return *user;
  }

  // Signs in and returns who that session is.
  Identity SignIn(const std::string& email,
                  const std::string& user_agent = "agent") {
    auto issued =
        auth_->Login(email, kTestPassword, {"198.51.100.1", user_agent}, {});
    EXPECT_TRUE(issued.ok());
    auto identity = auth_->Authenticate({issued->access_token});
    EXPECT_TRUE(identity.ok());
    return *identity;
  }

  std::vector<AuditEvent> Audit() {
    std::vector<AuditEvent> events;
    EXPECT_TRUE(store_
                    ->Run(TxMode::kRead,
                          [&](Tx& tx) -> Status {
                            GH_ASSIGN_OR_RETURN(events,
                                                tx.ListAuditEvents("", 0, 200));
                            return Ok();
                          })
                    .ok());
    return events;
  }

  TempDir dir_;
  FakeClock clock_;
  SeededRandom random_;
  SodiumCrypto crypto_;
  std::unique_ptr<SqliteStore> store_;
  std::unique_ptr<AccessTokens> tokens_;
  std::unique_ptr<AuthService> auth_;
  ClientInfo client_{"203.0.113.9", "test"};
};

}  // namespace gatehouse::testkit

#endif  // GATEHOUSE_TESTING_SERVICE_FIXTURE_H_
