#pragma once
// Packhouses of one tenant. Every function takes the tenant: rows of other tenants are
// invisible (not found), never an error that reveals they exist.

#include "db/runner.hpp"
#include "domain/account.hpp"
#include "domain/packhouse.hpp"
#include "domain/page.hpp"

namespace fruitpak::db::packhouses {

[[nodiscard]] net::awaitable<Result<void>> insert(Runner run, domain::TenantId tenant, domain::Packhouse packhouse);
[[nodiscard]] net::awaitable<Result<std::optional<domain::Packhouse>>> find(Runner run, domain::TenantId tenant,
                                                                           std::string id);
// Ordered by name (then id); the total counts every packhouse of the tenant.
[[nodiscard]] net::awaitable<Result<domain::Page<domain::Packhouse>>> list(Runner run, domain::TenantId tenant,
                                                                          domain::PageRequest page);

}  // namespace fruitpak::db::packhouses
