// KeyManager: JWT signing keys and the refresh-successor secret, kept in
// the database so every instance shares them (SPEC §4, §8).
//
// At first start it generates an Ed25519 key and the refresh secret; the
// private parts are sealed under GATEHOUSE_MASTER_KEY (XSalsa20-Poly1305
// through Crypto::Seal). Without a master key (only allowed in --dev) they
// are stored in the clear, marked "plain:", so a later production start
// with a master key still reads them and says what it found.
#ifndef GATEHOUSE_SERVICE_KEY_MANAGER_H_
#define GATEHOUSE_SERVICE_KEY_MANAGER_H_

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/mutex.h"
#include "core/random.h"
#include "core/result.h"
#include "core/thread_annotations.h"
#include "crypto/crypto.h"
#include "service/access_tokens.h"
#include "storage/store.h"

namespace gatehouse {

struct KeySettings {
  std::string alg = kAlgEdDSA;      // kAlgEdDSA or kAlgHS256
  Bytes hs256_secret;               // REQUIRES: non-empty when alg is HS256
  std::optional<Bytes> master_key;  // 32 bytes, or none (dev only)
  // A retired key stays published this long after retirement, so tokens
  // it signed verify until they expire.
  Duration access_ttl{std::chrono::minutes(15)};
};

class KeyManager {
 public:
  KeyManager(Store& store, const Crypto& crypto, const Clock& clock,
             Random& random, KeySettings settings);

  // Loads the key ring from the database, creating the first Ed25519 key
  // if there is none, and installs it into `tokens`. Thread-safe; the
  // server calls it again periodically so that a key rotated by another
  // instance or the CLI is used and published without a restart. kInternal if a
  // sealed key cannot be opened (wrong or missing master key), kUnavailable if
  // the database is down.
  Status LoadInto(AccessTokens& tokens);

  // The secret that derives refresh-token successors; created once and
  // shared by every instance through the database.
  Result<Bytes> LoadRefreshSecret();

  // Generates a new active Ed25519 key and retires the previous ones; the
  // old keys stay in the ring until their last token has expired.
  Result<std::string> Rotate();

  // Every stored key (public metadata only; private parts stay sealed),
  // oldest first. Empty with HS256.
  Result<std::vector<SigningKey>> ListKeys();

  // Public keys that verify tokens now (active plus recently retired), for
  // the JWKS, as of the last LoadInto. Empty with HS256, whose secret is
  // never published. Thread-safe.
  std::vector<VerificationKey> published_keys() const;

 private:
  Bytes SealPrivate(std::string_view raw) const;
  Result<Bytes> OpenPrivate(std::string_view sealed) const;
  Result<SigningKey> NewEd25519Key() const;

  // Set in constructor.
  Store& store_;
  const Crypto& crypto_;
  const Clock& clock_;
  Random& random_;
  const KeySettings settings_;

  // LoadInto runs again while serving (keys rotated elsewhere are picked
  // up), so the published set is guarded.
  mutable Mutex mu_;
  // State below is guarded by mu_.
  std::vector<VerificationKey> published_ GUARDED_BY(mu_);
};

}  // namespace gatehouse

#endif  // GATEHOUSE_SERVICE_KEY_MANAGER_H_
