#include "service/account_service.h"

#include "core/audit.h"
#include "core/session_rules.h"
#include "service/audit_event.h"
#include "service/credentials.h"

namespace gatehouse {

AccountService::AccountService(Store& store, const Crypto& crypto,
                               const Clock& clock, FailureLimit password_limit)
    : store_(store),
      crypto_(crypto),
      clock_(clock),
      password_failures_(password_limit, kMaxLimiterKeys) {}

Result<std::vector<Session>> AccountService::ListSessions(const Identity& who) {
  std::vector<Session> sessions;
  GH_RETURN_IF_ERROR(store_.Run(TxMode::kRead, [&](Tx& tx) -> Status {
    GH_ASSIGN_OR_RETURN(sessions,
                        tx.ListActiveSessions(who.user.id, clock_.Now()));
    return Ok();
  }));
  return sessions;
}

Status AccountService::RevokeSession(const Identity& who,
                                     std::string_view session_id,
                                     const ClientInfo& client) {
  const Error not_found = MakeError(ErrorCode::kNotFound, "no such session");
  Time now = clock_.Now();
  bool found = false;
  GH_RETURN_IF_ERROR(store_.Run(TxMode::kWrite, [&](Tx& tx) -> Status {
    auto session = tx.GetSession(session_id);
    if (!session.ok()) {
      return session.error().code == ErrorCode::kNotFound
                 ? Ok()
                 : std::move(session).error();
    }
    if (session->user_id != who.user.id || !SessionCanRefresh(*session, now)) {
      return Ok();
    }
    GH_RETURN_IF_ERROR(tx.RevokeSession(session_id, now, "revoked-by-user"));
    GH_RETURN_IF_ERROR(tx.InsertAuditEvent(
        MakeAuditEvent(audit::kSessionRevoked, now, client, who.user.id,
                       session_id, who.user.id)));
    found = true;
    return Ok();
  }));
  if (!found) return not_found;
  return Ok();
}

Status AccountService::ChangePassword(const Identity& who,
                                      std::string_view current,
                                      std::string_view next,
                                      const ClientInfo& client) {
  GH_RETURN_IF_ERROR(ValidatePassword("new_password", next));
  if (auto wait = password_failures_.Blocked(who.user.id, clock_.Now())) {
    Error error = MakeError(ErrorCode::kRateLimited,
                            "too many wrong passwords; try later");
    error.retry_after_seconds = static_cast<int>(
        std::chrono::ceil<std::chrono::seconds>(*wait).count());
    return error;
  }
  // The hash is read now, not taken from `who`: identities never carry it,
  // and it may have changed since (another device, another instance).
  std::string stored_hash;
  GH_RETURN_IF_ERROR(store_.Run(TxMode::kRead, [&](Tx& tx) -> Status {
    GH_ASSIGN_OR_RETURN(User user, tx.GetUser(who.user.id));
    stored_hash = std::move(user.password_hash);
    return Ok();
  }));
  if (current.size() > kMaxPasswordBytes ||
      !crypto_.VerifyPassword(stored_hash, current)) {
    password_failures_.RecordFailure(who.user.id, clock_.Now());
    return MakeError(ErrorCode::kInvalidCredentials,
                     "current_password is incorrect");
  }
  GH_ASSIGN_OR_RETURN(std::string hash, crypto_.HashPassword(next));
  Time now = clock_.Now();
  return store_.Run(TxMode::kWrite, [&](Tx& tx) -> Status {
    // Re-read: the user may have changed since this request authenticated.
    GH_ASSIGN_OR_RETURN(User user, tx.GetUser(who.user.id));
    user.password_hash = hash;
    user.updated_at = now;
    GH_RETURN_IF_ERROR(tx.UpdateUser(user));
    GH_ASSIGN_OR_RETURN(auto revoked,
                        tx.RevokeUserSessions(user.id, now, "password-changed",
                                              who.session_id));
    GH_RETURN_IF_ERROR(tx.InsertAuditEvent(MakeAuditEvent(
        audit::kPasswordChanged, now, client, user.id, who.session_id, user.id,
        "other_sessions_revoked=" + std::to_string(revoked.size()))));
    return Ok();
  });
}

}  // namespace gatehouse
