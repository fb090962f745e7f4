#include "crypto/sodium_crypto.h"

#include <sodium.h>

#include <array>
#include <cstdio>
#include <cstdlib>

namespace gatehouse {
namespace {

// Owasp(): t = 2, m = 19 MiB expressed in bytes (libsodium's unit).
constexpr unsigned long long kOwaspOpsLimit = 2;
constexpr size_t kOwaspMemLimit = 19456 * 1024;
static_assert(kOwaspOpsLimit >= crypto_pwhash_argon2id_OPSLIMIT_MIN);
static_assert(kOwaspMemLimit >= crypto_pwhash_argon2id_MEMLIMIT_MIN);

// libsodium's contract: call sodium_init() before anything else. It is
// itself idempotent; the function-local static makes the check run once
// and is thread-safe by the language's rules.
void EnsureSodiumInitialized() {
  static const bool initialized = sodium_init() >= 0;
  if (!initialized) {
    std::fputs("gatehouse: libsodium failed to initialize\n", stderr);
    std::abort();
  }
}

// libsodium takes unsigned char pointers; an empty std::string_view may
// carry a null data(), which C library calls must not receive even with a
// zero length.
const unsigned char* Ptr(std::string_view s) {
  static constexpr unsigned char kEmpty = 0;
  return s.empty() ? &kEmpty : reinterpret_cast<const unsigned char*>(s.data());
}

unsigned char* MutablePtr(std::string& s) {
  return reinterpret_cast<unsigned char*>(s.data());
}

}  // namespace

PasswordHashParams PasswordHashParams::Owasp() {
  return PasswordHashParams{kOwaspOpsLimit, kOwaspMemLimit};
}

PasswordHashParams PasswordHashParams::ForTesting() {
  return PasswordHashParams{crypto_pwhash_argon2id_OPSLIMIT_MIN,
                            crypto_pwhash_argon2id_MEMLIMIT_MIN};
}

SodiumCrypto::SodiumCrypto(PasswordHashParams params)
    : password_params_(params) {
  EnsureSodiumInitialized();
}

std::string SodiumCrypto::Sha256Hex(std::string_view data) const {
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest;
  crypto_hash_sha256(digest.data(), Ptr(data), data.size());
  std::array<char, crypto_hash_sha256_BYTES * 2 + 1> hex;
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  return std::string(hex.data(), crypto_hash_sha256_BYTES * 2);
}

Bytes SodiumCrypto::HmacSha256(std::string_view key,
                               std::string_view message) const {
  // The init/update/final form accepts a key of any length (RFC 2104: keys
  // longer than the block are hashed first); the one-shot
  // crypto_auth_hmacsha256 insists on exactly 32 bytes.
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, Ptr(key), key.size());
  crypto_auth_hmacsha256_update(&state, Ptr(message), message.size());
  Bytes mac(crypto_auth_hmacsha256_BYTES, '\0');
  crypto_auth_hmacsha256_final(&state, MutablePtr(mac));
  sodium_memzero(&state, sizeof state);  // it holds key-derived pads
  return mac;
}

bool SodiumCrypto::ConstantTimeEquals(std::string_view a,
                                      std::string_view b) const {
  if (a.size() != b.size()) {
    // The length is not secret, but still compare a.size() bytes so that
    // the call costs the same as an equal-length mismatch.
    [[maybe_unused]] const int discarded =
        sodium_memcmp(Ptr(a), Ptr(a), a.size());
    return false;
  }
  return sodium_memcmp(Ptr(a), Ptr(b), a.size()) == 0;
}

Ed25519KeyPair SodiumCrypto::GenerateEd25519() const {
  std::array<unsigned char, crypto_sign_ed25519_PUBLICKEYBYTES> pk;
  std::array<unsigned char, crypto_sign_ed25519_SECRETKEYBYTES> sk;
  crypto_sign_ed25519_keypair(pk.data(), sk.data());
  Ed25519KeyPair pair{
      Bytes(reinterpret_cast<const char*>(pk.data()), pk.size()),
      Bytes(reinterpret_cast<const char*>(sk.data()), sk.size())};
  sodium_memzero(sk.data(), sk.size());
  return pair;
}

