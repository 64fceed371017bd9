#include "services/auth/jwt.hpp"

#include "util/crypto.hpp"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

namespace fruitpak::services::auth {
namespace {

namespace json = boost::json;

constexpr std::string_view kSecret = "change-me-in-production";
constexpr std::int64_t kNow = 1770905002;  // 2026-02-12T14:03:22Z

TokenClaims access_claims() {
  TokenClaims c;
  c.sub = "0b6c6f8e-1d2a-4c61-9f3e-5a7d2b9c4e10";
  c.role = "supervisor";
  c.permissions = {"batch.read", "grower.read", "packhouse.write"};
  c.type = TokenType::kAccess;
  c.iat = kNow;
  c.exp = kNow + 1800;
  c.jti = "5f0e7d1c-2b3a-4e59-8d6c-7b8a9f0e1d2c";
  c.sid = "c2d3e4f5-a6b7-4c8d-9e0f-1a2b3c4d5e6f";
  c.tenant_schema = "tenant_a1b2c3d4e5f6";
  c.enterprise_id = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d";
  return c;
}

// A token with arbitrary header and payload text, correctly signed under `key`.
std::string signed_token(std::string_view header, std::string_view payload,
                         std::string_view key = kSecret) {
  std::string input = util::base64url_encode(header) + "." + util::base64url_encode(payload);
  return input + "." + util::base64url_encode(util::hmac_sha256(key, input));
}

constexpr std::string_view kHeader = R"({"alg":"HS256","typ":"JWT"})";

// The JSON payload our encoder would write for access_claims().
json::object valid_payload() {
  const std::string token = encode_jwt(access_claims(), kSecret);
  const auto first = token.find('.');
  const auto second = token.find('.', first + 1);
  return json::parse(*util::base64url_decode(token.substr(first + 1, second - first - 1)))
      .as_object();
}

std::string payload_json(const json::object& payload) { return json::serialize(payload); }

json::object decoded_payload(const std::string& token) {
  const auto first = token.find('.');
  const auto second = token.find('.', first + 1);
  return json::parse(*util::base64url_decode(token.substr(first + 1, second - first - 1)))
      .as_object();
}

TEST(JwtTest, AccessTokenRoundTrips) {
  const TokenClaims in = access_claims();
  const auto out = decode_jwt(encode_jwt(in, kSecret), kSecret, kNow);
  ASSERT_TRUE(out) << to_string(out.error());
  EXPECT_EQ(out->sub, in.sub);
  EXPECT_EQ(out->role, in.role);
  EXPECT_EQ(out->permissions, in.permissions);
  EXPECT_EQ(out->type, TokenType::kAccess);
  EXPECT_EQ(out->iat, in.iat);
  EXPECT_EQ(out->exp, in.exp);
  EXPECT_EQ(out->jti, in.jti);
  EXPECT_EQ(out->sid, in.sid);
  EXPECT_EQ(out->tenant_schema, in.tenant_schema);
  EXPECT_EQ(out->enterprise_id, in.enterprise_id);
}

TEST(JwtTest, HeaderIsHs256Jwt) {
  const std::string token = encode_jwt(access_claims(), kSecret);
  EXPECT_EQ(util::base64url_decode(token.substr(0, token.find('.'))),
            std::string(R"({"alg":"HS256","typ":"JWT"})"));
}

TEST(JwtTest, RefreshTokenOmitsPermissions) {
  TokenClaims in = access_claims();
  in.type = TokenType::kRefresh;
  const std::string token = encode_jwt(in, kSecret);
  const json::object payload = decoded_payload(token);
  EXPECT_FALSE(payload.contains("permissions"));
  EXPECT_EQ(payload.at("type").as_string(), "refresh");
  const auto out = decode_jwt(token, kSecret, kNow);
  ASSERT_TRUE(out) << to_string(out.error());
  EXPECT_EQ(out->type, TokenType::kRefresh);
  EXPECT_TRUE(out->permissions.empty());
  EXPECT_EQ(out->sid, in.sid);
}

TEST(JwtTest, TenantClaimsAreOmittedWhenUnset) {
  TokenClaims in = access_claims();
  in.tenant_schema.reset();
  in.enterprise_id.reset();
  const std::string token = encode_jwt(in, kSecret);
  const json::object payload = decoded_payload(token);
  EXPECT_FALSE(payload.contains("tenant_schema"));
  EXPECT_FALSE(payload.contains("enterprise_id"));
  const auto out = decode_jwt(token, kSecret, kNow);
  ASSERT_TRUE(out) << to_string(out.error());
  EXPECT_FALSE(out->tenant_schema);
  EXPECT_FALSE(out->enterprise_id);
}

TEST(JwtTest, AccessPayloadHasTheContractKeys) {
  const json::object payload = decoded_payload(encode_jwt(access_claims(), kSecret));
  for (const char* key : {"sub", "role", "permissions", "type", "exp", "iat", "jti", "sid",
                          "tenant_schema", "enterprise_id"}) {
    EXPECT_TRUE(payload.contains(key)) << key;
  }
  EXPECT_EQ(payload.size(), 10u);
  EXPECT_EQ(payload.at("type").as_string(), "access");
  EXPECT_TRUE(payload.at("exp").is_int64());
}

TEST(JwtTest, TamperedPayloadFailsSignature) {
  const std::string token = encode_jwt(access_claims(), kSecret);
  const auto first = token.find('.');
  const auto second = token.find('.', first + 1);
  json::object payload = decoded_payload(token);
  payload["role"] = "administrator";
  const std::string forged = token.substr(0, first + 1) +
                             util::base64url_encode(payload_json(payload)) +
                             token.substr(second);
  const auto out = decode_jwt(forged, kSecret, kNow);
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error(), JwtError::kBadSignature);
}

TEST(JwtTest, WrongKeyFailsSignature) {
  const auto out = decode_jwt(encode_jwt(access_claims(), "another-secret"), kSecret, kNow);
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error(), JwtError::kBadSignature);
}

