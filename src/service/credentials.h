// Rules for the credentials users type: emails, passwords, names, roles.
#ifndef GATEHOUSE_SERVICE_CREDENTIALS_H_
#define GATEHOUSE_SERVICE_CREDENTIALS_H_

#include <string>
#include <string_view>

#include "core/result.h"

namespace gatehouse {

// Passwords are bounded so one request cannot make argon2id hash
// megabytes; 1024 bytes is far beyond any passphrase (OWASP only asks that
// the maximum not be low, e.g. not under 64).
inline constexpr size_t kMinPasswordBytes = 8;
inline constexpr size_t kMaxPasswordBytes = 1024;
inline constexpr size_t kMaxEmailBytes = 254;  // RFC 5321 path limit
inline constexpr size_t kMaxNameBytes = 200;
inline constexpr size_t kMaxRoleBytes = 64;

// Emails compare case-insensitively: stored and looked up lower-cased.
std::string NormalizeEmail(std::string_view email);

// kValidationFailed naming "email" unless it looks like name@domain.
Status ValidateEmail(std::string_view email);
// kValidationFailed naming `field` unless 8 to 1024 bytes long.
Status ValidatePassword(std::string_view field, std::string_view password);
// kValidationFailed naming "role" unless 1-64 of [a-z0-9_-].
Status ValidateRole(std::string_view role);

}  // namespace gatehouse

#endif  // GATEHOUSE_SERVICE_CREDENTIALS_H_
