#pragma once
// Issues access/refresh token pairs (recording the session and refresh token for rotation)
// and verifies access tokens in process: signature, expiry, type, and the in-memory
// revocation list. verify_access() does no I/O, so a valid token never waits for the
// database or Redis. Safe for concurrent use.

#include "db/runner.hpp"
#include "domain/account.hpp"
#include "services/auth/jwt.hpp"
#include "services/auth/revocation_registry.hpp"

#include <chrono>
#include <string>

namespace fruitpak::services::auth {

struct TokenSettings {
  std::string secret;
  std::chrono::minutes access_lifetime{30};
  std::chrono::hours refresh_lifetime{24 * 7};
};

class TokenService {
 public:
  TokenService(TokenSettings settings, RevocationRegistry& revoked);

  // A new pair for `user`. With `session_id` empty a new session starts (login); otherwise
  // the pair joins that session (refresh, reissue), so logging out ends all of them.
  [[nodiscard]] net::awaitable<Result<domain::TokenPair>> issue(db::Runner run, domain::User user,
                                                                std::string session_id = {});

  // The caller of an access token, or kUnauthorized with the contract's message:
  // "Token expired or invalid" (bad signature, expired, malformed), "Invalid or expired
  // token" (a refresh token used as access token), "Token has been revoked".
  Result<domain::Principal> verify_access(std::string_view token) const;

  // The claims of a refresh token, or kUnauthorized "Invalid refresh token".
  Result<TokenClaims> verify_refresh(std::string_view token) const;

  const TokenSettings& settings() const { return settings_; }

 private:
  TokenSettings settings_;
  RevocationRegistry& revoked_;
};

}  // namespace fruitpak::services::auth
