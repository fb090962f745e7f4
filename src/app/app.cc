#include "app/app.h"

#include <sched.h>
#include <spdlog/spdlog.h>

#include <charconv>
#include <cstdio>
#include <thread>

#include "app/guard_config.h"
#include "app/maintenance.h"
#include "app/periodic_thread.h"
#include "core/ids.h"
#include "core/origin_policy.h"
#include "http/client_ip.h"
#include "http/dispatcher.h"
#include "http/handlers/account_api_handlers.h"
#include "http/handlers/account_handlers.h"
#include "http/handlers/admin_handlers.h"
#include "http/handlers/auth_handlers.h"
#include "http/handlers/check_handlers.h"
#include "http/handlers/metrics_handlers.h"
#include "http/handlers/request_auth.h"
#include "http/handlers/system_handlers.h"
#include "http/http_server.h"

namespace gatehouse {
namespace {

// After SIGTERM, in-flight requests get this long to finish before the
// process exits anyway: inside the 30 s a Kubernetes pod gets by default.
constexpr auto kShutdownGrace = std::chrono::seconds(10);
// Storage calls are short and synchronous; more threads than cores keep
// the CPU busy while some wait on fsync, and let more writes queue for
// one SQLite group commit: 8 rather than 4 gave 14% more rotations/s on
// SQLite (4,705 -> 5,370, docs/benchmarks.md) and the same on PostgreSQL,
// whose pool holds 8 connections.
constexpr int kStorageThreads = 8;

constexpr char kDevAdminEmail[] = "admin@localhost";

// CPUs this process may run on (taskset, cgroup cpusets), not the
// machine's: more network threads than CPUs only adds hand-offs.
int UsableCpus() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0)
    return std::max(1, CPU_COUNT(&set));
  return std::max(1u, std::thread::hardware_concurrency());
}

}  // namespace

Result<std::pair<std::string, uint16_t>> ParseListenAddress(
    const std::string& listen) {
  auto fail = [&] {
    return MakeError(ErrorCode::kValidationFailed,
                     "GATEHOUSE_LISTEN: '" + listen + "' must be host:port");
  };
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) return fail();
  std::string host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  unsigned port = 0;
  auto [ptr, ec] = std::from_chars(listen.data() + colon + 1,
                                   listen.data() + listen.size(), port);
  if (ec != std::errc() || ptr != listen.data() + listen.size() ||
      port > 65535) {
    return fail();
  }
  return std::pair{host, static_cast<uint16_t>(port)};
}

App::App(const Config& config)
    : config_(config), crypto_(PasswordHashParams::Owasp()) {}

