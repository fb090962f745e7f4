#include "core/cookie_rules.h"

#include <algorithm>
#include <cctype>

namespace gatehouse {
namespace {

std::string Canonical(std::string_view name) {
  if (name.starts_with(".")) name.remove_prefix(1);
  std::string out(name);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return out;
}

// The host a site is named by: the registrable domain, or the host itself
// when it has none (HTML "obtain a site").
std::string SiteHost(const WebUrl& url, const PublicSuffixList& psl) {
  std::string registrable = psl.RegistrableDomain(url.host);
  return registrable.empty() ? url.host : registrable;
}

bool IsSameSiteRequest(const WebUrl& request_url, const RequestContext& context,
                       const PublicSuffixList& psl) {
  return !context.initiator || IsSameSite(*context.initiator, request_url, psl);
}

}  // namespace

bool DomainMatches(std::string_view host, std::string_view domain) {
  std::string h = Canonical(host);
  std::string d = Canonical(domain);
  if (d.empty() || h.empty()) return false;
  if (h == d) return true;
  return h.size() > d.size() && h.ends_with(d) &&
         h[h.size() - d.size() - 1] == '.' && !IsIpAddress(h);
}

bool IsSameSite(const WebUrl& a, const WebUrl& b, const PublicSuffixList& psl) {
  return a.scheme == b.scheme && SiteHost(a, psl) == SiteHost(b, psl);
}

std::string SiteOf(const WebUrl& url, const PublicSuffixList& psl) {
  return url.scheme + "://" + SiteHost(url, psl);
}

std::string_view Describe(StoreRejection r) {
  switch (r) {
    case StoreRejection::kNone:
      return "stored";
    case StoreRejection::kDomainIsPublicSuffix:
      return "its Domain is a public suffix";
    case StoreRejection::kDomainMismatch:
      return "the host that sets it is outside its Domain";
    case StoreRejection::kSecureFromInsecureUrl:
      return "it is Secure but arrived over plain http";
    case StoreRejection::kSameSiteNoneWithoutSecure:
      return "SameSite=None without Secure";
    case StoreRejection::kCrossSiteSameSite:
      return "it is SameSite=Lax/Strict and came from a cross-site request";
    case StoreRejection::kSecurePrefixWithoutSecure:
      return "a __Secure- name without Secure";
    case StoreRejection::kHostPrefixRequirements:
      return "a __Host- name needs Secure and no Domain";
  }
  return "";
}

std::string_view Describe(SendExclusion e) {
  switch (e) {
    case SendExclusion::kNone:
      return "sent";
    case SendExclusion::kHostNotCovered:
      return "the request's host is outside the cookie's Domain";
    case SendExclusion::kNotSecureContext:
      return "the cookie is Secure and the request is plain http";
    case SendExclusion::kCrossSite:
      return "the cookie is SameSite=Lax/Strict and the request is cross-site";
  }
  return "";
}

StoreRejection AttributeRejection(const CookieAttributes& cookie) {
  if (cookie.same_site == SameSite::kNone && !cookie.secure) {
    return StoreRejection::kSameSiteNoneWithoutSecure;
  }
  if (cookie.name.starts_with("__Secure-") && !cookie.secure) {
    return StoreRejection::kSecurePrefixWithoutSecure;
  }
  if (cookie.name.starts_with("__Host-") &&
      (!cookie.secure || !cookie.domain.empty())) {
    return StoreRejection::kHostPrefixRequirements;
  }
  return StoreRejection::kNone;
}

StoreRejection WhyNotStored(const CookieAttributes& cookie,
                            const WebUrl& response_url,
                            const RequestContext& context,
                            const PublicSuffixList& psl) {
  CookieAttributes effective = cookie;
  effective.domain = Canonical(cookie.domain);
  if (!effective.domain.empty() && psl.IsPublicSuffix(effective.domain)) {
    // A public suffix that is the host itself makes a host-only cookie.
    if (effective.domain != response_url.host) {
      return StoreRejection::kDomainIsPublicSuffix;
    }
    effective.domain.clear();
  }
  if (!effective.domain.empty() &&
      !DomainMatches(response_url.host, effective.domain)) {
    return StoreRejection::kDomainMismatch;
  }
  if (effective.secure && !IsPotentiallyTrustworthy(response_url)) {
    return StoreRejection::kSecureFromInsecureUrl;
  }
  if (effective.same_site != SameSite::kNone &&
      !IsSameSiteRequest(response_url, context, psl) &&
      !context.top_level_navigation) {
    return StoreRejection::kCrossSiteSameSite;
  }
  return AttributeRejection(effective);
}

SendExclusion WhyNotSent(const CookieAttributes& cookie, const WebUrl& set_by,
                         const WebUrl& request_url,
                         const RequestContext& context,
                         const PublicSuffixList& psl) {
  std::string domain = Canonical(cookie.domain);
  if (!domain.empty() && psl.IsPublicSuffix(domain) && domain == set_by.host) {
    domain.clear();
  }
  bool covered = domain.empty() ? request_url.host == set_by.host
                                : DomainMatches(request_url.host, domain);
  if (!covered) return SendExclusion::kHostNotCovered;
  if (cookie.secure && !IsPotentiallyTrustworthy(request_url)) {
    return SendExclusion::kNotSecureContext;
  }
  if (cookie.same_site != SameSite::kNone &&
      !IsSameSiteRequest(request_url, context, psl)) {
    bool lax_navigation =
        cookie.same_site == SameSite::kLax && context.top_level_navigation;
    if (!lax_navigation) return SendExclusion::kCrossSite;
  }
  return SendExclusion::kNone;
}

}  // namespace gatehouse
