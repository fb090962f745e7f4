// SodiumCrypto and SodiumRandom: the libsodium implementations of the
// crypto.h and core/random.h ports. app/ wires them; nothing else names
// them, so libsodium stays out of core/ and service/.
#ifndef GATEHOUSE_CRYPTO_SODIUM_CRYPTO_H_
#define GATEHOUSE_CRYPTO_SODIUM_CRYPTO_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "core/random.h"
#include "core/result.h"
#include "crypto/crypto.h"

namespace gatehouse {

// argon2id cost for HashPassword. libsodium's argon2id always runs with
// parallelism p = 1. Hashes record their own parameters, so changing these
// affects new hashes only; existing ones still verify.
struct PasswordHashParams {
  unsigned long long ops_limit;  // argon2 t: passes over memory
  size_t mem_limit;              // bytes

  // The OWASP Password Storage Cheat Sheet's minimum argon2id setting:
  // m = 19 MiB (19456 KiB), t = 2, p = 1.
  // https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html#argon2id
  static PasswordHashParams Owasp();
  // libsodium's argon2id minimums (t = 1, m = 8 KiB): microseconds per
  // hash. Tests only; never in a server.
  static PasswordHashParams ForTesting();
};

class SodiumCrypto final : public Crypto {
 public:
  // Initializes libsodium on first use (thread-safe). If libsodium cannot
  // initialize, the process aborts: without its CSPRNG no key, token or
  // password hash would be safe, and the constructor cannot return an
  // error. REQUIRES: `params` within libsodium's argon2id bounds, else
  // HashPassword returns kInternal.
  explicit SodiumCrypto(PasswordHashParams params);

  std::string Sha256Hex(std::string_view data) const override;
  Bytes HmacSha256(std::string_view key,
                   std::string_view message) const override;
  // Lengths differing: returns false after a comparison of the same cost as
  // an equal-length one, so the time never depends on the content.
  bool ConstantTimeEquals(std::string_view a,
                          std::string_view b) const override;
  Ed25519KeyPair GenerateEd25519() const override;
  // Returns an empty string (which never verifies) if the REQUIRES on key
  // size is broken, rather than reading out of bounds.
  Bytes SignEd25519(std::string_view secret_key,
                    std::string_view message) const override;
  bool VerifyEd25519(std::string_view public_key, std::string_view message,
                     std::string_view signature) const override;
  [[nodiscard]] Result<std::string> HashPassword(
      std::string_view password) const override;
  bool VerifyPassword(std::string_view encoded_hash,
                      std::string_view password) const override;
  // Layout: 24-byte random nonce || secretbox ciphertext (16-byte MAC
  // first). Returns an empty string (which never opens) if the key is not
  // 32 bytes.
  Bytes Seal(std::string_view key32, std::string_view plaintext) const override;
  [[nodiscard]] Result<Bytes> Open(std::string_view key32,
                                   std::string_view sealed) const override;

 private:
  const PasswordHashParams password_params_;
};

// The OS CSPRNG through libsodium's randombytes_buf. Thread-safe; aborts
// like SodiumCrypto if libsodium cannot initialize.
class SodiumRandom final : public Random {
 public:
  SodiumRandom();
  void Fill(std::span<uint8_t> out) override;
};

}  // namespace gatehouse

#endif  // GATEHOUSE_CRYPTO_SODIUM_CRYPTO_H_
