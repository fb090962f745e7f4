// Conformance cases: transactions: commit, rollback, errors (never
// quoting a value), a throwing callback, header bytes. The
// suite, its fixture and how a backend runs it: storage/store_conformance.h.
#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "storage/conformance/helpers.h"
#include "storage/store_conformance.h"

namespace gatehouse::conformance {
namespace {

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

TEST_P(StoreConformanceTest, WriteInAReadTransactionIsRefused) {
  Status st = store().Run(TxMode::kRead, [](Tx& tx) {
    return tx.InsertUser(MakeUser("u", "u@example.com"));
  });
  ASSERT_TRUE(HasCode(st, ErrorCode::kInternal));
  EXPECT_NE(st.error().message.find("kRead"), std::string::npos);
  st = store().Run(TxMode::kRead, [](Tx& tx) -> Status {
    GH_RETURN_IF_ERROR(tx.InsertAuditEvent(MakeEvent("logout", "u")));
    return Ok();
  });
  ASSERT_TRUE(HasCode(st, ErrorCode::kInternal));
  EXPECT_NE(st.error().message.find("InsertAuditEvent"), std::string::npos);
  EXPECT_NE(st.error().message.find("kRead"), std::string::npos);
  st = store().Run(TxMode::kRead, [](Tx& tx) -> Status {
    GH_RETURN_IF_ERROR(tx.DeleteEndedSessions(kT0, 10));
    return Ok();
  });
  ASSERT_TRUE(HasCode(st, ErrorCode::kInternal));
  EXPECT_NE(st.error().message.find("DeleteEndedSessions"), std::string::npos);
  ASSERT_TRUE(IsOk(store().Run(TxMode::kRead, [](Tx& tx) -> Status {
    GH_ASSIGN_OR_RETURN(int64_t n, tx.CountUsers());
    EXPECT_EQ(n, 0);
    GH_ASSIGN_OR_RETURN(auto events, tx.ListAuditEvents("", 0, 10));
    EXPECT_TRUE(events.empty());
    return Ok();
  })));
}

// Logs and HTTP answers carry error messages; a token hash or an email in
// one would leak it. Each conflict names its constraint, never the row.
TEST_P(DatabaseConformanceTest, ErrorMessagesNeverContainBoundValues) {
  OpenedStore opened = OpenMigrated();
  ASSERT_NE(opened.store, nullptr);
  Store& store = *opened.store;
  const std::string hash = "9f86d081884c7d659a2feaa0c55ad015-secret";
  const std::string email = "private.person@example.com";
  ASSERT_TRUE(IsOk(store.Run(TxMode::kWrite, [&](Tx& tx) -> Status {
    GH_RETURN_IF_ERROR(tx.InsertUser(MakeUser("u", email)));
    GH_RETURN_IF_ERROR(tx.InsertSession(MakeSession("s", "u")));
    return tx.InsertRefreshToken(MakeToken(hash, "s"));
  })));
  std::vector<Error> errors;
  ASSERT_TRUE(IsOk(store.Run(TxMode::kWrite, [&](Tx& tx) -> Status {
    if (Status s = tx.InsertRefreshToken(MakeToken(hash, "s")); !s.ok()) {
      errors.push_back(s.error());
    }
    if (Status s = tx.InsertRefreshToken(
            MakeToken(hash + "-orphan", "no-session-" + hash));
        !s.ok()) {
      errors.push_back(s.error());
    }
    if (Status s = tx.InsertUser(MakeUser("u2", email)); !s.ok()) {
      errors.push_back(s.error());
    }
    return Ok();
  })));
  ASSERT_EQ(errors.size(), 3u);
  for (const Error& e : errors) {
    EXPECT_EQ(e.code, ErrorCode::kConflict) << e.message;
    EXPECT_EQ(e.message.find(hash), std::string::npos) << e.message;
    EXPECT_EQ(e.message.find("private.person"), std::string::npos) << e.message;
    EXPECT_NE(e.message.find(db().dialect.conflict_mark), std::string::npos)
        << e.message;
  }
}

TEST_P(DatabaseConformanceTest,
       ThrowingCallbackRollsBackAndFreesTheConnection) {
  OpenOptions options;
  options.single_connection_wait = milliseconds(500);
  OpenedStore opened = OpenMigrated(options);
  ASSERT_NE(opened.store, nullptr);
  Store& store = *opened.store;
  EXPECT_THROW(
      {
        Status ignored = store.Run(TxMode::kWrite, [](Tx& tx) -> Status {
          Status inserted = tx.InsertUser(MakeUser("u", "u@example.com"));
          if (inserted.ok()) throw std::runtime_error("callback bug");
          return inserted;
        });
      },
      std::runtime_error);
  // The only connection and the write lock are free again, and empty.
  EXPECT_TRUE(IsOk(store.Run(TxMode::kWrite, [](Tx& tx) -> Status {
    GH_ASSIGN_OR_RETURN(int64_t n, tx.CountUsers());
    EXPECT_EQ(n, 0);
    return tx.InsertUser(MakeUser("u", "u@example.com"));
  })));
}

}  // namespace
}  // namespace gatehouse::conformance
