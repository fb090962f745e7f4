// RevocationFeed: the in-memory view that lets an access token be checked
// without the database (SPEC §4 "revocation takes effect at once", issue
// of the edge guard's hot path).
//
// It holds the sessions revoked recently enough that one of their access
// tokens may still be unexpired (within the access TTL), and a cache of
// user rows (role, disabled flag) for the X-Auth-* headers and /auth/me.
// Two sources keep it current:
//  - this process's own commits, reported by ChangeTrackingStore before
//    the committing request answers: a logout here is seen here at once;
//  - a poll of the database every few hundred milliseconds, for commits
//    made by other instances or the CLI (ListSessionsRevokedSince,
//    ListUsersUpdatedSince).
// Fresh() says whether the last successful poll is recent enough to trust
// the view; when it is not (the database is unreachable, or the poll has
// not run yet), callers check the database instead, so a stale view never
// lets a revoked session through.
#ifndef GATEHOUSE_SERVICE_REVOCATION_FEED_H_
#define GATEHOUSE_SERVICE_REVOCATION_FEED_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/clock.h"
#include "core/model.h"
#include "core/mutex.h"
#include "core/result.h"
#include "core/thread_annotations.h"
#include "storage/change_tracking_store.h"
#include "storage/store.h"

namespace gatehouse {

struct RevocationFeedSettings {
  // GATEHOUSE_ACCESS_TTL. A session revoked longer ago than this has no
  // unexpired access token left, so the view forgets it.
  Duration access_ttl{std::chrono::minutes(15)};
  // Each poll reads back this far before the previous one started: a
  // revocation whose transaction took long to commit, or that another
  // instance stamped with a clock behind ours by less than this, is still
  // seen. Instances' clocks must agree within it (NTP does, to ms).
  Duration overlap{std::chrono::seconds(10)};
  // The view is trusted for this long after the start of its last
  // successful poll; with polls every kRevocationPollInterval, a
  // revocation made elsewhere is honoured within about that interval, and
  // never later than this (SPEC §4: within 1 s across instances).
  Duration max_staleness{std::chrono::milliseconds(750)};
  // Users cached at most; past it the cache starts over (a bound, not a
  // policy: far more than the users active within one access TTL).
  size_t max_cached_users = 100'000;
};

inline constexpr Duration kRevocationPollInterval{
    std::chrono::milliseconds(200)};

class RevocationFeed final : public ChangeListener {
 public:
  // `store` is polled; it and `clock` must outlive this object.
  RevocationFeed(Store& store, const Clock& clock,
                 RevocationFeedSettings settings);

  RevocationFeed(const RevocationFeed&) = delete;
  RevocationFeed& operator=(const RevocationFeed&) = delete;

  // Reads what changed since shortly before the last successful poll (the
  // first poll reads one access TTL back). On error the view is unchanged
  // and ages towards stale. Thread-safe; blocks on the database.
  Status Poll();

  // Whether the view may answer for the database now.
  bool Fresh() const;

  // Whether session `id` is known to be revoked.
  bool IsRevoked(std::string_view session_id) const;

  // A cached user, with the generation of the cache it was looked up in.
  // On a miss, read the user from the database and hand it to
  // RememberUser with that generation: if any user changed meanwhile the
  // row read may predate it, and is not cached.
  struct UserLookup {
    std::optional<User> user;
    uint64_t generation = 0;
  };
  UserLookup FindUser(std::string_view id) const;
  void RememberUser(User user, uint64_t generation);

  // ChangeListener: this process's commits.
  void OnCommitted(const CommittedChanges& changes) override;

  // Sizes, for metrics and tests.
  size_t revoked_sessions() const;
  size_t cached_users() const;

 private:
  // Heterogeneous lookup: the hot path looks up string_views from tokens.
  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const {
      return std::hash<std::string_view>{}(s);
    }
  };
  template <class V>
  using StringMap =
      std::unordered_map<std::string, V, StringHash, std::equal_to<>>;

  void MarkRevokedLocked(const RevokedSession& revoked) REQUIRES(mu_);
  void ForgetUserLocked(const std::string& user_id) REQUIRES(mu_);

  // Set in the constructor.
  Store& store_;
  const Clock& clock_;
  const RevocationFeedSettings settings_;

  // Shared to read, exclusive to change.
  mutable SharedMutex mu_;
  // State below is guarded by mu_.
  StringMap<Time> revoked_ GUARDED_BY(mu_);  // session id -> revoked_at
  StringMap<User> users_ GUARDED_BY(mu_);
  uint64_t users_generation_ GUARDED_BY(mu_) = 0;
  // Start of the last successful poll.
  std::optional<Time> last_poll_start_ GUARDED_BY(mu_);
};

}  // namespace gatehouse

#endif  // GATEHOUSE_SERVICE_REVOCATION_FEED_H_
