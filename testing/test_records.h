// Test-only: the records storage tests write, built one way for all of
// them: the conformance suite (storage/conformance/), the SQLite and
// PostgreSQL tests, and faulty_store_test.cc. Each builder sets every field
// a new record has, most derived from its id, so a column mix-up or a field
// read from the wrong row shows in a comparison; a case that needs another
// value changes the field after building. Header only.
#ifndef GATEHOUSE_TESTING_TEST_RECORDS_H_
#define GATEHOUSE_TESTING_TEST_RECORDS_H_

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>

#include "core/clock.h"
#include "core/model.h"

// testkit, not testing: a namespace gatehouse::testing would hide GoogleTest's
// ::testing from every test in namespace gatehouse.
namespace gatehouse::testkit {

// 2026-01-01T00:00:00Z, as testing/fake_clock.h starts.
inline constexpr Time kT0{std::chrono::milliseconds(1767225600000)};

// Role kDefaultRole, enabled, created and updated at `created`.
inline User MakeUser(std::string id, std::string email, Time created = kT0) {
  User u;
  u.id = std::move(id);
  u.email = std::move(email);
  u.name = "Name of " + u.id;
  u.role = kDefaultRole;
  u.password_hash = "$argon2id$v=19$m=65536,t=3,p=1$c2FsdA$" + u.id;
  u.created_at = created;
  u.updated_at = created;
  return u;
}

// Generation 0, unrevoked; its token expires 30 days after `created`, the
// session itself 90 days after.
inline Session MakeSession(std::string id, std::string user_id,
                           Time created = kT0) {
  Session s;
  s.id = std::move(id);
  s.user_id = std::move(user_id);
  s.created_at = created;
  s.last_used_at = created;
  s.expires_at = created + std::chrono::days(30);
  s.absolute_expires_at = created + std::chrono::days(90);
  s.user_agent = "Mozilla/5.0 (" + s.id + ")";
  s.ip = "203.0.113.7";
  return s;
}

// Not superseded.
inline RefreshTokenRecord MakeToken(std::string hash, std::string session_id,
                                    int64_t generation = 0, Time issued = kT0) {
  RefreshTokenRecord t;
  t.token_hash = std::move(hash);
  t.session_id = std::move(session_id);
  t.generation = generation;
  t.issued_at = issued;
  return t;
}

// Not retired.
inline SigningKey MakeKey(std::string kid, Time created) {
  SigningKey k;
  k.kid = std::move(kid);
  k.alg = "EdDSA";
  // Every byte value, NUL and 0xff included, must survive the round trip.
  for (int i = 0; i < 32; ++i)
    k.public_key.push_back(static_cast<uint8_t>(i * 8 + 7));
  k.public_key[3] = 0x00;
  k.public_key[4] = 0xff;
  k.sealed_private_key = std::string("sealed\0\xff\x01", 9) + k.kid;
  k.created_at = created;
  return k;
}

// Every field but the id (which the store assigns) set, and each one
// distinct per event.
inline AuditEvent MakeEvent(std::string type, std::string user_id,
                            Time at = kT0) {
  AuditEvent e;
  e.at = at;
  e.type = std::move(type);
  e.user_id = std::move(user_id);
  e.session_id = "s-of-" + e.user_id;
  e.actor_id = "admin-for-" + e.user_id;
  e.ip = "198.51.100.23";
  e.user_agent = "Mozilla/5.0 (" + e.type + ")";
  e.detail = "role=admin";
  return e;
}

}  // namespace gatehouse::testkit

#endif  // GATEHOUSE_TESTING_TEST_RECORDS_H_
