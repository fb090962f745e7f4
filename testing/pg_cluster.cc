#include "testing/pg_cluster.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <grp.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <future>
#include <sstream>
#include <utility>

namespace gatehouse::testkit {
namespace {

using std::chrono::milliseconds;
using SteadyClock = std::chrono::steady_clock;

// The OS user the server runs as: `postgres` when we are root (initdb and
// postgres refuse to run as root), else ourselves.
struct ServerUser {
  bool switch_user = false;
  uid_t uid = 0;
  gid_t gid = 0;
};

Result<ServerUser> FindServerUser() {
  ServerUser user;
  if (::geteuid() != 0) return user;
  passwd pwd{};
  passwd* found = nullptr;
  std::vector<char> buf(16384);
  if (::getpwnam_r("postgres", &pwd, buf.data(), buf.size(), &found) != 0 ||
      found == nullptr) {
    return MakeError(ErrorCode::kUnavailable,
                     "running as root, but there is no `postgres` user to run "
                     "the server as (install postgresql-15)");
  }
  user.switch_user = true;
  user.uid = pwd.pw_uid;
  user.gid = pwd.pw_gid;
  return user;
}

std::string BinPath(std::string_view name) {
  return std::string(PgCluster::kBinDir) + "/" + std::string(name);
}

// Forks and execs `argv` with stdout and stderr on `log_fd`, as `user`.
// The child gets SIGQUIT (PostgreSQL's immediate shutdown) when the
// calling thread ends, so it never outlives whoever waits for it. Returns
// the child's pid, or -1.
pid_t Spawn(const std::vector<std::string>& argv, int log_fd,
            const ServerUser& user) {
  std::vector<char*> args;
  for (const std::string& a : argv)
    args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const long max_fd = ::sysconf(_SC_OPEN_MAX);
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid != 0) return pid;

  // The child of a multi-threaded process: async-signal-safe calls only.
  const int devnull = ::open("/dev/null", O_RDONLY);
  if (devnull < 0 || ::dup2(devnull, 0) < 0 || ::dup2(log_fd, 1) < 0 ||
      ::dup2(log_fd, 2) < 0) {
    ::_exit(126);
  }
  // No inherited descriptor may keep a test's socket (or anything else)
  // open in the server.
  if (::syscall(SYS_close_range, 3U, ~0U, 0U) != 0) {
    for (long fd = 3; fd < max_fd; ++fd) ::close(static_cast<int>(fd));
  }
  if (user.switch_user) {
    if (::setgroups(1, &user.gid) != 0 || ::setgid(user.gid) != 0 ||
        ::setuid(user.uid) != 0) {
      ::_exit(126);
    }
  }
  // After setuid, which clears it.
  if (::prctl(PR_SET_PDEATHSIG, SIGQUIT) != 0 || ::getppid() != parent) {
    ::_exit(125);
  }
  ::execv(args[0], args.data());
  ::_exit(127);
}

int WaitForExit(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  return status;
}

// A port nobody listens on now: bind port 0, read what the kernel chose,
// release it. Another process could take it before the server binds it;
// Create() then tries another.
Result<uint16_t> PickFreePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    return MakeError(ErrorCode::kUnavailable,
                     "socket: " + std::string(strerror(errno)));
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  const bool ok =
      ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0;
  ::close(fd);
  if (!ok) {
    return MakeError(ErrorCode::kUnavailable, "cannot find a free port: " +
                                                  std::string(strerror(errno)));
  }
  return ntohs(addr.sin_port);
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream out;
  out << in.rdbuf();
  return out.str();
}

// The last `lines` lines of `text`.
std::string Tail(const std::string& text, int lines) {
  size_t pos = text.size();
  while (pos > 0 && lines >= 0) {
    pos = text.rfind('\n', pos - 1);
    if (pos == std::string::npos) return text;
    --lines;
  }
  return text.substr(pos == 0 ? 0 : pos + 1);
}

bool IsSqlName(std::string_view name) {
  if (name.empty() || name.size() > 63) return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
      return false;
    }
  }
  return true;
}

