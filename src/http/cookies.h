// Reading auth cookies and credentials from a request.
#ifndef GATEHOUSE_HTTP_COOKIES_H_
#define GATEHOUSE_HTTP_COOKIES_H_

#include <string_view>
#include <vector>

#include "http/beast.h"

namespace gatehouse {

// Every value of cookie `name` across all Cookie headers of `req` (F10:
// a browser may hold the same name for several Domains). Views into req.
std::vector<std::string_view> RequestCookies(const Request& req,
                                             std::string_view name);

// The token of an "Authorization: Bearer <token>" header, if any.
std::vector<std::string_view> BearerTokens(const Request& req);

}  // namespace gatehouse

#endif  // GATEHOUSE_HTTP_COOKIES_H_
