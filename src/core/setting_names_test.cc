#include "core/setting_names.h"

#include <gtest/gtest.h>

namespace gatehouse {
namespace {

TEST(SettingNamesTest, TheKeyIsTheNameWithoutItsPrefixInLowerCase) {
  EXPECT_EQ(SettingKey(kSettingCookieDomain), "cookie_domain");
  EXPECT_EQ(SettingKey(kSettingCookieSameSite), "cookie_samesite");
  EXPECT_EQ(SettingKey(kSettingDatabaseUrl), "database_url");
  EXPECT_EQ(SettingKey(kSettingConfig), "config");
  EXPECT_EQ(SettingKey(kSettingMaxPendingLogins), "max_pending_logins");
  EXPECT_EQ(SettingKey(kSettingAuditRetention), "audit_retention");
}

}  // namespace
}  // namespace gatehouse
