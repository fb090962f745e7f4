#include "http/handlers/account_handlers.h"

#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "crypto/sodium_crypto.h"
#include "http/account/account_assets.h"

namespace gatehouse {
namespace {

class AccountHandlersTest : public ::testing::Test {
 protected:
  AccountHandlersTest() : crypto_(PasswordHashParams::ForTesting()) {
    handlers_.RegisterRoutes(router_);
  }

  // GET `path` through the router, as the dispatcher would.
  Response Get(std::string_view path, std::string_view if_none_match = "") {
    request_ = Request{bhttp::verb::get, path, 11};
    if (!if_none_match.empty()) {
      request_.set(bhttp::field::if_none_match, if_none_match);
    }
    RouteMatch match = router_.Find(bhttp::verb::get, path);
    EXPECT_NE(match.route, nullptr) << path;
    if (match.route == nullptr) return Response{bhttp::status::not_found, 11};
    EXPECT_EQ(match.route->work, Work::kInline) << path;
    RequestContext ctx{request_, path, {}, "127.0.0.1"};
    return match.route->handler(ctx);
  }

  static std::string Embedded(std::string_view name) {
    const EmbeddedFile* file = FindEmbeddedFile(AccountAssets(), name);
    EXPECT_NE(file, nullptr) << name;
    return file ? std::string(file->bytes) : "";
  }

  SodiumCrypto crypto_;
  AccountHandlers handlers_{crypto_};
  Router router_;
  Request request_;
};

TEST_F(AccountHandlersTest, ServesEachFileWithItsContentType) {
  struct Case {
    const char* path;
    const char* file;
    const char* type;
  };
  for (const Case& c :
       {Case{kRouteAccount, "index.html", "text/html; charset=utf-8"},
        Case{kRouteAccountScript, "app.js", "text/javascript; charset=utf-8"},
        Case{kRouteAccountStyle, "style.css", "text/css; charset=utf-8"}}) {
    Response res = Get(c.path);
    EXPECT_EQ(res.result(), bhttp::status::ok) << c.path;
    EXPECT_EQ(res[bhttp::field::content_type], c.type) << c.path;
    EXPECT_FALSE(res.body().empty()) << c.path;
    EXPECT_EQ(res.body(), Embedded(c.file)) << c.path;
  }
}

TEST_F(AccountHandlersTest, EmbedsTheFilesWhole) {
  std::string html = Embedded("index.html");
  EXPECT_TRUE(html.starts_with("<!doctype html>")) << html.substr(0, 40);
  EXPECT_TRUE(html.ends_with("</html>\n"));
  EXPECT_NE(Embedded("app.js").find("'use strict';"), std::string::npos);
  EXPECT_EQ(AccountAssets().size(), 3u);
}

TEST_F(AccountHandlersTest, EveryFileCarriesTheSecurityHeaders) {
  for (const char* path :
       {kRouteAccount, kRouteAccountScript, kRouteAccountStyle}) {
    Response res = Get(path);
    EXPECT_EQ(res["Content-Security-Policy"], kAccountContentSecurityPolicy)
        << path;
    EXPECT_EQ(res["X-Frame-Options"], "DENY") << path;
    EXPECT_EQ(res["Referrer-Policy"], "same-origin") << path;
    EXPECT_EQ(res[bhttp::field::cache_control], "no-cache") << path;
  }
}

TEST_F(AccountHandlersTest, PolicyAllowsOnlyTheSameOriginAndNoInlineCode) {
  std::string csp = kAccountContentSecurityPolicy;
  EXPECT_NE(csp.find("default-src 'none'"), std::string::npos);
  EXPECT_NE(csp.find("script-src 'self'"), std::string::npos);
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos);
  EXPECT_EQ(csp.find("unsafe-eval"), std::string::npos);
  EXPECT_EQ(csp.find("http"), std::string::npos) << "no other origin";
}

// The policy forbids inline script and style: the page must not need them,
// or it would break in the browser with nothing failing here.
TEST_F(AccountHandlersTest, PageHasNoInlineScriptOrStyle) {
  std::string html = Embedded("index.html");
  std::smatch m;
  EXPECT_FALSE(std::regex_search(html, m, std::regex("<style")));
  EXPECT_FALSE(std::regex_search(html, m, std::regex(R"(\sstyle\s*=)")));
  EXPECT_FALSE(std::regex_search(html, m, std::regex(R"(\son[a-z]+\s*=)")))
      << m.str();
  EXPECT_FALSE(std::regex_search(html, m, std::regex("javascript:")));
  // Every script is an external file of ours.
  std::regex script(R"(<script\b([^>]*)>([^<]*)</script>)");
  int scripts = 0;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), script);
       it != std::sregex_iterator(); ++it, ++scripts) {
    EXPECT_NE((*it)[1].str().find("src=\"/account/"), std::string::npos)
        << it->str();
    EXPECT_EQ((*it)[2].str(), "") << it->str();
  }
  EXPECT_EQ(scripts, 1);
  EXPECT_NE(html.find(R"(href="/account/style.css")"), std::string::npos);
}

