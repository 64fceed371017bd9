#include "services/auth/auth_service.hpp"

#include "db/database.hpp"
#include "db/session_repository.hpp"
#include "db/user_repository.hpp"
#include "services/auth/password_hasher.hpp"
#include "util/clock.hpp"
#include "util/crypto.hpp"

#include <spdlog/spdlog.h>

namespace fruitpak::services::auth {
namespace {

using std::chrono::system_clock;

// Verified against when the email is unknown, so that an unknown account costs the same
// time as a wrong password (no account enumeration by timing).
constexpr std::string_view kDummyHash = "$2b$12$C6UzMDM.H6dfI/f/IKcEeO5f9mA9v5Z1q7S6r4T8X0mC2J5sN7y2e";

// When a revoked session's tokens stop mattering; a year ahead if the stored value is odd.
std::int64_t expiry_epoch(const std::string& text) {
  auto when = util::parse_iso_utc(text);
  return when ? util::epoch_seconds(*when) : util::epoch_seconds(system_clock::now()) + 365 * 86400;
}

Error invalid_credentials() { return client_error(Errc::kUnauthorized, "Invalid credentials"); }
Error user_gone() { return client_error(Errc::kUnauthorized, "User not found or inactive"); }

// A unique violation on insert means another request took the email or phone meanwhile.
Error duplicate_user(const Error& e, const std::optional<std::string>& phone) {
  if (e.code != Errc::kConflict) return e;
  if (phone && e.detail.find("phone") != std::string::npos) {
    return client_error(Errc::kInvalidInput, "Phone already registered");
  }
  return client_error(Errc::kInvalidInput, "Email already registered");
}

// 400 "Email already registered" / "Phone already registered" when taken. The unique
// constraints still decide under a race (see duplicate_user).
net::awaitable<Result<void>> ensure_unclaimed(db::Runner run, std::string email, std::optional<std::string> phone) {
  auto by_email = co_await db::users::find_by_email(run, std::move(email));
  if (!by_email) co_return by_email.error();
  if (*by_email) co_return client_error(Errc::kInvalidInput, "Email already registered");
  if (phone) {
    auto by_phone = co_await db::users::find_by_phone(run, std::move(*phone));
    if (!by_phone) co_return by_phone.error();
    if (*by_phone) co_return client_error(Errc::kInvalidInput, "Phone already registered");
  }
  co_return Result<void>{};
}

}  // namespace

AuthService::AuthService(AuthSettings settings, db::Database& db, util::BlockingPool& blocking, TokenService& tokens,
                         RevocationSync& revocations, SmsSender& sms)
    : settings_(std::move(settings)),
      db_(db),
      blocking_(blocking),
      tokens_(tokens),
      revocations_(revocations),
      sms_(sms),
      login_failures_(settings_.login_failures) {}

net::awaitable<Result<std::optional<std::string>>> AuthService::hash_optional(
    const std::optional<std::string>& password) {
  if (!password) co_return std::optional<std::string>();
  const int cost = settings_.bcrypt_cost;
  auto work = [password, cost] { return hash_password(*password, cost); };
  auto hashed = co_await blocking_.run(work);
  if (!hashed) co_return client_error(Errc::kInvalidInput, "Password cannot be used");
  co_return std::optional<std::string>(std::move(*hashed));
}

net::awaitable<Result<domain::TokenPair>> AuthService::register_user(RegisterInput input, Counter counter) {
  db::Runner run(db_, counter);
  if (auto free = co_await ensure_unclaimed(run, input.email, input.phone); !free) co_return free.error();
  std::optional<std::string> password = input.password;
  auto hashed = co_await hash_optional(password);
  if (!hashed) co_return hashed.error();

  domain::User user;
  user.id = util::uuid4();
  user.email = std::move(input.email);
  user.hashed_password = std::move(*hashed);
  user.full_name = std::move(input.full_name);
  user.phone = std::move(input.phone);
  user.role = domain::Role::kAdministrator;  // the registrant will own the enterprise
  user.created_at = user.updated_at = util::iso_utc_now();
  if (auto inserted = co_await db::users::insert(run, user); !inserted) {
    co_return duplicate_user(inserted.error(), user.phone);
  }
  co_return co_await tokens_.issue(run, std::move(user));
}

net::awaitable<Result<domain::TokenPair>> AuthService::login(std::string email, std::string password, Counter counter) {
  const auto now = system_clock::now();
  if (auto blocked = login_failures_.peek(email, now); !blocked.allowed) {
    Error locked = client_error(Errc::kRateLimited, "Too many failed login attempts for this account. Try again in " +
                                                        std::to_string(blocked.retry_after) + " seconds.");
    locked.retry_after_seconds = static_cast<long>(blocked.retry_after);
    co_return locked;
  }
  db::Runner run(db_, counter);
  auto found = co_await db::users::find_by_email(run, email);
  if (!found) co_return found.error();
  std::string hash = (*found && (*found)->hashed_password) ? *(*found)->hashed_password : std::string(kDummyHash);
  auto work = [password, hash] { return verify_password(password, hash); };
  const bool matches = co_await blocking_.run(work);
  if (!*found || !(*found)->hashed_password || !matches) {
    login_failures_.check(email, now);
    co_return invalid_credentials();
  }
  if (!(*found)->is_active) co_return client_error(Errc::kForbidden, "Account deactivated");
  co_return co_await tokens_.issue(run, std::move(**found));
}

net::awaitable<Result<domain::TokenPair>> AuthService::refresh(std::string refresh_token, Counter counter) {
  auto claims = tokens_.verify_refresh(refresh_token);
  if (!claims) co_return claims.error();
  db::Runner run(db_, counter);
  auto consumed = co_await db::sessions::consume_refresh_token(run, claims->jti, claims->sid, util::iso_utc_now());
  if (!consumed) co_return consumed.error();
  if (*consumed == db::sessions::Consumed::kAlreadyUsed) {
    // A rotated token came back: it was stolen or replayed. End the whole session family.
    spdlog::warn("refresh token reuse for user {} session {}: session revoked", claims->sub, claims->sid);
    if (auto revoked = co_await revoke_session(claims->sid, "refresh_token_reuse", counter); !revoked) {
      co_return revoked.error();
    }
  }
  if (*consumed != db::sessions::Consumed::kOk) co_return client_error(Errc::kUnauthorized, "Invalid refresh token");
  auto user = co_await active_user(claims->sub, counter);
  if (!user) co_return user.error();
  co_return co_await tokens_.issue(run, std::move(*user), claims->sid);
}

net::awaitable<Result<void>> AuthService::logout(domain::Principal caller, Counter counter) {
  co_return co_await revoke_session(caller.session_id, "logout", counter);
}

net::awaitable<Result<void>> AuthService::revoke_session(const std::string& session_id, std::string reason,
                                                         Counter counter) {
  db::Runner run(db_, counter);
  auto expiry = co_await db::sessions::revoke(run, session_id, std::move(reason), util::iso_utc_now());
  if (!expiry) co_return expiry.error();
  if (*expiry) revocations_.revoked(session_id, expiry_epoch(**expiry));
  co_return Result<void>{};
}

net::awaitable<Result<void>> AuthService::revoke_user(std::string user_id, std::string reason, Counter counter) {
  db::Runner run(db_, counter);
  auto revoked = co_await db::sessions::revoke_all_of_user(run, std::move(user_id), std::move(reason), util::iso_utc_now());
  if (!revoked) co_return revoked.error();
  for (const auto& s : *revoked) revocations_.revoked(s.session_id, expiry_epoch(s.expires_at));
  co_return Result<void>{};
}

net::awaitable<Result<domain::User>> AuthService::active_user(const std::string& user_id, Counter counter) {
  auto found = co_await db::users::find_by_id(db::Runner(db_, counter), user_id);
  if (!found) co_return found.error();
  if (!*found || !(*found)->is_active) co_return user_gone();
  co_return std::move(**found);
}

net::awaitable<Result<domain::User>> AuthService::me(domain::Principal caller, Counter counter) {
  co_return co_await active_user(caller.user_id, counter);
}

net::awaitable<Result<domain::User>> AuthService::signup(domain::Principal caller, SignupInput input, Counter counter) {
  auto admin = co_await active_user(caller.user_id, counter);
  if (!admin) co_return admin.error();
  if (admin->role != domain::Role::kAdministrator) {
    co_return client_error(Errc::kForbidden, "Requires role: administrator");
  }
  if (!admin->enterprise_id) co_return client_error(Errc::kInvalidInput, "Create an enterprise first");
  auto role = domain::parse_role(input.role);
  if (!role || input.role != domain::to_string(*role)) {
    co_return client_error(Errc::kInvalidInput, "Invalid role. Choose: administrator, supervisor, operator");
  }
  db::Runner run(db_, counter);
  if (auto free = co_await ensure_unclaimed(run, input.email, input.phone); !free) co_return free.error();
  auto hashed = co_await hash_optional(input.password);
  if (!hashed) co_return hashed.error();
  domain::User user;
  user.id = util::uuid4();
  user.email = std::move(input.email);
  user.hashed_password = std::move(*hashed);
  user.full_name = std::move(input.full_name);
  user.phone = std::move(input.phone);
  user.role = *role;
  user.enterprise_id = admin->enterprise_id;
  user.assigned_packhouses = std::move(input.assigned_packhouses);
  user.created_by = admin->id;
  user.created_at = user.updated_at = util::iso_utc_now();
  if (auto inserted = co_await db::users::insert(run, user); !inserted) {
    co_return duplicate_user(inserted.error(), user.phone);
  }
  co_return user;
}

std::string AuthService::otp_hash(const std::string& phone, const std::string& code) const {
  return util::base64url_encode(util::hmac_sha256(settings_.otp_key, phone + ":" + code));
}

net::awaitable<Result<OtpRequestOutcome>> AuthService::request_otp(std::string phone, Counter counter) {
  db::Runner run(db_, counter);
  auto user = co_await db::users::find_by_phone(run, phone);
  if (!user) co_return user.error();
  if (!*user || !(*user)->is_active) co_return OtpRequestOutcome{};
  const auto now = system_clock::now();
  auto pending = co_await db::otp_codes::find(run, phone);
  if (!pending) co_return pending.error();
  if (*pending) {
    auto created = util::parse_iso_utc((*pending)->created_at);
    if (created && now - *created < settings_.otp_cooldown) {
      auto wait = std::chrono::duration_cast<std::chrono::seconds>(settings_.otp_cooldown - (now - *created)).count();
      Error cooling = client_error(Errc::kRateLimited,
                                   "Wait " + std::to_string(std::max<long>(1, wait)) + "s before requesting another code");
      cooling.retry_after_seconds = std::max<long>(1, wait);
      co_return cooling;
    }
  }
  const std::string code = util::random_digits(6);
  db::otp_codes::OtpCode stored{phone, otp_hash(phone, code), util::iso_utc(now),
                                util::iso_utc(now + settings_.otp_lifetime), 0};
  if (auto put = co_await db::otp_codes::put(run, stored); !put) co_return put.error();
  if (auto sent = co_await sms_.send(phone, "Your FruitPAK verification code is: " + code); !sent) {
    spdlog::error("OTP SMS to {} failed: {}", phone, sent.error().detail);
    co_return make_error(Errc::kUnavailable, "SMS delivery failed");
  }
  OtpRequestOutcome outcome{true, std::nullopt};
  if (!sms_.delivers() && settings_.expose_dev_code) outcome.dev_code = code;
  co_return outcome;
}

net::awaitable<Result<domain::TokenPair>> AuthService::verify_otp(std::string phone, std::string code, Counter counter) {
  db::Runner run(db_, counter);
  const auto invalid = client_error(Errc::kInvalidInput, "Invalid or expired OTP");
  auto pending = co_await db::otp_codes::find(run, phone);
  if (!pending) co_return pending.error();
  if (!*pending) co_return invalid;
  auto expires = util::parse_iso_utc((*pending)->expires_at);
  if (!expires || system_clock::now() >= *expires || (*pending)->attempts >= settings_.otp_max_attempts) {
    if (auto removed = co_await db::otp_codes::remove(run, phone); !removed) co_return removed.error();
    co_return invalid;
  }
  if (auto counted = co_await db::otp_codes::count_attempt(run, phone); !counted) co_return counted.error();
  if (!util::constant_time_equal(otp_hash(phone, code), (*pending)->code_hash)) co_return invalid;
  if (auto removed = co_await db::otp_codes::remove(run, phone); !removed) co_return removed.error();  // single use

  auto user = co_await db::users::find_by_phone(run, phone);
  if (!user) co_return user.error();
  if (!*user || !(*user)->is_active) co_return user_gone();
  if (auto marked = co_await db::users::mark_otp_verified(run, (*user)->id, util::iso_utc_now()); !marked) {
    co_return marked.error();
  }
  (*user)->otp_verified = true;
  co_return co_await tokens_.issue(run, std::move(**user));
}

net::awaitable<Result<domain::Enterprise>> AuthService::create_enterprise(domain::Principal caller, std::string name,
                                                                        std::string country, Counter counter) {
  auto user = co_await active_user(caller.user_id, counter);
  if (!user) co_return user.error();
  if (user->enterprise_id) co_return client_error(Errc::kInvalidInput, "User already belongs to an enterprise");
  domain::Enterprise enterprise;
  enterprise.id = util::uuid4();
  enterprise.name = std::move(name);
  enterprise.country = std::move(country);
  enterprise.tenant_schema = domain::tenant_schema_for(enterprise.id);
  enterprise.created_at = util::iso_utc_now();
  auto work = [&enterprise, &user](db::Lease& tx) -> net::awaitable<Result<domain::Enterprise>> {
    db::Runner run(tx);
    if (auto inserted = co_await db::enterprises::insert(run, enterprise, enterprise.created_at); !inserted) {
      co_return inserted.error();
    }
    auto joined = co_await db::users::join_enterprise(run, user->id, enterprise.id, domain::Role::kAdministrator,
                                                      enterprise.created_at);
    if (!joined) co_return joined.error();
    co_return enterprise;
  };
  co_return co_await db_.transaction(work, counter);
}

net::awaitable<Result<domain::TokenPair>> AuthService::reissue_token(domain::Principal caller, Counter counter) {
  auto user = co_await active_user(caller.user_id, counter);
  if (!user) co_return user.error();
  if (!user->enterprise_id) co_return client_error(Errc::kInvalidInput, "User has no enterprise");
  db::Runner run(db_, counter);
  auto enterprise = co_await db::enterprises::find_by_id(run, *user->enterprise_id);
  if (!enterprise) co_return enterprise.error();
  if (!*enterprise) co_return client_error(Errc::kNotFound, "Enterprise not found");
  co_return co_await tokens_.issue(run, std::move(*user), caller.session_id);
}

}  // namespace fruitpak::services::auth
