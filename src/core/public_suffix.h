// PublicSuffixList: the port through which core asks the Public Suffix
// List (https://publicsuffix.org) where registrable domains begin.
//
// Browsers refuse cookies scoped to a public suffix ("com", "com.np",
// "vercel.app") and compare sites by registrable domain, so the cookie
// rules (core/cookie_rules.h) and the deployment checks
// (core/checks/deployment_checks.h) need the list, but core does no I/O. The
// product's implementation reads Debian's publicsuffix data through libpsl
// (app/libpsl_public_suffix_list.h); unit tests of core pass a small fake.
#ifndef GATEHOUSE_CORE_PUBLIC_SUFFIX_H_
#define GATEHOUSE_CORE_PUBLIC_SUFFIX_H_

#include <string>
#include <string_view>

namespace gatehouse {

class PublicSuffixList {
 public:
  virtual ~PublicSuffixList() = default;

  // True iff `domain` is a public suffix: a name under which anyone may
  // register ("com", "co.uk", "com.np", "vercel.app"; a single label such
  // as "localhost" counts, as browsers treat unknown top-level names so).
  // Case-insensitive; a leading dot is ignored. False for "" and for IP
  // addresses. Thread-safe.
  virtual bool IsPublicSuffix(std::string_view domain) const = 0;

  // The registrable domain of `host`, lower-cased: its public suffix plus
  // the one label before it ("school.example.com.np" → "example.com.np",
  // "school-web.vercel.app" → "school-web.vercel.app"). "" when it has
  // none: a public suffix itself ("com", "localhost"), an IP address, or
  // "". A leading dot is ignored. Thread-safe.
  virtual std::string RegistrableDomain(std::string_view host) const = 0;
};

}  // namespace gatehouse

#endif  // GATEHOUSE_CORE_PUBLIC_SUFFIX_H_
