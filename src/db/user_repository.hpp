#pragma once
// Users and enterprises (the public, non-tenant tables). Statements are named constants in
// the .cpp; every function runs on the given Runner.

#include "db/runner.hpp"
#include "domain/account.hpp"

#include <optional>
#include <string>
#include <vector>

namespace fruitpak::db::users {

[[nodiscard]] net::awaitable<Result<std::optional<domain::User>>> find_by_id(Runner run, std::string id);
[[nodiscard]] net::awaitable<Result<std::optional<domain::User>>> find_by_email(Runner run, std::string email);
[[nodiscard]] net::awaitable<Result<std::optional<domain::User>>> find_by_phone(Runner run, std::string phone);
// kConflict if the email or phone is taken.
[[nodiscard]] net::awaitable<Result<void>> insert(Runner run, domain::User user);
// Moves a user into an enterprise with a role (enterprise creation).
[[nodiscard]] net::awaitable<Result<void>> join_enterprise(Runner run, std::string user_id,
                                                           std::string enterprise_id, domain::Role role,
                                                           std::string now);
[[nodiscard]] net::awaitable<Result<void>> mark_otp_verified(Runner run, std::string user_id, std::string now);
// The users of one tenant, newest first.
[[nodiscard]] net::awaitable<Result<std::vector<domain::User>>> list_for_tenant(Runner run, domain::TenantId tenant);
// Writes what an administrator may change (full name, phone, role, custom permissions,
// assigned packhouses, active flag) of a user of `tenant`. kNotFound if there is no such
// user; kConflict if the phone is taken.
[[nodiscard]] net::awaitable<Result<void>> update_membership(Runner run, domain::TenantId tenant, domain::User user,
                                                             std::string now);

}  // namespace fruitpak::db::users

namespace fruitpak::db::enterprises {

[[nodiscard]] net::awaitable<Result<void>> insert(Runner run, domain::Enterprise enterprise, std::string now);
[[nodiscard]] net::awaitable<Result<std::optional<domain::Enterprise>>> find_by_id(Runner run, std::string id);
// Ids of the active enterprises that completed onboarding, oldest first.
[[nodiscard]] net::awaitable<Result<std::vector<std::string>>> active_onboarded_ids(Runner run);

}  // namespace fruitpak::db::enterprises
