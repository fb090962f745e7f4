#include "core/base64url.h"

#include <gtest/gtest.h>

#include <optional>
#include <random>
#include <string>
#include <string_view>

namespace gatehouse {
namespace {

// RFC 4648 §10 test vectors; the URL-safe alphabet only differs in
// characters 62 and 63, which these do not use.
TEST(Base64UrlTest, EncodesRfc4648VectorsWithoutPadding) {
  EXPECT_EQ(Base64UrlEncode(""), "");
  EXPECT_EQ(Base64UrlEncode("f"), "Zg");
  EXPECT_EQ(Base64UrlEncode("fo"), "Zm8");
  EXPECT_EQ(Base64UrlEncode("foo"), "Zm9v");
  EXPECT_EQ(Base64UrlEncode("foob"), "Zm9vYg");
  EXPECT_EQ(Base64UrlEncode("fooba"), "Zm9vYmE");
  EXPECT_EQ(Base64UrlEncode("foobar"), "Zm9vYmFy");
}

TEST(Base64UrlTest, DecodesRfc4648Vectors) {
  EXPECT_EQ(Base64UrlDecode(""), std::string());
  EXPECT_EQ(Base64UrlDecode("Zg"), "f");
  EXPECT_EQ(Base64UrlDecode("Zm8"), "fo");
  EXPECT_EQ(Base64UrlDecode("Zm9v"), "foo");
  EXPECT_EQ(Base64UrlDecode("Zm9vYg"), "foob");
  EXPECT_EQ(Base64UrlDecode("Zm9vYmE"), "fooba");
  EXPECT_EQ(Base64UrlDecode("Zm9vYmFy"), "foobar");
}

TEST(Base64UrlTest, UsesUrlSafeCharacters) {
  // Standard base64 of these bytes is "+/8=".
  const std::string bytes("\xfb\xff", 2);
  EXPECT_EQ(Base64UrlEncode(bytes), "-_8");
  EXPECT_EQ(Base64UrlDecode("-_8"), bytes);
}

TEST(Base64UrlTest, RoundTripsEveryByteValueAndLength) {
  std::string all;
  for (int b = 0; b < 256; ++b) all.push_back(static_cast<char>(b));
  for (size_t len = 0; len <= all.size(); ++len) {
    const std::string bytes = all.substr(all.size() - len);
    const std::string text = Base64UrlEncode(bytes);
    EXPECT_EQ(text.size(), (len * 4 + 2) / 3) << len;
    EXPECT_EQ(Base64UrlDecode(text), bytes) << len;
  }
}

TEST(Base64UrlTest, RejectsPadding) {
  EXPECT_EQ(Base64UrlDecode("Zg=="), std::nullopt);
  EXPECT_EQ(Base64UrlDecode("Zm8="), std::nullopt);
  EXPECT_EQ(Base64UrlDecode("Zg="), std::nullopt);
  EXPECT_EQ(Base64UrlDecode("===="), std::nullopt);
}

TEST(Base64UrlTest, RejectsCharactersOutsideTheAlphabet) {
  EXPECT_EQ(Base64UrlDecode("+/8"), std::nullopt);  // standard alphabet
  EXPECT_EQ(Base64UrlDecode("Zm9 v"), std::nullopt);
  EXPECT_EQ(Base64UrlDecode("Zm9v\n"), std::nullopt);
  EXPECT_EQ(Base64UrlDecode("Zm.v"), std::nullopt);
  EXPECT_EQ(Base64UrlDecode(std::string("Zm\0v", 4)), std::nullopt);
  EXPECT_EQ(Base64UrlDecode("Zm\xc3\xa9v"), std::nullopt);
}

TEST(Base64UrlTest, RejectsImpossibleLengths) {
  EXPECT_EQ(Base64UrlDecode("Z"), std::nullopt);
  EXPECT_EQ(Base64UrlDecode("Zm9vY"), std::nullopt);
  EXPECT_EQ(Base64UrlDecode("Zm9vYmFyZ"), std::nullopt);
}

TEST(Base64UrlTest, RejectsNonZeroUnusedBits) {
  // "Zg" is canonical for "f"; "Zh".."Zv" carry the same byte with junk in
  // the 4 unused bits.
  EXPECT_EQ(Base64UrlDecode("Zh"), std::nullopt);
  EXPECT_EQ(Base64UrlDecode("Zv"), std::nullopt);
  // "Zm8" is canonical for "fo"; "Zm9" sets one of the 2 unused bits.
  EXPECT_EQ(Base64UrlDecode("Zm9"), std::nullopt);
}

// Canonical form: whatever text decodes must be exactly what encoding the
// result gives back. Random texts over the alphabet plus a few strays.
TEST(Base64UrlTest, EveryAcceptedTextIsCanonical) {
  constexpr std::string_view kChars =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/.";
  std::mt19937 engine(7);
  int accepted = 0;
  for (int round = 0; round < 5000; ++round) {
    std::string text(engine() % 12, ' ');
    for (char& c : text) c = kChars[engine() % kChars.size()];
    const std::optional<std::string> bytes = Base64UrlDecode(text);
    if (!bytes) continue;
    ++accepted;
    EXPECT_EQ(Base64UrlEncode(*bytes), text);
  }
  EXPECT_GT(accepted, 100);  // the property was exercised
}

}  // namespace
}  // namespace gatehouse
