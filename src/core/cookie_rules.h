// Cookie rules: how a browser treats a cookie, as RFC 6265bis (the cookie
// storage and sending algorithms) and the HTML standard ("same site")
// define it. Pure: the Public Suffix List comes in through its port.
//
// gatehouse builds its cookies in one place (core/cookie_policy.h); these
// rules predict what a browser at the API's and the apps' URLs will do
// with them, so the deployment checks (core/deployment_checks.h) can say
// before any user does that a cookie will be refused or never arrive.
// Every gatehouse cookie has Path=/ and HttpOnly, so the path and
// non-HTTP-API rules never decide anything here and are left out.
#ifndef GATEHOUSE_CORE_COOKIE_RULES_H_
#define GATEHOUSE_CORE_COOKIE_RULES_H_

#include <optional>
#include <string>
#include <string_view>

#include "core/cookie_policy.h"
#include "core/public_suffix.h"
#include "core/web_url.h"

namespace gatehouse {

// The attributes of one Set-Cookie that decide where it goes.
struct CookieAttributes {
  std::string name;
  std::string domain;  // the Domain attribute; empty: a host-only cookie
  bool secure = true;
  SameSite same_site = SameSite::kLax;
};

// RFC 6265bis §5.1.3 domain-match: `host` equals `domain`, or `domain` is a
// suffix of `host` right after a ".", and `host` is a host name (an IP
// address matches only itself). Case-insensitive; a leading dot on
// `domain` is ignored, as browsers drop it when they read the attribute.
bool DomainMatches(std::string_view host, std::string_view domain);

// HTML "same site", schemeful as browsers apply it to cookies: the same
// scheme and the same registrable domain, or, for hosts that have none
// (IP addresses, localhost), the same host. Ports never matter.
bool IsSameSite(const WebUrl& a, const WebUrl& b, const PublicSuffixList& psl);

// The site of `url` as text: "https://example.com.np", or
// "http://127.0.0.1" for a host without a registrable domain.
std::string SiteOf(const WebUrl& url, const PublicSuffixList& psl);

// Who makes a request, which decides whether SameSite lets cookies through.
struct RequestContext {
  // The page that makes the request (fetch, XHR, a form); nullopt for a
  // navigation the user started (typed URL, bookmark): a same-site one.
  std::optional<WebUrl> initiator;
  // A top-level navigation with a safe method (a link followed, GET):
  // Lax cookies ride along even from another site, Strict ones do not.
  bool top_level_navigation = false;
};

// Why a browser ignores a received Set-Cookie (RFC 6265bis §5.7, in the
// order the algorithm checks).
enum class StoreRejection {
  kNone,                       // stored
  kDomainIsPublicSuffix,       // Domain is a public suffix (step 6)
  kDomainMismatch,             // the response's host is not in Domain (7)
  kSecureFromInsecureUrl,      // Secure, but the response came over http (10)
  kSameSiteNoneWithoutSecure,  // SameSite=None needs Secure (15)
  kCrossSiteSameSite,  // Lax/Strict cookie set by a cross-site request (15)
  kSecurePrefixWithoutSecure,  // __Secure- needs Secure (16)
  kHostPrefixRequirements,     // __Host- needs Secure and no Domain (17)
};

// Why a browser does not attach a stored cookie to a request (RFC 6265bis
// §5.8.3).
enum class SendExclusion {
  kNone,              // sent
  kHostNotCovered,    // host-only for another host, or outside Domain
  kNotSecureContext,  // Secure cookie, request not https (nor loopback)
  kCrossSite,         // SameSite Lax/Strict on a cross-site request
};

// One line saying why, for messages.
std::string_view Describe(StoreRejection r);
std::string_view Describe(SendExclusion e);

// The rules that concern only a cookie's name and attributes: the
// SameSite=None and __Secure-/__Host- prefix rules. kNone if none bites.
StoreRejection AttributeRejection(const CookieAttributes& cookie);

// Whether a browser stores `cookie` received in a response from
// `response_url` to a request made in `context`.
StoreRejection WhyNotStored(const CookieAttributes& cookie,
                            const WebUrl& response_url,
                            const RequestContext& context,
                            const PublicSuffixList& psl);

// Whether a browser that stored `cookie` from a response of `set_by`
// (a host-only cookie belongs to set_by's host) attaches it to a request
// for `request_url` made in `context`. Browsers that block third-party
// cookies (Safari, Firefox's strict mode, Chrome with them turned off)
// also drop SameSite=None cookies on cross-site requests; this follows
// the RFC, which leaves that to the browser.
SendExclusion WhyNotSent(const CookieAttributes& cookie, const WebUrl& set_by,
                         const WebUrl& request_url,
                         const RequestContext& context,
                         const PublicSuffixList& psl);

}  // namespace gatehouse

#endif  // GATEHOUSE_CORE_COOKIE_RULES_H_
