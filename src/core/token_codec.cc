#include "core/token_codec.h"

#include <boost/json.hpp>
#include <boost/json/basic_parser_impl.hpp>
#include <exception>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "core/base64url.h"

namespace gatehouse {
namespace {

namespace json = boost::json;

json::string_view JsonView(std::string_view s) { return {s.data(), s.size()}; }

// A handler for json::basic_parser that builds the same json::value as
// json::parse, but fails on a duplicate member name in any object where
// json::parse would silently keep the last one.
class StrictJsonHandler {
 public:
  static constexpr size_t max_object_size = json::object::max_size();
  static constexpr size_t max_array_size = json::array::max_size();
  static constexpr size_t max_key_size = json::string::max_size();
  static constexpr size_t max_string_size = json::string::max_size();

  StrictJsonHandler() { stack_.reset(); }

  json::value Release() { return stack_.release(); }

  bool on_document_begin(json::error_code&) { return true; }
  bool on_document_end(json::error_code&) { return true; }
  bool on_object_begin(json::error_code&) {
    open_objects_.emplace_back();
    return true;
  }
  bool on_object_end(size_t n, json::error_code&) {
    open_objects_.pop_back();
    stack_.push_object(n);
    return true;
  }
  bool on_array_begin(json::error_code&) { return true; }
  bool on_array_end(size_t n, json::error_code&) {
    stack_.push_array(n);
    return true;
  }
  bool on_key_part(json::string_view s, size_t, json::error_code&) {
    key_.append(s.data(), s.size());
    stack_.push_chars(s);
    return true;
  }
  bool on_key(json::string_view s, size_t, json::error_code& ec) {
    key_.append(s.data(), s.size());
    const bool is_new = open_objects_.back().insert(std::move(key_)).second;
    key_.clear();
    if (!is_new) {
      ec = json::error::syntax;
      return false;
    }
    stack_.push_key(s);
    return true;
  }
  bool on_string_part(json::string_view s, size_t, json::error_code&) {
    stack_.push_chars(s);
    return true;
  }
  bool on_string(json::string_view s, size_t, json::error_code&) {
    stack_.push_string(s);
    return true;
  }
  bool on_number_part(json::string_view, json::error_code&) { return true; }
  bool on_int64(int64_t i, json::string_view, json::error_code&) {
    stack_.push_int64(i);
    return true;
  }
  bool on_uint64(uint64_t u, json::string_view, json::error_code&) {
    stack_.push_uint64(u);
    return true;
  }
  bool on_double(double d, json::string_view, json::error_code&) {
    stack_.push_double(d);
    return true;
  }
  bool on_bool(bool b, json::error_code&) {
    stack_.push_bool(b);
    return true;
  }
  bool on_null(json::error_code&) {
    stack_.push_null();
    return true;
  }
  // Comments are disabled in the parse options; these are never called.
  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }

 private:
  json::value_stack stack_;
  // Member names seen so far in each object being parsed, innermost last.
  std::vector<std::set<std::string>> open_objects_;
  std::string key_;  // the member name being assembled from parts
};

// Parses one complete RFC 8259 JSON text (UTF-8 validated, no comments or
// trailing commas, no duplicate member names). std::nullopt on any error.
std::optional<json::value> ParseStrictJson(std::string_view text) {
  try {
    json::basic_parser<StrictJsonHandler> parser{json::parse_options{}};
    json::error_code ec;
    const size_t consumed =
        parser.write_some(false, text.data(), text.size(), ec);
    if (ec || consumed != text.size()) return std::nullopt;
    return parser.handler().Release();
  } catch (const std::exception&) {
    // Only allocation failure can get here; the input stays untrusted, so
    // treat it like any other unparseable token.
    return std::nullopt;
  }
}

// Reads `name` from `object` into `out` iff it is present and a string.
bool ReadString(const json::object& object, std::string_view name,
                std::string& out) {
  const json::value* v = object.if_contains(JsonView(name));
  if (v == nullptr) return false;
  const json::string* s = v->if_string();
  if (s == nullptr) return false;
  out.assign(s->data(), s->size());
  return true;
}

// Reads `name` into `out` iff it is present and an integer that fits
// int64. Boost.JSON stores such integers as int64; uint64 means the value
// was larger, double means it had a fraction or exponent.
bool ReadInt64(const json::object& object, std::string_view name,
               int64_t& out) {
  const json::value* v = object.if_contains(JsonView(name));
  if (v == nullptr) return false;
  const int64_t* i = v->if_int64();
  if (i == nullptr) return false;
  out = *i;
  return true;
}

Error Invalid(std::string_view why) {
  return MakeError(ErrorCode::kAccessTokenInvalid,
                   "invalid access token: " + std::string(why));
}

// Decodes one base64url segment holding a JSON object.
std::optional<json::object> DecodeJsonSegment(std::string_view segment) {
  std::optional<std::string> raw = Base64UrlDecode(segment);
  if (!raw) return std::nullopt;
  std::optional<json::value> value = ParseStrictJson(*raw);
  if (!value || !value->is_object()) return std::nullopt;
  return std::move(value->get_object());
}

}  // namespace

