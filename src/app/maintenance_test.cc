#include "app/maintenance.h"

#include <gtest/gtest.h>

#include <thread>

#include "core/token_codec.h"
#include "crypto/sodium_crypto.h"
#include "storage/sqlite/sqlite_store.h"
#include "testing/fake_clock.h"
#include "testing/seeded_random.h"
#include "testing/temp_dir.h"

namespace gatehouse {
namespace {

// A key rotated elsewhere (the CLI, another instance) signs here within
// one maintenance interval, without a restart.
TEST(MaintenanceTest, PicksUpKeysRotatedElsewhere) {
  testkit::TempDir dir;
  SqliteOptions options;
  options.path = (dir.path() / "m.db").string();
  auto store = std::move(SqliteStore::Open(options)).value();
  ASSERT_TRUE(store->Up().ok());
  testkit::FakeClock clock;
  testkit::SeededRandom random;
  SodiumCrypto crypto(PasswordHashParams::ForTesting());
  AccessTokens tokens(
      crypto, clock, random,
      {"https://api.example.test", "gatehouse", std::chrono::minutes(15)});
  KeyManager here(*store, crypto, clock, random, KeySettings{});
  ASSERT_TRUE(here.LoadInto(tokens).ok());
  std::string old_kid = here.published_keys().at(0).kid;

  KeyManager elsewhere(*store, crypto, clock, random, KeySettings{});
  auto new_kid = elsewhere.Rotate();
  ASSERT_TRUE(new_kid.ok());

  SessionSweeper sweeper(*store, clock);
  AuditSweeper audit_sweeper(*store, clock);
  Maintenance maintenance(here, tokens, sweeper, audit_sweeper,
                          std::chrono::milliseconds(10));
  maintenance.Start();
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (here.published_keys().size() < 2 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  maintenance.Stop();
  ASSERT_EQ(here.published_keys().size(), 2u);
  auto token = tokens.Issue("user", "session", "user");
  ASSERT_TRUE(token.ok());
  EXPECT_TRUE(tokens.Verify(token->token).ok());
  // The new key signs: its kid is in the token header.
  auto parsed = ParseJwt(token->token);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->header.kid, *new_kid);
  EXPECT_NE(old_kid, *new_kid);
}

// Finding 12c: the audit log grew forever. Each maintenance round sweeps
// the events older than the retention, beside the ended sessions.
TEST(MaintenanceTest, SweepsAuditEventsOlderThanTheRetention) {
  testkit::TempDir dir;
  SqliteOptions options;
  options.path = (dir.path() / "m.db").string();
  auto store = std::move(SqliteStore::Open(options)).value();
  ASSERT_TRUE(store->Up().ok());
  testkit::FakeClock clock;
  testkit::SeededRandom random;
  SodiumCrypto crypto(PasswordHashParams::ForTesting());
  AccessTokens tokens(
      crypto, clock, random,
      {"https://api.example.test", "gatehouse", std::chrono::minutes(15)});
  KeyManager keys(*store, crypto, clock, random, KeySettings{});
  ASSERT_TRUE(keys.LoadInto(tokens).ok());
  auto count_events = [&] {
    size_t n = 0;
    EXPECT_TRUE(store
                    ->Run(TxMode::kRead,
                          [&](Tx& tx) -> Status {
                            GH_ASSIGN_OR_RETURN(auto events,
                                                tx.ListAuditEvents("", 0, 10));
                            n = events.size();
                            return Ok();
                          })
                    .ok());
    return n;
  };
  ASSERT_TRUE(store
                  ->Run(TxMode::kWrite,
                        [&](Tx& tx) -> Status {
                          AuditEvent old;
                          old.type = "login.succeeded";
                          old.at = clock.Now() - std::chrono::days(31);
                          GH_RETURN_IF_ERROR(tx.InsertAuditEvent(old));
                          AuditEvent recent = old;
                          recent.at = clock.Now() - std::chrono::days(29);
                          GH_RETURN_IF_ERROR(tx.InsertAuditEvent(recent));
                          return Ok();
                        })
                  .ok());
  ASSERT_EQ(count_events(), 2u);

  SessionSweeper sweeper(*store, clock);
  AuditSweepSettings settings;
  settings.retention = std::chrono::days(30);
  AuditSweeper audit_sweeper(*store, clock, settings);
  Maintenance maintenance(keys, tokens, sweeper, audit_sweeper,
                          std::chrono::milliseconds(10));
  maintenance.Start();
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (count_events() == 2u && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  maintenance.Stop();
  EXPECT_EQ(count_events(), 1u) << "the 31-day-old event went, not the other";
}

}  // namespace
}  // namespace gatehouse
