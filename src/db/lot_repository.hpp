#pragma once
// Lots of one tenant (contract 3.3, 11.1-11.3), the box sizes and references they name,
// and their pallet allocations. Soft-deleted lots are invisible to every function here.

#include "db/runner.hpp"
#include "domain/account.hpp"
#include "domain/lot.hpp"
#include "domain/page.hpp"

#include <optional>
#include <string>
#include <vector>

namespace fruitpak::db::lots {

// Stores every column of every lot in one statement (the joined fields are not columns).
// kConflict if a lot code is taken in this tenant. Requires: 1..100 lots.
[[nodiscard]] net::awaitable<Result<void>> insert(Runner run, domain::TenantId tenant, std::vector<domain::Lot> lots);

// Writes the editable columns of `lot` (11.3 PATCH) and its updated_at.
[[nodiscard]] net::awaitable<Result<void>> update(Runner run, domain::TenantId tenant, domain::Lot lot);

// The live lot with its joins (box size, batch code, grower) and palletized boxes.
[[nodiscard]] net::awaitable<Result<std::optional<domain::Lot>>> find(Runner run, domain::TenantId tenant,
                                                                     std::string id);

// The listed live lots as find() reads them, by lot code, in one statement.
[[nodiscard]] net::awaitable<Result<std::vector<domain::Lot>>> find_many(Runner run, domain::TenantId tenant,
                                                                        std::vector<std::string> ids);

// Newest first (created_at, then id, descending), filtered by exact matches. One
// statement, plus a count when the page lies past the end.
[[nodiscard]] net::awaitable<Result<domain::Page<domain::LotSummary>>> list(Runner run, domain::TenantId tenant,
                                                                           domain::LotFilter filter,
                                                                           domain::PageRequest page);

// Soft-deletes the live lot unless it has active pallet allocations, checked in the same
// statement. False if nothing was deleted.
[[nodiscard]] net::awaitable<Result<bool>> soft_delete(Runner run, domain::TenantId tenant, std::string id,
                                                       std::string now);

// The lot's active allocations, oldest first.
[[nodiscard]] net::awaitable<Result<std::vector<domain::PalletAllocation>>> allocations(Runner run,
                                                                                       domain::TenantId tenant,
                                                                                       std::string lot_id);

// Σ weight and Σ waste of the batch's live lots.
[[nodiscard]] net::awaitable<Result<domain::LotTotals>> totals(Runner run, domain::TenantId tenant,
                                                               std::string batch_id);

// Those of `ids` that are box sizes of this tenant, in no particular order. Requires: ids
// has no duplicates.
[[nodiscard]] net::awaitable<Result<std::vector<domain::BoxSize>>> box_sizes(Runner run, domain::TenantId tenant,
                                                                            std::vector<std::string> ids);

// The tenant tables a lot refers to by an id a client sends.
enum class Reference { kProductConfig, kPackSpec };

// True if `id` is a row of that table in this tenant.
[[nodiscard]] net::awaitable<Result<bool>> reference_exists(Runner run, domain::TenantId tenant, Reference table,
                                                            std::string id);

}  // namespace fruitpak::db::lots
