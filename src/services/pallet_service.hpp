#pragma once
// Pallets of a tenant (contract 11.4; decisions D1, D5, D9, D12, D16; issue 7 point 2):
// build pallets from lots, create empty ones, list, read, edit and delete them, allocate
// lots to them and take allocations off. Every write is one transaction that first takes
// the row locks of the pallet and of the lots it allocates from, so two requests can never
// allocate the same boxes twice; a refused request leaves nothing behind. Safe for
// concurrent use.

#include "domain/account.hpp"
#include "domain/page.hpp"
#include "domain/pallet.hpp"
#include "util/asio.hpp"
#include "util/query_counter.hpp"
#include "util/result.hpp"

#include <string>
#include <vector>

namespace fruitpak::db {
class Database;
}

namespace fruitpak::services {

// A request may build at most this many pallets.
inline constexpr std::int64_t kMaxPalletsPerRequest = 100;

class PalletService {
 public:
  explicit PalletService(db::Database& db) : db_(db) {}

  // Fills pallets of `capacity_boxes` with the assigned boxes in order, overflowing into
  // new pallets, numbered PAL-<UTC day>-NNN (race-free). Each pallet takes fruit, variety,
  // grade and box size from the first assigned lot, the size from the request or else the
  // lots' single size, and is "closed" when full, else "open". Lots still "created" move to
  // "palletizing". Returns the pallets in the order they were filled. Errors:
  // kUnprocessable "Packhouse not found"; kNotFound "Lot <id> not found"; kInvalidInput
  // for a shortfall of unallocated boxes, mixed sizes or box types not allowed, or more
  // than kMaxPalletsPerRequest pallets.
  [[nodiscard]] net::awaitable<Result<std::vector<domain::Pallet>>> create_from_lots(domain::TenantId tenant,
                                                                                    std::string user_id,
                                                                                    domain::PalletsFromLots request,
                                                                                    util::QueryCounter* counter);

  // An empty "open" pallet. Errors: kUnprocessable "Packhouse not found"; kNotFound "Box
  // size not found".
  [[nodiscard]] net::awaitable<Result<domain::Pallet>> create_empty(domain::TenantId tenant, std::string user_id,
                                                                    domain::EmptyPallet request,
                                                                    util::QueryCounter* counter);

  // Live pallets, newest first, with their allocations. One statement whatever the page size.
  [[nodiscard]] net::awaitable<Result<domain::Page<domain::Pallet>>> list(domain::TenantId tenant,
                                                                         domain::PalletFilter filter,
                                                                         domain::PageRequest page,
                                                                         util::QueryCounter* counter);

  // kNotFound "Pallet not found" for unknown, deleted and other tenants' ids alike. One statement.
  [[nodiscard]] net::awaitable<Result<domain::Pallet>> get(domain::TenantId tenant, std::string id,
                                                          util::QueryCounter* counter);

  // Applies the sent keys; box_size_name follows box_size_id; the status follows the fill
  // (open below capacity, closed when full). Errors: kNotFound "Pallet not found";
  // kInvalidInput "Cannot edit a '<status>' pallet" (loaded, exported), "Capacity cannot be
  // less than current boxes (<n>)", "Box size not found"; kStateConflict "Cannot edit
  // <field>: ..." for a locked field of a pallet in a container.
  [[nodiscard]] net::awaitable<Result<domain::Pallet>> update(domain::TenantId tenant, std::string id,
                                                             domain::PalletUpdate update,
                                                             util::QueryCounter* counter);

  // Soft delete. Errors: kNotFound; kStateConflict while the pallet is in a container;
  // kInvalidInput "Cannot delete pallet with <n> allocated box(es). ..." while it holds boxes.
  [[nodiscard]] net::awaitable<Result<void>> remove(domain::TenantId tenant, std::string id,
                                                   util::QueryCounter* counter);

  // Puts boxes of lots on an open pallet; its empty fields (size, fruit, variety, grade,
  // box size) are taken from the lots; "closed" when full. Errors: kNotFound "Pallet not
  // found" / "Lot <id> not found"; kInvalidInput "Pallet is '<status>', must be 'open' to
  // allocate", "Cannot fit <n> boxes, only <m> capacity remaining", size or box type
  // mismatches not allowed, shortfalls; kStateConflict when the pallet is in a container.
  [[nodiscard]] net::awaitable<Result<domain::Pallet>> allocate(domain::TenantId tenant, std::string id,
                                                               domain::Allocation allocation,
                                                               util::QueryCounter* counter);

  // Takes an allocation off the pallet: its boxes return to the lot, a closed pallet
  // reopens below capacity, a lot left without allocations goes back to "created".
  // Errors: kNotFound "Pallet not found" / "Pallet-lot allocation not found";
  // kInvalidInput "Cannot deallocate from a '<status>' pallet"; kStateConflict when the
  // pallet is in a container.
  [[nodiscard]] net::awaitable<Result<domain::Deallocation>> deallocate(domain::TenantId tenant,
                                                                       std::string pallet_id,
                                                                       std::string pallet_lot_id,
                                                                       util::QueryCounter* counter);

  // The tenant's box sizes and pallet types (the wizard writes them), by name.
  [[nodiscard]] net::awaitable<Result<std::vector<domain::BoxSizeOption>>> box_sizes(domain::TenantId tenant,
                                                                                    util::QueryCounter* counter);
  [[nodiscard]] net::awaitable<Result<std::vector<domain::PalletType>>> pallet_types(domain::TenantId tenant,
                                                                                    util::QueryCounter* counter);

 private:
  db::Database& db_;
};

}  // namespace fruitpak::services