TEST(JwtTest, TruncatedOrFlippedSignatureFails) {
  std::string token = encode_jwt(access_claims(), kSecret);
  // 43 signature characters less 3 leave 40: valid base64url for 30 bytes.
  const auto out_short = decode_jwt(token.substr(0, token.size() - 3), kSecret, kNow);
  ASSERT_FALSE(out_short);
  EXPECT_EQ(out_short.error(), JwtError::kBadSignature);
  token[token.rfind('.') + 1] = token[token.rfind('.') + 1] == 'A' ? 'B' : 'A';
  const auto out_flipped = decode_jwt(token, kSecret, kNow);
  ASSERT_FALSE(out_flipped);
  EXPECT_EQ(out_flipped.error(), JwtError::kBadSignature);
}

TEST(JwtTest, AlgNoneIsRejected) {
  const std::string header = util::base64url_encode(R"({"alg":"none","typ":"JWT"})");
  const std::string payload = util::base64url_encode(payload_json(valid_payload()));
  const auto unsigned_token = decode_jwt(header + "." + payload + ".", kSecret, kNow);
  ASSERT_FALSE(unsigned_token);
  EXPECT_EQ(unsigned_token.error(), JwtError::kUnsupportedAlgorithm);
  // Even with a signature that would be valid for HS256.
  const std::string with_signature =
      signed_token(R"({"alg":"none","typ":"JWT"})", payload_json(valid_payload()));
  const auto out = decode_jwt(with_signature, kSecret, kNow);
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error(), JwtError::kUnsupportedAlgorithm);
}

TEST(JwtTest, OtherAlgorithmsAreRejected) {
  for (std::string_view header :
       {R"({"alg":"HS512","typ":"JWT"})", R"({"alg":"hs256","typ":"JWT"})",
        R"({"alg":"RS256","typ":"JWT"})", R"({"alg":"HS256 ","typ":"JWT"})",
        R"({"alg":["HS256"]})", R"({"alg":null})", R"({"typ":"JWT"})", R"({})",
        R"({"alg":"HS256","crit":["exp"]})"}) {
    const auto out = decode_jwt(signed_token(header, payload_json(valid_payload())), kSecret,
                                kNow);
    ASSERT_FALSE(out) << header;
    EXPECT_EQ(out.error(), JwtError::kUnsupportedAlgorithm) << header;
  }
}

