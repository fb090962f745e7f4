#include "service/auth_service.h"

#include <algorithm>
#include <cctype>

#include "core/audit.h"
#include "core/base64url.h"
#include "core/ids.h"
#include "core/limiter_key.h"
#include "core/refresh_rotation.h"
#include "core/session_rules.h"
#include "service/audit_event.h"

namespace gatehouse {
namespace {

// Domain separation for the successor derivation: the refresh secret is
// used for nothing else, but a label keeps the construction explicit.
constexpr std::string_view kSuccessorLabel = "gatehouse/refresh-successor/v1:";

// Longer values cannot be our tokens (43 characters); skipping them early
// keeps garbage cookies from costing a hash and a query each.
constexpr size_t kMaxRefreshTokenChars = 128;
// Bounds the work a request with many duplicate cookies can cause.
constexpr size_t kMaxCandidates = 8;

// At most `max` bytes of `s`, never splitting a UTF-8 sequence: the stored
// user agent stays valid text on every backend.
std::string Truncate(std::string_view s, size_t max) {
  if (s.size() <= max) return std::string(s);
  size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  return std::string(s.substr(0, end));
}

}  // namespace

struct AuthService::Candidate {
  std::string token;
  RefreshTokenRecord record;
  Session session;
  RefreshDecision decision = RefreshDecision::kSessionEnded;
};

AuthService::AuthService(Store& store, const Crypto& crypto, const Clock& clock,
                         Random& random, const AccessTokens& tokens,
                         AuthSettings settings, Bytes refresh_secret,
                         AuthObserver* observer, RevocationFeed* revocations)
    : store_(store),
      crypto_(crypto),
      clock_(clock),
      random_(random),
      tokens_(tokens),
      settings_(settings),
      refresh_secret_(std::move(refresh_secret)),
      observer_(observer != nullptr ? *observer : null_observer_),
      revocations_(revocations),
      account_failures_(settings.account_limit, kMaxLimiterKeys),
      ip_failures_(settings.ip_limit, kMaxLimiterKeys) {}

std::string AuthService::HashToken(std::string_view token) const {
  return crypto_.Sha256Hex(token);
}

// Successors are derived, not drawn: racing refreshes of one token (F9)
// can then all answer with the same next token without the plaintext ever
// being stored. Without the server secret a successor is as unguessable
// as a random token. See docs/token-format.md.
std::string AuthService::Successor(std::string_view token) const {
  std::string message(kSuccessorLabel);
  message.append(token);
  return Base64UrlEncode(crypto_.HmacSha256(refresh_secret_, message));
}

Result<IssuedSession> AuthService::IssueFor(const User& user,
                                            const Session& session,
                                            std::string refresh_token) const {
  GH_ASSIGN_OR_RETURN(IssuedAccessToken access,
                      tokens_.Issue(user.id, session.id, user.role,
                                    session.absolute_expires_at));
  IssuedSession out;
  out.user = user;
  out.session = session;
  out.access_token = std::move(access.token);
  // The cookie ends with the token, which ends with the session at most.
  out.access_max_age = std::clamp(session.absolute_expires_at - clock_.Now(),
                                  Duration(0), settings_.access_ttl);
  out.refresh_token = std::move(refresh_token);
  out.refresh_max_age =
      std::max(Duration(0), session.expires_at - clock_.Now());
  return out;
}

bool AuthService::VerifyAgainstDummy(std::string_view password) {
  std::call_once(dummy_once_, [this] {
    auto hash = crypto_.HashPassword(NewOpaqueToken(random_));
    if (hash.ok()) dummy_hash_ = std::move(hash).value();
  });
  return crypto_.VerifyPassword(dummy_hash_, password);
}

Result<User> AuthService::Register(std::string_view email,
                                   std::string_view password,
                                   std::string_view name, std::string_view role,
                                   bool bypass_signup_policy) {
  if (!settings_.signup_open && !bypass_signup_policy) {
    return MakeError(ErrorCode::kForbidden, "signup is closed");
  }
  GH_RETURN_IF_ERROR(ValidateEmail(email));
  GH_RETURN_IF_ERROR(ValidatePassword("password", password));
  if (name.size() > kMaxNameBytes) {
    return MakeError(ErrorCode::kValidationFailed,
                     "name: at most 200 characters");
  }
  GH_ASSIGN_OR_RETURN(std::string hash, crypto_.HashPassword(password));
  User user;
  user.id = NewUuid(random_);
  user.email = NormalizeEmail(email);
  user.name = std::string(name);
  user.role = std::string(role);
  user.password_hash = std::move(hash);
  user.created_at = user.updated_at = clock_.Now();
  Status inserted =
      store_.Run(TxMode::kWrite, [&](Tx& tx) { return tx.InsertUser(user); });
  if (!inserted.ok()) {
    if (inserted.error().code == ErrorCode::kConflict) {
      return MakeError(ErrorCode::kEmailTaken,
                       "an account with this email exists");
    }
    return std::move(inserted).error();
  }
  return user;
}

Result<IssuedSession> AuthService::Login(
    std::string_view email, std::string_view password, const ClientInfo& client,
    const std::vector<std::string_view>& replaced_refresh_tokens) {
  const Error invalid = MakeError(ErrorCode::kInvalidCredentials,
                                  "email or password is incorrect");
  const std::string email_key = NormalizeEmail(email.substr(0, kMaxEmailBytes));
  // Limits are checked before any password work, so a blocked attacker
  // costs neither argon2id time nor a database write.
  if (Status limited = CheckLoginLimits(email_key, client.ip, clock_.Now());
      !limited.ok()) {
    observer_.OnLogin(LoginOutcome::kRateLimited);
    return std::move(limited).error();
  }
  if (email.size() > kMaxEmailBytes || password.size() > kMaxPasswordBytes) {
    RecordLoginFailure(email_key, client.ip, "", client, clock_.Now());
    return invalid;
  }
  std::optional<User> user;
  GH_RETURN_IF_ERROR(store_.Run(TxMode::kRead, [&](Tx& tx) -> Status {
    auto found = tx.FindUserByEmail(NormalizeEmail(email));
    if (found.ok()) {
      user = std::move(found).value();
    } else if (found.error().code != ErrorCode::kNotFound) {
      return std::move(found).error();
    }
    return Ok();
  }));
  if (!user) {
    VerifyAgainstDummy(password);
    RecordLoginFailure(email_key, client.ip, "", client, clock_.Now());
    return invalid;
  }
  if (!crypto_.VerifyPassword(user->password_hash, password)) {
    RecordLoginFailure(email_key, client.ip, user->id, client, clock_.Now());
    return invalid;
  }
  if (user->disabled) {
    return MakeError(ErrorCode::kAccountDisabled, "this account is disabled");
  }

  Time now = clock_.Now();
  Session session;
  session.id = NewUuid(random_);
  session.user_id = user->id;
  session.created_at = session.last_used_at = now;
  session.absolute_expires_at = now + settings_.session_max_age;
  session.expires_at =
      RefreshExpiry(now, settings_.refresh_ttl, session.absolute_expires_at);
  session.user_agent = Truncate(client.user_agent, kMaxUserAgentBytes);
  session.ip = client.ip;
  std::string refresh = NewOpaqueToken(random_);
  RefreshTokenRecord record{HashToken(refresh), session.id, 0, now,
                            std::nullopt};
  GH_ASSIGN_OR_RETURN(IssuedSession issued, IssueFor(*user, session, refresh));

  GH_RETURN_IF_ERROR(store_.Run(TxMode::kWrite, [&](Tx& tx) -> Status {
    // F1: only the session this browser is replacing ends; every other
    // session of the user stays signed in.
    size_t n = std::min(replaced_refresh_tokens.size(), kMaxCandidates);
    for (size_t i = 0; i < n; ++i) {
      std::string_view old = replaced_refresh_tokens[i];
      if (old.size() > kMaxRefreshTokenChars) continue;
      auto found = tx.FindRefreshToken(HashToken(old));
      if (!found.ok()) {
        if (found.error().code == ErrorCode::kNotFound) continue;
        return std::move(found).error();
      }
      auto revoked = tx.RevokeSession(found->session_id, now, "replaced");
      if (!revoked.ok() && revoked.error().code != ErrorCode::kNotFound) {
        return std::move(revoked).error();
      }
    }
    GH_RETURN_IF_ERROR(tx.InsertSession(session));
    GH_RETURN_IF_ERROR(tx.InsertRefreshToken(record));
    return tx.InsertAuditEvent(MakeAuditEvent(audit::kLoginSucceeded, now,
                                              client, user->id, session.id))
                   .ok()
               ? Ok()
               : Status(MakeError(ErrorCode::kUnavailable,
                                  "audit log unavailable"));
  }));
  observer_.OnLogin(LoginOutcome::kSucceeded);
  return issued;
}

Status AuthService::CheckLoginLimits(const std::string& email_key,
                                     const std::string& ip, Time now) const {
  std::optional<Duration> wait = account_failures_.Blocked(email_key, now);
  if (!wait && !ip.empty()) wait = ip_failures_.Blocked(LimiterKey(ip), now);
  if (!wait) return Ok();
  Error error = MakeError(ErrorCode::kRateLimited,
                          "too many failed sign-ins; try again later");
  error.retry_after_seconds =
      static_cast<int>(std::chrono::ceil<std::chrono::seconds>(*wait).count());
  return error;
}

void AuthService::RecordLoginFailure(const std::string& email_key,
                                     const std::string& ip,
                                     const std::string& user_id,
                                     const ClientInfo& client, Time now) {
  account_failures_.RecordFailure(email_key, now);
  if (!ip.empty()) ip_failures_.RecordFailure(LimiterKey(ip), now);
  observer_.OnLogin(LoginOutcome::kFailed);
  // Best effort: a failed audit write must not turn a wrong password into
  // a 503, and the limits above bound how many of these writes happen.
  (void)store_.Run(TxMode::kWrite, [&](Tx& tx) -> Status {
    GH_RETURN_IF_ERROR(tx.InsertAuditEvent(
        MakeAuditEvent(audit::kLoginFailed, now, client, user_id)));
    return Ok();
  });
}

Result<AuthService::Candidate> AuthService::FindBestCandidate(
    Tx& tx, const std::vector<std::string_view>& refresh_tokens,
    Time now) const {
  std::optional<Candidate> best;
  size_t n = std::min(refresh_tokens.size(), kMaxCandidates);
  for (size_t i = 0; i < n; ++i) {
    std::string_view token = refresh_tokens[i];
    if (token.size() > kMaxRefreshTokenChars) continue;
    auto record = tx.FindRefreshToken(HashToken(token));
    if (!record.ok()) {
      if (record.error().code == ErrorCode::kNotFound) continue;
      return std::move(record).error();
    }
    auto session = tx.GetSession(record->session_id);
    if (!session.ok()) {
      if (session.error().code == ErrorCode::kNotFound) continue;
      return std::move(session).error();
    }
    RefreshDecision decision =
        DecideRefresh(*record, *session, now, settings_.refresh_grace);
    if (!best || DecisionRank(decision) < DecisionRank(best->decision)) {
      best = Candidate{std::string(token), std::move(record).value(),
                       std::move(session).value(), decision};
    }
  }
  if (!best) return MakeError(ErrorCode::kNotFound, "no known refresh token");
  return std::move(*best);
}

Result<IssuedSession> AuthService::Refresh(
    const std::vector<std::string_view>& refresh_tokens,
    const ClientInfo& client) {
  const Error invalid = MakeError(ErrorCode::kInvalidRefreshToken,
                                  "refresh token is invalid or expired");
  if (refresh_tokens.empty()) return invalid;
  Time now = clock_.Now();
  enum class Outcome { kIssued, kReused, kInvalid } outcome = Outcome::kInvalid;
  RefreshOutcome observed = RefreshOutcome::kInvalid;
  // What to issue once the transaction has committed: signing the access
  // token (an Ed25519 signature, most of a rotation's CPU) is kept out of
  // the write transaction, which holds the database's write lock.
  struct ToIssue {
    User user;
    Session session;
    std::string refresh_token;
  };
  std::optional<ToIssue> to_issue;

  // One write transaction: the token row is locked from the read to the
  // commit, so concurrent rotations of one token are serialised and each
  // later one sees the first one's result (and takes the grace path).
  GH_RETURN_IF_ERROR(store_.Run(TxMode::kWrite, [&](Tx& tx) -> Status {
    auto best = FindBestCandidate(tx, refresh_tokens, now);
    if (!best.ok()) {
      return best.error().code == ErrorCode::kNotFound
                 ? Ok()
                 : std::move(best).error();
    }
    Candidate& c = *best;
    if (c.decision == RefreshDecision::kSessionEnded) return Ok();
    if (c.decision == RefreshDecision::kReuseDetected) {
      // Committed even though the request fails: the revocation is the
      // point. The caller learns it through outcome, not through an error
      // that would roll it back.
      GH_RETURN_IF_ERROR(
          tx.RevokeSession(c.session.id, now, "refresh-token-reuse"));
      GH_RETURN_IF_ERROR(tx.InsertAuditEvent(
          MakeAuditEvent(audit::kRefreshReuseDetected, now, client,
                         c.session.user_id, c.session.id)));
      outcome = Outcome::kReused;
      return Ok();
    }
    GH_ASSIGN_OR_RETURN(User user, tx.GetUser(c.session.user_id));
    if (user.disabled) {
      GH_RETURN_IF_ERROR(tx.RevokeSession(c.session.id, now, "disabled"));
      return Ok();
    }

    if (c.decision == RefreshDecision::kRotate) {
      std::string next = Successor(c.token);
      RefreshTokenRecord record{HashToken(next), c.session.id,
                                c.record.generation + 1, now, std::nullopt};
      GH_RETURN_IF_ERROR(tx.InsertRefreshToken(record));
      GH_ASSIGN_OR_RETURN(bool superseded,
                          tx.SupersedeRefreshToken(c.record.token_hash, now));
      if (!superseded) {
        return MakeError(ErrorCode::kInternal, "rotation lost its token lock");
      }
      Session updated = c.session;
      updated.generation = record.generation;
      updated.last_used_at = now;
      updated.expires_at = RefreshExpiry(now, settings_.refresh_ttl,
                                         updated.absolute_expires_at);
      updated.ip = client.ip;
      updated.user_agent = Truncate(client.user_agent, kMaxUserAgentBytes);
      GH_RETURN_IF_ERROR(tx.UpdateSessionAfterRotation(updated));
      to_issue = ToIssue{std::move(user), std::move(updated), std::move(next)};
      outcome = Outcome::kIssued;
      observed = RefreshOutcome::kRotated;
      return Ok();
    }

    // Within grace (F9): walk the derived chain to the session's current
    // token, so every racer ends up holding the same one.
    std::string current = c.token;
    for (int64_t g = c.record.generation; g < c.session.generation; ++g) {
      current = Successor(current);
    }
    auto head = tx.FindRefreshToken(HashToken(current));
    if (!head.ok()) {
      return head.error().code == ErrorCode::kNotFound
                 ? Ok()
                 : std::move(head).error();
    }
    if (head->superseded_at || head->session_id != c.session.id) return Ok();
    to_issue = ToIssue{std::move(user), c.session, std::move(current)};
    outcome = Outcome::kIssued;
    observed = RefreshOutcome::kGraceReplay;
    return Ok();
  }));

  observer_.OnRefresh(
      outcome == Outcome::kReused ? RefreshOutcome::kReuseDetected : observed);
  switch (outcome) {
    case Outcome::kIssued:
      // Should signing fail now, the rotation stands and the client may
      // retry: within the grace window it gets this same successor.
      return IssueFor(to_issue->user, to_issue->session,
                      std::move(to_issue->refresh_token));
    case Outcome::kReused:
      return MakeError(ErrorCode::kRefreshTokenReused,
                       "refresh token was already used; the session has been "
                       "signed out");
    case Outcome::kInvalid:
      break;
  }
  return invalid;
}

Result<std::vector<AccessClaims>> AuthService::VerifyAccessTokens(
    const std::vector<std::string_view>& access_tokens) const {
  if (access_tokens.empty()) {
    return MakeError(ErrorCode::kAccessTokenMissing, "no access token");
  }
  std::vector<AccessClaims> verified;
  std::optional<Error> best_error;
  for (size_t i = 0; i < std::min(access_tokens.size(), kMaxCandidates); ++i) {
    auto claims = tokens_.Verify(access_tokens[i]);
    if (claims.ok()) {
      verified.push_back(std::move(claims).value());
    } else if (!best_error ||
               claims.error().code == ErrorCode::kAccessTokenExpired) {
      // "Expired" tells a client to refresh; prefer it over "invalid".
      best_error = claims.error();
    }
  }
  if (verified.empty()) return *best_error;
  return verified;
}

Result<Identity> AuthService::Authenticate(
    const std::vector<std::string_view>& access_tokens) {
  GH_ASSIGN_OR_RETURN(auto verified, VerifyAccessTokens(access_tokens));
  if (auto answer =
          AuthenticateInMemory(verified, /*read_missing_users=*/true)) {
    return std::move(*answer);
  }
  return AuthenticateInDatabase(verified);
}

std::optional<Result<Identity>> AuthService::AuthenticateWithoutBlocking(
    const std::vector<std::string_view>& access_tokens) {
  auto verified = VerifyAccessTokens(access_tokens);
  if (!verified.ok()) return Result<Identity>(std::move(verified).error());
  return AuthenticateInMemory(*verified, /*read_missing_users=*/false);
}

std::optional<Result<Identity>> AuthService::AuthenticateInMemory(
    const std::vector<AccessClaims>& verified, bool read_missing_users) {
  if (revocations_ == nullptr || !revocations_->Fresh()) return std::nullopt;
  const int64_t ttl_seconds =
      std::chrono::ceil<std::chrono::seconds>(settings_.access_ttl).count();
  for (const AccessClaims& claims : verified) {
    // The view remembers revocations for one access TTL; a token issued
    // under a longer TTL (the setting was lowered since) may outlive that
    // memory, so its session is checked in the database.
    if (claims.exp - claims.iat > ttl_seconds) return std::nullopt;
  }
  for (const AccessClaims& claims : verified) {
    if (revocations_->IsRevoked(claims.sid)) continue;
    auto user = CachedUser(claims.sub, read_missing_users);
    if (!user) return std::nullopt;
    if (!user->ok()) {
      if (user->error().code == ErrorCode::kNotFound) continue;
      return Result<Identity>(std::move(*user).error());
    }
    if ((*user)->disabled) continue;
    observer_.OnSessionCheck(SessionCheckSource::kMemory);
    return Result<Identity>(Identity{std::move(*user).value(), claims.sid});
  }
  observer_.OnSessionCheck(SessionCheckSource::kMemory);
  return Result<Identity>(MakeError(ErrorCode::kSessionRevoked,
                                    "this session has been signed out"));
}

std::optional<Result<User>> AuthService::CachedUser(const std::string& id,
                                                    bool read_if_missing) {
  RevocationFeed::UserLookup cached = revocations_->FindUser(id);
  if (cached.user) return Result<User>(std::move(*cached.user));
  if (!read_if_missing) return std::nullopt;
  std::optional<User> user;
  Status read = store_.Run(TxMode::kRead, [&](Tx& tx) -> Status {
    GH_ASSIGN_OR_RETURN(user, tx.GetUser(id));
    return Ok();
  });
  if (!read.ok()) return Result<User>(std::move(read).error());
  user->password_hash.clear();
  revocations_->RememberUser(*user, cached.generation);
  return Result<User>(std::move(*user));
}

Result<Identity> AuthService::AuthenticateInDatabase(
    const std::vector<AccessClaims>& verified) {
  observer_.OnSessionCheck(SessionCheckSource::kDatabase);
  Time now = clock_.Now();
  std::optional<Identity> identity;
  GH_RETURN_IF_ERROR(store_.Run(TxMode::kRead, [&](Tx& tx) -> Status {
    for (const AccessClaims& claims : verified) {
      auto session = tx.GetSession(claims.sid);
      if (!session.ok()) {
        if (session.error().code == ErrorCode::kNotFound) continue;
        return std::move(session).error();
      }
      if (!SessionHonoursAccessTokens(*session, now) ||
          session->user_id != claims.sub) {
        continue;
      }
      GH_ASSIGN_OR_RETURN(User user, tx.GetUser(claims.sub));
      if (user.disabled) continue;
      user.password_hash.clear();
      identity = Identity{std::move(user), session->id};
      return Ok();
    }
    return Ok();
  }));
  if (!identity) {
    return MakeError(ErrorCode::kSessionRevoked,
                     "this session has been signed out");
  }
  return std::move(*identity);
}

Status AuthService::Logout(const std::vector<std::string_view>& access_tokens,
                           const std::vector<std::string_view>& refresh_tokens,
                           const ClientInfo& client) {
  std::vector<std::string> session_ids;
  for (size_t i = 0; i < std::min(access_tokens.size(), kMaxCandidates); ++i) {
    auto claims = tokens_.Verify(access_tokens[i]);
    if (claims.ok()) session_ids.push_back(claims->sid);
  }
  Time now = clock_.Now();
  return store_.Run(TxMode::kWrite, [&](Tx& tx) -> Status {
    for (size_t i = 0; i < std::min(refresh_tokens.size(), kMaxCandidates);
         ++i) {
      if (refresh_tokens[i].size() > kMaxRefreshTokenChars) continue;
      auto record = tx.FindRefreshToken(HashToken(refresh_tokens[i]));
      if (record.ok()) {
        session_ids.push_back(record->session_id);
      } else if (record.error().code != ErrorCode::kNotFound) {
        return std::move(record).error();
      }
    }
    for (const std::string& id : session_ids) {
      auto revoked = tx.RevokeSession(id, now, "logout");
      if (!revoked.ok()) {
        if (revoked.error().code == ErrorCode::kNotFound) continue;
        return std::move(revoked).error();
      }
      if (!*revoked) continue;  // already ended: nothing to record
      GH_ASSIGN_OR_RETURN(Session session, tx.GetSession(id));
      GH_RETURN_IF_ERROR(tx.InsertAuditEvent(
          MakeAuditEvent(audit::kLogout, now, client, session.user_id, id)));
    }
    return Ok();
  });
}

Result<int> AuthService::LogoutAll(
    const std::vector<std::string_view>& access_tokens,
    const std::vector<std::string_view>& refresh_tokens,
    const ClientInfo& client) {
  std::string user_id;
  auto identity = Authenticate(access_tokens);
  if (identity.ok()) {
    user_id = identity->user.id;
  } else if (identity.error().code == ErrorCode::kUnavailable) {
    return std::move(identity).error();
  } else {
    // An expired access token should not force a refresh round trip just
    // to sign out everywhere: a usable refresh token proves the session.
    Time now = clock_.Now();
    GH_RETURN_IF_ERROR(store_.Run(TxMode::kRead, [&](Tx& tx) -> Status {
      auto best = FindBestCandidate(tx, refresh_tokens, now);
      if (!best.ok()) {
        return best.error().code == ErrorCode::kNotFound
                   ? Ok()
                   : std::move(best).error();
      }
      if (DecisionRank(best->decision) <=
              DecisionRank(RefreshDecision::kReplayWithinGrace) &&
          SessionCanRefresh(best->session, now)) {
        user_id = best->session.user_id;
      }
      return Ok();
    }));
    if (user_id.empty()) return std::move(identity).error();
  }
  int count = 0;
  Time now = clock_.Now();
  GH_RETURN_IF_ERROR(store_.Run(TxMode::kWrite, [&](Tx& tx) -> Status {
    GH_ASSIGN_OR_RETURN(
        auto revoked,
        tx.RevokeUserSessions(user_id, now, "logout-all", std::nullopt));
    count = static_cast<int>(revoked.size());
    GH_RETURN_IF_ERROR(tx.InsertAuditEvent(
        MakeAuditEvent(audit::kLogoutAll, now, client, user_id, "", "",
                       "sessions=" + std::to_string(count))));
    return Ok();
  }));
  return count;
}

}  // namespace gatehouse
