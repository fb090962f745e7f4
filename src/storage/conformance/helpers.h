// Shared by the conformance cases (storage/conformance/*.cc): field
// tuples for comparing records, assertions on Result, running a callback in
// a transaction, and the common seeds. Test-only, header only.
#ifndef GATEHOUSE_STORAGE_CONFORMANCE_HELPERS_H_
#define GATEHOUSE_STORAGE_CONFORMANCE_HELPERS_H_

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/result.h"
#include "storage/store.h"
#include "testing/test_records.h"

namespace gatehouse::conformance {

using std::chrono::milliseconds;

using testkit::kT0;
using testkit::MakeEvent;
using testkit::MakeKey;
using testkit::MakeSession;
using testkit::MakeToken;
using testkit::MakeUser;

inline constexpr Duration kMinute = std::chrono::minutes(1);
inline constexpr Duration kDay = std::chrono::hours(24);

// Field tuples with times as integers, so gtest prints a mismatch legibly.
inline int64_t Ms(const std::optional<Time>& t) {
  return t.has_value() ? ToUnixMillis(*t) : -1;
}
inline auto Fields(const User& u) {
  return std::make_tuple(u.id, u.email, u.name, u.role, u.disabled,
                         u.password_hash, Ms(u.created_at), Ms(u.updated_at));
}
inline auto Fields(const Session& s) {
  return std::make_tuple(s.id, s.user_id, Ms(s.created_at), Ms(s.last_used_at),
                         Ms(s.expires_at), Ms(s.absolute_expires_at),
                         s.user_agent, s.ip, s.generation, Ms(s.revoked_at),
                         s.revoke_reason);
}
inline auto Fields(const RefreshTokenRecord& t) {
  return std::make_tuple(t.token_hash, t.session_id, t.generation,
                         Ms(t.issued_at), Ms(t.superseded_at));
}
inline auto Fields(const SigningKey& k) {
  return std::make_tuple(k.kid, k.alg, k.public_key, k.sealed_private_key,
                         Ms(k.created_at), Ms(k.retired_at));
}
inline auto Fields(const AuditEvent& e) {
  return std::make_tuple(e.id, Ms(e.at), e.type, e.user_id, e.session_id,
                         e.actor_id, e.ip, e.user_agent, e.detail);
}
inline std::vector<int64_t> EventIds(const std::vector<AuditEvent>& events) {
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
inline Status SeedUsers(Store& store, const std::vector<User>& users) {
  return store.Run(TxMode::kWrite, [&](Tx& tx) -> Status {
    for (const User& u : users) GH_RETURN_IF_ERROR(tx.InsertUser(u));
    return Ok();
  });
}
inline Status SeedSessions(Store& store, const std::vector<Session>& sessions) {
  return store.Run(TxMode::kWrite, [&](Tx& tx) -> Status {
    for (const Session& s : sessions) GH_RETURN_IF_ERROR(tx.InsertSession(s));
    return Ok();
  });
}
inline Status SeedTokens(Store& store,
                         const std::vector<RefreshTokenRecord>& tokens) {
  return store.Run(TxMode::kWrite, [&](Tx& tx) -> Status {
    for (const auto& t : tokens) GH_RETURN_IF_ERROR(tx.InsertRefreshToken(t));
    return Ok();
  });
}

// Inserts `events` in one committed transaction; the ids assigned, in order.
inline Result<std::vector<int64_t>> SeedEvents(
    Store& store, const std::vector<AuditEvent>& events) {
  return Write(store, [&](Tx& tx) -> Result<std::vector<int64_t>> {
    std::vector<int64_t> ids;
    for (const AuditEvent& e : events) {
      GH_ASSIGN_OR_RETURN(int64_t id, tx.InsertAuditEvent(e));
      ids.push_back(id);
    }
    return ids;
  });
}

// Two users, alice (A) and bob (B), for the isolation twins.
inline Status SeedAliceAndBob(Store& store) {
  return SeedUsers(store, {MakeUser("user-a", "alice@example.com"),
                           MakeUser("user-b", "bob@example.com")});
}

// Alice with session s-a, Bob with session s-b.
inline Status SeedSessionsOfAliceAndBob(Store& store) {
  GH_RETURN_IF_ERROR(SeedAliceAndBob(store));
  return SeedSessions(
      store, {MakeSession("s-a", "user-a"), MakeSession("s-b", "user-b")});
}

}  // namespace gatehouse::conformance

#endif  // GATEHOUSE_STORAGE_CONFORMANCE_HELPERS_H_
