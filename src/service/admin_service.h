// AdminService: what an administrator (role "admin") or the operations
// CLI does to other accounts: list users, set roles, disable accounts,
// revoke sessions, read the audit log, rotate signing keys.
#ifndef GATEHOUSE_SERVICE_ADMIN_SERVICE_H_
#define GATEHOUSE_SERVICE_ADMIN_SERVICE_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "service/audit_event.h"
#include "service/client_info.h"
#include "storage/store.h"

namespace gatehouse {

// Who performs an admin operation. Every method refuses (kForbidden) an
// actor whose role is not "admin".
struct Actor {
  std::string id;  // a user id, or kCliActor
  std::string role;
  static Actor Cli() { return Actor{kCliActor, "admin"}; }
};

// A page of a listing: at most this many items, whatever is asked.
inline constexpr int kMaxPageSize = 200;
inline constexpr int kDefaultPageSize = 50;

struct UserChange {
  std::optional<std::string> role;
  std::optional<bool> disabled;
};

class AdminService {
 public:
  AdminService(Store& store, const Clock& clock);

  // Users ordered by creation, after `after_id` (empty: from the first);
  // `limit` is clamped to [1, kMaxPageSize].
  Result<std::vector<User>> ListUsers(const Actor& actor,
                                      std::string_view after_id, int limit);

  // The user with `id_or_email`; kNotFound if none.
  Result<User> FindUser(const Actor& actor, std::string_view id_or_email);

  // Applies `change`. Disabling revokes every session of the user in the
  // same transaction, so it takes effect at once. An admin cannot disable
  // or demote themselves through the API (so nobody locks the last admin
  // out by a slip); the CLI can. kNotFound; kValidationFailed naming role.
  Result<User> UpdateUser(const Actor& actor, std::string_view user_id,
                          const UserChange& change, const ClientInfo& client);

  // Revokes every session of the user; returns how many.
  Result<int> RevokeUserSessions(const Actor& actor, std::string_view user_id,
                                 const ClientInfo& client);

  // Live sessions of the user, newest first.
  Result<std::vector<Session>> ListUserSessions(const Actor& actor,
                                                std::string_view user_id);

  // Revokes one session by id, whoever owns it. kNotFound if absent.
  Status RevokeSession(const Actor& actor, std::string_view session_id,
                       const ClientInfo& client);

  // Audit events newest first, before `before_id` (0: newest), of
  // `user_id` if non-empty; `limit` clamped to [1, kMaxPageSize].
  Result<std::vector<AuditEvent>> ListAudit(const Actor& actor,
                                            std::string_view user_id,
                                            int64_t before_id, int limit);

  // Records that the signing keys were rotated (KeyManager does the work).
  Status RecordKeyRotation(const Actor& actor, std::string_view new_kid,
                           const ClientInfo& client);

 private:
  Store& store_;
  const Clock& clock_;
};

}  // namespace gatehouse

#endif  // GATEHOUSE_SERVICE_ADMIN_SERVICE_H_
