#include "services/user_admin_service.hpp"

#include "db/database.hpp"
#include "db/user_repository.hpp"
#include "services/auth/auth_service.hpp"
#include "util/clock.hpp"

namespace fruitpak::services {
namespace {

Error user_not_found() { return client_error(Errc::kNotFound, "User not found"); }

}  // namespace

net::awaitable<Result<void>> UserAdminService::require_administrator(const domain::Principal& caller,
                                                                     util::QueryCounter* counter) {
  // The stored role decides, not the token's claim: a demoted administrator is refused at once.
  auto self = co_await db::users::find_by_id(db::Runner(db_, counter), caller.user_id);
  if (!self) co_return self.error();
  if (!*self || !(*self)->is_active || (*self)->role != domain::Role::kAdministrator) {
    co_return client_error(Errc::kForbidden, "Requires role: administrator");
  }
  co_return Result<void>{};
}

net::awaitable<Result<domain::User>> UserAdminService::member(const domain::Principal& caller,
                                                              const std::string& user_id,
                                                              util::QueryCounter* counter) {
  auto found = co_await db::users::find_by_id(db::Runner(db_, counter), user_id);
  if (!found) co_return found.error();
  if (!*found || (*found)->enterprise_id != caller.tenant->value()) co_return user_not_found();
  co_return std::move(**found);
}

net::awaitable<Result<std::vector<domain::User>>> UserAdminService::list(domain::Principal caller,
                                                                         util::QueryCounter* counter) {
  if (auto allowed = co_await require_administrator(caller, counter); !allowed) co_return allowed.error();
  co_return co_await db::users::list_for_tenant(db::Runner(db_, counter), *caller.tenant);
}

net::awaitable<Result<domain::User>> UserAdminService::change(domain::Principal caller, std::string user_id,
                                                              MembershipChange change, util::QueryCounter* counter) {
  if (auto allowed = co_await require_administrator(caller, counter); !allowed) co_return allowed.error();
  auto found = co_await member(caller, user_id, counter);
  if (!found) co_return found.error();
  if (change.role && user_id == caller.user_id) {
    co_return client_error(Errc::kInvalidInput, "Cannot change your own role");
  }
  domain::User user = std::move(*found);
  const auto permissions_before = user.permissions();
  if (change.role) user.role = *change.role;
  if (change.full_name) user.full_name = *change.full_name;
  if (change.phone) user.phone = *change.phone;
  if (change.assigned_packhouses) user.assigned_packhouses = *change.assigned_packhouses;
  if (change.custom_permissions) user.custom_permissions = *change.custom_permissions;
  auto stored = co_await db::users::update_membership(db::Runner(db_, counter), *caller.tenant, user,
                                                      util::iso_utc_now());
  if (!stored) co_return stored.error();
  // Tokens carry the role and permissions they were issued with: end them when those change.
  if (user.permissions() != permissions_before || change.role) {
    auto revoked = co_await auth_.revoke_user(user.id, "permissions changed", counter);
    if (!revoked) co_return revoked.error();
  }
  co_return user;
}

net::awaitable<Result<domain::User>> UserAdminService::set_active(domain::Principal caller, std::string user_id,
                                                                  bool active, util::QueryCounter* counter) {
  if (auto allowed = co_await require_administrator(caller, counter); !allowed) co_return allowed.error();
  if (!active && user_id == caller.user_id) co_return client_error(Errc::kInvalidInput, "Cannot deactivate yourself");
  auto found = co_await member(caller, user_id, counter);
  if (!found) co_return found.error();
  domain::User user = std::move(*found);
  user.is_active = active;
  auto stored = co_await db::users::update_membership(db::Runner(db_, counter), *caller.tenant, user,
                                                      util::iso_utc_now());
  if (!stored) co_return stored.error();
  if (!active) {
    auto revoked = co_await auth_.revoke_user(user.id, "deactivated", counter);
    if (!revoked) co_return revoked.error();
  }
  co_return user;
}

}  // namespace fruitpak::services
