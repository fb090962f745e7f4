#include "core/refresh_rotation.h"

#include <algorithm>

namespace gatehouse {

RefreshDecision DecideRefresh(const RefreshTokenRecord& token,
                              const Session& session, Time now,
                              Duration grace) {
  if (session.revoked_at.has_value()) return RefreshDecision::kSessionEnded;
  if (now >= session.absolute_expires_at) return RefreshDecision::kSessionEnded;
  if (!token.superseded_at.has_value()) {
    // The current token's expiry is the session's expires_at.
    if (now >= session.expires_at) return RefreshDecision::kSessionEnded;
    return RefreshDecision::kRotate;
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
