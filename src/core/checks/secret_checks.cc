// Secrets, seen only as set or not and their length (F7: the internal
// secret), the master key, and the trusted proxies.
#include <string>

#include "core/checks/deployment_checks_internal.h"

namespace gatehouse::checks {

void CheckSecrets(CheckRun& run) {
  if (!run.facts.app_urls.empty() && !run.facts.internal_secret.set) {
    run.findings.Add(
        run.facts.dev ? Severity::kNote : Severity::kWarning,
        "internal-secret-missing", kSettingInternalSecret,
        "No internal secret for the app's server-side calls",
        "The app's own server (Next.js middleware, server rendering, an "
        "API route) calls gatehouse with the user's cookies but without a "
        "browser's Origin: without the X-Internal-Secret header its writes "
        "(a refresh from middleware) get 403 CSRF_REJECTED, and a CDN or "
        "WAF bot challenge in front of the API may block it (F7). Apps "
        "that call the API only from the browser need no secret.",
        std::string("GATEHOUSE_INTERNAL_SECRET=") + kNewSecret +
            ", the same value in the app server's environment (sent as "
            "X-Internal-Secret), and a WAF rule that lets requests "
            "carrying it through");
  } else if (run.facts.internal_secret.set &&
             run.facts.internal_secret.bytes < kMinSecretBytes) {
    run.findings.Add(
        run.Production(), "internal-secret-too-short", kSettingInternalSecret,
        "GATEHOUSE_INTERNAL_SECRET is " +
            std::to_string(run.facts.internal_secret.bytes) +
            " bytes, shorter than " + std::to_string(kMinSecretBytes),
        "A request carrying it skips the CSRF check and passes the WAF "
        "rule: a short secret can be guessed.",
        std::string("GATEHOUSE_INTERNAL_SECRET=") + kNewSecret +
            " (64 characters)");
  }
  if (run.facts.jwt_alg != "EdDSA" && run.facts.jwt_alg != "HS256") {
    run.findings.Add(
        Severity::kError, "jwt-alg-unknown", kSettingJwtAlg,
        "GATEHOUSE_JWT_ALG '" + run.facts.jwt_alg + "' is not EdDSA or HS256",
        "gatehouse signs access tokens with EdDSA (Ed25519, published in "
        "the JWKS) or, for existing verifiers, HS256 with a shared secret; "
        "nothing else.",
        "GATEHOUSE_JWT_ALG=EdDSA (the default)");
  } else if (run.facts.jwt_alg == "HS256" &&
             run.facts.jwt_secret.bytes < kMinSecretBytes) {
    run.findings.Add(
        Severity::kError, "jwt-secret-too-short", kSettingJwtSecret,
        run.facts.jwt_secret.set
            ? "GATEHOUSE_JWT_SECRET is " +
                  std::to_string(run.facts.jwt_secret.bytes) +
                  " bytes, shorter than " + std::to_string(kMinSecretBytes)
            : "HS256 without GATEHOUSE_JWT_SECRET",
        "With HS256 anyone who knows or guesses the secret can mint access "
        "tokens for any user; below 256 bits it can be brute-forced "
        "offline from a single token.",
        std::string("GATEHOUSE_JWT_SECRET=") + kNewSecret +
            ", or GATEHOUSE_JWT_ALG=EdDSA (no shared secret at all)");
  }
  if (run.facts.master_key == MasterKeyShape::kMalformed) {
    run.findings.Add(Severity::kError, "master-key-malformed",
                     kSettingMasterKey, "GATEHOUSE_MASTER_KEY is malformed",
                     run.facts.master_key_problem.empty()
                         ? "It must be 32 bytes written as 64 hex characters."
                         : run.facts.master_key_problem,
                     std::string("GATEHOUSE_MASTER_KEY=") + kNewSecret);
  } else if (run.facts.master_key == MasterKeyShape::kUnset) {
    run.findings.Add(
        run.Production(), "master-key-missing", kSettingMasterKey,
        "GATEHOUSE_MASTER_KEY is not set",
        "It encrypts the signing keys at rest: without it, anyone who "
        "reads the database or a backup can sign access tokens for any "
        "user.",
        std::string("GATEHOUSE_MASTER_KEY=") + kNewSecret +
            " (keep it out of the database's backups)");
  }
  if (!run.facts.trusted_proxies_problem.empty()) {
    run.findings.Add(
        Severity::kError, "trusted-proxies-invalid", kSettingTrustedProxies,
        "GATEHOUSE_TRUSTED_PROXIES: " + run.facts.trusted_proxies_problem,
        "gatehouse believes X-Forwarded-For only from these peers; the "
        "client IP it yields decides the sign-in rate limits and is what "
        "the devices list shows.",
        "GATEHOUSE_TRUSTED_PROXIES=10.0.0.0/8 (addresses or networks of "
        "your proxies, comma-separated)");
  }
}

}  // namespace gatehouse::checks