Bytes SodiumCrypto::SignEd25519(std::string_view secret_key,
                                std::string_view message) const {
  if (secret_key.size() != crypto_sign_ed25519_SECRETKEYBYTES) return Bytes();
  Bytes signature(crypto_sign_ed25519_BYTES, '\0');
  crypto_sign_ed25519_detached(MutablePtr(signature), nullptr, Ptr(message),
                               message.size(), Ptr(secret_key));
  return signature;
}

bool SodiumCrypto::VerifyEd25519(std::string_view public_key,
                                 std::string_view message,
                                 std::string_view signature) const {
  if (public_key.size() != crypto_sign_ed25519_PUBLICKEYBYTES ||
      signature.size() != crypto_sign_ed25519_BYTES) {
    return false;
  }
  return crypto_sign_ed25519_verify_detached(Ptr(signature), Ptr(message),
                                             message.size(),
                                             Ptr(public_key)) == 0;
}

Result<std::string> SodiumCrypto::HashPassword(
    std::string_view password) const {
  std::array<char, crypto_pwhash_STRBYTES> encoded{};
  if (crypto_pwhash_str_alg(
          encoded.data(), password.empty() ? "" : password.data(),
          password.size(), password_params_.ops_limit,
          password_params_.mem_limit, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return MakeError(ErrorCode::kInternal,
                     "password hashing failed (out of memory or bad "
                     "argon2id parameters)");
  }
  return std::string(encoded.data());
}

bool SodiumCrypto::VerifyPassword(std::string_view encoded_hash,
                                  std::string_view password) const {
  // libsodium reads the hash as a C string from a STRBYTES buffer: copy it
  // into one, refusing what would not fit or would be cut short by a NUL.
  std::array<char, crypto_pwhash_STRBYTES> encoded{};
  if (encoded_hash.empty() || encoded_hash.size() >= encoded.size() ||
      encoded_hash.find('\0') != std::string_view::npos) {
    return false;
  }
  encoded_hash.copy(encoded.data(), encoded_hash.size());
  return crypto_pwhash_str_verify(encoded.data(),
                                  password.empty() ? "" : password.data(),
                                  password.size()) == 0;
}

Bytes SodiumCrypto::Seal(std::string_view key32,
                         std::string_view plaintext) const {
  if (key32.size() != crypto_secretbox_KEYBYTES) return Bytes();
  Bytes sealed(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES +
                   plaintext.size(),
               '\0');
  unsigned char* nonce = MutablePtr(sealed);
  // 24 random bytes: XSalsa20's nonce is long enough that random nonces
  // never collide in practice, so no counter has to be stored.
  randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(nonce + crypto_secretbox_NONCEBYTES, Ptr(plaintext),
                        plaintext.size(), nonce, Ptr(key32));
  return sealed;
}

Result<Bytes> SodiumCrypto::Open(std::string_view key32,
                                 std::string_view sealed) const {
  if (key32.size() != crypto_secretbox_KEYBYTES) {
    return MakeError(ErrorCode::kInternal, "sealing key must be 32 bytes");
  }
  if (sealed.size() < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
    return MakeError(ErrorCode::kInternal, "sealed data too short");
  }
  const unsigned char* nonce = Ptr(sealed);
  const std::string_view box = sealed.substr(crypto_secretbox_NONCEBYTES);
  Bytes plaintext(box.size() - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(MutablePtr(plaintext), Ptr(box), box.size(),
                                 nonce, Ptr(key32)) != 0) {
    return MakeError(ErrorCode::kInternal,
                     "sealed data altered or sealed under another key");
  }
  return plaintext;
}

SodiumRandom::SodiumRandom() { EnsureSodiumInitialized(); }

void SodiumRandom::Fill(std::span<uint8_t> out) {
  if (!out.empty()) randombytes_buf(out.data(), out.size());
}

}  // namespace gatehouse
