#include "services/auth/jwt.hpp"

#include "util/crypto.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <cmath>
#include <limits>
#include <stdexcept>

namespace fruitpak::services::auth {
namespace {

namespace json = boost::json;

// Every token we issue has this header; decode accepts any header with alg HS256.
constexpr std::string_view kHeaderJson = R"({"alg":"HS256","typ":"JWT"})";

struct Segments {
  std::string_view header_b64, payload_b64, signature_b64;
};

std::optional<Segments> split_token(std::string_view token) {
  const auto first = token.find('.');
  if (first == std::string_view::npos) return std::nullopt;
  const auto second = token.find('.', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  if (token.find('.', second + 1) != std::string_view::npos) return std::nullopt;
  return Segments{token.substr(0, first), token.substr(first + 1, second - first - 1),
                  token.substr(second + 1)};
}

// Parses JSON text holding an object; nullopt for anything else.
std::optional<json::object> parse_object(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return std::nullopt;
  return std::move(v.as_object());
}

bool is_hs256_header(const json::object& header) {
  if (header.contains("crit")) return false;
  const json::value* alg = header.if_contains("alg");
  if (alg == nullptr) return false;
  const json::string* name = alg->if_string();
  return name != nullptr && *name == "HS256";
}

std::string signature_for(std::string_view signing_input, std::string_view secret) {
  return util::hmac_sha256(secret, signing_input);
}

// A NumericDate: integer, or a finite double rounded down (never later than written).
std::optional<std::int64_t> as_epoch_seconds(const json::value& v) {
  if (const auto* i = v.if_int64()) return *i;
  if (const auto* u = v.if_uint64()) {
    if (*u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      return std::nullopt;
    }
    return static_cast<std::int64_t>(*u);
  }
  if (const auto* d = v.if_double()) {
    // 2^63 is exactly representable; anything at or beyond it does not fit.
    constexpr double kLimit = 9223372036854775808.0;
    if (!std::isfinite(*d) || *d >= kLimit || *d < -kLimit) return std::nullopt;
    return static_cast<std::int64_t>(std::floor(*d));
  }
  return std::nullopt;
}

// Outcome of reading one claim: absent (or null), present with the wanted type, or wrong.
enum class ClaimRead { kAbsent, kOk, kWrongType };

ClaimRead read_string(const json::object& payload, std::string_view key, std::string& out) {
  const json::value* v = payload.if_contains(key);
  if (v == nullptr || v->is_null()) return ClaimRead::kAbsent;
  const json::string* s = v->if_string();
  if (s == nullptr) return ClaimRead::kWrongType;
  out.assign(s->data(), s->size());
  return ClaimRead::kOk;
}

bool read_required_string(const json::object& payload, std::string_view key, std::string& out) {
  return read_string(payload, key, out) == ClaimRead::kOk && !out.empty();
}

bool read_optional_string(const json::object& payload, std::string_view key,
                          std::optional<std::string>& out) {
  std::string value;
  switch (read_string(payload, key, value)) {
    case ClaimRead::kAbsent: return true;
    case ClaimRead::kOk: out = std::move(value); return true;
    case ClaimRead::kWrongType: return false;
  }
  return false;
}

bool read_permissions(const json::object& payload, std::vector<std::string>& out) {
  const json::value* v = payload.if_contains("permissions");
  if (v == nullptr || v->is_null()) return true;
  const json::array* items = v->if_array();
  if (items == nullptr) return false;
  for (const json::value& item : *items) {
    const json::string* s = item.if_string();
    if (s == nullptr) return false;
    out.emplace_back(s->data(), s->size());
  }
  return true;
}

bool read_type(const json::object& payload, TokenType& out) {
  std::string type;
  if (read_string(payload, "type", type) != ClaimRead::kOk) return false;
  if (type == "access") {
    out = TokenType::kAccess;
  } else if (type == "refresh") {
    out = TokenType::kRefresh;
  } else {
    return false;
  }
  return true;
}

bool read_times(const json::object& payload, TokenClaims& claims) {
  const json::value* exp = payload.if_contains("exp");
  if (exp == nullptr) return false;
  auto exp_s = as_epoch_seconds(*exp);
  if (!exp_s) return false;
  claims.exp = *exp_s;
  const json::value* iat = payload.if_contains("iat");
  if (iat == nullptr || iat->is_null()) return true;
  auto iat_s = as_epoch_seconds(*iat);
  if (!iat_s) return false;
  claims.iat = *iat_s;
  return true;
}

// Fills claims from a verified payload; false if a claim is missing or mistyped.
bool read_claims(const json::object& payload, TokenClaims& claims) {
  if (!read_required_string(payload, "sub", claims.sub) ||
      !read_required_string(payload, "jti", claims.jti) ||
      !read_required_string(payload, "sid", claims.sid) || !read_type(payload, claims.type) ||
      !read_times(payload, claims)) {
    return false;
  }
  if (read_string(payload, "role", claims.role) == ClaimRead::kWrongType) return false;
  if (!read_optional_string(payload, "tenant_schema", claims.tenant_schema) ||
      !read_optional_string(payload, "enterprise_id", claims.enterprise_id)) {
    return false;
  }
  std::vector<std::string> permissions;
  if (!read_permissions(payload, permissions)) return false;
  if (claims.type == TokenType::kAccess) claims.permissions = std::move(permissions);
  return true;
}

json::object payload_for(const TokenClaims& claims) {
  json::object payload;
  payload["sub"] = claims.sub;
  payload["role"] = claims.role;
  if (claims.type == TokenType::kAccess) {
    json::array permissions;
    for (const auto& p : claims.permissions) permissions.emplace_back(p);
    payload["permissions"] = std::move(permissions);
  }
  payload["type"] = claims.type == TokenType::kAccess ? "access" : "refresh";
  payload["exp"] = claims.exp;
  payload["iat"] = claims.iat;
  payload["jti"] = claims.jti;
  payload["sid"] = claims.sid;
  if (claims.tenant_schema) payload["tenant_schema"] = *claims.tenant_schema;
  if (claims.enterprise_id) payload["enterprise_id"] = *claims.enterprise_id;
  return payload;
}

}  // namespace

std::string_view to_string(JwtError error) {
  switch (error) {
    case JwtError::kMalformed: return "malformed";
    case JwtError::kUnsupportedAlgorithm: return "unsupported_algorithm";
    case JwtError::kBadSignature: return "bad_signature";
    case JwtError::kExpired: return "expired";
    case JwtError::kMissingClaim: return "missing_claim";
  }
  return "malformed";
}

void throw_exception_from_error(JwtError error, const boost::source_location&) {
  throw std::runtime_error("jwt: " + std::string(to_string(error)));
}

std::string encode_jwt(const TokenClaims& claims, std::string_view secret) {
  std::string token = util::base64url_encode(kHeaderJson);
  token += '.';
  token += util::base64url_encode(json::serialize(payload_for(claims)));
  const std::string signature = signature_for(token, secret);
  token += '.';
  token += util::base64url_encode(signature);
  return token;
}

boost::system::result<TokenClaims, JwtError> decode_jwt(std::string_view token,
                                                        std::string_view secret,
                                                        std::int64_t now_epoch_seconds) {
  const auto segments = split_token(token);
  if (!segments) return JwtError::kMalformed;
  const auto header_text = util::base64url_decode(segments->header_b64);
  const auto payload_text = util::base64url_decode(segments->payload_b64);
  const auto signature = util::base64url_decode(segments->signature_b64);
  if (!header_text || !payload_text || !signature) return JwtError::kMalformed;
  const auto header = parse_object(*header_text);
  if (!header) return JwtError::kMalformed;
  if (!is_hs256_header(*header)) return JwtError::kUnsupportedAlgorithm;

  // The signed text is the token as sent, up to the second dot.
  const std::string_view signing_input =
      token.substr(0, segments->header_b64.size() + 1 + segments->payload_b64.size());
  if (!util::constant_time_equal(signature_for(signing_input, secret), *signature)) {
    return JwtError::kBadSignature;
  }

  // Parsed only after the signature holds, so unauthenticated JSON is never read.
  const auto payload = parse_object(*payload_text);
  if (!payload) return JwtError::kMalformed;
  TokenClaims claims;
  if (!read_claims(*payload, claims)) return JwtError::kMissingClaim;
  if (claims.exp <= now_epoch_seconds) return JwtError::kExpired;
  return claims;
}

}  // namespace fruitpak::services::auth
