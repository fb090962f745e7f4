#include "http/handlers/request_auth.h"

#include "http/cookies.h"
#include "http/json_response.h"

namespace gatehouse {

RequestAuth::RequestAuth(AuthService& auth, const CookiePolicy& cookies)
    : auth_(auth), cookies_(cookies) {}

std::vector<std::string_view> RequestAuth::AccessTokens(
    const Request& req) const {
  std::vector<std::string_view> tokens = BearerTokens(req);
  auto cookies = RequestCookies(req, cookies_.settings().access_name);
  tokens.insert(tokens.end(), cookies.begin(), cookies.end());
  return tokens;
}

std::vector<std::string_view> RequestAuth::RefreshTokens(
    const Request& req) const {
  return RequestCookies(req, cookies_.settings().refresh_name);
}

Result<Identity> RequestAuth::Authenticate(const Request& req) const {
  return auth_.Authenticate(AccessTokens(req));
}

std::optional<Result<Identity>> RequestAuth::AuthenticateWithoutBlocking(
    const Request& req) const {
  return auth_.AuthenticateWithoutBlocking(AccessTokens(req));
}

ClientInfo RequestAuth::ClientOf(const RequestContext& ctx) {
  ClientInfo client;
  client.ip = ctx.client_ip;
  auto it = ctx.request.find(bhttp::field::user_agent);
  if (it != ctx.request.end()) client.user_agent = std::string(it->value());
  return client;
}

void RequestAuth::SetSessionCookies(Response& res,
                                    const IssuedSession& issued) const {
  for (const std::string& line :
       cookies_.SetAuthCookies(issued.access_token, issued.access_max_age,
                               issued.refresh_token, issued.refresh_max_age)) {
    res.insert(bhttp::field::set_cookie, line);
  }
}

void RequestAuth::ClearSessionCookies(Response& res) const {
  for (const std::string& line : cookies_.ClearAuthCookies()) {
    res.insert(bhttp::field::set_cookie, line);
  }
}

Response RequestAuth::Fail(const Error& error, bool end_session) const {
  Response res = JsonError(error);
  if (end_session) ClearSessionCookies(res);
  return res;
}

}  // namespace gatehouse
