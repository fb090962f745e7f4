// PgTransaction (pg_transaction.h): COMMIT, and the ROLLBACK that every
// other way out of a transaction ends in.
#include "storage/postgres/pg_transaction.h"

#include <utility>

#include "storage/store_errors.h"

namespace gatehouse {
namespace {

constexpr std::string_view kCommit = "COMMIT";
constexpr std::string_view kRollback = "ROLLBACK";

}  // namespace

gatehouse::Status PgTransaction::Rollback() {
  PgConnection* c = std::exchange(connection_, nullptr);
  if (c == nullptr || c->broken()) return Ok();  // the server rolls back
  auto done = c->Script(kRollback, "ROLLBACK");
  if (!done.ok()) {
    // Out of step: never lend this connection out again.
    return c->Lost(std::move(done).error().message);
  }
  return Ok();
}

gatehouse::Status PgTransaction::Commit(const std::optional<Error>& failure) {
  PgConnection& c = *connection_;
  if (c.tx_status() == PQTRANS_INERROR) {
    GH_RETURN_IF_ERROR(Rollback());
    if (failure.has_value()) return *failure;
    return Internal("postgres COMMIT: the transaction failed earlier");
  }
  connection_ = nullptr;
  auto tag = c.Script(kCommit, "COMMIT");
  if (!tag.ok()) {
    Error e = std::move(tag).error();
    if (c.broken()) {
      e.message += " (the commit may or may not have taken effect)";
    }
    return e;
  }
  if (*tag != "COMMIT") {  // the server rolled back instead
    return Internal("postgres COMMIT: the transaction was rolled back");
  }
  return Ok();
}

}  // namespace gatehouse
