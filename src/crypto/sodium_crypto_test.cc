#include "crypto/sodium_crypto.h"

#include <gtest/gtest.h>

#include <array>
#include <string>
#include <vector>

namespace gatehouse {
namespace {

Bytes FromHex(std::string_view hex) {
  Bytes out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(
        std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

std::string ToHex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (const char c : bytes) {
    out.push_back(kDigits[static_cast<unsigned char>(c) >> 4]);
    out.push_back(kDigits[static_cast<unsigned char>(c) & 0x0F]);
  }
  return out;
}

Bytes FlipBit(Bytes bytes, size_t index, int bit = 0) {
  bytes[index] = static_cast<char>(bytes[index] ^ (1 << bit));
  return bytes;
}

class SodiumCryptoTest : public ::testing::Test {
 protected:
  SodiumCrypto crypto_{PasswordHashParams::ForTesting()};
};

// FIPS 180-2 / NIST example values.
TEST_F(SodiumCryptoTest, Sha256HexMatchesKnownAnswers) {
  EXPECT_EQ(crypto_.Sha256Hex(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(crypto_.Sha256Hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_NE(crypto_.Sha256Hex(std::string("a\0b", 3)), crypto_.Sha256Hex("a"));
}

// RFC 4231 test cases 1, 2 and 6 (short key, ASCII key, key longer than
// the 64-byte block).
TEST_F(SodiumCryptoTest, HmacSha256MatchesRfc4231) {
  EXPECT_EQ(ToHex(crypto_.HmacSha256(Bytes(20, '\x0b'), "Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  EXPECT_EQ(ToHex(crypto_.HmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(ToHex(crypto_.HmacSha256(
                Bytes(131, '\xaa'),
                "Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST_F(SodiumCryptoTest, HmacSha256AcceptsEmptyKeyAndMessage) {
  EXPECT_EQ(ToHex(crypto_.HmacSha256("", "")),
            "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

TEST_F(SodiumCryptoTest, ConstantTimeEqualsComparesContentAndLength) {
  EXPECT_TRUE(crypto_.ConstantTimeEquals("", ""));
  EXPECT_TRUE(crypto_.ConstantTimeEquals("secret", "secret"));
  EXPECT_TRUE(crypto_.ConstantTimeEquals(std::string("a\0b", 3),
                                         std::string("a\0b", 3)));
  EXPECT_FALSE(crypto_.ConstantTimeEquals("secret", "secreT"));
  EXPECT_FALSE(crypto_.ConstantTimeEquals("secret", "Secret"));
  EXPECT_FALSE(crypto_.ConstantTimeEquals(std::string("a\0b", 3),
                                          std::string("a\0c", 3)));
}

TEST_F(SodiumCryptoTest, ConstantTimeEqualsIsFalseOnDifferentLengths) {
  EXPECT_FALSE(crypto_.ConstantTimeEquals("secret", "secret2"));
  EXPECT_FALSE(crypto_.ConstantTimeEquals("secret2", "secret"));
  EXPECT_FALSE(crypto_.ConstantTimeEquals("", "x"));
  EXPECT_FALSE(crypto_.ConstantTimeEquals("x", ""));
  // A prefix followed by NULs must not compare equal either.
  EXPECT_FALSE(crypto_.ConstantTimeEquals("ab", std::string("ab\0", 3)));
}

// RFC 8032 §7.1 TEST 2.
TEST_F(SodiumCryptoTest, Ed25519MatchesRfc8032) {
  const Bytes seed = FromHex(
      "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb");
  const Bytes public_key = FromHex(
      "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c");
  const Bytes secret_key = seed + public_key;  // libsodium's 64-byte form
  const Bytes message = FromHex("72");
  const Bytes signature = crypto_.SignEd25519(secret_key, message);
  EXPECT_EQ(ToHex(signature),
            "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
            "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00");
  EXPECT_TRUE(crypto_.VerifyEd25519(public_key, message, signature));
}

TEST_F(SodiumCryptoTest, Ed25519GeneratedKeysSignAndVerify) {
  const Ed25519KeyPair pair = crypto_.GenerateEd25519();
  ASSERT_EQ(pair.public_key.size(), 32u);
  ASSERT_EQ(pair.secret_key.size(), 64u);
  EXPECT_EQ(pair.secret_key.substr(32), pair.public_key);
  EXPECT_NE(crypto_.GenerateEd25519().public_key, pair.public_key);

  const Bytes signature = crypto_.SignEd25519(pair.secret_key, "message");
  ASSERT_EQ(signature.size(), 64u);
  EXPECT_TRUE(crypto_.VerifyEd25519(pair.public_key, "message", signature));
}

TEST_F(SodiumCryptoTest, Ed25519VerifyFailsOnAnyFlippedBit) {
  const Ed25519KeyPair pair = crypto_.GenerateEd25519();
  const Bytes message = "header.claims";
  const Bytes signature = crypto_.SignEd25519(pair.secret_key, message);
  for (size_t i = 0; i < signature.size(); ++i) {
    EXPECT_FALSE(crypto_.VerifyEd25519(pair.public_key, message,
                                       FlipBit(signature, i, i % 8)))
        << "signature byte " << i;
  }
  for (size_t i = 0; i < message.size(); ++i) {
    EXPECT_FALSE(
        crypto_.VerifyEd25519(pair.public_key, FlipBit(message, i), signature))
        << "message byte " << i;
  }
  EXPECT_FALSE(
      crypto_.VerifyEd25519(FlipBit(pair.public_key, 0), message, signature));
}

TEST_F(SodiumCryptoTest, Ed25519RejectsWrongKeyAndSizes) {
  const Ed25519KeyPair pair = crypto_.GenerateEd25519();
  const Ed25519KeyPair other = crypto_.GenerateEd25519();
  const Bytes signature = crypto_.SignEd25519(pair.secret_key, "m");
  EXPECT_FALSE(crypto_.VerifyEd25519(other.public_key, "m", signature));
  EXPECT_FALSE(
      crypto_.VerifyEd25519(pair.public_key.substr(1), "m", signature));
  EXPECT_FALSE(crypto_.VerifyEd25519(pair.public_key, "m", signature + "x"));
  EXPECT_FALSE(crypto_.VerifyEd25519(pair.public_key, "m", ""));
  // A secret key of the wrong size signs nothing.
  EXPECT_EQ(crypto_.SignEd25519(pair.secret_key.substr(0, 32), "m"), "");
}

TEST_F(SodiumCryptoTest, PasswordHashIsArgon2idAndVerifies) {
  Result<std::string> hash = crypto_.HashPassword("correct horse");
  ASSERT_TRUE(hash.ok()) << hash.error().message;
  EXPECT_EQ(hash->rfind("$argon2id$v=19$m=8,t=1,p=1$", 0), 0u) << *hash;
  EXPECT_TRUE(crypto_.VerifyPassword(*hash, "correct horse"));
  EXPECT_FALSE(crypto_.VerifyPassword(*hash, "correct horse "));
  EXPECT_FALSE(crypto_.VerifyPassword(*hash, "Correct horse"));
  EXPECT_FALSE(crypto_.VerifyPassword(*hash, ""));
  // A random salt per hash: equal passwords give different hashes.
  Result<std::string> again = crypto_.HashPassword("correct horse");
  ASSERT_TRUE(again.ok());
  EXPECT_NE(*again, *hash);
}

TEST_F(SodiumCryptoTest, PasswordHandlesEmptyAndBinaryPasswords) {
  Result<std::string> empty = crypto_.HashPassword("");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(crypto_.VerifyPassword(*empty, ""));
  EXPECT_FALSE(crypto_.VerifyPassword(*empty, "x"));

  const std::string binary("a\0b", 3);
  Result<std::string> with_nul = crypto_.HashPassword(binary);
  ASSERT_TRUE(with_nul.ok());
  EXPECT_TRUE(crypto_.VerifyPassword(*with_nul, binary));
  EXPECT_FALSE(crypto_.VerifyPassword(*with_nul, "a"));
}

TEST_F(SodiumCryptoTest, VerifyPasswordIsFalseOnGarbageHashes) {
  Result<std::string> hash = crypto_.HashPassword("pw");
  ASSERT_TRUE(hash.ok());
  EXPECT_FALSE(crypto_.VerifyPassword("", "pw"));
  EXPECT_FALSE(crypto_.VerifyPassword("garbage", "pw"));
  EXPECT_FALSE(crypto_.VerifyPassword("$argon2id$", "pw"));
  EXPECT_FALSE(crypto_.VerifyPassword(hash->substr(0, hash->size() - 5), "pw"));
  EXPECT_FALSE(crypto_.VerifyPassword(*hash + std::string(1, '\0'), "pw"));
  EXPECT_FALSE(crypto_.VerifyPassword(std::string(1000, '$'), "pw"));
  // bcrypt and plain SHA-256 are not argon2.
  EXPECT_FALSE(crypto_.VerifyPassword(
      "$2b$12$KIXQJbH1uQ0u0S0m0R9YUeQxX3fN0yJ3g1bKqJ6pQ0g0bH1uQ0u0S", "pw"));
  EXPECT_FALSE(crypto_.VerifyPassword(crypto_.Sha256Hex("pw"), "pw"));
}

TEST_F(SodiumCryptoTest, OwaspParamsAreTheCheatSheetMinimum) {
  const PasswordHashParams owasp = PasswordHashParams::Owasp();
  EXPECT_EQ(owasp.ops_limit, 2u);
  EXPECT_EQ(owasp.mem_limit, 19456u * 1024u);
  // And they reach libsodium unchanged (one real hash: ~tens of ms).
  const SodiumCrypto production(owasp);
  Result<std::string> hash = production.HashPassword("pw");
  ASSERT_TRUE(hash.ok()) << hash.error().message;
  EXPECT_EQ(hash->rfind("$argon2id$v=19$m=19456,t=2,p=1$", 0), 0u) << *hash;
  EXPECT_TRUE(crypto_.VerifyPassword(*hash, "pw"));  // params come from hash
}

TEST_F(SodiumCryptoTest, HashPasswordFailsOnOutOfRangeParams) {
  const SodiumCrypto broken(PasswordHashParams{0, 0});
  Result<std::string> hash = broken.HashPassword("pw");
  ASSERT_FALSE(hash.ok());
  EXPECT_EQ(hash.error().code, ErrorCode::kInternal);
}

class SealTest : public SodiumCryptoTest {
 protected:
  const Bytes key_ = Bytes(32, 'k');
};

TEST_F(SealTest, RoundTripsWithARandomNoncePrepended) {
  const Bytes sealed = crypto_.Seal(key_, "ed25519 secret");
  EXPECT_EQ(sealed.size(), 24u + 16u + 14u);
  Result<Bytes> opened = crypto_.Open(key_, sealed);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  EXPECT_EQ(*opened, "ed25519 secret");
  // Same key, same plaintext, fresh nonce: a different sealed text.
  EXPECT_NE(crypto_.Seal(key_, "ed25519 secret"), sealed);
}

TEST_F(SealTest, RoundTripsEmptyAndBinaryPlaintext) {
  Result<Bytes> empty = crypto_.Open(key_, crypto_.Seal(key_, ""));
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(*empty, "");
  const Bytes binary("\0\xff\0", 3);
  Result<Bytes> opened = crypto_.Open(key_, crypto_.Seal(key_, binary));
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, binary);
}

TEST_F(SealTest, OpenFailsWithTheWrongKey) {
  const Bytes sealed = crypto_.Seal(key_, "secret");
  Result<Bytes> opened = crypto_.Open(Bytes(32, 'K'), sealed);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, ErrorCode::kInternal);
}

TEST_F(SealTest, OpenFailsOnAnyTamperedByte) {
  const Bytes sealed = crypto_.Seal(key_, "secret");
  // Nonce, MAC and ciphertext bytes alike.
  for (size_t i = 0; i < sealed.size(); ++i) {
    EXPECT_FALSE(crypto_.Open(key_, FlipBit(sealed, i)).ok()) << i;
  }
  EXPECT_FALSE(crypto_.Open(key_, sealed.substr(0, sealed.size() - 1)).ok());
  EXPECT_FALSE(crypto_.Open(key_, sealed + "x").ok());
  EXPECT_FALSE(crypto_.Open(key_, sealed.substr(0, 39)).ok());
  EXPECT_FALSE(crypto_.Open(key_, "").ok());
}

TEST_F(SealTest, RejectsKeysThatAreNot32Bytes) {
  EXPECT_EQ(crypto_.Seal(Bytes(31, 'k'), "secret"), "");
  const Bytes sealed = crypto_.Seal(key_, "secret");
  EXPECT_FALSE(crypto_.Open(Bytes(31, 'k'), sealed).ok());
  EXPECT_FALSE(crypto_.Open(key_ + "k", sealed).ok());
}

TEST(SodiumRandomTest, FillsWithFreshBytes) {
  SodiumRandom random;
  std::array<uint8_t, 32> a{};
  std::array<uint8_t, 32> b{};
  random.Fill(a);
  random.Fill(b);
  EXPECT_NE(a, (std::array<uint8_t, 32>{}));
  EXPECT_NE(a, b);
  random.Fill(std::span<uint8_t>());  // empty is a no-op
}

}  // namespace
}  // namespace gatehouse
