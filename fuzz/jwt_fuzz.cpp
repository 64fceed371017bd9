// libFuzzer target: the JWT verifier (services/auth/jwt.hpp decode_jwt, and
// TokenService::verify_access, which the guard calls on every authenticated request).
//
// Input: the first byte picks the mode, the rest is the data.
//   even: the data is a token as a client sends it. decode_jwt must not throw; a success
//         must be unexpired and survive a re-encode/decode round trip.
//   odd:  the data is "<header JSON>\n<payload JSON>" (no newline: the payload, under the
//         standard header). The target signs it with the key, so the fuzzer gets past the
//         HMAC (a random token never does) and reaches the claim parsing, which runs only
//         on authenticated JSON. A correctly signed token must never be kBadSignature.
// Any broken property aborts, which libFuzzer reports as a crash with the input.
//
// FRUITPAK_FUZZ_WRITE_SEEDS=<dir>: writes the seed corpus (fuzz/corpus/jwt) into <dir>
// once, before the first input.

#include "services/auth/jwt.hpp"
#include "services/auth/revocation_registry.hpp"
#include "services/auth/token_service.hpp"
#include "util/crypto.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <string_view>

namespace {

using namespace fruitpak::services::auth;
using fruitpak::util::base64url_encode;
using fruitpak::util::hmac_sha256;

constexpr std::string_view kSecret = "fuzz-secret-key-0123456789abcdef-0123456789";
// A fixed "now" (2025-11-14) so that a replayed input decides the same way every time.
constexpr std::int64_t kNow = 1763078400;
constexpr std::string_view kStandardHeader = R"({"alg":"HS256","typ":"JWT"})";

[[noreturn]] void fail(const char* what, std::string_view token) {
  std::fprintf(stderr, "jwt_fuzz: %s\ntoken: %.*s\n", what, static_cast<int>(token.size()), token.data());
  std::abort();
}

std::string sign(std::string_view header_json, std::string_view payload_json) {
  std::string token = base64url_encode(header_json);
  token += '.';
  token += base64url_encode(payload_json);
  const std::string signature = hmac_sha256(kSecret, token);
  token += '.';
  token += base64url_encode(signature);
  return token;
}

bool same_claims(const TokenClaims& a, const TokenClaims& b) {
  return a.sub == b.sub && a.role == b.role && a.permissions == b.permissions && a.type == b.type &&
         a.iat == b.iat && a.exp == b.exp && a.jti == b.jti && a.sid == b.sid && a.tenant_schema == b.tenant_schema &&
         a.enterprise_id == b.enterprise_id;
}

void check(std::string_view token, bool signed_by_us) {
  auto decoded = decode_jwt(token, kSecret, kNow);
  if (!decoded) {
    if (signed_by_us && decoded.error() == JwtError::kBadSignature) fail("our own signature was rejected", token);
    (void)to_string(decoded.error());
    return;
  }
  if (decoded->exp <= kNow) fail("an expired token decoded", token);
  // What we accept, we must be able to issue again, unchanged.
  const std::string again = encode_jwt(*decoded, kSecret);
  auto redecoded = decode_jwt(again, kSecret, kNow);
  if (!redecoded) fail("a re-encoded token did not decode", again);
  if (!same_claims(*decoded, *redecoded)) fail("claims changed over encode/decode", again);
}

// The guard's path: TokenService over the same key (its per-thread table of verified
// tokens included). Tokens the fuzzer writes expire relative to the real clock here.
void check_service(std::string_view token) {
  static RevocationRegistry revoked;
  static TokenService tokens(TokenSettings{std::string(kSecret)}, revoked);
  auto principal = tokens.verify_access(token);
  if (principal && !*principal) fail("verify_access succeeded without a principal", token);
  auto again = tokens.verify_access(token);  // the remembered path must decide the same
  if (static_cast<bool>(principal) != static_cast<bool>(again)) fail("verify_access is not repeatable", token);
  (void)tokens.verify_refresh(token);
}

void write_seeds(const std::string& dir) {
  const auto put = [&dir](const std::string& name, char mode, const std::string& data) {
    std::ofstream out(dir + "/" + name, std::ios::binary);
    out << mode << data;
  };
  const std::string valid =
      R"({"sub":"u-1","role":"administrator","permissions":["batch.read","batch.write"],"type":"access",)"
      R"("exp":4102444800,"iat":1763078000,"jti":"j-1","sid":"s-1","tenant_schema":"tenant_0123456789ab",)"
      R"("enterprise_id":"e-1"})";
  const std::string refresh =
      R"({"sub":"u-1","role":"operator","type":"refresh","exp":4102444800.5,"iat":null,"jti":"j-2","sid":"s-1"})";
  const std::string expired = R"({"sub":"u-1","type":"access","exp":1000,"jti":"j-3","sid":"s-1"})";
  put("valid_access", '\0', sign(kStandardHeader, valid));
  put("valid_refresh", '\0', sign(kStandardHeader, refresh));
  put("expired", '\0', sign(kStandardHeader, expired));
  put("alg_none", '\0', base64url_encode(R"({"alg":"none"})") + "." + base64url_encode(valid) + ".");
  put("alg_hs512", '\0', sign(R"({"alg":"HS512","typ":"JWT"})", valid));
  put("bad_signature", '\0', sign(kStandardHeader, valid).substr(0, 100) + "AAAA");
  put("garbage", '\0', "not.a.jwt%%==");
  put("signed_valid", '\x01', std::string(kStandardHeader) + "\n" + valid);
  put("signed_refresh", '\x01', refresh);
  put("signed_crit", '\x01', R"({"alg":"HS256","crit":["exp"]})" "\n" + valid);
  put("signed_wrong_types", '\x01',
      R"({"sub":"u","type":"access","exp":"never","jti":1,"sid":"s","permissions":[1,2]})");
  put("signed_huge_exp", '\x01', R"({"sub":"u","type":"access","exp":1e300,"jti":"j","sid":"s"})");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool seeded = [] {
    if (const char* dir = std::getenv("FRUITPAK_FUZZ_WRITE_SEEDS")) write_seeds(dir);
    return true;
  }();
  (void)seeded;
  if (size == 0) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  if ((data[0] & 1) == 0) {
    check(input, false);
    check_service(input);
    return 0;
  }
  const auto newline = input.find('\n');
  const std::string token = newline == std::string_view::npos
                                ? sign(kStandardHeader, input)
                                : sign(input.substr(0, newline), input.substr(newline + 1));
  check(token, true);
  check_service(token);
  return 0;
}
