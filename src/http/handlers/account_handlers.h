// The account page (SPEC §2, §3): a signed-in user's profile, devices and
// password, in plain HTML, CSS and one script that speak the auth API.
// The files are embedded in the binary (http/account/account_assets.h);
// this serves them with strict security headers and cheap revalidation.
#ifndef GATEHOUSE_HTTP_HANDLERS_ACCOUNT_HANDLERS_H_
#define GATEHOUSE_HTTP_HANDLERS_ACCOUNT_HANDLERS_H_

#include <span>
#include <string>
#include <string_view>

#include "crypto/crypto.h"
#include "http/account/embedded_file.h"
#include "http/router.h"

namespace gatehouse {

inline constexpr char kRouteAccount[] = "/account";
inline constexpr char kRouteAccountScript[] = "/account/app.js";
inline constexpr char kRouteAccountStyle[] = "/account/style.css";

// Everything the page loads is its own script, style sheet and API calls,
// all same-origin: no inline code, no other origin, no framing (against
// clickjacking of "Sign out everywhere"), forms post nowhere else.
inline constexpr char kAccountContentSecurityPolicy[] =
    "default-src 'none'; script-src 'self'; style-src 'self'; "
    "connect-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'";

// Browsers revalidate every time (a new binary may serve a new page) and
// get 304 while the ETag matches, so an upgrade is never half-applied.
inline constexpr char kAccountCacheControl[] = "no-cache";

class AccountHandlers {
 public:
  // Serves the embedded page. Hashes each file once, here, for its ETag.
  // `files` must hold index.html, app.js and style.css and outlive this;
  // a missing one is served empty (the unit test guards the real list).
  explicit AccountHandlers(const Crypto& crypto);
  AccountHandlers(const Crypto& crypto, std::span<const EmbeddedFile> files);

  // Adds the page's routes (all Work::kInline: memory only) to `router`.
  // `this` must outlive it.
  void RegisterRoutes(Router& router);

  // 200 with the file, or 304 when If-None-Match names its ETag.
  // Thread-safe: reads state that is constant after construction.
  Response Page(const RequestContext& ctx) const;
  Response Script(const RequestContext& ctx) const;
  Response Style(const RequestContext& ctx) const;

 private:
  struct Asset {
    std::string_view bytes;
    std::string_view content_type;
    std::string etag;  // strong: "<128 bits of SHA-256 in hex>"
  };

  static Asset MakeAsset(const Crypto& crypto,
                         std::span<const EmbeddedFile> files,
                         std::string_view name, std::string_view content_type);
  static Response Serve(const Asset& asset, const Request& req);

  // Constant after construction.
  Asset page_;
  Asset script_;
  Asset style_;
};

}  // namespace gatehouse

#endif  // GATEHOUSE_HTTP_HANDLERS_ACCOUNT_HANDLERS_H_
