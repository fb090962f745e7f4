// The kinds of audit events gatehouse records (core/model.h AuditEvent).
// Stable strings: operators grep and alert on them.
#ifndef GATEHOUSE_CORE_AUDIT_H_
#define GATEHOUSE_CORE_AUDIT_H_

namespace gatehouse::audit {

inline constexpr char kLoginSucceeded[] = "login.succeeded";
inline constexpr char kLoginFailed[] = "login.failed";
inline constexpr char kLogout[] = "logout";
inline constexpr char kLogoutAll[] = "logout.all";
inline constexpr char kSessionRevoked[] = "session.revoked";
inline constexpr char kRefreshReuseDetected[] = "refresh.reuse_detected";
inline constexpr char kPasswordChanged[] = "password.changed";
inline constexpr char kRoleChanged[] = "user.role_changed";
inline constexpr char kUserDisabled[] = "user.disabled";
inline constexpr char kUserEnabled[] = "user.enabled";
inline constexpr char kUserSessionsRevoked[] = "user.sessions_revoked";
inline constexpr char kKeysRotated[] = "keys.rotated";

}  // namespace gatehouse::audit

#endif  // GATEHOUSE_CORE_AUDIT_H_
