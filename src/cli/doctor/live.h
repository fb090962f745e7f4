// The live stage of `gatehouse doctor --live`: as a test account, sign in,
// refresh and sign out against the running gatehouse at the API URL, the
// way the app's browser would (its Origin, its cookies), and hand the real
// answers to the judgement (cli/doctor/live_checks.h).
//
// Only this run's own session cookies are ever sent: the cookies pasted
// with --cookie-header belong to a real user's browser, so they only seed
// the model of that browser's store; sending them could revoke the user's
// session (login replaces the session whose refresh cookie it carries,
// F1). The session doctor opens is signed out at the end, also when a
// step before failed. Docs: docs/doctor.md.
#ifndef GATEHOUSE_CLI_DOCTOR_LIVE_H_
#define GATEHOUSE_CLI_DOCTOR_LIVE_H_

#include <string>
#include <string_view>

#include "cli/doctor/http_client.h"
#include "cli/doctor/live_checks.h"
#include "core/result.h"

namespace gatehouse {

// The one seam through which the live stage does I/O; tests fake it.
class LiveTransport {
 public:
  virtual ~LiveTransport() = default;
  // POSTs `body` to `url` with `headers`; the answer, or why none came.
  virtual Result<HttpResponse> Post(std::string_view url,
                                    const HttpHeaders& headers,
                                    std::string_view body) = 0;
};

// LiveTransport over the real HttpClient.
class HttpLiveTransport final : public LiveTransport {
 public:
  explicit HttpLiveTransport(const HttpClient& client) : client_(client) {}
  Result<HttpResponse> Post(std::string_view url, const HttpHeaders& headers,
                            std::string_view body) override {
    return client_.Send("POST", url, headers, body);
  }

 private:
  const HttpClient& client_;
};

// Signs in as `run.email` with `password` at `api_url` (the API's URL;
// the routes go under its path), refreshes, signs out, and appends each
// step to `run.steps`. Stops after a login that fails or sets no cookie;
// after a failed refresh it still signs out, and when the sign-out is
// refused as cross-site it signs out again from the API's own origin (a
// kLiveCleanupStep). REQUIRES: run.api, run.email and run.origin set.
void TakeLiveSteps(LiveRun& run, std::string_view api_url,
                   std::string_view password, LiveTransport& transport);

// The User-Agent doctor's requests carry: its session shows it in the
// devices list (GET /api/v1/auth/sessions) and in the audit log.
std::string DoctorUserAgent();

}  // namespace gatehouse

#endif  // GATEHOUSE_CLI_DOCTOR_LIVE_H_
