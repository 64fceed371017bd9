#pragma once
// HS256 JSON Web Tokens (RFC 7519) for access and refresh tokens. The claim names and
// values are visible outside the process: clients read them, and tokens issued by the
// original Python service (python-jose) with the same claims and key must verify.
// Pure functions; safe for concurrent use.

#include <boost/assert/source_location.hpp>
#include <boost/system/result.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fruitpak::services::auth {

enum class TokenType { kAccess, kRefresh };

struct TokenClaims {
  std::string sub;                       // user id
  std::string role;                      // "administrator"|"supervisor"|"operator"
  std::vector<std::string> permissions;  // access tokens only (omitted from refresh tokens)
  TokenType type = TokenType::kAccess;   // claim "type": "access"|"refresh"
  std::int64_t iat = 0, exp = 0;         // epoch seconds
  std::string jti;                       // unique token id (uuid4)
  std::string sid;                       // session family id: all tokens of one login share it
  std::optional<std::string> tenant_schema;  // "tenant_<12 hex>" when the user has an enterprise
  std::optional<std::string> enterprise_id;
};

enum class JwtError {
  kMalformed,             // not three base64url segments, or a part is not a JSON object
  kUnsupportedAlgorithm,  // header "alg" is not exactly "HS256", or the header has "crit"
  kBadSignature,          // signature does not match the key
  kExpired,               // exp <= now
  kMissingClaim,          // a required claim is absent, empty, of the wrong JSON type or value
};

// Stable lowercase name for logs ("malformed", "bad_signature", ...).
std::string_view to_string(JwtError error);

// Lets `.value()` compile for the decode result: throws std::runtime_error.
[[noreturn]] void throw_exception_from_error(JwtError error, const boost::source_location& loc);

// Signs `claims` with HMAC-SHA256 under `secret`. Header {"alg":"HS256","typ":"JWT"}.
// Payload keys: sub, role, type, exp, iat, jti, sid; permissions only for access tokens;
// tenant_schema and enterprise_id only when set. Does not validate the claims.
std::string encode_jwt(const TokenClaims& claims, std::string_view secret);

// Verifies and decodes a compact JWS. Checks, in order:
//  1. exactly three base64url segments, header a JSON object        (else kMalformed)
//  2. header "alg" is the string "HS256" exactly and there is no "crit"
//     (else kUnsupportedAlgorithm: "none", "HS512", "hs256", a missing alg all fail)
//  3. the HMAC-SHA256 signature, compared in constant time          (else kBadSignature)
//  4. payload is a JSON object                                      (else kMalformed)
//  5. sub, jti, sid are non-empty strings; type is "access" or "refresh"; exp is a number;
//     role, iat, tenant_schema, enterprise_id and permissions (an array of strings), when
//     present and not null, have those types                      (else kMissingClaim)
//  6. exp > now_epoch_seconds, with no leeway                       (else kExpired)
// Refresh tokens decode with empty `permissions` whatever the payload holds. Unknown
// header parameters (such as "typ") and unknown claims are ignored. Never throws for any
// input (only on allocation failure).
boost::system::result<TokenClaims, JwtError> decode_jwt(std::string_view token,
                                                        std::string_view secret,
                                                        std::int64_t now_epoch_seconds);

}  // namespace fruitpak::services::auth
