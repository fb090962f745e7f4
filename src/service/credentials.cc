#include "service/credentials.h"

#include <algorithm>
#include <cctype>

namespace gatehouse {

std::string NormalizeEmail(std::string_view email) {
  std::string out(email);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return out;
}

Status ValidateEmail(std::string_view email) {
  auto fail = [] {
    return MakeError(ErrorCode::kValidationFailed,
                     "email: must be an address like name@example.com");
  };
  if (email.empty() || email.size() > kMaxEmailBytes) return fail();
  size_t at = email.find('@');
  if (at == 0 || at == std::string_view::npos || at + 1 >= email.size() ||
      email.find('@', at + 1) != std::string_view::npos) {
    return fail();
  }
  for (unsigned char c : email) {
    if (c <= ' ' || c == 0x7f) return fail();
  }
  return Ok();
}

Status ValidatePassword(std::string_view field, std::string_view password) {
  if (password.size() < kMinPasswordBytes ||
      password.size() > kMaxPasswordBytes) {
    return MakeError(ErrorCode::kValidationFailed,
                     std::string(field) + ": must be 8 to 1024 characters");
  }
  return Ok();
}

Status ValidateRole(std::string_view role) {
  bool ok = !role.empty() && role.size() <= kMaxRoleBytes &&
            std::all_of(role.begin(), role.end(), [](unsigned char c) {
              return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                     c == '_' || c == '-';
            });
  if (ok) return Ok();
  return MakeError(ErrorCode::kValidationFailed,
                   "role: 1 to 64 of a-z, 0-9, '_' and '-'");
}

}  // namespace gatehouse
