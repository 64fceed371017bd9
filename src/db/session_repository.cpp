#include "db/session_repository.hpp"

namespace fruitpak::db {
namespace {

constexpr std::string_view kCreateSession =
    "INSERT INTO auth_sessions (id, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)";
constexpr std::string_view kAddRefreshToken =
    "INSERT INTO refresh_tokens (jti, session_id, issued_at, expires_at) VALUES ($1, $2, $3, $4)";
constexpr std::string_view kExtendSession = "UPDATE auth_sessions SET expires_at = $2 WHERE id = $1";
// The conditional UPDATE is the atomic step: only one caller can flip used_at from NULL.
constexpr std::string_view kConsumeRefreshToken =
    "UPDATE refresh_tokens SET used_at = $3 WHERE jti = $1 AND session_id = $2 AND used_at IS NULL";
constexpr std::string_view kRefreshTokenState =
    "SELECT t.used_at, s.revoked_at FROM refresh_tokens t JOIN auth_sessions s ON s.id = t.session_id"
    " WHERE t.jti = $1 AND t.session_id = $2";
constexpr std::string_view kRevokeSession =
    "UPDATE auth_sessions SET revoked_at = $3, revoked_reason = $2 WHERE id = $1 AND revoked_at IS NULL";
constexpr std::string_view kSessionExpiry = "SELECT expires_at FROM auth_sessions WHERE id = $1";
constexpr std::string_view kLiveSessionsOfUser =
    "SELECT id, expires_at FROM auth_sessions WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2";
constexpr std::string_view kRevokeSessionsOfUser =
    "UPDATE auth_sessions SET revoked_at = $3, revoked_reason = $2 WHERE user_id = $1 AND revoked_at IS NULL";
constexpr std::string_view kRevokedSince =
    "SELECT id, expires_at FROM auth_sessions WHERE revoked_at >= $1 AND expires_at > $2";

constexpr std::string_view kFindOtp =
    "SELECT phone, code_hash, created_at, expires_at, attempts FROM otp_codes WHERE phone = $1";
constexpr std::string_view kDeleteOtp = "DELETE FROM otp_codes WHERE phone = $1";
constexpr std::string_view kInsertOtp =
    "INSERT INTO otp_codes (phone, code_hash, created_at, expires_at, attempts) VALUES ($1, $2, $3, $4, 0)";
constexpr std::string_view kCountOtpAttempt = "UPDATE otp_codes SET attempts = attempts + 1 WHERE phone = $1";

std::vector<sessions::RevokedSession> revoked_from(const Rows& rows) {
  std::vector<sessions::RevokedSession> out;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    out.push_back({rows[i].string(0), rows[i].timestamp(1).value_or("")});
  }
  return out;
}

}  // namespace

namespace sessions {

net::awaitable<Result<void>> create(Runner run, std::string session_id, std::string user_id, std::string now,
                                    std::string expires_at) {
  Params params{std::move(session_id), std::move(user_id), std::move(now), std::move(expires_at)};
  return run_statement(run, kCreateSession, std::move(params));
}

net::awaitable<Result<void>> add_refresh_token(Runner run, std::string jti, std::string session_id,
                                               std::string now, std::string expires_at) {
  Params token{std::move(jti), session_id, std::move(now), expires_at};
  if (auto added = co_await run_statement(run, kAddRefreshToken, std::move(token)); !added) co_return added;
  Params extend{std::move(session_id), std::move(expires_at)};
  co_return co_await run_statement(run, kExtendSession, std::move(extend));
}

net::awaitable<Result<Consumed>> consume_refresh_token(Runner run, std::string jti, std::string session_id,
                                                       std::string now) {
  Params consume{jti, session_id, std::move(now)};
  auto updated = co_await run.execute(kConsumeRefreshToken, std::move(consume));
  if (!updated) co_return updated.error();
  Params key{std::move(jti), std::move(session_id)};
  auto state = co_await run.execute(kRefreshTokenState, std::move(key));
  if (!state) co_return state.error();
  if (state->empty()) co_return Consumed::kUnknown;
  if (!state->front().is_null(1)) co_return Consumed::kSessionRevoked;
  co_return updated->affected() == 1 ? Consumed::kOk : Consumed::kAlreadyUsed;
}

net::awaitable<Result<std::optional<std::string>>> revoke(Runner run, std::string session_id, std::string reason,
                                                          std::string now) {
  Params revoke_params{session_id, std::move(reason), std::move(now)};
  auto updated = co_await run.execute(kRevokeSession, std::move(revoke_params));
  if (!updated) co_return updated.error();
  if (updated->affected() == 0) co_return std::optional<std::string>();
  Params key{std::move(session_id)};
  auto expiry = co_await run.execute(kSessionExpiry, std::move(key));
  if (!expiry) co_return expiry.error();
  if (expiry->empty()) co_return std::optional<std::string>();
  co_return expiry->front().timestamp(0);
}

net::awaitable<Result<std::vector<RevokedSession>>> revoke_all_of_user(Runner run, std::string user_id,
                                                                       std::string reason, std::string now) {
  Params live_params{user_id, now};
  auto live = co_await run.execute(kLiveSessionsOfUser, std::move(live_params));
  if (!live) co_return live.error();
  Params revoke_params{std::move(user_id), std::move(reason), std::move(now)};
  auto updated = co_await run.execute(kRevokeSessionsOfUser, std::move(revoke_params));
  if (!updated) co_return updated.error();
  co_return revoked_from(*live);
}

net::awaitable<Result<std::vector<RevokedSession>>> revoked_since(Runner run, std::string since, std::string now) {
  Params params{std::move(since), std::move(now)};
  auto rows = co_await run.execute(kRevokedSince, std::move(params));
  if (!rows) co_return rows.error();
  co_return revoked_from(*rows);
}

}  // namespace sessions

namespace otp_codes {

net::awaitable<Result<std::optional<OtpCode>>> find(Runner run, std::string phone) {
  Params params{std::move(phone)};
  auto rows = co_await run.execute(kFindOtp, std::move(params));
  if (!rows) co_return rows.error();
  if (rows->empty()) co_return std::optional<OtpCode>();
  auto r = rows->front();
  co_return std::optional<OtpCode>(OtpCode{r.string(0), r.string(1), r.timestamp(2).value_or(""),
                                           r.timestamp(3).value_or(""), static_cast<int>(r.int64(4))});
}

net::awaitable<Result<void>> put(Runner run, OtpCode code) {
  Params key{code.phone};
  if (auto removed = co_await run_statement(run, kDeleteOtp, std::move(key)); !removed) co_return removed;
  Params params{code.phone, code.code_hash, code.created_at, code.expires_at};
  co_return co_await run_statement(run, kInsertOtp, std::move(params));
}

net::awaitable<Result<void>> count_attempt(Runner run, std::string phone) {
  Params params{std::move(phone)};
  return run_statement(run, kCountOtpAttempt, std::move(params));
}

net::awaitable<Result<void>> remove(Runner run, std::string phone) {
  Params params{std::move(phone)};
  return run_statement(run, kDeleteOtp, std::move(params));
}

}  // namespace otp_codes
}  // namespace fruitpak::db
