// The API's own URL and the trusted origins, as configured.
#include <optional>
#include <string>

#include "core/checks/deployment_checks_internal.h"
#include "core/url_redaction.h"
#include "core/web_url.h"

namespace gatehouse::checks {

void CheckApiUrl(CheckRun& run) {
  std::optional<WebUrl> pub = ParseWebUrl(run.facts.public_url);
  if (run.facts.public_url.empty()) {
    run.findings.Add(
        run.Production(), "public-url-missing", kSettingPublicUrl,
        "GATEHOUSE_PUBLIC_URL is not set",
        "It is the API's external URL: the issuer (iss) of every access "
        "token and the one origin the API always trusts for writes. "
        "Without it, what browsers see cannot be checked either.",
        "GATEHOUSE_PUBLIC_URL=" +
            (run.api ? run.api->origin
                     : std::string("https://api.example.com")) +
            " (the URL browsers reach the API at)");
  } else if (!pub) {
    run.findings.Add(
        Severity::kError, "public-url-invalid", kSettingPublicUrl,
        "GATEHOUSE_PUBLIC_URL '" + RedactUrl(run.facts.public_url) +
            "' is not an http(s) URL",
        "It must be an absolute URL such as https://api.example.com: it is "
        "the token issuer and the API's own origin for the CSRF check.",
        "GATEHOUSE_PUBLIC_URL=https://api.example.com (the URL browsers "
        "reach the API at)");
  }
  if (pub && run.api && pub->origin != run.api->origin) {
    run.findings.Add(
        Severity::kWarning, "api-url-not-public-url", kSettingPublicUrl,
        "The API URL " + run.api->origin + " is not GATEHOUSE_PUBLIC_URL (" +
            pub->origin + ")",
        "gatehouse names " + pub->origin +
            " as the issuer of its tokens and trusts it as its own origin; "
            "browsers that reach it at " +
            run.api->origin +
            " send that origin instead, and verifiers expecting it reject "
            "the tokens. The checks here used " +
            run.api->origin + ".",
        "GATEHOUSE_PUBLIC_URL=" + run.api->origin);
  }
  if (run.api && run.api->scheme == "http" && !IsLoopbackHost(run.api->host)) {
    run.findings.Add(
        run.Production(), "public-url-not-https", kSettingPublicUrl,
        "The API is served over plain http: " + run.api->origin,
        "Browsers do not store Secure cookies from an http:// response, so "
        "sign-in cannot work with Secure on, and with Secure off the "
        "tokens travel in clear text. Only loopback hosts (localhost, "
        "127.0.0.1) are exempt.",
        "Serve the API over https (e.g. behind a TLS-terminating proxy) and "
        "set GATEHOUSE_PUBLIC_URL=https://" +
            run.api->host);
  }
}

void CheckTrustedOrigins(CheckRun& run) {
  for (const std::string& origin : run.facts.trusted_origins) {
    if (origin == "null" || origin.find('*') != std::string::npos) {
      run.findings.Add(
          Severity::kError, "trusted-origin-wildcard", kSettingTrustedOrigins,
          "GATEHOUSE_TRUSTED_ORIGINS contains '" + RedactUrl(origin) + "'",
          "Trusted origins get credentialed CORS and may make "
          "cookie-authenticated writes. gatehouse never matches wildcards, "
          "and 'null' is the origin of sandboxed frames and file:// pages, "
          "which any attacker can produce.",
          "List each app origin exactly: "
          "GATEHOUSE_TRUSTED_ORIGINS=https://app.example.com,"
          "https://admin.example.com");
    } else if (!ParseWebUrl(origin)) {
      run.findings.Add(
          Severity::kError, "trusted-origin-invalid", kSettingTrustedOrigins,
          "'" + RedactUrl(origin) +
              "' in GATEHOUSE_TRUSTED_ORIGINS is not an origin",
          "An origin is scheme://host[:port], e.g. https://app.example.com. "
          "This entry never matches a browser's Origin header, so that "
          "app's writes get 403 CSRF_REJECTED.",
          "GATEHOUSE_TRUSTED_ORIGINS=https://app.example.com (exact "
          "origins, comma-separated)");
    }
  }
}

}  // namespace gatehouse::checks
