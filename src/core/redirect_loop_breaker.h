// RedirectLoopBreaker: notices one browser being sent to the login path
// again and again, so the edge guard can stop (defense in depth beyond F8).
//
// F8 removes the known cause of a loop between a protected page and the
// login page (an invalid session treated as signed in). Whatever the next
// cause is (a login page of the app's own that redirects on a stale
// cookie, a cookie on an old Domain the browser keeps sending), a loop
// looks the same from the guard: one browser, many login redirects in a
// few seconds. When the caller is told to break, it stops redirecting,
// clears every auth cookie on every known Domain and lets the login page
// load with a short explanation (issue 5).
//
// The key identifies a browser by the auth cookies it sends
// (LoopBreakerKey), never by a session (the looping browser may have none)
// nor by address and User-Agent: every browser behind one NAT shares
// those, and one office would trip the breaker for each other. A browser
// that sends no auth cookie is not counted at all: a loop needs a cookie
// that the guard refuses and something else believes in; without one the
// browser simply goes to sign-in.
// Pure and in memory, like core/failure_limiter.h: each gatehouse instance
// counts on its own, which only delays a break behind a load balancer.
#ifndef GATEHOUSE_CORE_REDIRECT_LOOP_BREAKER_H_
#define GATEHOUSE_CORE_REDIRECT_LOOP_BREAKER_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/clock.h"
#include "core/mutex.h"
#include "core/thread_annotations.h"

namespace gatehouse {

// A person meets the login page once per visit; a loop bounces every few
// hundred milliseconds. Three redirects of one browser within 10 s is
// already a loop at any human pace, and breaking costs little when it is
// not one: the user sees the login page they were being sent to anyway
// (the one false alarm we accept is a browser restoring several protected
// tabs at once while signed out).
inline constexpr int kLoginRedirectLoopCount = 3;
inline constexpr Duration kLoginRedirectLoopWindow = std::chrono::seconds(10);

// Browsers tracked at once: bounds memory under a spray of keys (about
// 100 bytes a key with its window, so ~10 MB at most), as the login
// limiters do (service/auth_service.h kMaxLimiterKeys). A key lives only
// for one window, so honest traffic needs a fraction of this.
inline constexpr size_t kMaxLoopBreakerKeys = 100'000;

// The breaker's key for a browser that sends these auth token values
// (every access token, then every refresh token, as the request carries
// them): a 64-bit digest in hex, so a key costs the same whatever the
// cookies' size and holds no token. "" when both lists are empty: such a
// browser is not to be counted. Equal lists give equal keys; which list a
// value is in counts. Pure.
std::string LoopBreakerKey(const std::vector<std::string_view>& access_tokens,
                           const std::vector<std::string_view>& refresh_tokens);

struct RedirectLoopLimit {
  int max_redirects = kLoginRedirectLoopCount;
  Duration window = kLoginRedirectLoopWindow;
};

class RedirectLoopBreaker {
 public:
  // `limit.max_redirects` is raised to at least 1; at most `max_keys`
  // (at least 1) browsers are tracked: past that, keys whose window has
  // passed are dropped first, then the one least recently redirected.
  explicit RedirectLoopBreaker(RedirectLoopLimit limit = {},
                               size_t max_keys = kMaxLoopBreakerKeys);

  // Counts one login redirect of browser `key` at `now` (the caller calls
  // it each time it would send the browser to the login path) and returns
  // true iff this makes max_redirects of them within the last `window`
  // (sliding): the caller must then break the loop instead of
  // redirecting. Stays true while the browser keeps coming back that
  // fast; after `window` without a redirect, the count starts over.
  // Thread-safe.
  [[nodiscard]] bool RecordRedirect(std::string_view key, Time now);

  // Forgets `key`, e.g. after the browser signed in successfully, so that
  // earlier redirects do not count against a later, honest one.
  // Thread-safe.
  void Forget(std::string_view key);

  // Keys currently tracked. Thread-safe.
  size_t tracked_keys() const;

 private:
  // Drops expired keys, then the least recently redirected one, until a
  // new key fits.
  void EvictLocked(Time now) REQUIRES(mu_);

  // Set in the constructor.
  const RedirectLoopLimit limit_;
  const size_t max_keys_;

  mutable Mutex mu_;
  // State below is guarded by mu_.
  // Per key, the times of its last (at most max_redirects) login
  // redirects, oldest first.
  std::unordered_map<std::string, std::vector<Time>> recent_ GUARDED_BY(mu_);
};

}  // namespace gatehouse

#endif  // GATEHOUSE_CORE_REDIRECT_LOOP_BREAKER_H_
