#include "core/setting_names.h"

#include <cctype>

namespace gatehouse {

std::string SettingKey(std::string_view env) {
  env.remove_prefix(std::string_view(kSettingPrefix).size());
  std::string key;
  for (char c : env) {
    key.push_back(
        static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return key;
}

}  // namespace gatehouse
