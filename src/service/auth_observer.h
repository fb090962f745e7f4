// AuthObserver: what the auth use cases report as they happen, for
// counters (http/metrics.h). Implementations must be thread-safe and
// cheap: they are called on request paths.
#ifndef GATEHOUSE_SERVICE_AUTH_OBSERVER_H_
#define GATEHOUSE_SERVICE_AUTH_OBSERVER_H_

namespace gatehouse {

enum class LoginOutcome { kSucceeded, kFailed, kRateLimited };
enum class RefreshOutcome { kRotated, kGraceReplay, kReuseDetected, kInvalid };
// Where Authenticate checked a verified token's session: in the in-memory
// revocation view, or in the database (the view was stale, or absent).
enum class SessionCheckSource { kMemory, kDatabase };

class AuthObserver {
 public:
  virtual ~AuthObserver() = default;
  virtual void OnLogin(LoginOutcome outcome) = 0;
  virtual void OnRefresh(RefreshOutcome outcome) = 0;
  virtual void OnSessionCheck(SessionCheckSource source) = 0;
};

// Observes nothing: for tools and tests that do not count.
class NullAuthObserver final : public AuthObserver {
 public:
  void OnLogin(LoginOutcome) override {}
  void OnRefresh(RefreshOutcome) override {}
  void OnSessionCheck(SessionCheckSource) override {}
};

}  // namespace gatehouse

#endif  // GATEHOUSE_SERVICE_AUTH_OBSERVER_H_
