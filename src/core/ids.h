// Identifiers and opaque secrets, drawn from an injected Random.
#ifndef GATEHOUSE_CORE_IDS_H_
#define GATEHOUSE_CORE_IDS_H_

#include <string>

#include "core/random.h"

namespace gatehouse {

// Bytes of entropy in a refresh token: 256 bits (SPEC §4).
inline constexpr size_t kRefreshTokenBytes = 32;

// A random (version 4) UUID in its canonical lower-case text form. Used
// for user and session ids.
std::string NewUuid(Random& random);

// `bytes` random bytes as unpadded base64url: the opaque refresh token
// (kRefreshTokenBytes → 43 characters) and JWT ids.
std::string NewOpaqueToken(Random& random, size_t bytes = kRefreshTokenBytes);

// True iff `id` has the shape NewUuid produces. Lets handlers reject a
// malformed path id with 404 before touching storage.
bool LooksLikeUuid(std::string_view id);

}  // namespace gatehouse

#endif  // GATEHOUSE_CORE_IDS_H_
