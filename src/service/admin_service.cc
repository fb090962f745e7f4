#include "service/admin_service.h"

#include <algorithm>

#include "core/audit.h"
#include "core/model.h"
#include "service/credentials.h"

namespace gatehouse {
namespace {

Status RequireAdmin(const Actor& actor) {
  if (actor.role == kAdminRole) return Ok();
  return MakeError(ErrorCode::kForbidden, "administrators only");
}

int ClampPage(int limit) {
  if (limit <= 0) return kDefaultPageSize;
  return std::min(limit, kMaxPageSize);
}

}  // namespace

AdminService::AdminService(Store& store, const Clock& clock)
    : store_(store), clock_(clock) {}

Result<std::vector<User>> AdminService::ListUsers(const Actor& actor,
                                                  std::string_view after_id,
                                                  int limit) {
  GH_RETURN_IF_ERROR(RequireAdmin(actor));
  std::vector<User> users;
  GH_RETURN_IF_ERROR(store_.Run(TxMode::kRead, [&](Tx& tx) -> Status {
    GH_ASSIGN_OR_RETURN(users, tx.ListUsers(after_id, ClampPage(limit)));
    return Ok();
  }));
  return users;
}

Result<User> AdminService::FindUser(const Actor& actor,
                                    std::string_view id_or_email) {
  GH_RETURN_IF_ERROR(RequireAdmin(actor));
  std::optional<User> user;
  GH_RETURN_IF_ERROR(store_.Run(TxMode::kRead, [&](Tx& tx) -> Status {
    auto found = id_or_email.find('@') != std::string_view::npos
                     ? tx.FindUserByEmail(NormalizeEmail(id_or_email))
                     : tx.GetUser(id_or_email);
    if (!found.ok()) return std::move(found).error();
    user = std::move(found).value();
    return Ok();
  }));
  return std::move(*user);
}

Result<User> AdminService::UpdateUser(const Actor& actor,
                                      std::string_view user_id,
                                      const UserChange& change,
                                      const ClientInfo& client) {
  GH_RETURN_IF_ERROR(RequireAdmin(actor));
  if (change.role) GH_RETURN_IF_ERROR(ValidateRole(*change.role));
  if (actor.id == user_id && ((change.disabled && *change.disabled) ||
                              (change.role && *change.role != kAdminRole))) {
    return MakeError(
        ErrorCode::kValidationFailed,
        "disabled: an administrator cannot disable or demote themselves");
  }
  Time now = clock_.Now();
  User updated;
  GH_RETURN_IF_ERROR(store_.Run(TxMode::kWrite, [&](Tx& tx) -> Status {
    GH_ASSIGN_OR_RETURN(updated, tx.GetUser(user_id));
    std::vector<AuditEvent> events;
    if (change.role && *change.role != updated.role) {
      events.push_back(MakeAuditEvent(audit::kRoleChanged, now, client,
                                      updated.id, "", actor.id,
                                      updated.role + "->" + *change.role));
      updated.role = *change.role;
    }
    if (change.disabled && *change.disabled != updated.disabled) {
      updated.disabled = *change.disabled;
      events.push_back(MakeAuditEvent(
          updated.disabled ? audit::kUserDisabled : audit::kUserEnabled, now,
          client, updated.id, "", actor.id));
    }
    if (events.empty()) return Ok();
    updated.updated_at = now;
    GH_RETURN_IF_ERROR(tx.UpdateUser(updated));
    if (updated.disabled) {
      GH_RETURN_IF_ERROR(
          tx.RevokeUserSessions(updated.id, now, "disabled", std::nullopt));
    }
    for (const AuditEvent& e : events)
      GH_RETURN_IF_ERROR(tx.InsertAuditEvent(e));
    return Ok();
  }));
  return updated;
}

Result<int> AdminService::RevokeUserSessions(const Actor& actor,
                                             std::string_view user_id,
                                             const ClientInfo& client) {
  GH_RETURN_IF_ERROR(RequireAdmin(actor));
  Time now = clock_.Now();
  int count = 0;
  GH_RETURN_IF_ERROR(store_.Run(TxMode::kWrite, [&](Tx& tx) -> Status {
    GH_ASSIGN_OR_RETURN(User user, tx.GetUser(user_id));
    GH_ASSIGN_OR_RETURN(
        auto revoked,
        tx.RevokeUserSessions(user.id, now, "revoked-by-admin", std::nullopt));
    count = static_cast<int>(revoked.size());
    GH_RETURN_IF_ERROR(tx.InsertAuditEvent(
        MakeAuditEvent(audit::kUserSessionsRevoked, now, client, user.id, "",
                       actor.id, "sessions=" + std::to_string(count))));
    return Ok();
  }));
  return count;
}

Result<std::vector<Session>> AdminService::ListUserSessions(
    const Actor& actor, std::string_view user_id) {
  GH_RETURN_IF_ERROR(RequireAdmin(actor));
  std::vector<Session> sessions;
  GH_RETURN_IF_ERROR(store_.Run(TxMode::kRead, [&](Tx& tx) -> Status {
    GH_ASSIGN_OR_RETURN(User user, tx.GetUser(user_id));
    GH_ASSIGN_OR_RETURN(sessions, tx.ListActiveSessions(user.id, clock_.Now()));
    return Ok();
  }));
  return sessions;
}

Status AdminService::RevokeSession(const Actor& actor,
                                   std::string_view session_id,
                                   const ClientInfo& client) {
  GH_RETURN_IF_ERROR(RequireAdmin(actor));
  Time now = clock_.Now();
  return store_.Run(TxMode::kWrite, [&](Tx& tx) -> Status {
    GH_ASSIGN_OR_RETURN(Session session, tx.GetSession(session_id));
    GH_ASSIGN_OR_RETURN(bool revoked,
                        tx.RevokeSession(session_id, now, "revoked-by-admin"));
    if (!revoked) return Ok();
    GH_RETURN_IF_ERROR(tx.InsertAuditEvent(
        MakeAuditEvent(audit::kSessionRevoked, now, client, session.user_id,
                       session_id, actor.id)));
    return Ok();
  });
}

Result<std::vector<AuditEvent>> AdminService::ListAudit(
    const Actor& actor, std::string_view user_id, int64_t before_id,
    int limit) {
  GH_RETURN_IF_ERROR(RequireAdmin(actor));
  std::vector<AuditEvent> events;
  GH_RETURN_IF_ERROR(store_.Run(TxMode::kRead, [&](Tx& tx) -> Status {
    GH_ASSIGN_OR_RETURN(
        events, tx.ListAuditEvents(user_id, before_id, ClampPage(limit)));
    return Ok();
  }));
  return events;
}

Status AdminService::RecordKeyRotation(const Actor& actor,
                                       std::string_view new_kid,
                                       const ClientInfo& client) {
  GH_RETURN_IF_ERROR(RequireAdmin(actor));
  Time now = clock_.Now();
  return store_.Run(TxMode::kWrite, [&](Tx& tx) -> Status {
    GH_RETURN_IF_ERROR(tx.InsertAuditEvent(
        MakeAuditEvent(audit::kKeysRotated, now, client, "", "", actor.id,
                       "kid=" + std::string(new_kid))));
    return Ok();
  });
}

}  // namespace gatehouse
