#pragma once
// Pallets of one tenant and their lot allocations (contract 11.1, 11.2 and 11.4).
// Soft-deleted pallets and deallocated (soft-deleted) pallet_lots rows are invisible to
// every read here. Every read of pallets returns them with their active allocations, the
// allocated lots' codes, grades and box size names and their batches' codes, in one
// statement whatever the number of pallets or allocations.

#include "db/runner.hpp"
#include "domain/account.hpp"
#include "domain/page.hpp"
#include "domain/pallet.hpp"

#include <optional>
#include <string>
#include <vector>

namespace fruitpak::db::pallets {

// Stores the pallets' columns in one statement (joined fields and lines are not stored).
// kConflict if a pallet number is taken in this tenant. Requires: 1..100 pallets.
[[nodiscard]] net::awaitable<Result<void>> insert(Runner run, domain::TenantId tenant,
                                                  std::vector<domain::Pallet> pallets);

// Stores active allocations, all created at `now`, in one statement. Requires: 1..300 lines.
[[nodiscard]] net::awaitable<Result<void>> insert_lines(Runner run, domain::TenantId tenant,
                                                        std::vector<domain::PalletLine> lines, std::string now);

// Writes the editable columns of `pallet`, its current_boxes, status and updated_at.
[[nodiscard]] net::awaitable<Result<void>> update(Runner run, domain::TenantId tenant, domain::Pallet pallet);

// Takes the live pallet's row lock until the transaction ends (an UPDATE of updated_at
// to `now`, the same on both engines). False if there is no such live pallet.
[[nodiscard]] net::awaitable<Result<bool>> lock(Runner run, domain::TenantId tenant, std::string id,
                                                std::string now);

// The live pallet with its container number and active allocations.
[[nodiscard]] net::awaitable<Result<std::optional<domain::Pallet>>> find(Runner run, domain::TenantId tenant,
                                                                        std::string id);

// The listed live pallets as find() reads them, by pallet number. Requires: 1..100 ids.
[[nodiscard]] net::awaitable<Result<std::vector<domain::Pallet>>> find_many(Runner run, domain::TenantId tenant,
                                                                           std::vector<std::string> ids);

// Newest first (created_at, then id, descending), filtered. One statement, plus a count
// when the page lies past the end.
[[nodiscard]] net::awaitable<Result<domain::Page<domain::Pallet>>> list(Runner run, domain::TenantId tenant,
                                                                       domain::PalletFilter filter,
                                                                       domain::PageRequest page);

// Soft-deletes the live pallet if it is empty and in no container, checked in the same
// statement. False if nothing was deleted.
[[nodiscard]] net::awaitable<Result<bool>> soft_delete(Runner run, domain::TenantId tenant, std::string id,
                                                       std::string now);

// Takes the row locks of the listed live lots until the transaction ends, so their
// allocations cannot change under the caller. Requires: 1..100 ids.
[[nodiscard]] net::awaitable<Result<void>> lock_lots(Runner run, domain::TenantId tenant,
                                                     std::vector<std::string> lot_ids);

// Moves those of the listed lots that are "created" to "palletizing". Requires: 1..100 ids.
[[nodiscard]] net::awaitable<Result<void>> mark_lots_palletizing(Runner run, domain::TenantId tenant,
                                                                 std::vector<std::string> lot_ids, std::string now);

// The active allocation `line_id` of the pallet.
[[nodiscard]] net::awaitable<Result<std::optional<domain::PalletLine>>> find_line(Runner run,
                                                                                 domain::TenantId tenant,
                                                                                 std::string pallet_id,
                                                                                 std::string line_id);

// Soft-deletes the active allocation, stamping deallocated_at. False if it was not active.
[[nodiscard]] net::awaitable<Result<bool>> deallocate_line(Runner run, domain::TenantId tenant, std::string line_id,
                                                           std::string now);

// Moves the lot from "palletizing" back to "created" when it has no active allocation left.
[[nodiscard]] net::awaitable<Result<void>> release_lot(Runner run, domain::TenantId tenant, std::string lot_id,
                                                       std::string now);

// The tenant's box sizes and pallet types, by name (at most 1000 of each).
[[nodiscard]] net::awaitable<Result<std::vector<domain::BoxSizeOption>>> box_size_options(Runner run,
                                                                                         domain::TenantId tenant);
[[nodiscard]] net::awaitable<Result<std::vector<domain::PalletType>>> pallet_types(Runner run,
                                                                                  domain::TenantId tenant);

}  // namespace fruitpak::db::pallets
