#include "http/json_body.h"

#include <gtest/gtest.h>

#include <string>

namespace gatehouse {
namespace {

namespace json = boost::json;

// The message of ParseJsonObject's error for `body`, or "" if it parsed.
std::string ErrorOf(std::string_view body) {
  auto parsed = ParseJsonObject(body);
  if (parsed.ok()) return "";
  EXPECT_EQ(parsed.error().code, ErrorCode::kValidationFailed);
  return parsed.error().message;
}

TEST(ParseJsonObjectTest, ReadsAnObject) {
  auto parsed = ParseJsonObject(
      R"({"email":"a@b.test","n":-1,"u":18446744073709551615,"d":1.5,)"
      R"("t":true,"z":null,"list":[1,{"x":"y"}],"o":{"k":"v"}})");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(json::value(*parsed),
            json::parse(R"({"email":"a@b.test","n":-1,)"
                        R"("u":18446744073709551615,"d":1.5,"t":true,)"
                        R"("z":null,"list":[1,{"x":"y"}],"o":{"k":"v"}})"));
  EXPECT_EQ(ErrorOf("{}"), "");
  EXPECT_EQ(ErrorOf(" {\"a\":1} \n"), "");
}

TEST(ParseJsonObjectTest, RejectsWhatIsNotOneJsonObject) {
  EXPECT_EQ(ErrorOf("{not json"), "body: must be valid JSON");
  EXPECT_EQ(ErrorOf(""), "body: must be valid JSON");
  EXPECT_EQ(ErrorOf(R"({"a":1} {"b":2})"), "body: must be valid JSON");
  EXPECT_EQ(ErrorOf(R"({"a":1,})"), "body: must be valid JSON");
  EXPECT_EQ(ErrorOf("[1,2]"), "body: must be a JSON object");
  EXPECT_EQ(ErrorOf(R"("text")"), "body: must be a JSON object");
  std::string deep = std::string(40, '[') + std::string(40, ']');
  EXPECT_EQ(ErrorOf(R"({"a":)" + deep + "}"), "body: must be valid JSON");
}

// A repeated key must not be read as its last value: one check that sees
// the first ("role":"user") and a later reader that sees the second
// ("role":"admin") would disagree about the same request.
TEST(ParseJsonObjectTest, DuplicateJsonKeyIsRejectedNamingTheField) {
  EXPECT_EQ(ErrorOf(R"({"role":"user","role":"admin"})"),
            "role: duplicate key");
  EXPECT_EQ(ErrorOf(R"({"email":"a@b.test","password":"x","email":"c"})"),
            "email: duplicate key");
  // Escapes do not make a key different.
  EXPECT_EQ(ErrorOf(R"({"role":"user","r\u006fle":"admin"})"),
            "role: duplicate key");
  // Nested objects count too, named by their path.
  EXPECT_EQ(ErrorOf(R"({"user":{"role":"user","role":"admin"}})"),
            "user.role: duplicate key");
  EXPECT_EQ(ErrorOf(R"({"items":[{"id":1},{"id":2,"id":3}]})"),
            "items.id: duplicate key");
}

TEST(ParseJsonObjectTest, SameKeyInDifferentObjectsIsFine) {
  EXPECT_EQ(ErrorOf(R"({"a":{"id":1},"b":{"id":2},"id":3})"), "");
  EXPECT_EQ(ErrorOf(R"({"list":[{"id":1},{"id":2}]})"), "");
  EXPECT_EQ(ErrorOf(R"({"role":"user","Role":"admin"})"), "")
      << "keys are case-sensitive";
}

TEST(IsJsonContentTypeTest, OnlyApplicationJsonWithAnyParameters) {
  for (const char* yes :
       {"application/json", "Application/JSON", "application/json;",
        "application/json; charset=utf-8", " application/json ;x=y"}) {
    EXPECT_TRUE(IsJsonContentType(yes)) << yes;
  }
  for (const char* no :
       {"", "text/plain", "application/x-www-form-urlencoded",
        "multipart/form-data", "text/json", "application/jsonp",
        "application/ld+json", "application/json-patch+json",
        "application /json", "application/json x"}) {
    EXPECT_FALSE(IsJsonContentType(no)) << no;
  }
}

}  // namespace
}  // namespace gatehouse
