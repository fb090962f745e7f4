#include "http/handlers/account_handlers.h"

#include "http/account/account_assets.h"

namespace gatehouse {
namespace {

// Hex digits of the SHA-256 kept in an ETag: 128 bits tell versions of a
// few files apart with no chance of collision, in half the header bytes.
constexpr size_t kEtagHexDigits = 32;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

// If-None-Match (RFC 9110 §13.1.2): "*" or a comma-separated list of
// entity tags, compared weakly (a W/ prefix is ignored). The header may be
// repeated.
bool NoneMatchHits(const Request& req, std::string_view etag) {
  auto [begin, end] = req.equal_range(bhttp::field::if_none_match);
  for (auto it = begin; it != end; ++it) {
    std::string_view list = it->value();
    while (!list.empty()) {
      size_t comma = list.find(',');
      std::string_view tag = Trim(list.substr(0, comma));
      list = comma == std::string_view::npos ? "" : list.substr(comma + 1);
      if (tag == "*") return true;
      if (tag.starts_with("W/")) tag.remove_prefix(2);
      if (tag == etag) return true;
    }
  }
  return false;
}

}  // namespace

AccountHandlers::AccountHandlers(const Crypto& crypto)
    : AccountHandlers(crypto, AccountAssets()) {}

AccountHandlers::AccountHandlers(const Crypto& crypto,
                                 std::span<const EmbeddedFile> files)
    : page_(MakeAsset(crypto, files, "index.html", "text/html; charset=utf-8")),
      script_(
          MakeAsset(crypto, files, "app.js", "text/javascript; charset=utf-8")),
      style_(MakeAsset(crypto, files, "style.css", "text/css; charset=utf-8")) {
}

AccountHandlers::Asset AccountHandlers::MakeAsset(
    const Crypto& crypto, std::span<const EmbeddedFile> files,
    std::string_view name, std::string_view content_type) {
  const EmbeddedFile* file = FindEmbeddedFile(files, name);
  std::string_view bytes = file ? file->bytes : std::string_view();
  std::string digest = crypto.Sha256Hex(bytes).substr(0, kEtagHexDigits);
  return {bytes, content_type, "\"" + digest + "\""};
}

void AccountHandlers::RegisterRoutes(Router& router) {
  using bhttp::verb;
  router.Add({verb::get, kRouteAccount, Work::kInline,
              [this](const RequestContext& ctx) { return Page(ctx); }});
  router.Add({verb::get, kRouteAccountScript, Work::kInline,
              [this](const RequestContext& ctx) { return Script(ctx); }});
  router.Add({verb::get, kRouteAccountStyle, Work::kInline,
              [this](const RequestContext& ctx) { return Style(ctx); }});
}

Response AccountHandlers::Page(const RequestContext& ctx) const {
  return Serve(page_, ctx.request);
}

Response AccountHandlers::Script(const RequestContext& ctx) const {
  return Serve(script_, ctx.request);
}

Response AccountHandlers::Style(const RequestContext& ctx) const {
  return Serve(style_, ctx.request);
}

Response AccountHandlers::Serve(const Asset& asset, const Request& req) {
  bool not_modified = NoneMatchHits(req, asset.etag);
  Response res{not_modified ? bhttp::status::not_modified : bhttp::status::ok,
               11};
  res.set(bhttp::field::etag, asset.etag);
  res.set(bhttp::field::cache_control, kAccountCacheControl);
  res.set("Content-Security-Policy", kAccountContentSecurityPolicy);
  res.set("X-Frame-Options", "DENY");
  res.set("Referrer-Policy", "same-origin");
  if (!not_modified) {
    res.set(bhttp::field::content_type, asset.content_type);
    res.body() = std::string(asset.bytes);
  }
  return res;
}

}  // namespace gatehouse
