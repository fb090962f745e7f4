#include "service/audit_sweeper.h"

namespace gatehouse {

AuditSweeper::AuditSweeper(Store& store, const Clock& clock,
                           AuditSweepSettings settings)
    : store_(store), clock_(clock), settings_(settings) {}

Result<int> AuditSweeper::SweepOnce() {
  // One cutoff for the whole sweep: events written while it runs are
  // newer than it, whatever the clock does meanwhile.
  const Time cutoff = clock_.Now() - settings_.retention;
  int total = 0;
  for (int i = 0; i < settings_.max_batches; ++i) {
    int deleted = 0;
    GH_RETURN_IF_ERROR(store_.Run(TxMode::kWrite, [&](Tx& tx) -> Status {
      GH_ASSIGN_OR_RETURN(deleted,
                          tx.DeleteAuditEventsBefore(cutoff, settings_.batch));
      return Ok();
    }));
    total += deleted;
    if (deleted < settings_.batch) break;
  }
  return total;
}

}  // namespace gatehouse
