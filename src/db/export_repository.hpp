#pragma once
// Export bookings of one tenant (issue 7 point 4, D14), the containers attached to them and
// the invoices raised against them. Soft-deleted exports, containers and invoices are
// invisible to every function here.

#include "db/runner.hpp"
#include "domain/account.hpp"
#include "domain/export.hpp"
#include "domain/page.hpp"

#include <optional>
#include <string>
#include <vector>

namespace fruitpak::db::exports {

// Stores every column of `booking` (tallies as given). kConflict when the booking_ref is
// taken in this tenant (deleted exports keep theirs).
[[nodiscard]] net::awaitable<Result<void>> insert(Runner run, domain::TenantId tenant, domain::Export booking);

// Writes every column a client can change (not the tallies, created_by or created_at).
// kConflict as insert; kNotFound if the row vanished.
[[nodiscard]] net::awaitable<Result<void>> update(Runner run, domain::TenantId tenant, domain::Export booking);

[[nodiscard]] net::awaitable<Result<std::optional<domain::Export>>> find(Runner run, domain::TenantId tenant,
                                                                         std::string id);

// find(), after locking the row for the rest of the transaction (its updated_at is set to
// `now`).
[[nodiscard]] net::awaitable<Result<std::optional<domain::Export>>> find_for_update(Runner run,
                                                                                    domain::TenantId tenant,
                                                                                    std::string id, std::string now);

// The export with its live containers and live invoices: three statements.
[[nodiscard]] net::awaitable<Result<std::optional<domain::ExportDetail>>> detail(Runner run, domain::TenantId tenant,
                                                                                 std::string id);

// Newest first (created_at, then id, descending), filtered. One statement, plus a count
// when the page lies past the end.
[[nodiscard]] net::awaitable<Result<domain::Page<domain::Export>>> list(Runner run, domain::TenantId tenant,
                                                                        domain::ExportFilter filter,
                                                                        domain::PageRequest page);

// False if there was no live row to delete.
[[nodiscard]] net::awaitable<Result<bool>> soft_delete(Runner run, domain::TenantId tenant, std::string id,
                                                       std::string now);

// Which of the export's links (shipping line, transporter, shipping agent, shipping
// schedule) name no row of this tenant: the first such field name, or nullopt when all that
// are set exist. One statement.
[[nodiscard]] net::awaitable<Result<std::optional<std::string>>> missing_link(Runner run, domain::TenantId tenant,
                                                                              const domain::Export& booking);

// Locks those of `ids` that are live containers of this tenant and returns them with the
// export each is on. Two statements. Requires: 1..100 ids without duplicates.
[[nodiscard]] net::awaitable<Result<std::vector<domain::ContainerPlacement>>> lock_containers(
    Runner run, domain::TenantId tenant, std::vector<std::string> ids, std::string now);

// Puts the listed live containers on the export (those on no export, or on this one
// already). Returns how many rows it changed.
[[nodiscard]] net::awaitable<Result<std::int64_t>> attach(Runner run, domain::TenantId tenant, std::string export_id,
                                                          std::vector<std::string> container_ids, std::string now);

// Takes the live container off the export; false if it was not on it.
[[nodiscard]] net::awaitable<Result<bool>> detach(Runner run, domain::TenantId tenant, std::string export_id,
                                                  std::string container_id, std::string now);

// Takes every container off the export.
[[nodiscard]] net::awaitable<Result<void>> detach_all(Runner run, domain::TenantId tenant, std::string export_id,
                                                      std::string now);

// Sets container_count, total_pallets and total_cartons from the export's live containers.
[[nodiscard]] net::awaitable<Result<void>> recount(Runner run, domain::TenantId tenant, std::string export_id,
                                                   std::string now);

struct InvoiceCounts {
  std::int64_t live = 0;           // not deleted
  std::int64_t not_cancelled = 0;  // not deleted and not cancelled
};

[[nodiscard]] net::awaitable<Result<InvoiceCounts>> invoice_counts(Runner run, domain::TenantId tenant,
                                                                   std::string export_id);

}  // namespace fruitpak::db::exports
