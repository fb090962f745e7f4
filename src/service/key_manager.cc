#include "service/key_manager.h"

#include "core/base64url.h"
#include "core/ids.h"

namespace gatehouse {
namespace {

constexpr std::string_view kSealedPrefix = "sealed:";
constexpr std::string_view kPlainPrefix = "plain:";
constexpr char kRefreshSecretName[] = "refresh_successor_v1";
constexpr size_t kRefreshSecretBytes = 32;

}  // namespace

KeyManager::KeyManager(Store& store, const Crypto& crypto, const Clock& clock,
                       Random& random, KeySettings settings)
    : store_(store),
      crypto_(crypto),
      clock_(clock),
      random_(random),
      settings_(std::move(settings)) {}

Bytes KeyManager::SealPrivate(std::string_view raw) const {
  if (settings_.master_key) {
    return std::string(kSealedPrefix) +
           Base64UrlEncode(crypto_.Seal(*settings_.master_key, raw));
  }
  return std::string(kPlainPrefix) + Base64UrlEncode(raw);
}

Result<Bytes> KeyManager::OpenPrivate(std::string_view sealed) const {
  if (sealed.starts_with(kPlainPrefix)) {
    auto raw = Base64UrlDecode(sealed.substr(kPlainPrefix.size()));
    if (!raw) return MakeError(ErrorCode::kInternal, "stored key is corrupt");
    return *raw;
  }
  if (!sealed.starts_with(kSealedPrefix)) {
    return MakeError(ErrorCode::kInternal, "stored key has an unknown format");
  }
  if (!settings_.master_key) {
    return MakeError(ErrorCode::kInternal,
                     "signing keys are sealed but GATEHOUSE_MASTER_KEY is not "
                     "set");
  }
  auto box = Base64UrlDecode(sealed.substr(kSealedPrefix.size()));
  if (!box) return MakeError(ErrorCode::kInternal, "stored key is corrupt");
  auto opened = crypto_.Open(*settings_.master_key, *box);
  if (!opened.ok()) {
    return MakeError(ErrorCode::kInternal,
                     "cannot open the stored signing keys: "
                     "GATEHOUSE_MASTER_KEY differs from the one they were "
                     "sealed with");
  }
  return std::move(opened).value();
}

Result<SigningKey> KeyManager::NewEd25519Key() const {
  Ed25519KeyPair pair = crypto_.GenerateEd25519();
  SigningKey key;
  // A short random kid: unique, and reveals nothing about the key.
  key.kid = NewOpaqueToken(random_, 12);
  key.alg = kAlgEdDSA;
  key.public_key.assign(pair.public_key.begin(), pair.public_key.end());
  key.sealed_private_key = SealPrivate(pair.secret_key);
  key.created_at = clock_.Now();
  return key;
}

Status KeyManager::LoadInto(AccessTokens& tokens) {
  if (settings_.alg == kAlgHS256) {
    // The kid names the secret without revealing it, so a changed secret
    // shows up as an unknown kid rather than a bad signature.
    std::string kid =
        "hs256-" + crypto_.Sha256Hex(settings_.hs256_secret).substr(0, 12);
    tokens.SetKeys(SigningKeyMaterial{kid, kAlgHS256, settings_.hs256_secret},
                   {VerificationKey{kid, kAlgHS256, settings_.hs256_secret}});
    MutexLock lock(&mu_);
    published_.clear();
    return Ok();
  }

  std::vector<SigningKey> keys;
  GH_RETURN_IF_ERROR(store_.Run(TxMode::kWrite, [&](Tx& tx) -> Status {
    GH_ASSIGN_OR_RETURN(keys, tx.ListSigningKeys());
    bool has_active = false;
    for (const SigningKey& k : keys) has_active |= !k.retired_at.has_value();
    if (has_active) return Ok();
    GH_ASSIGN_OR_RETURN(SigningKey fresh, NewEd25519Key());
    GH_RETURN_IF_ERROR(tx.InsertSigningKey(fresh));
    keys.push_back(std::move(fresh));
    return Ok();
  }));

  Time now = clock_.Now();
  std::optional<SigningKeyMaterial> signing;
  std::vector<VerificationKey> verification;
  for (const SigningKey& k : keys) {
    if (k.alg != kAlgEdDSA) continue;
    Bytes public_key(k.public_key.begin(), k.public_key.end());
    if (!k.retired_at) {
      // Keys are listed oldest first: the newest active key signs.
      GH_ASSIGN_OR_RETURN(Bytes secret, OpenPrivate(k.sealed_private_key));
      signing = SigningKeyMaterial{k.kid, kAlgEdDSA, std::move(secret)};
    } else if (*k.retired_at + settings_.access_ttl <= now) {
      continue;  // its last token has expired
    }
    verification.push_back(
        VerificationKey{k.kid, kAlgEdDSA, std::move(public_key)});
  }
  if (!signing) return MakeError(ErrorCode::kInternal, "no active signing key");
  {
    MutexLock lock(&mu_);
    published_ = verification;
  }
  tokens.SetKeys(std::move(*signing), std::move(verification));
  return Ok();
}

Result<Bytes> KeyManager::LoadRefreshSecret() {
  for (int attempt = 0; attempt < 2; ++attempt) {
    std::string sealed;
    Status status = store_.Run(TxMode::kRead, [&](Tx& tx) -> Status {
      GH_ASSIGN_OR_RETURN(sealed, tx.GetSecret(kRefreshSecretName));
      return Ok();
    });
    if (status.ok()) return OpenPrivate(sealed);
    if (status.error().code != ErrorCode::kNotFound)
      return std::move(status).error();
    std::vector<uint8_t> raw(kRefreshSecretBytes);
    random_.Fill(raw);
    Status inserted = store_.Run(TxMode::kWrite, [&](Tx& tx) {
      return tx.InsertSecret(
          kRefreshSecretName,
          SealPrivate(std::string_view(
              reinterpret_cast<const char*>(raw.data()), raw.size())));
    });
    // kConflict: another instance created it first; read theirs.
    if (!inserted.ok() && inserted.error().code != ErrorCode::kConflict) {
      return std::move(inserted).error();
    }
  }
  return MakeError(ErrorCode::kInternal, "refresh secret could not be created");
}

std::vector<VerificationKey> KeyManager::published_keys() const {
  MutexLock lock(&mu_);
  return published_;
}

Result<std::vector<SigningKey>> KeyManager::ListKeys() {
  std::vector<SigningKey> keys;
  if (settings_.alg == kAlgHS256) return keys;
  GH_RETURN_IF_ERROR(store_.Run(TxMode::kRead, [&](Tx& tx) -> Status {
    GH_ASSIGN_OR_RETURN(keys, tx.ListSigningKeys());
    return Ok();
  }));
  for (SigningKey& k : keys) k.sealed_private_key.clear();
  return keys;
}

Result<std::string> KeyManager::Rotate() {
  if (settings_.alg == kAlgHS256) {
    return MakeError(
        ErrorCode::kValidationFailed,
        "GATEHOUSE_JWT_ALG: HS256 has no stored keys to rotate; change "
        "GATEHOUSE_JWT_SECRET instead");
  }
  GH_ASSIGN_OR_RETURN(SigningKey fresh, NewEd25519Key());
  Time now = clock_.Now();
  GH_RETURN_IF_ERROR(store_.Run(TxMode::kWrite, [&](Tx& tx) -> Status {
    GH_ASSIGN_OR_RETURN(auto keys, tx.ListSigningKeys());
    for (const SigningKey& k : keys) {
      if (!k.retired_at) GH_RETURN_IF_ERROR(tx.RetireSigningKey(k.kid, now));
    }
    return tx.InsertSigningKey(fresh);
  }));
  return fresh.kid;
}

}  // namespace gatehouse
