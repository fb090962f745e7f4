#include "http/router.h"

#include <gtest/gtest.h>

namespace gatehouse {
namespace {

Response Ok200(const RequestContext&) {
  return Response{bhttp::status::ok, 11};
}

class RouterTest : public ::testing::Test {
 protected:
  RouterTest() {
    router_.Add(
        {bhttp::verb::get, "/api/v1/auth/sessions", Work::kStorage, Ok200});
    router_.Add({bhttp::verb::delete_, "/api/v1/auth/sessions/{id}",
                 Work::kStorage, Ok200});
    router_.Add({bhttp::verb::get, "/api/v1/auth/sessions/{id}", Work::kStorage,
                 Ok200});
  }
  Router router_;
};

TEST_F(RouterTest, MatchesExactPathsAndPlaceholders) {
  RouteMatch m =
      router_.Find(bhttp::verb::delete_, "/api/v1/auth/sessions/abc");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.params, std::vector<std::string>{"abc"});
  EXPECT_NE(router_.Find(bhttp::verb::get, "/api/v1/auth/sessions").route,
            nullptr);
}

TEST_F(RouterTest, UnknownPathIsNotFoundKnownPathWrongMethodIsNotAllowed) {
  RouteMatch missing = router_.Find(bhttp::verb::get, "/api/v1/auth/sessionsx");
  EXPECT_FALSE(missing.path_exists);
  RouteMatch wrong =
      router_.Find(bhttp::verb::post, "/api/v1/auth/sessions/abc");
  EXPECT_TRUE(wrong.path_exists);
  EXPECT_EQ(wrong.route, nullptr);
  EXPECT_EQ(wrong.allow, "DELETE, GET");
}

TEST_F(RouterTest, PlaceholdersNeverMatchEmptyOrSeveralSegments) {
  EXPECT_FALSE(
      router_.Find(bhttp::verb::get, "/api/v1/auth/sessions/").path_exists);
  EXPECT_FALSE(
      router_.Find(bhttp::verb::get, "/api/v1/auth/sessions/a/b").path_exists);
  EXPECT_FALSE(router_.Find(bhttp::verb::get, "").path_exists);
}

}  // namespace
}  // namespace gatehouse
