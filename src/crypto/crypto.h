// The crypto port: every cryptographic operation gatehouse performs.
//
// One implementation, SodiumCrypto (sodium_crypto.h), on libsodium. Nothing
// here is hand-rolled: hashing, MACs, signatures, password hashing, sealing
// and constant-time comparison are libsodium calls. Service code sees only
// this interface. All methods are thread-safe.
#ifndef GATEHOUSE_CRYPTO_CRYPTO_H_
#define GATEHOUSE_CRYPTO_CRYPTO_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace gatehouse {

// Raw bytes carried in std::string (binary-safe), to keep signatures free
// of span/vector conversions at call sites.
using Bytes = std::string;

struct Ed25519KeyPair {
  Bytes public_key;  // 32 bytes
  Bytes secret_key;  // 64 bytes (libsodium's seed||public form)
};

class Crypto {
 public:
  virtual ~Crypto() = default;

  // Lower-case hex SHA-256 of `data`. Used for refresh-token hashes.
  virtual std::string Sha256Hex(std::string_view data) const = 0;

  // HMAC-SHA-256 of `message` under `key` (any length); 32 bytes.
  virtual Bytes HmacSha256(std::string_view key,
                           std::string_view message) const = 0;

  // True iff `a` and `b` are equal; time depends only on the lengths.
  virtual bool ConstantTimeEquals(std::string_view a,
                                  std::string_view b) const = 0;

  // A fresh Ed25519 key pair from the OS CSPRNG.
  virtual Ed25519KeyPair GenerateEd25519() const = 0;
  // Detached 64-byte signature. REQUIRES: secret_key.size() == 64.
  virtual Bytes SignEd25519(std::string_view secret_key,
                            std::string_view message) const = 0;
  // True iff `signature` is a valid signature of `message` by
  // `public_key`; false on any size mismatch.
  virtual bool VerifyEd25519(std::string_view public_key,
                             std::string_view message,
                             std::string_view signature) const = 0;

  // argon2id encoded hash ("$argon2id$v=19$m=...") of `password`.
  // Slow by design (tens of ms): call it off network threads.
  // kInternal only if libsodium runs out of memory.
  virtual Result<std::string> HashPassword(std::string_view password) const = 0;
  // True iff `password` matches `encoded_hash`; false for malformed hashes.
  virtual bool VerifyPassword(std::string_view encoded_hash,
                              std::string_view password) const = 0;

  // Authenticated encryption (XSalsa20-Poly1305 secretbox) of `plaintext`
  // under a 32-byte key; the result carries its own random nonce.
  virtual Bytes Seal(std::string_view key32,
                     std::string_view plaintext) const = 0;
  // Inverse of Seal; kInternal if `sealed` was altered or the key differs.
  virtual Result<Bytes> Open(std::string_view key32,
                             std::string_view sealed) const = 0;
};

}  // namespace gatehouse

#endif  // GATEHOUSE_CRYPTO_CRYPTO_H_
