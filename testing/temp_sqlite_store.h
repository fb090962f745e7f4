// Test-only: a migrated SQLite store in a fresh temporary directory, for
// the tests of Store decorators, which need a real base. Header only.
#ifndef GATEHOUSE_TESTING_TEMP_SQLITE_STORE_H_
#define GATEHOUSE_TESTING_TEMP_SQLITE_STORE_H_

#include <memory>

#include "storage/sqlite/sqlite_store.h"
#include "testing/temp_dir.h"

namespace gatehouse::testkit {

class TempSqliteStore {
 public:
  TempSqliteStore() {
    SqliteOptions options;
    options.path = (dir_.path() / "gatehouse.db").string();
    auto opened = SqliteStore::Open(options);
    if (!opened.ok()) return;
    if (!(*opened)->Up().ok()) return;
    store_ = std::move(opened).value();
  }
  TempSqliteStore(const TempSqliteStore&) = delete;
  TempSqliteStore& operator=(const TempSqliteStore&) = delete;
  // Null if it could not be opened or migrated.
  SqliteStore* store() { return store_.get(); }

 private:
  testkit::TempDir dir_;  // declared first: outlives the store
  std::unique_ptr<SqliteStore> store_;
};

}  // namespace gatehouse::testkit

#endif  // GATEHOUSE_TESTING_TEMP_SQLITE_STORE_H_
