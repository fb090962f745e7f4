// SessionSweeper: deletes sessions that ended long ago, with their refresh
// tokens, in small batches (SPEC §8). Ended sessions are kept for a while
// first: their rows answer "why was I signed out" questions next to the
// audit log, and a replayed token of a recently revoked session still
// finds its session.
#ifndef GATEHOUSE_SERVICE_SESSION_SWEEPER_H_
#define GATEHOUSE_SERVICE_SESSION_SWEEPER_H_

#include "core/clock.h"
#include "core/result.h"
#include "storage/store.h"

namespace gatehouse {

struct SweepSettings {
  // Sessions that ended (revoked or expired) longer ago than this go.
  Duration retention{std::chrono::days(7)};
  // Rows per transaction: small enough that a sweep never holds the write
  // lock long enough to delay a rotation noticeably (a few ms on SQLite).
  int batch = 500;
  // Batches per sweep, so one sweep is bounded; the next one continues.
  int max_batches = 20;
};

class SessionSweeper {
 public:
  SessionSweeper(Store& store, const Clock& clock, SweepSettings settings = {});

  // Deletes ended sessions in batches until a batch comes back short or
  // max_batches ran. Returns the number deleted. Thread-safe; blocks.
  Result<int> SweepOnce();

 private:
  Store& store_;
  const Clock& clock_;
  const SweepSettings settings_;
};

}  // namespace gatehouse

#endif  // GATEHOUSE_SERVICE_SESSION_SWEEPER_H_