TEST(JwtTest, HeaderWithoutTypIsAccepted) {
  const auto out = decode_jwt(signed_token(R"({"alg":"HS256"})", payload_json(valid_payload())),
                              kSecret, kNow);
  EXPECT_TRUE(out);
}

TEST(JwtTest, ExpiredTokensAreRejectedWithoutLeeway) {
  TokenClaims c = access_claims();
  c.exp = kNow;
  const auto at_exp = decode_jwt(encode_jwt(c, kSecret), kSecret, kNow);
  ASSERT_FALSE(at_exp);
  EXPECT_EQ(at_exp.error(), JwtError::kExpired);
  c.exp = kNow - 3600;
  const auto past = decode_jwt(encode_jwt(c, kSecret), kSecret, kNow);
  ASSERT_FALSE(past);
  EXPECT_EQ(past.error(), JwtError::kExpired);
  c.exp = kNow + 1;
  EXPECT_TRUE(decode_jwt(encode_jwt(c, kSecret), kSecret, kNow));
}

TEST(JwtTest, MissingRequiredClaimsAreRejected) {
  for (const char* key : {"sub", "jti", "sid", "type", "exp"}) {
    json::object payload = valid_payload();
    payload.erase(key);
    const auto out = decode_jwt(signed_token(kHeader, payload_json(payload)), kSecret, kNow);
    ASSERT_FALSE(out) << key;
    EXPECT_EQ(out.error(), JwtError::kMissingClaim) << key;
  }
}

TEST(JwtTest, EmptyRequiredStringsAreRejected) {
  for (const char* key : {"sub", "jti", "sid"}) {
    json::object payload = valid_payload();
    payload[key] = "";
    const auto out = decode_jwt(signed_token(kHeader, payload_json(payload)), kSecret, kNow);
    ASSERT_FALSE(out) << key;
    EXPECT_EQ(out.error(), JwtError::kMissingClaim) << key;
  }
}

TEST(JwtTest, ClaimsOfTheWrongTypeAreRejected) {
  const std::pair<const char*, json::value> cases[] = {
      {"exp", json::value(std::to_string(kNow + 1800))},
      {"exp", json::value(true)},
      {"exp", json::value(nullptr)},
      {"sub", json::value(42)},
      {"type", json::value("id")},
      {"role", json::value(1)},
      {"iat", json::value("now")},
      {"permissions", json::value("batch.read")},
      {"permissions", json::parse(R"(["batch.read", 3])")},
      {"tenant_schema", json::value(12)},
  };
  for (const auto& [key, value] : cases) {
    json::object payload = valid_payload();
    payload[key] = value;
    const auto out = decode_jwt(signed_token(kHeader, payload_json(payload)), kSecret, kNow);
    ASSERT_FALSE(out) << key << " = " << json::serialize(value);
    EXPECT_EQ(out.error(), JwtError::kMissingClaim) << key << " = " << json::serialize(value);
  }
}

TEST(JwtTest, NullOptionalClaimsReadAsAbsent) {
  json::object payload = valid_payload();
  payload["tenant_schema"] = nullptr;
  payload.erase("role");
  payload.erase("iat");
  const auto out = decode_jwt(signed_token(kHeader, payload_json(payload)), kSecret, kNow);
  ASSERT_TRUE(out) << to_string(out.error());
  EXPECT_FALSE(out->tenant_schema);
  EXPECT_EQ(out->role, "");
  EXPECT_EQ(out->iat, 0);
}

