#pragma once
// Accounts and sessions: register, log in, refresh (rotating), log out, OTP log-in, add a
// user to an enterprise, create an enterprise, reissue a tenant token (contract 2.2, 2.3, 5;
// decisions D5-D7). Every failure the client may see is a client_error with the
// contract's message. Safe for concurrent use.

#include "domain/account.hpp"
#include "services/auth/revocation_sync.hpp"
#include "services/auth/sms_sender.hpp"
#include "services/auth/token_service.hpp"
#include "util/blocking_pool.hpp"
#include "util/rate_limiter.hpp"

#include <optional>
#include <string>
#include <vector>

namespace fruitpak::db {
class Database;
}

namespace fruitpak::services::auth {

struct RegisterInput {
  std::string email;  // normalised
  std::string password;
  std::string full_name;
  std::optional<std::string> phone;
};

struct SignupInput {
  std::string email;
  std::optional<std::string> password;
  std::string full_name;
  std::optional<std::string> phone;
  std::string role = "operator";
  std::optional<std::vector<std::string>> assigned_packhouses;
};

struct OtpRequestOutcome {
  bool sent = false;                    // false: unknown or inactive phone (same answer)
  std::optional<std::string> dev_code;  // only when codes are not really delivered
};

struct AuthSettings {
  int bcrypt_cost = 12;
  std::chrono::seconds otp_lifetime{300};
  std::chrono::seconds otp_cooldown{60};
  int otp_max_attempts = 5;
  bool expose_dev_code = true;  // when SMS is not delivered and ENVIRONMENT != production
  std::string otp_key;          // HMAC key for stored codes (the SECRET_KEY)
  util::RateLimit login_failures{10, std::chrono::seconds(15 * 60)};
};

class AuthService {
 public:
  AuthService(AuthSettings settings, db::Database& db, util::BlockingPool& blocking, TokenService& tokens,
              RevocationSync& revocations, SmsSender& sms);

  using Counter = util::QueryCounter*;

  [[nodiscard]] net::awaitable<Result<domain::TokenPair>> register_user(RegisterInput input, Counter counter);
  [[nodiscard]] net::awaitable<Result<domain::TokenPair>> login(std::string email, std::string password, Counter counter);
  [[nodiscard]] net::awaitable<Result<domain::TokenPair>> refresh(std::string refresh_token, Counter counter);
  [[nodiscard]] net::awaitable<Result<void>> logout(domain::Principal caller, Counter counter);
  [[nodiscard]] net::awaitable<Result<domain::User>> me(domain::Principal caller, Counter counter);
  [[nodiscard]] net::awaitable<Result<domain::User>> signup(domain::Principal caller, SignupInput input, Counter counter);
  [[nodiscard]] net::awaitable<Result<OtpRequestOutcome>> request_otp(std::string phone, Counter counter);
  [[nodiscard]] net::awaitable<Result<domain::TokenPair>> verify_otp(std::string phone, std::string code, Counter counter);
  [[nodiscard]] net::awaitable<Result<domain::Enterprise>> create_enterprise(domain::Principal caller, std::string name,
                                                                           std::string country, Counter counter);
  [[nodiscard]] net::awaitable<Result<domain::TokenPair>> reissue_token(domain::Principal caller, Counter counter);

  // Revokes every session of a user (deactivation), in the database and in memory.
  [[nodiscard]] net::awaitable<Result<void>> revoke_user(std::string user_id, std::string reason, Counter counter);

 private:
  net::awaitable<Result<domain::User>> active_user(const std::string& user_id, Counter counter);
  net::awaitable<Result<void>> revoke_session(const std::string& session_id, std::string reason, Counter counter);
  net::awaitable<Result<std::optional<std::string>>> hash_optional(const std::optional<std::string>& password);
  std::string otp_hash(const std::string& phone, const std::string& code) const;

  AuthSettings settings_;
  db::Database& db_;
  util::BlockingPool& blocking_;
  TokenService& tokens_;
  RevocationSync& revocations_;
  SmsSender& sms_;
  util::RateLimiter login_failures_;
};

}  // namespace fruitpak::services::auth