Result<std::unique_ptr<App>> App::Create(const Config& config) {
  std::unique_ptr<App> app(new App(config));
  GH_ASSIGN_OR_RETURN(app->backend_, OpenBackend(config.database_url));
  GH_ASSIGN_OR_RETURN(auto applied, app->backend_.migrator->Up());
  for (int version : applied) spdlog::info("applied migration {}", version);

  RevocationFeedSettings feed_settings;
  feed_settings.access_ttl = config.auth.access_ttl;
  app->revocations_ = std::make_unique<RevocationFeed>(
      *app->backend_.store, app->clock_, feed_settings);
  app->store_ = std::make_unique<ChangeTrackingStore>(*app->backend_.store,
                                                      *app->revocations_);
  Store& store = *app->store_;

  GH_ASSIGN_OR_RETURN(auto master_key, DecodeMasterKey(config));
  AccessTokenSettings token_settings{config.public_url, config.jwt_audience,
                                     config.auth.access_ttl};
  app->tokens_ = std::make_unique<AccessTokens>(app->crypto_, app->clock_,
                                                app->random_, token_settings);
  KeySettings key_settings;
  key_settings.alg = config.jwt_alg;
  key_settings.hs256_secret = config.jwt_secret;
  key_settings.master_key = master_key;
  key_settings.access_ttl = config.auth.access_ttl;
  app->keys_ = std::make_unique<KeyManager>(store, app->crypto_, app->clock_,
                                            app->random_, key_settings);
  GH_RETURN_IF_ERROR(app->keys_->LoadInto(*app->tokens_));
  GH_ASSIGN_OR_RETURN(Bytes refresh_secret, app->keys_->LoadRefreshSecret());
  app->auth_ = std::make_unique<AuthService>(
      store, app->crypto_, app->clock_, app->random_, *app->tokens_,
      config.auth, std::move(refresh_secret), &app->metrics_,
      app->revocations_.get());
  app->account_ =
      std::make_unique<AccountService>(store, app->crypto_, app->clock_);
  app->admin_ = std::make_unique<AdminService>(store, app->clock_);
  app->sweeper_ = std::make_unique<SessionSweeper>(store, app->clock_);
  AuditSweepSettings audit_sweep;
  audit_sweep.retention = config.audit_retention;
  app->audit_sweeper_ =
      std::make_unique<AuditSweeper>(store, app->clock_, audit_sweep);
  if (!config.config_file.empty()) {
    GH_ASSIGN_OR_RETURN(auto rules, LoadGuardRules(config.config_file));
    if (rules) {
      GH_ASSIGN_OR_RETURN(GuardPolicy policy,
                          GuardPolicy::Create(std::move(*rules)));
      app->guard_ = std::move(policy);
    }
  }
  return app;
}

Status App::EnsureDevAdmin() {
  int64_t users = 0;
  GH_RETURN_IF_ERROR(store_->Run(TxMode::kRead, [&](Tx& tx) -> Status {
    GH_ASSIGN_OR_RETURN(users, tx.CountUsers());
    return Ok();
  }));
  if (users > 0) return Ok();
  std::string password = NewOpaqueToken(random_, 12);
  GH_RETURN_IF_ERROR(auth_->Register(kDevAdminEmail, password, "Admin",
                                     kAdminRole,
                                     /*bypass_signup_policy=*/true));
  // Printed once, to the terminal only: it is never stored in the clear.
  std::printf("dev admin created: %s / %s (shown once)\n", kDevAdminEmail,
              password.c_str());
  std::fflush(stdout);
  return Ok();
}

void App::PollRevocations() {
  // Logged on change only: during an outage this fails five times a second.
  Status polled = revocations_->Poll();
  bool& failing = revocation_poll_failing_;
  if (!polled.ok() && !failing) {
    spdlog::warn(
        "revocation poll failed, checking sessions in the database until it "
        "recovers: {}",
        polled.error().message);
  } else if (polled.ok() && failing) {
    spdlog::info("revocation poll recovered");
  }
  failing = !polled.ok();
}