TEST(JwtTest, GarbageIsMalformed) {
  const std::string good = encode_jwt(access_claims(), kSecret);
  const std::string header = good.substr(0, good.find('.'));
  for (const std::string& token : {
           std::string(), std::string("."), std::string(".."), std::string("abc"),
           std::string("abc.def"), good + ".extra", std::string("a.b.c.d"),
           header + ".!!!." + good.substr(good.rfind('.') + 1),  // invalid base64 payload
           std::string("e30.e30.*"),                            // invalid base64 signature
           "Z." + good.substr(good.find('.') + 1),               // impossible base64 length
           util::base64url_encode("not json") + ".e30.",
           util::base64url_encode("[1,2]") + ".e30.",
           util::base64url_encode(R"({"alg":"HS256")") + ".e30.",
           std::string("\0\0.\0.\0", 6),
       }) {
    const auto out = decode_jwt(token, kSecret, kNow);
    ASSERT_FALSE(out) << token;
    EXPECT_EQ(out.error(), JwtError::kMalformed) << token;
  }
}

TEST(JwtTest, SignedNonJsonPayloadIsMalformed) {
  for (std::string_view payload : {"not json", "[]", "\"sub\"", "{\"sub\":", ""}) {
    const auto out = decode_jwt(signed_token(kHeader, payload), kSecret, kNow);
    ASSERT_FALSE(out) << payload;
    EXPECT_EQ(out.error(), JwtError::kMalformed) << payload;
  }
}

// Every single-character change to a valid token is rejected, and none throws.
TEST(JwtTest, EveryCharacterChangeIsRejected) {
  const std::string token = encode_jwt(access_claims(), kSecret);
  for (std::size_t i = 0; i < token.size(); ++i) {
    for (char replacement : {'A', '.', '-', '_', '=', '\0', '\xff'}) {
      if (token[i] == replacement) continue;
      std::string changed = token;
      changed[i] = replacement;
      EXPECT_FALSE(decode_jwt(changed, kSecret, kNow)) << i << " " << replacement;
    }
    EXPECT_FALSE(decode_jwt(std::string_view(token).substr(0, i), kSecret, kNow)) << i;
  }
}

// Independent fixtures, computed without this code base by
//   python3 - <<'PY'
//   import hmac, hashlib, base64, json
//   def b64(b): return base64.urlsafe_b64encode(b).rstrip(b'=').decode()
//   def tok(header, payload, key, **kw):
//       h = b64(json.dumps(header, **kw).encode()); p = b64(json.dumps(payload, **kw).encode())
//       return h + '.' + p + '.' + b64(hmac.new(key, (h + '.' + p).encode(), hashlib.sha256).digest())
//   key = b'change-me-in-production'
//   print(tok({"alg": "HS256", "typ": "JWT"}, ACCESS, key, separators=(",", ":"), sort_keys=True))
//   print(tok({"typ": "JWT", "alg": "HS256"}, REFRESH, key))
//   PY
// ACCESS = the claims checked in the first test below (compact, sorted keys, the way
// python-jose writes them); REFRESH = {"type": "refresh", "sid": ..., "jti": ..., "exp":
// 4102444800, "sub": ..., "role": "operator"} with Python's default ", " / ": " separators
// and a reordered header, to show that the signature covers the text as sent.
constexpr std::string_view kPythonAccessToken =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
    "eyJlbnRlcnByaXNlX2lkIjoiYTFiMmMzZDQtZTVmNi00YTdiLThjOWQtMGUxZjJhM2I0YzVkIiwiZXhwIjo0MTAy"
    "NDQ0ODAwLCJpYXQiOjE3NzA5MDUwMDIsImp0aSI6IjVmMGU3ZDFjLTJiM2EtNGU1OS04ZDZjLTdiOGE5ZjBlMWQy"
    "YyIsInBlcm1pc3Npb25zIjpbImJhdGNoLnJlYWQiLCJncm93ZXIucmVhZCJdLCJyb2xlIjoic3VwZXJ2aXNvciIs"
    "InNpZCI6ImMyZDNlNGY1LWE2YjctNGM4ZC05ZTBmLTFhMmIzYzRkNWU2ZiIsInN1YiI6IjBiNmM2ZjhlLTFkMmEt"
    "NGM2MS05ZjNlLTVhN2QyYjljNGUxMCIsInRlbmFudF9zY2hlbWEiOiJ0ZW5hbnRfYTFiMmMzZDRlNWY2IiwidHlw"
    "ZSI6ImFjY2VzcyJ9."
    "w4FsO1noUf-jjjMTiWbpMlBmqPJaxKCxUrvl5Z7xzLI";
