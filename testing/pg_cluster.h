// PgCluster: a private PostgreSQL 15 server for tests, in a temporary
// directory, listening on 127.0.0.1 only, on a free port.
//
//   if (!PgCluster::Available()) GTEST_SKIP() <<
//   PgCluster::UnavailableReason(); auto cluster = PgCluster::Create(); //
//   initdb + start + database ASSERT_TRUE(cluster.ok()) <<
//   cluster.error().message; PgOptions options; options.url =
//   (*cluster)->url();              //
//   postgres://postgres@127.0.0.1:PORT/gatehouse_test
//   ...
//   ASSERT_TRUE((*cluster)->Stop().ok());         // the database goes away
//   ASSERT_TRUE((*cluster)->Start().ok());        // and comes back, same data,
//   same port
//
// The server runs as the unprivileged `postgres` OS user when the test runs
// as root (initdb and postgres refuse root), as the current user otherwise.
// It keeps fsync and synchronous_commit on, as production does, and trusts
// every local connection (user `postgres`, no password): test use only.
// If the test process dies without stopping it, the server gets SIGQUIT
// (immediate shutdown) from the kernel, so no server outlives its test;
// the directory is left behind then.
#ifndef GATEHOUSE_TESTING_PG_CLUSTER_H_
#define GATEHOUSE_TESTING_PG_CLUSTER_H_

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/mutex.h"
#include "core/result.h"
#include "core/thread_annotations.h"

namespace gatehouse::testkit {

struct PgClusterOptions {
  // Created at Create(); url() names it. Lower-case letters, digits, '_'.
  std::string database = "gatehouse_test";
  // Extra postgresql.conf lines, e.g. "max_connections = 200".
  std::vector<std::string> settings;
  // The longest Start() waits for the server to accept connections.
  std::chrono::milliseconds start_timeout{30000};
};

class PgCluster {
 public:
  // Where the PostgreSQL 15 server binaries are (Debian's postgresql-15).
  static constexpr std::string_view kBinDir = "/usr/lib/postgresql/15/bin";

  // True if a cluster can be created here: initdb and postgres are
  // installed and, when running as root, the `postgres` user exists.
  static bool Available();
  // Why Available() is false, for a GTEST_SKIP message; empty if it is true.
  static std::string UnavailableReason();

  // Creates a cluster in a new temporary directory (initdb), starts it and
  // creates `options.database`. Errors (kUnavailable) carry the tail of the
  // server's log.
  static Result<std::unique_ptr<PgCluster>> Create(
      PgClusterOptions options = {});

  PgCluster(const PgCluster&) = delete;
  PgCluster& operator=(const PgCluster&) = delete;
  // Stops the server (fast shutdown; killed if that hangs) and removes the
  // directory.
  ~PgCluster();

  // Starts the server on the same data and port and waits until it
  // accepts connections (at most options.start_timeout). Ok if running.
  Status Start();
  // Fast shutdown, as `pg_ctl stop -m fast`: open transactions are rolled
  // back, clients are disconnected (SQLSTATE 57P01), committed data stays.
  // Waits until the server has exited. Ok if not running.
  Status Stop();
  // SIGKILL to the server and all its processes: a crash. Start() then
  // runs crash recovery; every commit that was acknowledged survives.
  Status Kill();
  bool running() const;

  uint16_t port() const { return port_; }
  // postgres://postgres@127.0.0.1:PORT/<options.database>
  std::string url() const { return UrlFor(options_.database); }
  // The same for another database of this cluster.
  std::string UrlFor(std::string_view database) const;

  // CREATE DATABASE `name`, copied from `template_database` if not empty.
  // `name` and `template_database`: lower-case letters, digits, '_'.
  Status CreateDatabase(std::string_view name,
                        std::string_view template_database = "");
  // DROP DATABASE IF EXISTS `name` WITH (FORCE): its connections are
  // terminated first.
  Status DropDatabase(std::string_view name);
  // Runs `sql` (one or more statements) as the superuser in `database`,
  // e.g. to terminate the backends of a test's connections.
  Status Execute(std::string_view database, std::string_view sql);

  // The cluster's directory: data/, the unix socket, server.log.
  const std::filesystem::path& dir() const { return dir_; }
  // Everything the server has logged so far.
  std::string ServerLog() const;

  // Thread-safety: Start, Stop and Kill may be called from any thread (they
  // serialise on a mutex); the accessors are constant after Create.

 private:
  explicit PgCluster(PgClusterOptions options);

  Status InitDb();
  // These release mu_ while they wait, and hold it again on return.
  Status StopLocked() REQUIRES(mu_);
  Status KillLocked() REQUIRES(mu_);
  // Waits until the server process has exited, at most `timeout`.
  bool AwaitExit(std::chrono::milliseconds timeout) REQUIRES(mu_);
  // Joins the keeper thread once the server has exited.
  void Reap() REQUIRES(mu_);
  Status Fail(std::string what) const;

  // Constant after Create.
  const PgClusterOptions options_;
  std::filesystem::path dir_;
  uint16_t port_ = 0;

  mutable Mutex mu_;
  CondVar exited_cv_;  // waits under mu_; signalled when exited_ turns true
  // State below is guarded by mu_.
  // The postmaster, started and waited for by keeper_: the thread that
  // forks a process is the "parent" whose exit sends PR_SET_PDEATHSIG, so
  // it must live exactly as long as the server.
  std::thread keeper_ GUARDED_BY(mu_);
  pid_t pid_ GUARDED_BY(mu_) = -1;
  bool exited_ GUARDED_BY(mu_) = true;
};

}  // namespace gatehouse::testkit

#endif  // GATEHOUSE_TESTING_PG_CLUSTER_H_
