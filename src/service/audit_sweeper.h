// AuditSweeper: deletes audit events older than the retention period
// (GATEHOUSE_AUDIT_RETENTION, SPEC §9), in small batches, so the audit log
// stops growing once it spans the period. Run by the maintenance thread
// beside SessionSweeper (app/maintenance.h).
#ifndef GATEHOUSE_SERVICE_AUDIT_SWEEPER_H_
#define GATEHOUSE_SERVICE_AUDIT_SWEEPER_H_

#include "core/clock.h"
#include "core/result.h"
#include "storage/store.h"

namespace gatehouse {

// A year of history and a month to spare: last year's events are still
// there when a yearly review, or an audit of it, asks for them.
inline constexpr Duration kDefaultAuditRetention{std::chrono::days(400)};

struct AuditSweepSettings {
  // Events whose `at` is older than this go. > 0.
  Duration retention = kDefaultAuditRetention;
  // Rows per transaction. On SQLite a batch holds the one write lock that
  // every sign-in and rotation also needs, so a batch is what a write may
  // wait behind. Measured on a 300,000-event log (three index entries a
  // row), commit and fsync included, on a loaded 2-core machine: 500 rows
  // took 11-32 ms, 1,000 took 27-94 ms, 5,000 took 113-162 ms. 500 keeps
  // that wait in tens of ms, under one sign-in's password hashing, and
  // matches the session sweep's batch.
  int batch = 500;
  // Batches per sweep, so one sweep is bounded; the next one continues.
  // 20 x 500 every 30 s is 1.2 million events an hour, well above what a
  // server writes: a backlog (the first sweep after an upgrade, a lowered
  // retention) clears, and afterwards a sweep is one short batch.
  int max_batches = 20;
};

class AuditSweeper {
 public:
  AuditSweeper(Store& store, const Clock& clock,
               AuditSweepSettings settings = {});

  // Deletes events older than the retention in batches, each in its own
  // write transaction, until a batch comes back short or max_batches ran.
  // Returns the number deleted; on a failed batch, its error (the batches
  // before it stay deleted, and the next sweep continues). Thread-safe;
  // blocks.
  Result<int> SweepOnce();

 private:
  Store& store_;
  const Clock& clock_;
  const AuditSweepSettings settings_;
};

}  // namespace gatehouse

#endif  // GATEHOUSE_SERVICE_AUDIT_SWEEPER_H_
