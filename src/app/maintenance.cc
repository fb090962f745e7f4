#include "app/maintenance.h"

#include <spdlog/spdlog.h>

namespace gatehouse {

Maintenance::Maintenance(KeyManager& keys, AccessTokens& tokens,
                         SessionSweeper& sweeper, AuditSweeper& audit_sweeper,
                         Duration interval)
    : keys_(keys),
      tokens_(tokens),
      sweeper_(sweeper),
      audit_sweeper_(audit_sweeper),
      thread_(interval, [this] { RunOnce(); }) {}

void Maintenance::RunOnce() {
  // Failures are logged and retried next round: a database outage must
  // not stop the server, and /readyz reports it.
  if (Status s = keys_.LoadInto(tokens_); !s.ok()) {
    spdlog::warn("maintenance: reloading signing keys failed: {}",
                 s.error().message);
  }
  auto swept = sweeper_.SweepOnce();
  if (!swept.ok()) {
    spdlog::warn("maintenance: sweeping ended sessions failed: {}",
                 swept.error().message);
  } else if (*swept > 0) {
    spdlog::info("maintenance: swept {} ended sessions", *swept);
  }
  auto audit = audit_sweeper_.SweepOnce();
  if (!audit.ok()) {
    spdlog::warn("maintenance: sweeping old audit events failed: {}",
                 audit.error().message);
  } else if (*audit > 0) {
    spdlog::info("maintenance: swept {} audit events past their retention",
                 *audit);
  }
}

}  // namespace gatehouse