std::string EncodeSigningInput(const JwtHeader& header,
                               const AccessClaims& claims) {
  json::object h;
  h.emplace("alg", JsonView(header.alg));
  h.emplace("kid", JsonView(header.kid));
  h.emplace("typ", JsonView(header.typ));

  json::object c;
  c.emplace("iss", JsonView(claims.iss));
  c.emplace("aud", JsonView(claims.aud));
  c.emplace("sub", JsonView(claims.sub));
  c.emplace("sid", JsonView(claims.sid));
  c.emplace("role", JsonView(claims.role));
  c.emplace("iat", claims.iat);
  c.emplace("exp", claims.exp);
  c.emplace("jti", JsonView(claims.jti));

  return Base64UrlEncode(json::serialize(h)) + "." +
         Base64UrlEncode(json::serialize(c));
}

std::string AppendSignature(std::string_view signing_input,
                            std::string_view signature) {
  std::string token(signing_input);
  token += '.';
  token += Base64UrlEncode(signature);
  return token;
}

Result<ParsedJwt> ParseJwt(std::string_view token) {
  if (token.size() > kMaxJwtBytes) return Invalid("too long");

  const size_t first_dot = token.find('.');
  if (first_dot == std::string_view::npos) return Invalid("not a JWS");
  const size_t second_dot = token.find('.', first_dot + 1);
  if (second_dot == std::string_view::npos) return Invalid("not a JWS");
  if (token.find('.', second_dot + 1) != std::string_view::npos) {
    return Invalid("not a compact JWS");
  }
  const std::string_view header_b64 = token.substr(0, first_dot);
  const std::string_view claims_b64 =
      token.substr(first_dot + 1, second_dot - first_dot - 1);
  const std::string_view signature_b64 = token.substr(second_dot + 1);
  if (header_b64.empty() || claims_b64.empty()) {
    return Invalid("empty segment");
  }
  // Every token gatehouse accepts is signed: an empty signature (the
  // "alg":"none" form) is malformed here, before any key is consulted.
  if (signature_b64.empty()) return Invalid("unsigned");

  ParsedJwt parsed;
  std::optional<std::string> signature = Base64UrlDecode(signature_b64);
  if (!signature) return Invalid("bad signature encoding");
  parsed.signature = std::move(*signature);
  parsed.signing_input.assign(token.substr(0, second_dot));

  const std::optional<json::object> header = DecodeJsonSegment(header_b64);
  if (!header) return Invalid("bad header");
  if (!ReadString(*header, "alg", parsed.header.alg) ||
      parsed.header.alg.empty()) {
    return Invalid("bad alg");
  }
  if (header->contains("kid") &&
      !ReadString(*header, "kid", parsed.header.kid)) {
    return Invalid("bad kid");
  }
  if (header->contains("typ") &&
      (!ReadString(*header, "typ", parsed.header.typ) ||
       parsed.header.typ != kJwtType)) {
    return Invalid("bad typ");
  }
  if (header->contains("crit")) return Invalid("unsupported crit");

  const std::optional<json::object> claims = DecodeJsonSegment(claims_b64);
  if (!claims) return Invalid("bad claims");
  AccessClaims& out = parsed.claims;
  if (!ReadString(*claims, "iss", out.iss) ||
      !ReadString(*claims, "aud", out.aud) ||
      !ReadString(*claims, "sub", out.sub) ||
      !ReadString(*claims, "sid", out.sid) ||
      !ReadString(*claims, "role", out.role) ||
      !ReadString(*claims, "jti", out.jti) ||
      !ReadInt64(*claims, "iat", out.iat) ||
      !ReadInt64(*claims, "exp", out.exp)) {
    return Invalid("missing or mistyped claim");
  }
  return parsed;
}

Status CheckClaims(const AccessClaims& claims, Time now,
                   std::string_view issuer, std::string_view audience) {
  if (claims.iss != issuer) return Invalid("wrong issuer");
  if (claims.aud != audience) return Invalid("wrong audience");
  if (claims.sub.empty()) return Invalid("no subject");
  if (claims.sid.empty()) return Invalid("no session");
  // Whole seconds on both sides: floor(now) >= exp is exactly now >= exp,
  // and it cannot overflow the way exp * 1000 could.
  if (ToUnixSeconds(now) >= claims.exp) {
    return MakeError(ErrorCode::kAccessTokenExpired, "access token expired");
  }
  return Ok();
}

}  // namespace gatehouse
