// OriginPolicy: which browser origins may make credentialed requests.
//
// CSRF (SPEC §6): a state-changing request authenticated by cookie is
// accepted only from a trusted origin, judged by its Origin header or,
// lacking one, the origin of its Referer; a request that signs someone in
// is refused from an untrusted one, cookies or not (login CSRF). CORS:
// credentialed responses are granted to exactly the same set of origins,
// and no other.
#ifndef GATEHOUSE_CORE_ORIGIN_POLICY_H_
#define GATEHOUSE_CORE_ORIGIN_POLICY_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gatehouse {

// "scheme://host[:port]" lower-cased, default port dropped, or nullopt if
// `url` is not an absolute http(s) URL. Path, query and fragment are
// ignored, so it also turns a Referer into its origin.
std::optional<std::string> NormalizeOrigin(std::string_view url);

class OriginPolicy {
 public:
  // `own_url` is the API's public URL; `trusted` the configured origins.
  // Entries that do not normalise are dropped (config validation reports
  // them before this is built).
  OriginPolicy(std::string_view own_url,
               const std::vector<std::string>& trusted);

  // True iff `origin` (an Origin header value) is trusted. "null" never is.
  bool IsTrusted(std::string_view origin) const;

  // The CSRF verdict for a cookie-authenticated state-changing request:
  // judged by `origin` if present, else by `referer`; neither → false.
  bool AllowsCookieWrite(std::optional<std::string_view> origin,
                         std::optional<std::string_view> referer) const;

  // The login-CSRF verdict for a request that signs someone in or starts
  // an account flow, cookies or not: judged by `origin` if present, else
  // by `referer`; neither → true, since browsers send one of them on
  // every cross-site POST and non-browser clients send neither.
  bool AllowsSignIn(std::optional<std::string_view> origin,
                    std::optional<std::string_view> referer) const;

 private:
  std::vector<std::string> trusted_;  // normalised, own origin included
};

// POST, PUT, PATCH and DELETE change state; GET, HEAD, OPTIONS do not.
bool IsStateChangingMethod(std::string_view method);

}  // namespace gatehouse

#endif  // GATEHOUSE_CORE_ORIGIN_POLICY_H_
