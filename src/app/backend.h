// Picks and opens the storage backend named by GATEHOUSE_DATABASE_URL.
// The only place that knows the concrete backends.
#ifndef GATEHOUSE_APP_BACKEND_H_
#define GATEHOUSE_APP_BACKEND_H_

#include <memory>
#include <string>

#include "core/result.h"
#include "storage/store.h"

namespace gatehouse {

struct Backend {
  std::shared_ptr<Store> store;
  Migrator* migrator = nullptr;  // owned by store
};

// sqlite://PATH (relative, or sqlite:///absolute; the parent directory is
// created if missing) or postgres://user:pass@host:port/db. kValidationFailed
// naming GATEHOUSE_DATABASE_URL and the scheme (never the URL, which may
// hold a password) for an unknown scheme; kUnavailable if the database
// cannot be opened.
Result<Backend> OpenBackend(const std::string& url);

}  // namespace gatehouse

#endif  // GATEHOUSE_APP_BACKEND_H_
