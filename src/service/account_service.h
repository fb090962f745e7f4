// AccountService: what a signed-in user does with their own account: see
// where they are signed in, sign a device out, change the password
// (SPEC §3 devices, F2).
#ifndef GATEHOUSE_SERVICE_ACCOUNT_SERVICE_H_
#define GATEHOUSE_SERVICE_ACCOUNT_SERVICE_H_

#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/failure_limiter.h"
#include "crypto/crypto.h"
#include "service/auth_service.h"
#include "service/client_info.h"
#include "storage/store.h"

namespace gatehouse {

class AccountService {
 public:
  // `password_limit` bounds wrong current passwords per user, so a stolen
  // session cannot be used to guess the password.
  AccountService(Store& store, const Crypto& crypto, const Clock& clock,
                 FailureLimit password_limit = {10, std::chrono::minutes(15)});

  // The user's live sessions, newest first. Thread-safe.
  Result<std::vector<Session>> ListSessions(const Identity& who);

  // Revokes one of the user's own live sessions. kNotFound for a session
  // that is not theirs, does not exist or has already ended: the answer
  // never tells whether someone else's id exists.
  Status RevokeSession(const Identity& who, std::string_view session_id,
                       const ClientInfo& client);

  // Checks `current`, stores an argon2id hash of `next` and revokes every
  // other session of the user (this one stays signed in). Slow (two
  // argon2id runs): call it off network threads. kInvalidCredentials for a
  // wrong current password; kValidationFailed naming new_password;
  // kRateLimited after too many wrong current passwords.
  Status ChangePassword(const Identity& who, std::string_view current,
                        std::string_view next, const ClientInfo& client);

 private:
  Store& store_;
  const Crypto& crypto_;
  const Clock& clock_;
  FailureLimiter password_failures_;  // thread-safe
};

}  // namespace gatehouse

#endif  // GATEHOUSE_SERVICE_ACCOUNT_SERVICE_H_
