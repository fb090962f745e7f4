#include "core/refresh_rotation.h"

#include <algorithm>

#include "core/session_rules.h"

namespace gatehouse {

RefreshDecision DecideRefresh(const RefreshTokenRecord& token,
                              const Session& session, Time now,
                              Duration grace) {
  if (!SessionHonoursAccessTokens(session, now)) {
    return RefreshDecision::kSessionEnded;
  }
  if (!token.superseded_at.has_value()) {
    // The current token's expiry is the session's expires_at.
    return SessionCanRefresh(session, now) ? RefreshDecision::kRotate
                                           : RefreshDecision::kSessionEnded;
  }
  if (now - *token.superseded_at < grace &&
      session.generation - token.generation <= kMaxGraceChain) {
    return RefreshDecision::kReplayWithinGrace;
  }
  return RefreshDecision::kReuseDetected;
}

int DecisionRank(RefreshDecision decision) {
  switch (decision) {
    case RefreshDecision::kRotate:
      return 0;
    case RefreshDecision::kReplayWithinGrace:
      return 1;
    case RefreshDecision::kReuseDetected:
      return 2;
    case RefreshDecision::kSessionEnded:
      return 3;
  }
  return 3;
}

Time RefreshExpiry(Time now, Duration refresh_ttl, Time absolute_expires_at) {
  return std::min(now + refresh_ttl, absolute_expires_at);
}

}  // namespace gatehouse
