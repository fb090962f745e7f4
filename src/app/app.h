// App: the composition root. Builds the backend, crypto, services, HTTP
// layer from one Config, and runs the server. Components receive their
// narrow dependencies here and nowhere else.
#ifndef GATEHOUSE_APP_APP_H_
#define GATEHOUSE_APP_APP_H_

#include <memory>

#include "app/backend.h"
#include "app/config.h"
#include "app/system_clock.h"
#include "core/guard_policy.h"
#include "crypto/sodium_crypto.h"
#include "http/metrics.h"
#include "service/access_tokens.h"
#include "service/account_service.h"
#include "service/admin_service.h"
#include "service/audit_sweeper.h"
#include "service/auth_service.h"
#include "service/key_manager.h"
#include "service/revocation_feed.h"
#include "service/session_sweeper.h"
#include "storage/change_tracking_store.h"

namespace gatehouse {

class App {
 public:
  // Opens and migrates the database, loads (or creates) the keys and
  // builds the services. Errors name the setting at fault.
  static Result<std::unique_ptr<App>> Create(const Config& config);

  // Serves HTTP until SIGTERM or SIGINT, then shuts down gracefully.
  // Returns the process exit code.
  int Serve();

  AuthService& auth() { return *auth_; }
  AccountService& account() { return *account_; }
  AdminService& admin() { return *admin_; }
  KeyManager& keys() { return *keys_; }
  Store& store() { return *store_; }
  Random& random() { return random_; }

 private:
  explicit App(const Config& config);

  // Creates the --dev admin on an empty database and prints its password
  // once.
  Status EnsureDevAdmin();
  // Polls revocations_, logging when polls start or stop failing.
  void PollRevocations();

  const Config config_;
  SystemClock clock_;
  SodiumRandom random_;
  SodiumCrypto crypto_;
  Metrics metrics_;
  Backend backend_;
  // What this process revoked, and what the poll found others revoked:
  // lets requests be authenticated without the database.
  std::unique_ptr<RevocationFeed> revocations_;
  // The backend, reporting every commit to revocations_; the services
  // write through it and only through it.
  std::unique_ptr<ChangeTrackingStore> store_;
  std::unique_ptr<AccessTokens> tokens_;
  std::unique_ptr<KeyManager> keys_;
  std::unique_ptr<AuthService> auth_;
  std::unique_ptr<AccountService> account_;
  std::unique_ptr<AdminService> admin_;
  std::unique_ptr<SessionSweeper> sweeper_;
  std::unique_ptr<AuditSweeper> audit_sweeper_;
  // Whether the last revocation poll failed; used by the polling thread
  // only (and by Serve before that thread starts).
  bool revocation_poll_failing_ = false;
  // The edge guard's rules, when the config file has a [guard] table.
  std::optional<GuardPolicy> guard_;
};

// Parses "host:port" (IPv6 as "[::1]:8080").
Result<std::pair<std::string, uint16_t>> ParseListenAddress(
    const std::string& listen);

}  // namespace gatehouse

#endif  // GATEHOUSE_APP_APP_H_
