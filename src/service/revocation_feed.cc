#include "service/revocation_feed.h"

#include <utility>
#include <vector>

namespace gatehouse {

RevocationFeed::RevocationFeed(Store& store, const Clock& clock,
                               RevocationFeedSettings settings)
    : store_(store), clock_(clock), settings_(settings) {}

Status RevocationFeed::Poll() {
  const Time started = clock_.Now();
  std::optional<Time> previous;
  {
    ReaderLock lock(&mu_);
    previous = last_poll_start_;
  }
  const Time since = previous
                         ? *previous - settings_.overlap
                         : started - settings_.access_ttl - settings_.overlap;
  std::vector<RevokedSession> revoked;
  std::vector<std::string> updated_users;
  GH_RETURN_IF_ERROR(store_.Run(TxMode::kRead, [&](Tx& tx) -> Status {
    GH_ASSIGN_OR_RETURN(revoked, tx.ListSessionsRevokedSince(since));
    GH_ASSIGN_OR_RETURN(updated_users, tx.ListUsersUpdatedSince(since));
    return Ok();
  }));

  WriterLock lock(&mu_);
  for (const RevokedSession& r : revoked) MarkRevokedLocked(r);
  for (const std::string& id : updated_users) ForgetUserLocked(id);
  // Every token of a session revoked before this has expired.
  const Time forget_before = started - settings_.access_ttl - settings_.overlap;
  std::erase_if(revoked_, [&](const auto& entry) {
    return entry.second < forget_before;
  });
  if (!last_poll_start_ || *last_poll_start_ < started) {
    last_poll_start_ = started;
  }
  return Ok();
}

bool RevocationFeed::Fresh() const {
  ReaderLock lock(&mu_);
  return last_poll_start_.has_value() &&
         clock_.Now() - *last_poll_start_ <= settings_.max_staleness;
}

bool RevocationFeed::IsRevoked(std::string_view session_id) const {
  ReaderLock lock(&mu_);
  return revoked_.find(session_id) != revoked_.end();
}

RevocationFeed::UserLookup RevocationFeed::FindUser(std::string_view id) const {
  ReaderLock lock(&mu_);
  UserLookup out;
  out.generation = users_generation_;
  if (auto it = users_.find(id); it != users_.end()) out.user = it->second;
  return out;
}

void RevocationFeed::RememberUser(User user, uint64_t generation) {
  // Never kept in memory: nothing on the paths this cache serves needs it.
  user.password_hash.clear();
  WriterLock lock(&mu_);
  if (generation != users_generation_) return;
  if (users_.size() >= settings_.max_cached_users) users_.clear();
  std::string id = user.id;
  users_.insert_or_assign(std::move(id), std::move(user));
}

void RevocationFeed::OnCommitted(const CommittedChanges& changes) {
  WriterLock lock(&mu_);
  for (const RevokedSession& r : changes.revoked_sessions) MarkRevokedLocked(r);
  for (const std::string& id : changes.updated_user_ids) ForgetUserLocked(id);
}

size_t RevocationFeed::revoked_sessions() const {
  ReaderLock lock(&mu_);
  return revoked_.size();
}

size_t RevocationFeed::cached_users() const {
  ReaderLock lock(&mu_);
  return users_.size();
}

void RevocationFeed::MarkRevokedLocked(const RevokedSession& revoked) {
  // A session is revoked once; polls that see it again change nothing.
  revoked_.try_emplace(revoked.id, revoked.revoked_at);
}

void RevocationFeed::ForgetUserLocked(const std::string& user_id) {
  users_.erase(user_id);
  // A row being read right now may predate this change: bumping the
  // generation keeps RememberUser from caching it.
  ++users_generation_;
}

}  // namespace gatehouse
