// TokenService::verify_access, including its per-thread memory of verified tokens: a
// remembered token is still refused once its session is revoked or it has expired, and a
// token remembered by one service (one secret) is not accepted by another.

#include "services/auth/token_service.hpp"
#include "util/clock.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace fruitpak::services::auth {
namespace {

std::int64_t now() { return util::epoch_seconds(std::chrono::system_clock::now()); }

TokenClaims access_claims(std::int64_t expires) {
  TokenClaims c;
  c.sub = "user-1";
  c.role = "administrator";
  c.permissions = {"grower.read", "batch.read"};
  c.type = TokenType::kAccess;
  c.iat = now();
  c.exp = expires;
  c.jti = "jti-1";
  c.sid = "session-1";
  c.enterprise_id = "enterprise-1";
  c.tenant_schema = "tenant_enterprise1";
  return c;
}

TEST(TokenServiceTest, VerifiedTwiceGivesTheSamePrincipal) {
  RevocationRegistry revoked;
  TokenService tokens({"secret-one-long-enough-for-tests-000"}, revoked);
  const auto token = encode_jwt(access_claims(now() + 600), "secret-one-long-enough-for-tests-000");
  auto first = tokens.verify_access(token);
  ASSERT_TRUE(first);
  EXPECT_EQ((*first)->user_id, "user-1");
  EXPECT_EQ((*first)->tenant->value(), "enterprise-1");
  EXPECT_EQ((*first)->permissions, (std::vector<std::string>{"grower.read", "batch.read"}));
  auto second = tokens.verify_access(token);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->get(), first->get());  // remembered: no second decode
}

TEST(TokenServiceTest, RememberedTokenIsRefusedOnceItsSessionIsRevoked) {
  RevocationRegistry revoked;
  TokenService tokens({"secret-one-long-enough-for-tests-000"}, revoked);
  const auto token = encode_jwt(access_claims(now() + 600), "secret-one-long-enough-for-tests-000");
  ASSERT_TRUE(tokens.verify_access(token));
  revoked.add("session-1", now() + 600);
  auto after = tokens.verify_access(token);
  ASSERT_FALSE(after);
  EXPECT_EQ(after.error().detail, "Token has been revoked");
}

TEST(TokenServiceTest, RememberedTokenIsRefusedOnceExpired) {
  RevocationRegistry revoked;
  TokenService tokens({"secret-one-long-enough-for-tests-000"}, revoked);
  // exp one second from now; verified now, then checked again once the wall clock passed
  // it (the service reads the real clock; the wait ends on that condition).
  const auto expires = now() + 1;
  const auto token = encode_jwt(access_claims(expires), "secret-one-long-enough-for-tests-000");
  ASSERT_TRUE(tokens.verify_access(token));
  while (now() < expires) std::this_thread::sleep_until(std::chrono::system_clock::from_time_t(expires));
  auto after = tokens.verify_access(token);
  ASSERT_FALSE(after);
  EXPECT_EQ(after.error().detail, "Token expired or invalid");
}

TEST(TokenServiceTest, AnotherServiceWithAnotherSecretDoesNotTrustWhatThisOneRemembered) {
  RevocationRegistry revoked;
  TokenService one({"secret-one-long-enough-for-tests-000"}, revoked);
  TokenService two({"secret-two-long-enough-for-tests-000"}, revoked);
  const auto token = encode_jwt(access_claims(now() + 600), "secret-one-long-enough-for-tests-000");
  ASSERT_TRUE(one.verify_access(token));
  EXPECT_FALSE(two.verify_access(token));
}

TEST(TokenServiceTest, RefreshTokenIsNotAnAccessToken) {
  RevocationRegistry revoked;
  TokenService tokens({"secret-one-long-enough-for-tests-000"}, revoked);
  auto claims = access_claims(now() + 600);
  claims.type = TokenType::kRefresh;
  auto refused = tokens.verify_access(encode_jwt(claims, "secret-one-long-enough-for-tests-000"));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().detail, "Invalid or expired token");
}

}  // namespace
}  // namespace fruitpak::services::auth