constexpr std::string_view kPythonRefreshToken =
    "eyJ0eXAiOiAiSldUIiwgImFsZyI6ICJIUzI1NiJ9."
    "eyJ0eXBlIjogInJlZnJlc2giLCAic2lkIjogImMyZDNlNGY1LWE2YjctNGM4ZC05ZTBmLTFhMmIzYzRkNWU2ZiIs"
    "ICJqdGkiOiAiOWE4YjdjNmQtNWU0Zi00YTNiLThjMmQtMWUwZjlhOGI3YzZkIiwgImV4cCI6IDQxMDI0NDQ4MDAs"
    "ICJzdWIiOiAiMGI2YzZmOGUtMWQyYS00YzYxLTlmM2UtNWE3ZDJiOWM0ZTEwIiwgInJvbGUiOiAib3BlcmF0b3Ii"
    "fQ."
    "vctgZH9yhOQ7NlSegyrHUWMu9_60jgTIM3ZM3Hi0VGg";

TEST(JwtTest, IndependentlyMadeAccessTokenVerifies) {
  const auto out = decode_jwt(kPythonAccessToken, kSecret, kNow);
  ASSERT_TRUE(out) << to_string(out.error());
  EXPECT_EQ(out->sub, "0b6c6f8e-1d2a-4c61-9f3e-5a7d2b9c4e10");
  EXPECT_EQ(out->role, "supervisor");
  EXPECT_EQ(out->permissions, (std::vector<std::string>{"batch.read", "grower.read"}));
  EXPECT_EQ(out->type, TokenType::kAccess);
  EXPECT_EQ(out->exp, 4102444800);
  EXPECT_EQ(out->iat, 1770905002);
  EXPECT_EQ(out->jti, "5f0e7d1c-2b3a-4e59-8d6c-7b8a9f0e1d2c");
  EXPECT_EQ(out->sid, "c2d3e4f5-a6b7-4c8d-9e0f-1a2b3c4d5e6f");
  EXPECT_EQ(out->tenant_schema, "tenant_a1b2c3d4e5f6");
  EXPECT_EQ(out->enterprise_id, "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d");
  // And the same fixture is bound to its key and to its expiry.
  EXPECT_EQ(decode_jwt(kPythonAccessToken, "change-me", kNow).error(), JwtError::kBadSignature);
  EXPECT_EQ(decode_jwt(kPythonAccessToken, kSecret, 4102444800).error(), JwtError::kExpired);
}

TEST(JwtTest, IndependentlyMadeRefreshTokenVerifies) {
  const auto out = decode_jwt(kPythonRefreshToken, kSecret, kNow);
  ASSERT_TRUE(out) << to_string(out.error());
  EXPECT_EQ(out->type, TokenType::kRefresh);
  EXPECT_EQ(out->role, "operator");
  EXPECT_EQ(out->jti, "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d");
  EXPECT_EQ(out->iat, 0);  // absent
  EXPECT_FALSE(out->tenant_schema);
}

TEST(JwtTest, ErrorNamesAreStable) {
  EXPECT_EQ(to_string(JwtError::kMalformed), "malformed");
  EXPECT_EQ(to_string(JwtError::kUnsupportedAlgorithm), "unsupported_algorithm");
  EXPECT_EQ(to_string(JwtError::kBadSignature), "bad_signature");
  EXPECT_EQ(to_string(JwtError::kExpired), "expired");
  EXPECT_EQ(to_string(JwtError::kMissingClaim), "missing_claim");
}

}  // namespace
}  // namespace fruitpak::services::auth
