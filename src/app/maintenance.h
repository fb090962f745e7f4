// Maintenance: the server's periodic background work, on a thread of its
// own so it never competes with request handling for a pool slot:
//  - reload the signing keys, so a key rotated by the CLI or another
//    instance signs and is published here within one interval;
//  - sweep sessions that ended long ago (SessionSweeper);
//  - sweep audit events older than their retention (AuditSweeper).
#ifndef GATEHOUSE_APP_MAINTENANCE_H_
#define GATEHOUSE_APP_MAINTENANCE_H_

#include "app/periodic_thread.h"
#include "core/clock.h"
#include "service/access_tokens.h"
#include "service/audit_sweeper.h"
#include "service/key_manager.h"
#include "service/session_sweeper.h"

namespace gatehouse {

// How often maintenance runs: also the longest a rotated key takes to be
// used by every instance. Well under the 5-minute JWKS cache lifetime.
inline constexpr Duration kMaintenanceInterval{std::chrono::seconds(30)};

class Maintenance {
 public:
  // Every argument must outlive this object.
  Maintenance(KeyManager& keys, AccessTokens& tokens, SessionSweeper& sweeper,
              AuditSweeper& audit_sweeper,
              Duration interval = kMaintenanceInterval);

  void Start() { thread_.Start(); }
  // Wakes the thread and waits for it to finish its current round.
  void Stop() { thread_.Stop(); }

 private:
  void RunOnce();

  KeyManager& keys_;
  AccessTokens& tokens_;
  SessionSweeper& sweeper_;
  AuditSweeper& audit_sweeper_;
  PeriodicThread thread_;  // last: stopped before the others go
};

}  // namespace gatehouse

#endif  // GATEHOUSE_APP_MAINTENANCE_H_
