#include "service/session_sweeper.h"

namespace gatehouse {

SessionSweeper::SessionSweeper(Store& store, const Clock& clock,
                               SweepSettings settings)
    : store_(store), clock_(clock), settings_(settings) {}

Result<int> SessionSweeper::SweepOnce() {
  Time cutoff = clock_.Now() - settings_.retention;
  int total = 0;
  for (int i = 0; i < settings_.max_batches; ++i) {
    int deleted = 0;
    GH_RETURN_IF_ERROR(store_.Run(TxMode::kWrite, [&](Tx& tx) -> Status {
      GH_ASSIGN_OR_RETURN(deleted,
                          tx.DeleteEndedSessions(cutoff, settings_.batch));
      return Ok();
    }));
    total += deleted;
    if (deleted < settings_.batch) break;
  }
  return total;
}

}  // namespace gatehouse
