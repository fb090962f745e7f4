#include "app/config_check.h"

#include <libpsl.h>

#include <algorithm>

#include "core/origin_policy.h"
#include "http/client_ip.h"

namespace gatehouse {
namespace {

using Severity = ConfigProblem::Severity;

// The list Debian's publicsuffix package installs, in libpsl's DAFSA form;
// libpsl's compiled-in copy is the fallback.
const psl_ctx_t* PublicSuffixList() {
  static const psl_ctx_t* ctx = [] {
    const psl_ctx_t* latest = psl_latest(nullptr);
    return latest != nullptr ? latest : psl_builtin();
  }();
  return ctx;
}

std::string HostOf(std::string_view url) {
  auto origin = NormalizeOrigin(url);
  if (!origin) return "";
  std::string_view rest = *origin;
  rest.remove_prefix(rest.find("://") + 3);
  if (rest.starts_with("["))
    return std::string(rest.substr(0, rest.find(']') + 1));
  return std::string(rest.substr(0, rest.find(':')));
}

}  // namespace

bool IsPublicSuffix(std::string_view domain) {
  if (!domain.empty() && domain.front() == '.') domain.remove_prefix(1);
  if (domain.empty()) return false;
  std::string lower(domain);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  const psl_ctx_t* psl = PublicSuffixList();
  return psl != nullptr && psl_is_public_suffix(psl, lower.c_str()) != 0;
}

bool IsLoopbackHost(std::string_view host) {
  return host == "localhost" || host.ends_with(".localhost") ||
         host.starts_with("127.") || host == "[::1]";
}

std::vector<ConfigProblem> CheckConfig(const Config& c) {
  std::vector<ConfigProblem> out;
  // Unsafe in production, fine for local development.
  const Severity prod = c.dev ? Severity::kWarning : Severity::kError;
  auto add = [&](Severity s, const char* setting, std::string message) {
    out.push_back({s, setting, std::move(message)});
  };
  const CookieSettings& k = c.cookie;

  if (!k.secure && !c.dev) {
    add(Severity::kError, "GATEHOUSE_COOKIE_SECURE",
        "false is refused in production: session cookies would travel over "
        "plain HTTP");
  }
  if (k.same_site == SameSite::kNone && !k.secure) {
    add(Severity::kError, "GATEHOUSE_COOKIE_SAMESITE",
        "None requires GATEHOUSE_COOKIE_SECURE=true: browsers reject "
        "SameSite=None "
        "cookies without Secure");
  }
  for (const auto& [setting, name] :
       {std::pair{"GATEHOUSE_ACCESS_COOKIE", k.access_name},
        std::pair{"GATEHOUSE_REFRESH_COOKIE", k.refresh_name}}) {
    if (name.empty() || name.find_first_of(" \t;,=\"") != std::string::npos) {
      add(Severity::kError, setting,
          "'" + name + "' is not a valid cookie name");
    }
    if (name.starts_with("__Host-") && !k.domain.empty()) {
      add(Severity::kError, setting,
          "a __Host- cookie may not have a Domain; unset "
          "GATEHOUSE_COOKIE_DOMAIN or "
          "use a __Secure- name");
    }
    if ((name.starts_with("__Host-") || name.starts_with("__Secure-")) &&
        !k.secure) {
      add(Severity::kError, setting,
          "a " + name.substr(0, name.find('-') + 1) +
              " cookie is only accepted by browsers with Secure");
    }
  }
  if (k.access_name == k.refresh_name) {
    add(Severity::kError, "GATEHOUSE_REFRESH_COOKIE",
        "must differ from GATEHOUSE_ACCESS_COOKIE");
  }
  if (!k.domain.empty() && IsPublicSuffix(k.domain)) {
    add(Severity::kError, "GATEHOUSE_COOKIE_DOMAIN",
        "'" + k.domain +
            "' is a public suffix: browsers refuse cookies for it; use your "
            "own "
            "registrable domain, e.g. .example.com");
  }

  if (c.public_url.empty()) {
    add(prod, "GATEHOUSE_PUBLIC_URL",
        "required in production: it is the JWT issuer and the API's own "
        "origin");
  } else if (!NormalizeOrigin(c.public_url)) {
    add(Severity::kError, "GATEHOUSE_PUBLIC_URL",
        "'" + c.public_url + "' is not an http(s) URL");
  } else if (c.public_url.starts_with("http://") &&
             !IsLoopbackHost(HostOf(c.public_url))) {
    add(prod, "GATEHOUSE_PUBLIC_URL",
        "http:// is refused in production except for loopback addresses; use "
        "https://");
  }
  for (const std::string& origin : c.trusted_origins) {
    if (origin == "*" || origin == "null" || !NormalizeOrigin(origin)) {
      add(Severity::kError, "GATEHOUSE_TRUSTED_ORIGINS",
          "'" + origin +
              "' is not an origin like https://app.example.com "
              "(wildcards and null are never trusted)");
    }
  }

  if (auto proxies = TrustedProxies::Parse(c.trusted_proxies); !proxies.ok()) {
    add(Severity::kError, "GATEHOUSE_TRUSTED_PROXIES", proxies.error().message);
  }

  auto master = DecodeMasterKey(c);
  if (!master.ok()) {
    add(Severity::kError, "GATEHOUSE_MASTER_KEY", master.error().message);
  } else if (!master->has_value()) {
    add(prod, "GATEHOUSE_MASTER_KEY",
        "required in production: it encrypts the signing keys at rest "
        "(openssl rand -hex 32)");
  }
  if (c.jwt_alg != "EdDSA" && c.jwt_alg != "HS256") {
    add(Severity::kError, "GATEHOUSE_JWT_ALG", "must be EdDSA or HS256");
  } else if (c.jwt_alg == "HS256" && c.jwt_secret.size() < 32) {
    add(Severity::kError, "GATEHOUSE_JWT_SECRET",
        "HS256 needs a secret of at least 32 bytes");
  }
  if (!c.internal_secret.empty() && c.internal_secret.size() < 32) {
    add(prod, "GATEHOUSE_INTERNAL_SECRET", "must be at least 32 bytes");
  }

  const AuthSettings& a = c.auth;
  if (a.access_ttl <= Duration(0) || a.refresh_ttl <= Duration(0) ||
      a.session_max_age <= Duration(0)) {
    add(Severity::kError, "GATEHOUSE_ACCESS_TTL",
        "token and session lifetimes must be positive");
  } else {
    if (a.access_ttl >= a.refresh_ttl) {
      add(Severity::kError, "GATEHOUSE_ACCESS_TTL",
          "must be shorter than GATEHOUSE_REFRESH_TTL");
    }
    if (a.session_max_age < a.refresh_ttl) {
      add(Severity::kError, "GATEHOUSE_SESSION_MAX_AGE",
          "must not be shorter than GATEHOUSE_REFRESH_TTL");
    }
  }
  if (a.refresh_grace > std::chrono::minutes(5)) {
    add(Severity::kWarning, "GATEHOUSE_REFRESH_GRACE",
        "longer than 5 minutes gives a stolen refresh token that long to be "
        "replayed");
  }
  return out;
}

}  // namespace gatehouse