int App::Serve() {
  if (config_.dev) {
    if (Status s = EnsureDevAdmin(); !s.ok()) {
      spdlog::error("cannot create the dev admin: {}", s.error().message);
      return 1;
    }
  }
  auto listen = ParseListenAddress(config_.listen);
  if (!listen.ok()) {
    spdlog::error("{}", listen.error().message);
    return 2;
  }
  // Before the first request: until a poll succeeds every request is
  // checked in the database.
  PollRevocations();

  const int io_threads = UsableCpus();
  net::io_context ioc(io_threads);
  net::thread_pool storage_pool(kStorageThreads);
  net::thread_pool hash_pool(io_threads);

  auto proxies = TrustedProxies::Parse(config_.trusted_proxies);
  if (!proxies.ok()) {
    spdlog::error("{}", proxies.error().message);
    return 2;
  }
  CookiePolicy cookies(config_.cookie);
  std::vector<std::string> trusted_origins = config_.trusted_origins;
  if (config_.dev && listen->second != 0) {
    // A dev server is opened as localhost or 127.0.0.1 alike; both are its
    // own origin, so the account page works from either.
    for (const char* host : {"localhost", "127.0.0.1"}) {
      trusted_origins.push_back("http://" + std::string(host) + ":" +
                                std::to_string(listen->second));
    }
  }
  OriginPolicy origins(config_.public_url, trusted_origins);
  RequestAuth request_auth(*auth_, cookies);

  Router router;
  AuthHandlers auth_handlers(request_auth);
  auth_handlers.RegisterPublicRoutes(router);
  AccountApiHandlers account_api_handlers(request_auth, *account_);
  account_api_handlers.RegisterRoutes(router);
  AdminHandlers admin_handlers(request_auth, *admin_);
  admin_handlers.RegisterAdminRoutes(router);
  SystemHandlers system_handlers(*store_, *keys_);
  system_handlers.RegisterRoutes(router);
  RedirectLoopBreaker loop_breaker;
  CheckHandlers check_handlers(request_auth, guard_ ? &*guard_ : nullptr,
                               loop_breaker, clock_);
  check_handlers.RegisterRoutes(router);
  MetricsHandlers metrics_handlers(metrics_, *store_, clock_, crypto_,
                                   config_.metrics_token);
  metrics_handlers.RegisterRoutes(router);
  AccountHandlers account_page(crypto_);
  if (config_.account_page) account_page.RegisterRoutes(router);

  DispatchOptions options;
  options.auth_cookie_names = {config_.cookie.access_name,
                               config_.cookie.refresh_name};
  options.internal_secret = config_.internal_secret;
  options.max_pending_hashes = config_.max_pending_logins;
  options.trusted_proxies = std::move(proxies).value();
  Dispatcher dispatcher(router, origins, crypto_, options, storage_pool,
                        hash_pool, &metrics_);

  ServerLimits limits;
  limits.header_timeout = config_.header_timeout;
  limits.max_connections = static_cast<size_t>(config_.max_connections);
  limits.max_connections_per_ip =
      static_cast<size_t>(config_.max_connections_per_ip);
  limits.uncapped_peers = options.trusted_proxies;
  HttpServer server(ioc, dispatcher, limits);
  auto endpoint = server.Listen(listen->first, listen->second);
  if (!endpoint.ok()) {
    spdlog::error("{}", endpoint.error().message);
    return 1;
  }
  server.Start();
  Maintenance maintenance(*keys_, *tokens_, *sweeper_, *audit_sweeper_);
  maintenance.Start();
  PeriodicThread revocation_poll(kRevocationPollInterval,
                                 [this] { PollRevocations(); });
  revocation_poll.Start();

  net::steady_timer grace_timer(ioc);
  net::signal_set signals(ioc, SIGINT, SIGTERM);
  signals.async_wait([&](const beast::error_code& ec, int signal) {
    if (ec) return;
    spdlog::info("signal {}: finishing in-flight requests", signal);
    server.Shutdown([&ioc] { ioc.stop(); });
    grace_timer.expires_after(kShutdownGrace);
    grace_timer.async_wait([&](const beast::error_code& timer_ec) {
      if (timer_ec) return;
      spdlog::warn("shutdown grace elapsed with {} connections open",
                   server.open_connections());
      ioc.stop();
    });
  });

  std::string host = endpoint->address().to_string();
  if (endpoint->address().is_v6()) host = "[" + host + "]";
  // Tests and scripts wait for this line.
  std::printf("gatehouse listening on http://%s:%u\n", host.c_str(),
              static_cast<unsigned>(endpoint->port()));
  std::fflush(stdout);

  std::vector<std::thread> threads;
  for (int i = 1; i < io_threads; ++i)
    threads.emplace_back([&ioc] { ioc.run(); });
  ioc.run();
  for (auto& t : threads) t.join();
  revocation_poll.Stop();
  maintenance.Stop();
  storage_pool.join();
  hash_pool.join();
  spdlog::info("stopped");
  return 0;
}

}  // namespace gatehouse