// Direct children of `pid`, from /proc.
std::vector<pid_t> ChildrenOf(pid_t pid) {
  std::vector<pid_t> children;
  DIR* proc = ::opendir("/proc");
  if (proc == nullptr) return children;
  while (dirent* entry = ::readdir(proc)) {
    char* end = nullptr;
    const long candidate = std::strtol(entry->d_name, &end, 10);
    if (end == entry->d_name || *end != '\0') continue;
    const std::string stat =
        ReadFile("/proc/" + std::string(entry->d_name) + "/stat");
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses.
    const size_t close = stat.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(stat.substr(close + 1));
    std::string state;
    long ppid = 0;
    if (rest >> state >> ppid && ppid == pid) {
      children.push_back(static_cast<pid_t>(candidate));
    }
  }
  ::closedir(proc);
  return children;
}

// Gone, or a zombie (which holds no memory, files or sockets any more).
bool IsGone(pid_t pid) {
  if (::kill(pid, 0) != 0 && errno == ESRCH) return true;
  const std::string stat = ReadFile("/proc/" + std::to_string(pid) + "/stat");
  const size_t close = stat.rfind(')');
  return close == std::string::npos ||
         (close + 2 < stat.size() && stat[close + 2] == 'Z');
}

}  // namespace

bool PgCluster::Available() { return UnavailableReason().empty(); }

std::string PgCluster::UnavailableReason() {
  for (std::string_view tool : {"initdb", "postgres"}) {
    if (::access(BinPath(tool).c_str(), X_OK) != 0) {
      return "PostgreSQL 15 is not installed (no " + BinPath(tool) +
             "; scripts/install-deps.sh installs postgresql-15)";
    }
  }
  auto user = FindServerUser();
  if (!user.ok()) return user.error().message;
  return "";
}

PgCluster::PgCluster(PgClusterOptions options) : options_(std::move(options)) {}

Result<std::unique_ptr<PgCluster>> PgCluster::Create(PgClusterOptions options) {
  if (std::string reason = UnavailableReason(); !reason.empty()) {
    return MakeError(ErrorCode::kUnavailable, reason);
  }
  if (!IsSqlName(options.database)) {
    return MakeError(ErrorCode::kValidationFailed,
                     "PgClusterOptions::database: lower-case letters, digits "
                     "and '_' only");
  }
  auto cluster = std::unique_ptr<PgCluster>(new PgCluster(std::move(options)));
  GH_RETURN_IF_ERROR(cluster->InitDb());
  // The port was free a moment ago; if someone took it meanwhile, the
  // server exits at once and another port is tried.
  Status started = Ok();
  for (int attempt = 0; attempt < 3; ++attempt) {
    GH_ASSIGN_OR_RETURN(cluster->port_, PickFreePort());
    started = cluster->Start();
    if (started.ok()) break;
  }
  GH_RETURN_IF_ERROR(started);
  GH_RETURN_IF_ERROR(cluster->CreateDatabase(cluster->options_.database));
  return cluster;
}

Status PgCluster::InitDb() {
  GH_ASSIGN_OR_RETURN(ServerUser user, FindServerUser());
  std::string pattern =
      (std::filesystem::temp_directory_path() / "gatehouse-pg-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    return Fail("cannot create a directory from " + pattern + ": " +
                strerror(errno));
  }
  dir_ = pattern;
  if (user.switch_user && ::chown(dir_.c_str(), user.uid, user.gid) != 0) {
    return Fail("cannot hand " + dir_.string() +
                " to the postgres user: " + strerror(errno));
  }

  const std::filesystem::path log = dir_ / "initdb.log";
  const int log_fd =
      ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (log_fd < 0) return Fail("cannot write " + log.string());
  // --no-sync only skips initdb's final flush of the fresh files; the
  // server itself runs with fsync on.
  const pid_t pid = Spawn({BinPath("initdb"), "-D", (dir_ / "data").string(),
                           "-U", "postgres", "-A", "trust", "-E", "UTF8",
                           "--locale=C", "--no-sync", "--no-instructions"},
                          log_fd, user);
  ::close(log_fd);
  if (pid < 0)
    return Fail("cannot start initdb: " + std::string(strerror(errno)));
  const int status = WaitForExit(pid);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return Fail("initdb failed (is " + dir_.parent_path().string() +
                " reachable for the postgres user?):\n" +
                Tail(ReadFile(log), 20));
  }

  std::ofstream conf(dir_ / "data" / "postgresql.conf", std::ios::app);
  conf << "\n# gatehouse PgCluster (testing/pg_cluster.cc)\n"
       << "listen_addresses = '127.0.0.1'\n"
       << "unix_socket_directories = '" << dir_.string() << "'\n"
       << "fsync = on\n"
       << "synchronous_commit = on\n"
       << "full_page_writes = on\n"
       << "shared_buffers = 32MB\n"
       << "max_connections = 100\n"
       << "logging_collector = off\n"
       << "log_line_prefix = '%m [%p] '\n";
  for (const std::string& line : options_.settings) conf << line << "\n";
  conf.close();
  if (!conf) return Fail("cannot write postgresql.conf");
  return Ok();
}

