#include "service/key_manager.h"

#include <gtest/gtest.h>

#include "crypto/sodium_crypto.h"
#include "storage/sqlite/sqlite_store.h"
#include "testing/fake_clock.h"
#include "testing/seeded_random.h"
#include "testing/temp_dir.h"

namespace gatehouse {
namespace {

using std::chrono::minutes;

class KeyManagerTest : public ::testing::Test {
 protected:
  KeyManagerTest() : crypto_(PasswordHashParams::ForTesting()) {
    SqliteOptions options;
    options.path = (dir_.path() / "keys.db").string();
    store_ = std::move(SqliteStore::Open(options)).value();
    EXPECT_TRUE(store_->Up().ok());
  }

  KeySettings Sealed(char fill = 'k') {
    KeySettings s;
    s.master_key = std::string(32, fill);
    return s;
  }

  std::unique_ptr<AccessTokens> NewTokens() {
    return std::make_unique<AccessTokens>(
        crypto_, clock_, random_,
        AccessTokenSettings{"https://api.example.test", "gatehouse",
                            minutes(15)});
  }

  std::vector<SigningKey> StoredKeys() {
    std::vector<SigningKey> keys;
    EXPECT_TRUE(store_
                    ->Run(TxMode::kRead,
                          [&](Tx& tx) -> Status {
                            GH_ASSIGN_OR_RETURN(keys, tx.ListSigningKeys());
                            return Ok();
                          })
                    .ok());
    return keys;
  }

  testkit::TempDir dir_;
  testkit::FakeClock clock_;
  testkit::SeededRandom random_;
  SodiumCrypto crypto_;
  std::unique_ptr<SqliteStore> store_;
};

TEST_F(KeyManagerTest, FirstStartCreatesOneKeyThatEveryInstanceShares) {
  auto tokens_a = NewTokens();
  KeyManager a(*store_, crypto_, clock_, random_, Sealed());
  ASSERT_TRUE(a.LoadInto(*tokens_a).ok());
  auto tokens_b = NewTokens();
  KeyManager b(*store_, crypto_, clock_, random_, Sealed());
  ASSERT_TRUE(b.LoadInto(*tokens_b).ok());
  ASSERT_EQ(StoredKeys().size(), 1u);
  ASSERT_EQ(a.published_keys().size(), 1u);
  EXPECT_EQ(a.published_keys()[0].kid, b.published_keys()[0].kid);
  auto token = tokens_a->Issue("user", "session", "user");
  ASSERT_TRUE(token.ok());
  EXPECT_TRUE(tokens_b->Verify(token->token).ok())
      << "instance B verifies A's token";
}

TEST_F(KeyManagerTest, PrivateKeysAreSealedUnderTheMasterKey) {
  auto tokens = NewTokens();
  KeyManager keys(*store_, crypto_, clock_, random_, Sealed('k'));
  ASSERT_TRUE(keys.LoadInto(*tokens).ok());
  EXPECT_EQ(StoredKeys()[0].sealed_private_key.rfind("sealed:", 0), 0u);

  KeyManager wrong(*store_, crypto_, clock_, random_, Sealed('x'));
  Status s = wrong.LoadInto(*NewTokens());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("GATEHOUSE_MASTER_KEY"), std::string::npos);
  KeyManager none(*store_, crypto_, clock_, random_, KeySettings{});
  EXPECT_FALSE(none.LoadInto(*NewTokens()).ok());
}

TEST_F(KeyManagerTest, RotationKeepsOldKeysUntilTheirLastTokenExpired) {
  auto tokens = NewTokens();
  KeyManager keys(*store_, crypto_, clock_, random_, Sealed());
  ASSERT_TRUE(keys.LoadInto(*tokens).ok());
  auto old_token = tokens->Issue("user", "session", "user");
  ASSERT_TRUE(old_token.ok());
  auto new_kid = keys.Rotate();
  ASSERT_TRUE(new_kid.ok());
  ASSERT_TRUE(keys.LoadInto(*tokens).ok());
  EXPECT_EQ(keys.published_keys().size(), 2u);
  EXPECT_TRUE(tokens->Verify(old_token->token).ok());
  auto new_token = tokens->Issue("user", "session", "user");
  ASSERT_TRUE(new_token.ok());
  EXPECT_NE(new_token->token.find('.'), std::string::npos);

  clock_.Advance(minutes(15));
  ASSERT_TRUE(keys.LoadInto(*tokens).ok());
  ASSERT_EQ(keys.published_keys().size(), 1u);
  EXPECT_EQ(keys.published_keys()[0].kid, *new_kid);
}

TEST_F(KeyManagerTest, RefreshSecretIsCreatedOnceAndShared) {
  KeyManager a(*store_, crypto_, clock_, random_, Sealed());
  KeyManager b(*store_, crypto_, clock_, random_, Sealed());
  auto secret_a = a.LoadRefreshSecret();
  auto secret_b = b.LoadRefreshSecret();
  ASSERT_TRUE(secret_a.ok());
  ASSERT_TRUE(secret_b.ok());
  EXPECT_EQ(*secret_a, *secret_b);
  EXPECT_EQ(secret_a->size(), 32u);
}

TEST_F(KeyManagerTest, Hs256PublishesNothingAndCreatesNoKeys) {
  KeySettings s;
  s.alg = kAlgHS256;
  s.hs256_secret = std::string(32, 'h');
  auto tokens = NewTokens();
  KeyManager keys(*store_, crypto_, clock_, random_, s);
  ASSERT_TRUE(keys.LoadInto(*tokens).ok());
  EXPECT_TRUE(keys.published_keys().empty());
  EXPECT_TRUE(StoredKeys().empty());
  auto token = tokens->Issue("user", "session", "user");
  ASSERT_TRUE(token.ok());
  EXPECT_TRUE(tokens->Verify(token->token).ok());
}

}  // namespace
}  // namespace gatehouse
