// LibPslPublicSuffixList: the Public Suffix List port (core/public_suffix.h)
// answered by libpsl from Debian's publicsuffix data.
//
// The data is the list the publicsuffix package installs (in libpsl's
// DAFSA form), so a system update refreshes it; libpsl's compiled-in copy
// is the fallback when that file is missing. Never a list of our own.
#ifndef GATEHOUSE_APP_LIBPSL_PUBLIC_SUFFIX_LIST_H_
#define GATEHOUSE_APP_LIBPSL_PUBLIC_SUFFIX_LIST_H_

#include <string>
#include <string_view>

#include "core/public_suffix.h"

struct psl_ctx_st;

namespace gatehouse {

class LibPslPublicSuffixList : public PublicSuffixList {
 public:
  // Loads the list: the installed data, else libpsl's built-in copy.
  LibPslPublicSuffixList();
  ~LibPslPublicSuffixList() override;
  LibPslPublicSuffixList(const LibPslPublicSuffixList&) = delete;
  LibPslPublicSuffixList& operator=(const LibPslPublicSuffixList&) = delete;

  bool IsPublicSuffix(std::string_view domain) const override;
  std::string RegistrableDomain(std::string_view host) const override;

 private:
  // Owned (psl_free leaves libpsl's static built-in copy alone). May be
  // null if libpsl has no data at all: then nothing is a public suffix.
  psl_ctx_st* ctx_;
};

}  // namespace gatehouse

#endif  // GATEHOUSE_APP_LIBPSL_PUBLIC_SUFFIX_LIST_H_