PgCluster::~PgCluster() {
  {
    MutexLock lock(&mu_);
    if (!StopLocked().ok()) (void)KillLocked();
    Reap();
  }
  if (!dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
}

Status PgCluster::Start() {
  MutexLock lock(&mu_);
  if (!exited_) return Ok();
  Reap();
  GH_ASSIGN_OR_RETURN(ServerUser user, FindServerUser());
  const std::filesystem::path log = dir_ / "server.log";
  const int log_fd =
      ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) return Fail("cannot write " + log.string());
  const std::vector<std::string> argv = {BinPath("postgres"), "-D",
                                         (dir_ / "data").string(), "-p",
                                         std::to_string(port_)};
  std::promise<pid_t> forked;
  std::future<pid_t> pid = forked.get_future();
  exited_ = false;
  keeper_ = std::thread(
      [this, argv, log_fd, user, forked = std::move(forked)]() mutable {
        const pid_t child = Spawn(argv, log_fd, user);
        forked.set_value(child);
        if (child > 0) (void)WaitForExit(child);
        {
          MutexLock done(&mu_);
          exited_ = true;
        }
        exited_cv_.SignalAll();
      });
  pid_ = pid.get();
  ::close(log_fd);
  if (pid_ < 0) {
    while (!exited_) exited_cv_.Wait(&mu_);
    Reap();
    return Fail("cannot start postgres: " + std::string(strerror(errno)));
  }

  // Wait until it accepts connections over TCP, as a test will connect.
  const std::string ping = "host=127.0.0.1 port=" + std::to_string(port_) +
                           " dbname=postgres user=postgres connect_timeout=2";
  const auto deadline = SteadyClock::now() + options_.start_timeout;
  while (SteadyClock::now() < deadline) {
    if (exited_) {
      Reap();
      return Fail("postgres exited while starting");
    }
    if (::PQping(ping.c_str()) == PQPING_OK) return Ok();
    (void)AwaitExit(milliseconds(50));
  }
  (void)KillLocked();
  return Fail("postgres did not accept connections within " +
              std::to_string(options_.start_timeout.count()) + " ms");
}

Status PgCluster::Stop() {
  MutexLock lock(&mu_);
  return StopLocked();
}

Status PgCluster::StopLocked() {
  Status result = Ok();
  if (!exited_) {
    ::kill(pid_, SIGINT);  // fast shutdown
    if (!AwaitExit(milliseconds(30000))) {
      ::kill(pid_, SIGQUIT);  // immediate shutdown
      if (!AwaitExit(milliseconds(10000))) {
        result = Fail("postgres did not stop");
      }
    }
  }
  if (exited_) Reap();
  return result;
}

Status PgCluster::Kill() {
  MutexLock lock(&mu_);
  return KillLocked();
}

