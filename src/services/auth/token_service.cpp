#include "services/auth/token_service.hpp"

#include "db/session_repository.hpp"
#include "util/clock.hpp"
#include "util/crypto.hpp"

#include <array>
#include <atomic>
#include <functional>

namespace fruitpak::services::auth {
namespace {

std::int64_t now_epoch() { return util::epoch_seconds(std::chrono::system_clock::now()); }

// One remembered verification. Slots are per thread, so no lock is taken.
struct RememberedToken {
  std::uint64_t instance = 0;  // 0: empty
  std::string token;
  std::int64_t expires = 0;    // the token's exp (epoch seconds)
  std::shared_ptr<const domain::Principal> principal;
};
constexpr std::size_t kRememberedSlots = 256;

RememberedToken& slot_for(std::string_view token) {
  thread_local std::array<RememberedToken, kRememberedSlots> slots;
  return slots[std::hash<std::string_view>{}(token) % kRememberedSlots];
}

std::atomic<std::uint64_t> next_instance{1};

}  // namespace

TokenService::TokenService(TokenSettings settings, RevocationRegistry& revoked)
    : settings_(std::move(settings)), revoked_(revoked), instance_(next_instance++) {}

net::awaitable<Result<domain::TokenPair>> TokenService::issue(db::Runner run, domain::User user,
                                                             std::string session_id) {
  const auto now = std::chrono::system_clock::now();
  const auto now_text = util::iso_utc(now);
  const auto refresh_expiry = now + settings_.refresh_lifetime;
  const auto refresh_expiry_text = util::iso_utc(refresh_expiry);
  if (session_id.empty()) {
    session_id = util::uuid4();
    auto created = co_await db::sessions::create(run, session_id, user.id, now_text, refresh_expiry_text);
    if (!created) co_return created.error();
  }

  TokenClaims access;
  access.sub = user.id;
  access.role = std::string(domain::to_string(user.role));
  access.permissions = user.permissions();
  access.type = TokenType::kAccess;
  access.iat = util::epoch_seconds(now);
  access.exp = util::epoch_seconds(now + settings_.access_lifetime);
  access.jti = util::uuid4();
  access.sid = session_id;
  if (user.enterprise_id) {
    access.enterprise_id = user.enterprise_id;
    access.tenant_schema = domain::tenant_schema_for(*user.enterprise_id);
  }
  TokenClaims refresh = access;
  refresh.type = TokenType::kRefresh;
  refresh.permissions.clear();
  refresh.exp = util::epoch_seconds(refresh_expiry);
  refresh.jti = util::uuid4();

  auto recorded = co_await db::sessions::add_refresh_token(run, refresh.jti, session_id, now_text, refresh_expiry_text);
  if (!recorded) co_return recorded.error();
  co_return domain::TokenPair{encode_jwt(access, settings_.secret), encode_jwt(refresh, settings_.secret),
                              std::move(user)};
}

Result<std::shared_ptr<const domain::Principal>> TokenService::verify_access(std::string_view token) const {
  auto& slot = slot_for(token);
  if (slot.instance == instance_ && slot.token == token) {
    // Checked as decode_jwt and verify_uncached would: expiry first, then revocation.
    if (slot.expires <= now_epoch()) return client_error(Errc::kUnauthorized, "Token expired or invalid");
    if (revoked_.is_revoked(slot.principal->session_id)) {
      return client_error(Errc::kUnauthorized, "Token has been revoked");
    }
    return slot.principal;
  }
  std::int64_t expires = 0;
  auto verified = verify_uncached(token, expires);
  if (verified) slot = RememberedToken{instance_, std::string(token), expires, *verified};
  return verified;
}

Result<std::shared_ptr<const domain::Principal>> TokenService::verify_uncached(std::string_view token,
                                                                                std::int64_t& expires) const {
  auto claims = decode_jwt(token, settings_.secret, now_epoch());
  if (!claims) return client_error(Errc::kUnauthorized, "Token expired or invalid");
  if (claims->type != TokenType::kAccess) return client_error(Errc::kUnauthorized, "Invalid or expired token");
  if (revoked_.is_revoked(claims->sid)) return client_error(Errc::kUnauthorized, "Token has been revoked");
  auto role = domain::parse_role(claims->role);
  if (!role) return client_error(Errc::kUnauthorized, "Invalid or expired token");
  auto p = std::make_shared<domain::Principal>();
  p->user_id = std::move(claims->sub);
  p->role = *role;
  p->permissions = std::move(claims->permissions);
  if (claims->enterprise_id) p->tenant.emplace(*claims->enterprise_id);
  p->tenant_schema = std::move(claims->tenant_schema);
  p->session_id = std::move(claims->sid);
  p->token_id = std::move(claims->jti);
  expires = claims->exp;
  return std::shared_ptr<const domain::Principal>(std::move(p));
}

Result<TokenClaims> TokenService::verify_refresh(std::string_view token) const {
  auto claims = decode_jwt(token, settings_.secret, now_epoch());
  if (!claims || claims->type != TokenType::kRefresh || revoked_.is_revoked(claims->sid)) {
    return client_error(Errc::kUnauthorized, "Invalid refresh token");
  }
  return std::move(*claims);
}

}  // namespace fruitpak::services::auth