TEST_F(AccountHandlersTest, EtagIsAQuotedHashOfTheContent) {
  Response page = Get(kRouteAccount);
  Response script = Get(kRouteAccountScript);
  std::string etag(page[bhttp::field::etag]);
  EXPECT_TRUE(std::regex_match(etag, std::regex(R"("[0-9a-f]{32}")"))) << etag;
  std::string digest = crypto_.Sha256Hex(Embedded("index.html"));
  EXPECT_EQ(etag.substr(1, 32), digest.substr(0, 32));
  EXPECT_NE(etag, std::string(script[bhttp::field::etag]));

  // Same bytes, same tag, in any process; other bytes, another tag.
  constexpr EmbeddedFile kV1[] = {{"index.html", "v1"}};
  constexpr EmbeddedFile kV2[] = {{"index.html", "v2"}};
  AccountHandlers a(crypto_, kV1), b(crypto_, kV1), c(crypto_, kV2);
  Request req{bhttp::verb::get, kRouteAccount, 11};
  RequestContext ctx{req, kRouteAccount, {}, "127.0.0.1"};
  EXPECT_EQ(a.Page(ctx)[bhttp::field::etag], b.Page(ctx)[bhttp::field::etag]);
  EXPECT_NE(a.Page(ctx)[bhttp::field::etag], c.Page(ctx)[bhttp::field::etag]);
  EXPECT_EQ(c.Page(ctx).body(), "v2");
}

TEST_F(AccountHandlersTest, MatchingIfNoneMatchGets304WithHeadersAndNoBody) {
  for (const char* path :
       {kRouteAccount, kRouteAccountScript, kRouteAccountStyle}) {
    std::string etag(Get(path)[bhttp::field::etag]);
    Response res = Get(path, etag);
    EXPECT_EQ(res.result(), bhttp::status::not_modified) << path;
    EXPECT_TRUE(res.body().empty()) << path;
    EXPECT_EQ(res[bhttp::field::etag], etag) << path;
    EXPECT_EQ(res[bhttp::field::cache_control], "no-cache") << path;
    EXPECT_EQ(res["Content-Security-Policy"], kAccountContentSecurityPolicy)
        << path;
  }
}

TEST_F(AccountHandlersTest, IfNoneMatchFormsOfRfc9110) {
  std::string etag(Get(kRouteAccount)[bhttp::field::etag]);
  EXPECT_EQ(Get(kRouteAccount, "W/" + etag).result(),
            bhttp::status::not_modified);
  EXPECT_EQ(Get(kRouteAccount, "\"old\", " + etag).result(),
            bhttp::status::not_modified);
  EXPECT_EQ(Get(kRouteAccount, "\"old\" ,\t" + etag + " ").result(),
            bhttp::status::not_modified);
  EXPECT_EQ(Get(kRouteAccount, "*").result(), bhttp::status::not_modified);

  EXPECT_EQ(Get(kRouteAccount, "\"old\"").result(), bhttp::status::ok);
  EXPECT_EQ(Get(kRouteAccount, etag.substr(1, 32)).result(), bhttp::status::ok)
      << "an unquoted tag is not the tag";
  EXPECT_EQ(Get(kRouteAccount, ",").result(), bhttp::status::ok);
}

TEST_F(AccountHandlersTest, RepeatedIfNoneMatchHeadersAreAllConsidered) {
  std::string etag(Get(kRouteAccount)[bhttp::field::etag]);
  Request req{bhttp::verb::get, kRouteAccount, 11};
  req.insert(bhttp::field::if_none_match, "\"old\"");
  req.insert(bhttp::field::if_none_match, etag);
  RequestContext ctx{req, kRouteAccount, {}, "127.0.0.1"};
  EXPECT_EQ(handlers_.Page(ctx).result(), bhttp::status::not_modified);
}

TEST_F(AccountHandlersTest, OnlyGetIsRouted) {
  RouteMatch post = router_.Find(bhttp::verb::post, kRouteAccount);
  EXPECT_TRUE(post.path_exists);
  EXPECT_EQ(post.route, nullptr);
  EXPECT_FALSE(
      router_.Find(bhttp::verb::get, "/account/index.html").path_exists);
  EXPECT_FALSE(router_.Find(bhttp::verb::get, "/account/").path_exists);
}

}  // namespace
}  // namespace gatehouse
