#pragma once
// Growers of one tenant (contract 2.5, 11.9; decision D14 adds create and soft delete).
// Soft-deleted growers are invisible to every function here.

#include "db/runner.hpp"
#include "domain/account.hpp"
#include "domain/packhouse.hpp"
#include "domain/page.hpp"

namespace fruitpak::db::growers {

// kConflict when the grower_code is taken in this tenant.
[[nodiscard]] net::awaitable<Result<void>> insert(Runner run, domain::TenantId tenant, domain::Grower grower);
[[nodiscard]] net::awaitable<Result<std::optional<domain::Grower>>> find(Runner run, domain::TenantId tenant,
                                                                        std::string id);
// Ordered by name (then id), inactive growers included.
[[nodiscard]] net::awaitable<Result<domain::Page<domain::Grower>>> list(Runner run, domain::TenantId tenant,
                                                                       domain::PageRequest page);
// Writes every editable column of `grower` (the service merged the patch). kConflict on a
// taken grower_code.
[[nodiscard]] net::awaitable<Result<void>> update(Runner run, domain::TenantId tenant, domain::Grower grower,
                                                  std::string now);
// Marks deleted; false if there was no such (live) grower.
[[nodiscard]] net::awaitable<Result<bool>> soft_delete(Runner run, domain::TenantId tenant, std::string id,
                                                       std::string now);
// Live (not deleted, not rejected) batches of the grower.
[[nodiscard]] net::awaitable<Result<std::int64_t>> active_batch_count(Runner run, domain::TenantId tenant,
                                                                      std::string id);

}  // namespace fruitpak::db::growers
