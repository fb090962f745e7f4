#include "app/libpsl_public_suffix_list.h"

#include <libpsl.h>

#include <algorithm>
#include <cctype>

#include "core/web_url.h"

namespace gatehouse {
namespace {

// libpsl expects lower-case names without the leading dot a cookie Domain
// may carry.
std::string Canonical(std::string_view name) {
  if (name.starts_with(".")) name.remove_prefix(1);
  std::string out(name);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return out;
}

}  // namespace

LibPslPublicSuffixList::LibPslPublicSuffixList()
    // psl_latest(nullptr) reads the distribution's file (Debian's
    // publicsuffix package) unless the built-in copy is newer.
    : ctx_(psl_latest(nullptr)) {
  if (ctx_ == nullptr) ctx_ = const_cast<psl_ctx_t*>(psl_builtin());
}

LibPslPublicSuffixList::~LibPslPublicSuffixList() { psl_free(ctx_); }

bool LibPslPublicSuffixList::IsPublicSuffix(std::string_view domain) const {
  std::string name = Canonical(domain);
  // libpsl reads an IP address as labels ("0.1" would be "registrable").
  if (name.empty() || IsIpAddress(name) || ctx_ == nullptr) return false;
  return psl_is_public_suffix(ctx_, name.c_str()) != 0;
}

std::string LibPslPublicSuffixList::RegistrableDomain(
    std::string_view host) const {
  std::string name = Canonical(host);
  if (name.empty() || IsIpAddress(name) || ctx_ == nullptr) return "";
  const char* registrable = psl_registrable_domain(ctx_, name.c_str());
  return registrable == nullptr ? "" : std::string(registrable);
}

}  // namespace gatehouse
