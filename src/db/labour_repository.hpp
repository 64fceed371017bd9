#pragma once
// Labour costs of one tenant (issue 7, D14). Soft-deleted rows are invisible to every
// function here.

#include "db/runner.hpp"
#include "domain/account.hpp"
#include "domain/labour.hpp"
#include "domain/page.hpp"

#include <optional>
#include <string>

namespace fruitpak::db::labour {

[[nodiscard]] net::awaitable<Result<void>> insert(Runner run, domain::TenantId tenant, domain::LabourCost cost);

[[nodiscard]] net::awaitable<Result<std::optional<domain::LabourCost>>> find(Runner run, domain::TenantId tenant,
                                                                             std::string id);

// Newest work day first (then created_at, id, descending), filtered. One statement, plus a
// count when the page lies past the end.
[[nodiscard]] net::awaitable<Result<domain::Page<domain::LabourCost>>> list(Runner run, domain::TenantId tenant,
                                                                            domain::LabourFilter filter,
                                                                            domain::PageRequest page);

// Writes every column but id, created_at and recorded_by. kNotFound if the row vanished.
[[nodiscard]] net::awaitable<Result<void>> update(Runner run, domain::TenantId tenant, domain::LabourCost cost);

// False if there was no live row to delete.
[[nodiscard]] net::awaitable<Result<bool>> soft_delete(Runner run, domain::TenantId tenant, std::string id,
                                                       std::string now);

// Which of the cost's links (supplier, packhouse, pack line, harvest team) name no row of
// this tenant: the first such field name ("packhouse_id", ...), or nullopt when all that
// are set exist. One statement.
[[nodiscard]] net::awaitable<Result<std::optional<std::string>>> missing_link(Runner run, domain::TenantId tenant,
                                                                              const domain::LabourCost& cost);

}  // namespace fruitpak::db::labour
