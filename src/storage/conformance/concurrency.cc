// Conformance cases: concurrent transactions, in one store and in two on
// one database; an exhausted connection pool; Ping. The suite, its fixture
// and how a backend runs it: storage/store_conformance.h.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <latch>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "storage/conformance/helpers.h"
#include "storage/store_conformance.h"

namespace gatehouse::conformance {
namespace {

// What the racers of RaceRotations saw.
struct RotationRace {
  std::vector<Status> results;  // one per thread
  int saw_current = 0;          // threads that found hash-0 current
  int superseded = 0;           // threads whose Supersede won
};

// Each of kThreads threads does what a refresh does, on stores[i % n]:
// read the token hash-0 of session s-a, and if it is still current,
// supersede it and insert its successor hash-1. With the rotation lock,
// exactly one thread ever sees it current; without it, several would, and
// each would mint its own successor. `window` widens the gap between read
// and write for a racing thread.
RotationRace RaceRotations(const std::vector<Store*>& stores,
                           milliseconds window) {
  constexpr int kThreads = 8;
  std::latch start(kThreads);
  std::atomic<int> saw_current{0};
  std::atomic<int> superseded{0};
  RotationRace race;
  race.results.resize(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      Store& store = *stores[i % stores.size()];
      start.arrive_and_wait();
      race.results[i] = store.Run(TxMode::kWrite, [&](Tx& tx) -> Status {
        GH_ASSIGN_OR_RETURN(RefreshTokenRecord token,
                            tx.FindRefreshToken("hash-0"));
        if (token.superseded_at.has_value()) return Ok();
        saw_current.fetch_add(1);
        std::this_thread::sleep_for(window);
        GH_ASSIGN_OR_RETURN(bool won,
                            tx.SupersedeRefreshToken("hash-0", kT0 + kMinute));
        if (won) superseded.fetch_add(1);
        return tx.InsertRefreshToken(
            MakeToken("hash-1", "s-a", 1, kT0 + kMinute));
      });
    });
  }
  for (std::thread& t : threads) t.join();
  race.saw_current = saw_current.load();
  race.superseded = superseded.load();
  return race;
}

// Exactly one rotation of hash-0 happened, and its successor is stored.
void ExpectOneRotation(const RotationRace& race, Store& store) {
  for (size_t i = 0; i < race.results.size(); ++i) {
    EXPECT_TRUE(IsOk(race.results[i])) << i;
  }
  EXPECT_EQ(race.saw_current, 1);
  EXPECT_EQ(race.superseded, 1);
  auto successor =
      Read(store, [](Tx& tx) { return tx.FindRefreshToken("hash-1"); });
  EXPECT_TRUE(IsOk(successor));
}

TEST_P(StoreConformanceTest, ConcurrentRotationsOfOneTokenSerialise) {
  ASSERT_TRUE(IsOk(SeedSessionsOfAliceAndBob(store())));
  ASSERT_TRUE(IsOk(SeedTokens(store(), {MakeToken("hash-0", "s-a")})));
  ExpectOneRotation(RaceRotations({&store()}, milliseconds(5)), store());
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

// Two stores on one database stand for two gatehouse processes: nothing in
// process memory serialises them, only the database's locks.
TEST_P(DatabaseConformanceTest, RotationLockHoldsAcrossTwoStoresOnOneDatabase) {
  OpenedStore first = OpenMigrated();
  ASSERT_NE(first.store, nullptr);
  OpenedStore second = Open();
  ASSERT_NE(second.store, nullptr);
  ASSERT_TRUE(IsOk(SeedSessionsOfAliceAndBob(*first.store)));
  ASSERT_TRUE(IsOk(SeedTokens(*first.store, {MakeToken("hash-0", "s-a")})));
  ExpectOneRotation(
      RaceRotations({first.store.get(), second.store.get()}, milliseconds(20)),
      *second.store);
}

TEST_P(DatabaseConformanceTest, ExhaustedPoolIsUnavailableAfterTheWait) {
  OpenOptions options;
  options.single_connection_wait = milliseconds(200);
  OpenedStore opened = OpenMigrated(options);
  ASSERT_NE(opened.store, nullptr);
  Store& store = *opened.store;
  std::latch holding(1);
  std::latch release(1);
  std::thread holder([&] {
    Status held = store.Run(TxMode::kRead, [&](Tx&) -> Status {
      holding.count_down();
      release.wait();
      return Ok();
    });
    EXPECT_TRUE(IsOk(held));
  });
  holding.wait();
  const auto started = std::chrono::steady_clock::now();
  auto count = Read(store, [](Tx& tx) { return tx.CountUsers(); });
  const auto waited = std::chrono::steady_clock::now() - started;
  release.count_down();
  holder.join();
  ASSERT_TRUE(HasCode(count, ErrorCode::kUnavailable));
  EXPECT_EQ(count.error().retry_after_seconds, std::optional<int>(1));
  EXPECT_GE(waited, milliseconds(150));  // it did wait for the connection
  EXPECT_LT(waited, milliseconds(2000));
  // And the connection is free again once given back.
  EXPECT_TRUE(IsOk(Read(store, [](Tx& tx) { return tx.CountUsers(); })));
}

}  // namespace
}  // namespace gatehouse::conformance
