#include "app/backend.h"

#include <filesystem>

#include "core/url_redaction.h"
#include "storage/postgres/pg_store.h"
#include "storage/sqlite/sqlite_store.h"

namespace gatehouse {

Result<Backend> OpenBackend(const std::string& url) {
  constexpr std::string_view kSqlite = "sqlite://";
  if (url.starts_with(kSqlite)) {
    std::string path = url.substr(kSqlite.size());
    if (path.empty()) {
      return MakeError(ErrorCode::kValidationFailed,
                       "GATEHOUSE_DATABASE_URL: sqlite:// needs a file path");
    }
    std::error_code ec;
    auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    SqliteOptions options;
    options.path = path;
    GH_ASSIGN_OR_RETURN(std::unique_ptr<SqliteStore> sqlite,
                        SqliteStore::Open(options));
    Backend backend;
    backend.migrator = sqlite.get();
    backend.store = std::move(sqlite);
    return backend;
  }
  if (url.starts_with("postgres://") || url.starts_with("postgresql://")) {
    PgOptions options;
    options.url = url;
    GH_ASSIGN_OR_RETURN(std::unique_ptr<PgStore> pg, PgStore::Open(options));
    Backend backend;
    backend.migrator = pg.get();
    backend.store = std::move(pg);
    return backend;
  }
  // The URL itself is never quoted: it may hold a password. Its scheme is
  // safe to name, and is what a typo usually hits.
  const std::string scheme = UrlScheme(url);
  return MakeError(
      ErrorCode::kValidationFailed,
      std::string("GATEHOUSE_DATABASE_URL: ") +
          (scheme.empty() ? std::string("no scheme")
                          : "unknown scheme '" + scheme + "'") +
          "; it must start with sqlite://, postgres:// or postgresql://");
}

}  // namespace gatehouse
