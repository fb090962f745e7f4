// Refresh rotation: what to do when a refresh token is presented.
//
// Decisions only; the service applies them in one transaction. The rules
// (SPEC §4):
//  - a current token of a live session rotates: a new token is issued for
//    the same session and the presented one becomes superseded;
//  - a superseded token within the grace window (F9: two tabs, or the
//    middleware and the browser, racing with one token) is answered with
//    the session's current pair, so every racer converges on one token;
//  - a superseded token after the grace window is reuse: the whole session
//    is revoked, so a stolen token cannot outlive the user's next refresh;
//  - a token of a revoked or expired session is simply invalid.
#ifndef GATEHOUSE_CORE_REFRESH_ROTATION_H_
#define GATEHOUSE_CORE_REFRESH_ROTATION_H_

#include "core/clock.h"
#include "core/model.h"

namespace gatehouse {

enum class RefreshDecision {
  kRotate,             // issue the successor, supersede the presented token
  kReplayWithinGrace,  // answer with the session's current token
  kReuseDetected,      // revoke the session; 401 REFRESH_TOKEN_REUSED
  kSessionEnded,       // revoked or expired; 401 INVALID_REFRESH_TOKEN
};

// REQUIRES: token.session_id == session.id.
RefreshDecision DecideRefresh(const RefreshTokenRecord& token,
                              const Session& session, Time now, Duration grace);

// When a request carries several refresh cookies (F10), the candidate
// with the best decision wins: a usable token beats reuse evidence, which
// beats an ended session. Lower is better.
int DecisionRank(RefreshDecision decision);

// Expiry of a token issued at `now`: its own lifetime, but never past the
// session's absolute end.
Time RefreshExpiry(Time now, Duration refresh_ttl, Time absolute_expires_at);

// A successor chain longer than this within one grace window is not two
// racing tabs but a loop or an attack; the replay is refused as reuse.
// 16 rotations in a 30 s window is already far beyond any browser.
inline constexpr int kMaxGraceChain = 16;

}  // namespace gatehouse

#endif  // GATEHOUSE_CORE_REFRESH_ROTATION_H_
