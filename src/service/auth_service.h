// AuthService: the use cases of the auth API (SPEC §3, §4).
//
// Register, log in, rotate a refresh token, log out one session or all,
// and authenticate an access token. Pure use-case code over the Store,
// Crypto, Clock and Random ports; no HTTP here. Every method is
// thread-safe and blocks (storage, and argon2id for passwords), so the
// HTTP layer calls it from its worker pools, never from network threads.
#ifndef GATEHOUSE_SERVICE_AUTH_SERVICE_H_
#define GATEHOUSE_SERVICE_AUTH_SERVICE_H_

#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/failure_limiter.h"
#include "core/model.h"
#include "core/random.h"
#include "core/result.h"
#include "crypto/crypto.h"
#include "service/access_tokens.h"
#include "service/auth_observer.h"
#include "service/client_info.h"
#include "service/credentials.h"
#include "service/revocation_feed.h"
#include "storage/store.h"

namespace gatehouse {

struct AuthSettings {
  Duration access_ttl{std::chrono::minutes(15)};
  Duration refresh_ttl{std::chrono::days(30)};
  Duration refresh_grace{std::chrono::seconds(30)};
  Duration session_max_age{std::chrono::days(90)};
  bool signup_open = false;
  // Brute-force limits on failed sign-ins (SPEC §10).
  FailureLimit account_limit{10, std::chrono::minutes(15)};
  FailureLimit ip_limit{50, std::chrono::minutes(15)};
};

// Keys tracked by each login limiter: bounds its memory under a spray of
// addresses or emails. FailureLimiter::kBytesPerKey (160) plus the key's
// text past 15 bytes: at most ~21 MB for the per-IP limiter (a key is at
// most 24 bytes, "ffff:ffff:ffff:ffff::/64") and ~43 MB for the per-account
// one (emails of up to 254 bytes).
inline constexpr size_t kMaxLimiterKeys = 100'000;

// A freshly issued token pair and what it belongs to.
struct IssuedSession {
  User user;
  Session session;
  std::string access_token;
  Duration access_max_age{};
  std::string refresh_token;
  Duration refresh_max_age{};
};

// Who an access token belongs to, after the signature, claims and the
// session's revocation state have all been checked. `user` never carries
// the password hash.
struct Identity {
  User user;
  std::string session_id;
};

inline constexpr size_t kMaxUserAgentBytes = 512;

class AuthService {
 public:
  // `refresh_secret` keys the derivation of successor refresh tokens
  // (KeyManager::LoadRefreshSecret). With `revocations`, Authenticate
  // answers from memory while that view is fresh; `store` must then be
  // the ChangeTrackingStore that feeds it, so this service's own
  // revocations reach it at once.
  AuthService(Store& store, const Crypto& crypto, const Clock& clock,
              Random& random, const AccessTokens& tokens, AuthSettings settings,
              Bytes refresh_secret, AuthObserver* observer = nullptr,
              RevocationFeed* revocations = nullptr);

  // Creates a user with role "user" (or `role`). kForbidden when signup is
  // closed and `bypass_signup_policy` is false (the CLI and --dev admin
  // bypass it); kValidationFailed naming the field; kEmailTaken.
  Result<User> Register(std::string_view email, std::string_view password,
                        std::string_view name,
                        std::string_view role = kDefaultRole,
                        bool bypass_signup_policy = false);

  // Checks the password and opens a new session. Touches no other session
  // of the user (F1), except the sessions of `replaced_refresh_tokens`:
  // this browser's previous cookies, which the new ones overwrite.
  // kInvalidCredentials for an unknown email or a wrong password, alike;
  // kAccountDisabled only after a correct password; kRateLimited (with
  // retry_after_seconds) once the account or the client IP has failed too
  // often, before any password work is done.
  Result<IssuedSession> Login(
      std::string_view email, std::string_view password,
      const ClientInfo& client,
      const std::vector<std::string_view>& replaced_refresh_tokens);

  // Rotates the best of `refresh_tokens` (several after a cookie Domain
  // change, F10). kInvalidRefreshToken if none is usable;
  // kRefreshTokenReused if a superseded token came back after the grace
  // window: its session is revoked before this returns.
  Result<IssuedSession> Refresh(
      const std::vector<std::string_view>& refresh_tokens,
      const ClientInfo& client);

