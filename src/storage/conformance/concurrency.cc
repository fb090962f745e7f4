// Conformance cases: concurrent transactions, and Ping. The suite, its fixture
// and how a backend runs it: storage/store_conformance.h.
#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <string>
#include <thread>
#include <vector>

#include "storage/conformance/helpers.h"
#include "storage/store_conformance.h"

namespace gatehouse::conformance {
namespace {

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
}  // namespace gatehouse::conformance
