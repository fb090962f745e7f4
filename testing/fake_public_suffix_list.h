// FakePublicSuffixList: a PublicSuffixList for core's unit tests, which
// may not link libpsl. It knows only the suffixes a test gives it, plus
// the list's implicit rule that every top-level label is a public suffix.
// The product reads the real list (app/libpsl_public_suffix_list.h), whose
// own tests pin the answers these fakes stand in for.
#ifndef GATEHOUSE_TESTING_FAKE_PUBLIC_SUFFIX_LIST_H_
#define GATEHOUSE_TESTING_FAKE_PUBLIC_SUFFIX_LIST_H_

#include <algorithm>
#include <cctype>
#include <set>
#include <string>
#include <string_view>

#include "core/public_suffix.h"
#include "core/web_url.h"

namespace gatehouse {

class FakePublicSuffixList : public PublicSuffixList {
 public:
  // `suffixes`: multi-label public suffixes, e.g. {"com.np", "vercel.app"}.
  explicit FakePublicSuffixList(std::set<std::string> suffixes)
      : suffixes_(std::move(suffixes)) {}

  bool IsPublicSuffix(std::string_view domain) const override {
    std::string d = Canonical(domain);
    if (d.empty() || IsIpAddress(d)) return false;
    return d.find('.') == std::string::npos || suffixes_.count(d) > 0;
  }

  std::string RegistrableDomain(std::string_view host) const override {
    std::string h = Canonical(host);
    if (h.empty() || IsIpAddress(h) || IsPublicSuffix(h)) return "";
    // The longest suffix of `h` that is public, plus one label.
    size_t label_start = 0;
    while (true) {
      size_t dot = h.find('.', label_start);
      if (dot == std::string::npos) return "";
      if (IsPublicSuffix(h.substr(dot + 1))) return h.substr(label_start);
      label_start = dot + 1;
    }
  }

 private:
  static std::string Canonical(std::string_view s) {
    if (s.starts_with(".")) s.remove_prefix(1);
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    return out;
  }

  std::set<std::string> suffixes_;
};

}  // namespace gatehouse

#endif  // GATEHOUSE_TESTING_FAKE_PUBLIC_SUFFIX_LIST_H_