  // Verifies the first valid of `access_tokens` and that its session is
  // live. kAccessTokenMissing if empty; otherwise the most telling error
  // (expired over invalid); kSessionRevoked if the session has ended.
  // With a fresh RevocationFeed no database call is made once the user's
  // row is cached; otherwise the session and user rows are read.
  Result<Identity> Authenticate(
      const std::vector<std::string_view>& access_tokens);

  // Authenticate's answer when it can be given without blocking: from the
  // tokens alone (missing, expired, invalid) or from a fresh revocation
  // view whose user cache holds the user. nullopt when the answer needs
  // the database; then call Authenticate. For network threads.
  std::optional<Result<Identity>> AuthenticateWithoutBlocking(
      const std::vector<std::string_view>& access_tokens);

  // Revokes the sessions behind these tokens (any of them may be stale or
  // garbage). Never fails for bad tokens: logging out is idempotent.
  Status Logout(const std::vector<std::string_view>& access_tokens,
                const std::vector<std::string_view>& refresh_tokens,
                const ClientInfo& client);

  // Revokes every session of the user identified by `access_tokens`, or,
  // if those are missing or expired, by a usable refresh token. Returns
  // the number revoked.
  Result<int> LogoutAll(const std::vector<std::string_view>& access_tokens,
                        const std::vector<std::string_view>& refresh_tokens,
                        const ClientInfo& client);

  const AuthSettings& settings() const { return settings_; }

 private:
  // The session and its current token hash chain position, as found.
  struct Candidate;

  std::string HashToken(std::string_view token) const;
  std::string Successor(std::string_view token) const;
  Result<IssuedSession> IssueFor(const User& user, const Session& session,
                                 std::string refresh_token) const;
  bool VerifyAgainstDummy(std::string_view password);
  // kRateLimited if `email_key` or `ip` must wait.
  Status CheckLoginLimits(const std::string& email_key, const std::string& ip,
                          Time now) const;
  void RecordLoginFailure(const std::string& email_key, const std::string& ip,
                          const std::string& user_id, const ClientInfo& client,
                          Time now);
  // The claims of every token that verifies, or the most telling error.
  Result<std::vector<AccessClaims>> VerifyAccessTokens(
      const std::vector<std::string_view>& access_tokens) const;
  // Authenticate's two ways of checking verified tokens' sessions. The
  // memory way answers nullopt when it cannot decide: no fresh view, a
  // token older than the view's memory, or (unless `read_missing_users`)
  // a user not in the cache.
  std::optional<Result<Identity>> AuthenticateInMemory(
      const std::vector<AccessClaims>& verified, bool read_missing_users);
  Result<Identity> AuthenticateInDatabase(
      const std::vector<AccessClaims>& verified);
  // The user `id` from the feed's cache; on a miss nullopt, or, with
  // `read_if_missing`, read from the database and cached (kNotFound if
  // there is no such user).
  std::optional<Result<User>> CachedUser(const std::string& id,
                                         bool read_if_missing);

  // The best candidate among `refresh_tokens` inside `tx`, or kNotFound.
  Result<Candidate> FindBestCandidate(
      Tx& tx, const std::vector<std::string_view>& refresh_tokens,
      Time now) const;

  // Set in constructor.
  Store& store_;
  const Crypto& crypto_;
  const Clock& clock_;
  Random& random_;
  const AccessTokens& tokens_;
  const AuthSettings settings_;
  const Bytes refresh_secret_;
  NullAuthObserver null_observer_;
  AuthObserver& observer_;
  RevocationFeed* const revocations_;  // may be null

  // Thread-safe themselves.
  FailureLimiter account_failures_;
  FailureLimiter ip_failures_;  // by LimiterKey: an IPv6 client by its /64

  // A hash of a random password, verified against when the email is
  // unknown so that case costs the same argon2id work as a wrong password.
  std::once_flag dummy_once_;
  std::string dummy_hash_;  // written once under dummy_once_
};

}  // namespace gatehouse

#endif  // GATEHOUSE_SERVICE_AUTH_SERVICE_H_
