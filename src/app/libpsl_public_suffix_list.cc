#include "app/libpsl_public_suffix_list.h"

#include <libpsl.h>

#include "core/cookie_rules.h"
#include "core/web_url.h"

namespace gatehouse {

LibPslPublicSuffixList::LibPslPublicSuffixList()
    // psl_latest(nullptr) reads the distribution's file (Debian's
    // publicsuffix package) unless the built-in copy is newer.
    : ctx_(psl_latest(nullptr)) {
  if (ctx_ == nullptr) ctx_ = const_cast<psl_ctx_t*>(psl_builtin());
}

LibPslPublicSuffixList::~LibPslPublicSuffixList() { psl_free(ctx_); }

bool LibPslPublicSuffixList::IsPublicSuffix(std::string_view domain) const {
  std::string name = CanonicalDomain(domain);
  // libpsl reads an IP address as labels ("0.1" would be "registrable").
  if (name.empty() || IsIpAddress(name) || ctx_ == nullptr) return false;
  return psl_is_public_suffix(ctx_, name.c_str()) != 0;
}

std::string LibPslPublicSuffixList::RegistrableDomain(
    std::string_view host) const {
  std::string name = CanonicalDomain(host);
  if (name.empty() || IsIpAddress(name) || ctx_ == nullptr) return "";
  const char* registrable = psl_registrable_domain(ctx_, name.c_str());
  return registrable == nullptr ? "" : std::string(registrable);
}

}  // namespace gatehouse
