// Connection limits (SPEC §10): how many connections the server keeps open
// in total and per client, and what the total may be under the process's
// descriptor limit. Pure bookkeeping, so it is tested without sockets;
// HttpServer applies it at accept.
#ifndef GATEHOUSE_HTTP_CONNECTION_LIMITS_H_
#define GATEHOUSE_HTTP_CONNECTION_LIMITS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>

namespace gatehouse {

// Descriptors kept free of connections, for everything else the process
// opens: measured, an idle server with SQLite holds 19 (stdio, the
// listener, the event loop's epoll, eventfd and timerfd, 4 pooled SQLite
// connections with their database, WAL and shared-memory files); with
// PostgreSQL its 8 pooled connections are sockets. The rest covers what
// comes and goes: a database connection replaced while the old one
// closes, mail delivery, files read at run time. 64 is over three times
// the idle count.
inline constexpr uint64_t kReservedDescriptors = 64;

// The total connection cap to apply: `requested`, lowered so that
// connections leave kReservedDescriptors of `descriptor_limit` (the soft
// RLIMIT_NOFILE; 0 means unlimited) free. Under a tiny limit at most half
// is reserved, so that some connections still fit (128 → 64). At least 1.
size_t ConnectionCapFor(size_t requested, uint64_t descriptor_limit);

// Counts open connections in total and per client key (core/limiter_key.h)
// and says whether one more may open. Memory: one entry per client with an
// open connection, so at most max_total entries. Not thread-safe: its
// owner locks (HttpServer::mu_).
class ConnectionCounter {
 public:
  enum class Verdict { kAdmitted, kOverTotal, kOverPerClient };

  // REQUIRES: both limits at least 1.
  ConnectionCounter(size_t max_total, size_t max_per_client);

  // Counts a connection from `key` and returns kAdmitted, or counts
  // nothing and says which cap it is over. Without `per_client_cap`, only
  // the total applies (a trusted proxy's connections).
  Verdict TryAdd(const std::string& key, bool per_client_cap = true);
  // Uncounts a connection TryAdd admitted.
  void Remove(const std::string& key);

  size_t total() const { return total_; }
  size_t of(const std::string& key) const;
  size_t max_total() const { return max_total_; }
  size_t max_per_client() const { return max_per_client_; }

 private:
  const size_t max_total_;
  const size_t max_per_client_;
  size_t total_ = 0;
  std::unordered_map<std::string, size_t> per_client_;
};

}  // namespace gatehouse

#endif  // GATEHOUSE_HTTP_CONNECTION_LIMITS_H_
