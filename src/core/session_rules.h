// When a session is over: the two rules every use case asks, named once.
//
// They differ on purpose. A refresh token expires (`Session::expires_at`)
// when its session sat idle for the refresh TTL, but an access token issued
// just before that lives out its own `exp` (itself capped at the absolute
// expiry): so access tokens are judged without `expires_at`, refresh
// tokens and device management with it.
#ifndef GATEHOUSE_CORE_SESSION_RULES_H_
#define GATEHOUSE_CORE_SESSION_RULES_H_

#include "core/model.h"

namespace gatehouse {

// True while access tokens of `s` are honoured at `now`: not revoked and
// before its absolute lifetime ends. Ignores the refresh token's expiry.
bool SessionHonoursAccessTokens(const Session& s, Time now);

// True while `s` can still be refreshed at `now`: it honours access tokens
// and its current refresh token has not expired. A session for which this
// is false is over for its user: not listed as a device, nothing to revoke.
bool SessionCanRefresh(const Session& s, Time now);

}  // namespace gatehouse

#endif  // GATEHOUSE_CORE_SESSION_RULES_H_
