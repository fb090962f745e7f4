// RequestAuth: what every authenticated handler needs from a request:
// its tokens (cookies, every same-name copy, F10; or a bearer header),
// who it is, where it came from, and the one way cookies are written.
#ifndef GATEHOUSE_HTTP_HANDLERS_REQUEST_AUTH_H_
#define GATEHOUSE_HTTP_HANDLERS_REQUEST_AUTH_H_

#include <optional>
#include <string_view>
#include <vector>

#include "core/cookie_policy.h"
#include "http/router.h"
#include "service/auth_service.h"
#include "service/client_info.h"

namespace gatehouse {

class RequestAuth {
 public:
  RequestAuth(AuthService& auth, const CookiePolicy& cookies);

  // Bearer token first, then every access cookie. Views into `req`.
  std::vector<std::string_view> AccessTokens(const Request& req) const;
  // Every refresh cookie. Views into `req`.
  std::vector<std::string_view> RefreshTokens(const Request& req) const;
  // Who sent `req` (AuthService::Authenticate).
  Result<Identity> Authenticate(const Request& req) const;
  // The same, when it can be answered without blocking; else nullopt
  // (AuthService::AuthenticateWithoutBlocking).
  std::optional<Result<Identity>> AuthenticateWithoutBlocking(
      const Request& req) const;
  static ClientInfo ClientOf(const RequestContext& ctx);

  // F3: the cookies are built from the tokens just issued, nothing else.
  void SetSessionCookies(Response& res, const IssuedSession& issued) const;
  // F5: clears both with the exact attributes of setting.
  void ClearSessionCookies(Response& res) const;
  // An error envelope; with `end_session`, both cookies cleared too.
  Response Fail(const Error& error, bool end_session = false) const;

  AuthService& auth() const { return auth_; }

 private:
  AuthService& auth_;
  const CookiePolicy& cookies_;
};

}  // namespace gatehouse

#endif  // GATEHOUSE_HTTP_HANDLERS_REQUEST_AUTH_H_
