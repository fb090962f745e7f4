#include "app/maintenance.h"

#include <spdlog/spdlog.h>

namespace gatehouse {

Maintenance::Maintenance(KeyManager& keys, AccessTokens& tokens,
                         SessionSweeper& sweeper, Duration interval)
    : keys_(keys),
      tokens_(tokens),
      sweeper_(sweeper),
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
}

}  // namespace gatehouse