Status PgCluster::KillLocked() {
  Status result = Ok();
  if (!exited_) {
    // Its children first noted, as they are re-parented once it is dead.
    const std::vector<pid_t> children = ChildrenOf(pid_);
    ::kill(pid_, SIGKILL);
    for (pid_t child : children) ::kill(child, SIGKILL);
    if (!AwaitExit(milliseconds(10000))) {
      result = Fail("postgres survived SIGKILL");
    }
    // A new server refuses to start while an old process still holds the
    // shared memory.
    const auto deadline = SteadyClock::now() + milliseconds(10000);
    for (pid_t child : children) {
      while (!IsGone(child) && SteadyClock::now() < deadline) {
        std::this_thread::sleep_for(milliseconds(10));
      }
    }
  }
  if (exited_) Reap();
  return result;
}

bool PgCluster::running() const {
  MutexLock lock(&mu_);
  return !exited_;
}

bool PgCluster::AwaitExit(milliseconds timeout) {
  const auto deadline = SteadyClock::now() + timeout;
  while (!exited_) {
    if (!exited_cv_.WaitUntil(&mu_, deadline)) return exited_;
  }
  return true;
}

void PgCluster::Reap() {
  if (!keeper_.joinable()) return;
  // The keeper sets exited_ under mu_ and then only returns.
  while (!exited_) exited_cv_.Wait(&mu_);
  // Taken out of keeper_ and pid_ cleared before mu_ is released for the
  // join, so that a Start on another thread meanwhile neither joins the
  // same thread nor has its new pid_ cleared afterwards.
  std::thread keeper = std::move(keeper_);
  pid_ = -1;
  mu_.Unlock();
  keeper.join();
  mu_.Lock();
}

std::string PgCluster::UrlFor(std::string_view database) const {
  return "postgres://postgres@127.0.0.1:" + std::to_string(port_) + "/" +
         std::string(database);
}

Status PgCluster::CreateDatabase(std::string_view name,
                                 std::string_view template_database) {
  if (!IsSqlName(name) ||
      (!template_database.empty() && !IsSqlName(template_database))) {
    return MakeError(ErrorCode::kValidationFailed,
                     "PgCluster::CreateDatabase: lower-case letters, digits "
                     "and '_' only");
  }
  std::string sql = "CREATE DATABASE " + std::string(name);
  if (!template_database.empty()) {
    sql += " TEMPLATE " + std::string(template_database);
  }
  return Execute("postgres", sql);
}

Status PgCluster::DropDatabase(std::string_view name) {
  if (!IsSqlName(name)) {
    return MakeError(ErrorCode::kValidationFailed,
                     "PgCluster::DropDatabase: lower-case letters, digits "
                     "and '_' only");
  }
  return Execute("postgres", "DROP DATABASE IF EXISTS " + std::string(name) +
                                 " WITH (FORCE)");
}

Status PgCluster::Execute(std::string_view database, std::string_view sql) {
  const std::string conninfo =
      "host=127.0.0.1 port=" + std::to_string(port_) +
      " user=postgres connect_timeout=10 dbname=" + std::string(database);
  PGconn* conn = ::PQconnectdb(conninfo.c_str());
  if (::PQstatus(conn) != CONNECTION_OK) {
    Status failed =
        MakeError(ErrorCode::kUnavailable, "PgCluster: cannot connect to " +
                                               std::string(database) + ": " +
                                               ::PQerrorMessage(conn));
    ::PQfinish(conn);
    return failed;
  }
  PGresult* result = ::PQexec(conn, std::string(sql).c_str());
  const ExecStatusType status = ::PQresultStatus(result);
  Status out = Ok();
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    out = MakeError(ErrorCode::kInternal, "PgCluster: " + std::string(sql) +
                                              ": " +
                                              ::PQresultErrorMessage(result));
  }
  ::PQclear(result);
  ::PQfinish(conn);
  return out;
}

std::string PgCluster::ServerLog() const {
  return ReadFile(dir_ / "server.log");
}

Status PgCluster::Fail(std::string what) const {
  std::string message = "PgCluster: " + what;
  if (!dir_.empty()) {
    const std::string log = Tail(ReadFile(dir_ / "server.log"), 20);
    if (!log.empty()) message += "\nserver.log:\n" + log;
  }
  return MakeError(ErrorCode::kUnavailable, std::move(message));
}

}  // namespace gatehouse::testkit
