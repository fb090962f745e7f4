// The records gatehouse keeps: users, sessions (one per browser/device),
// refresh tokens (stored only as hashes) and signing keys.
//
// Plain data, no behaviour: the rules that act on them live beside them in
// core/ (refresh_rotation.h, ...), persistence in storage/.
#ifndef GATEHOUSE_CORE_MODEL_H_
#define GATEHOUSE_CORE_MODEL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"

namespace gatehouse {

inline constexpr char kDefaultRole[] = "user";
inline constexpr char kAdminRole[] = "admin";

struct User {
  std::string id;     // random UUID
  std::string email;  // stored lower-cased; unique
  std::string name;
  std::string role = kDefaultRole;
  bool disabled = false;
  std::string password_hash;  // argon2id encoded string
  Time created_at{};
  Time updated_at{};
};

// One browser or device signed in. Every refresh token belongs to exactly
// one session (F2); revoking the session ends all of its tokens at once.
struct Session {
  std::string id;  // random UUID; the JWT `sid` claim
  std::string user_id;
  Time created_at{};
  Time last_used_at{};
  Time expires_at{};           // the current refresh token's expiry
  Time absolute_expires_at{};  // created_at + session max age; never moves
  std::string user_agent;
  std::string ip;
  // Generation of the refresh token that is current; starts at 0 and
  // grows by one per rotation.
  int64_t generation = 0;
  std::optional<Time> revoked_at;
  std::string revoke_reason;  // "logout", "logout-all", "reuse", ...
};

// A refresh token, known only by its hash. Tokens of one session form a
// chain by generation; all but the newest are superseded.
struct RefreshTokenRecord {
  std::string token_hash;  // hex SHA-256 of the opaque token
  std::string session_id;
  int64_t generation = 0;
  Time issued_at{};
  std::optional<Time> superseded_at;
};

// A JWT signing key. The private part is sealed under the master key (or
// stored in the clear, marked as such, in --dev without a master key).
struct SigningKey {
  std::string kid;
  std::string alg;  // "EdDSA"
  std::vector<uint8_t> public_key;
  std::string sealed_private_key;
  Time created_at{};
  // After this time the key no longer signs; it stays in the JWKS until
  // its last token has expired.
  std::optional<Time> retired_at;
};

// One entry of the audit log: who did what, when, from where. Never a
// password, a token or a token hash; for a failed sign-in with an unknown
// email not even the email (users type passwords into it by mistake).
struct AuditEvent {
  int64_t id = 0;  // assigned by storage, increasing
  Time at{};
  std::string type;        // e.g. "login.succeeded"; see core/audit.h
  std::string user_id;     // the account concerned, or empty
  std::string session_id;  // the session concerned, or empty
  std::string actor_id;    // who acted, if not the user (an admin, "cli")
  std::string ip;
  std::string user_agent;
  std::string detail;  // short, non-secret context, e.g. "role=admin"
};

}  // namespace gatehouse

#endif  // GATEHOUSE_CORE_MODEL_H_
