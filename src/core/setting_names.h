// The names of gatehouse's settings, written once. Each is the
// environment variable (GATEHOUSE_COOKIE_DOMAIN); its config-file key
// ("cookie_domain", also the key of the settings table) and its flag
// (--cookie-domain) follow from it. The settings table (app/config.cc)
// reads these names, and the deployment checks (core/checks/) name them
// in their findings, so a finding always names a setting that exists.
// What each setting does: SPEC §9 and `gatehouse config print`.
#ifndef GATEHOUSE_CORE_SETTING_NAMES_H_
#define GATEHOUSE_CORE_SETTING_NAMES_H_

#include <string>
#include <string_view>

namespace gatehouse {

// What every setting's environment name starts with.
inline constexpr char kSettingPrefix[] = "GATEHOUSE_";

inline constexpr char kSettingListen[] = "GATEHOUSE_LISTEN";
inline constexpr char kSettingDatabaseUrl[] = "GATEHOUSE_DATABASE_URL";
inline constexpr char kSettingConfig[] = "GATEHOUSE_CONFIG";
inline constexpr char kSettingPublicUrl[] = "GATEHOUSE_PUBLIC_URL";
inline constexpr char kSettingCookieDomain[] = "GATEHOUSE_COOKIE_DOMAIN";
inline constexpr char kSettingAccessCookie[] = "GATEHOUSE_ACCESS_COOKIE";
inline constexpr char kSettingRefreshCookie[] = "GATEHOUSE_REFRESH_COOKIE";
inline constexpr char kSettingCookieSecure[] = "GATEHOUSE_COOKIE_SECURE";
inline constexpr char kSettingCookieSameSite[] = "GATEHOUSE_COOKIE_SAMESITE";
inline constexpr char kSettingCookieOldDomains[] =
    "GATEHOUSE_COOKIE_OLD_DOMAINS";
inline constexpr char kSettingTrustedOrigins[] = "GATEHOUSE_TRUSTED_ORIGINS";
inline constexpr char kSettingAccessTtl[] = "GATEHOUSE_ACCESS_TTL";
inline constexpr char kSettingRefreshTtl[] = "GATEHOUSE_REFRESH_TTL";
inline constexpr char kSettingRefreshGrace[] = "GATEHOUSE_REFRESH_GRACE";
inline constexpr char kSettingSessionMaxAge[] = "GATEHOUSE_SESSION_MAX_AGE";
inline constexpr char kSettingAuditRetention[] = "GATEHOUSE_AUDIT_RETENTION";
inline constexpr char kSettingSignup[] = "GATEHOUSE_SIGNUP";
inline constexpr char kSettingInternalSecret[] = "GATEHOUSE_INTERNAL_SECRET";
inline constexpr char kSettingMasterKey[] = "GATEHOUSE_MASTER_KEY";
inline constexpr char kSettingMetricsToken[] = "GATEHOUSE_METRICS_TOKEN";
inline constexpr char kSettingJwtAlg[] = "GATEHOUSE_JWT_ALG";
inline constexpr char kSettingJwtSecret[] = "GATEHOUSE_JWT_SECRET";
inline constexpr char kSettingJwtAudience[] = "GATEHOUSE_JWT_AUDIENCE";
inline constexpr char kSettingHeaderTimeout[] = "GATEHOUSE_HEADER_TIMEOUT";
inline constexpr char kSettingLogLevel[] = "GATEHOUSE_LOG_LEVEL";
inline constexpr char kSettingTrustedProxies[] = "GATEHOUSE_TRUSTED_PROXIES";
inline constexpr char kSettingAccountPage[] = "GATEHOUSE_ACCOUNT_PAGE";
inline constexpr char kSettingLoginAccountLimit[] =
    "GATEHOUSE_LOGIN_ACCOUNT_LIMIT";
inline constexpr char kSettingLoginIpLimit[] = "GATEHOUSE_LOGIN_IP_LIMIT";
inline constexpr char kSettingLoginLimitWindow[] =
    "GATEHOUSE_LOGIN_LIMIT_WINDOW";
inline constexpr char kSettingMaxPendingLogins[] =
    "GATEHOUSE_MAX_PENDING_LOGINS";
inline constexpr char kSettingMaxConnections[] = "GATEHOUSE_MAX_CONNECTIONS";
inline constexpr char kSettingMaxConnectionsPerIp[] =
    "GATEHOUSE_MAX_CONNECTIONS_PER_IP";

// The config-file key of the setting named `env`: the name without
// kSettingPrefix, in lower case ("GATEHOUSE_COOKIE_DOMAIN" →
// "cookie_domain"). REQUIRES: `env` starts with kSettingPrefix.
std::string SettingKey(std::string_view env);

}  // namespace gatehouse

#endif  // GATEHOUSE_CORE_SETTING_NAMES_H_
