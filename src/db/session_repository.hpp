#pragma once
// Login sessions, refresh-token rotation and the revocation list (decision D6).

#include "db/runner.hpp"

#include <optional>
#include <string>
#include <vector>

namespace fruitpak::db::sessions {

[[nodiscard]] net::awaitable<Result<void>> create(Runner run, std::string session_id, std::string user_id,
                                                  std::string now, std::string expires_at);

// Records a newly issued refresh token of a session and extends the session's expiry.
[[nodiscard]] net::awaitable<Result<void>> add_refresh_token(Runner run, std::string jti, std::string session_id,
                                                             std::string now, std::string expires_at);

enum class Consumed { kOk, kAlreadyUsed, kUnknown, kSessionRevoked };

// Marks a refresh token spent, atomically: of two concurrent uses exactly one gets kOk.
[[nodiscard]] net::awaitable<Result<Consumed>> consume_refresh_token(Runner run, std::string jti,
                                                                     std::string session_id, std::string now);

// Revokes one session (logout, refresh-token reuse). Returns its expiry for the in-memory
// list, or nullopt if it was unknown or already revoked.
[[nodiscard]] net::awaitable<Result<std::optional<std::string>>> revoke(Runner run, std::string session_id,
                                                                        std::string reason, std::string now);

struct RevokedSession {
  std::string session_id;
  std::string expires_at;
};

// Revokes every live session of a user (deactivation) and returns them.
[[nodiscard]] net::awaitable<Result<std::vector<RevokedSession>>> revoke_all_of_user(Runner run, std::string user_id,
                                                                                     std::string reason, std::string now);

// Sessions revoked at or after `since` that have not expired by `now`.
[[nodiscard]] net::awaitable<Result<std::vector<RevokedSession>>> revoked_since(Runner run, std::string since,
                                                                                std::string now);

}  // namespace fruitpak::db::sessions

namespace fruitpak::db::otp_codes {

struct OtpCode {
  std::string phone;
  std::string code_hash;
  std::string created_at;
  std::string expires_at;
  int attempts = 0;
};

[[nodiscard]] net::awaitable<Result<std::optional<OtpCode>>> find(Runner run, std::string phone);
// Replaces any pending code of the phone.
[[nodiscard]] net::awaitable<Result<void>> put(Runner run, OtpCode code);
[[nodiscard]] net::awaitable<Result<void>> count_attempt(Runner run, std::string phone);
[[nodiscard]] net::awaitable<Result<void>> remove(Runner run, std::string phone);

}  // namespace fruitpak::db::otp_codes
