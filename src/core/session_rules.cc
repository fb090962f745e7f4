#include "core/session_rules.h"

namespace gatehouse {

bool SessionHonoursAccessTokens(const Session& s, Time now) {
  return !s.revoked_at.has_value() && now < s.absolute_expires_at;
}

bool SessionCanRefresh(const Session& s, Time now) {
  return SessionHonoursAccessTokens(s, now) && now < s.expires_at;
}

}  // namespace gatehouse
