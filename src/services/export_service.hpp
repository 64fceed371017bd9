#pragma once
// Export bookings of a tenant (issue 7 point 4, D14): book, list, read, change, move along
// their status, attach and detach containers, soft delete. Every write is one transaction
// that locks the export row; a refused request leaves nothing behind. Safe for concurrent
// use.

#include "domain/account.hpp"
#include "domain/export.hpp"
#include "domain/page.hpp"
#include "util/asio.hpp"
#include "util/query_counter.hpp"
#include "util/result.hpp"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace fruitpak::db {
class Database;
}

namespace fruitpak::services {

// A PATCH of an export: `apply` copies the sent fields (absent = unchanged, null = cleared)
// onto the stored export, as read by the api layer; `status` is the status asked for, if any.
struct ExportUpdate {
  std::function<void(domain::Export&)> apply;
  std::optional<std::string> status;
};

class ExportService {
 public:
  explicit ExportService(db::Database& db) : db_(db) {}

  // Books `draft` (validated by the api layer) as a new draft export created by `user_id`,
  // with `container_ids` (0..100, no duplicates) attached as attach() does. Errors:
  // kConflict when the booking_ref is taken; kUnprocessable "<Link> not found" for a
  // shipping line, transporter, shipping agent or schedule not of this tenant; the
  // container errors of attach().
  [[nodiscard]] net::awaitable<Result<domain::ExportDetail>> create(domain::TenantId tenant, domain::Export draft,
                                                                    std::vector<std::string> container_ids,
                                                                    std::string user_id, util::QueryCounter* counter);

  // Newest first; one statement whatever the page size.
  [[nodiscard]] net::awaitable<Result<domain::Page<domain::Export>>> list(domain::TenantId tenant,
                                                                          domain::ExportFilter filter,
                                                                          domain::PageRequest page,
                                                                          util::QueryCounter* counter);

  // kNotFound "Export not found" for unknown, deleted and other tenants' ids alike. Three
  // statements.
  [[nodiscard]] net::awaitable<Result<domain::ExportDetail>> get(domain::TenantId tenant, std::string id,
                                                                 util::QueryCounter* counter);

  // Applies the update. Refusals, nothing written: kNotFound; kStateConflict (409) for a
  // completed or cancelled export, a status move the machine does not allow, or cancelling
  // an export with invoices that are not cancelled; kUnprocessable for an eta before the
  // etd, an arrival before the departure, or a link that names no row; kConflict for a
  // taken booking_ref.
  [[nodiscard]] net::awaitable<Result<domain::ExportDetail>> update(domain::TenantId tenant, std::string id,
                                                                    ExportUpdate update, util::QueryCounter* counter);

  // Attaches live containers of this tenant (1..100 ids, no duplicates) and recounts the
  // export's tallies. Refusals: kNotFound "Export not found", "Containers not found: <ids>";
  // kStateConflict for a completed or cancelled export, or "Container <number> is already
  // on export <booking_ref>". A container already on this export stays.
  [[nodiscard]] net::awaitable<Result<domain::ExportDetail>> attach(domain::TenantId tenant, std::string id,
                                                                    std::vector<std::string> container_ids,
                                                                    util::QueryCounter* counter);

  // Detaches one container and recounts the tallies. kNotFound when the export or the
  // container on it is missing; kStateConflict for a completed export (a cancelled one
  // may give its containers back).
  [[nodiscard]] net::awaitable<Result<domain::ExportDetail>> detach(domain::TenantId tenant, std::string id,
                                                                    std::string container_id,
                                                                    util::QueryCounter* counter);

  // Soft delete of a draft or cancelled export without live invoices (kStateConflict
  // otherwise); its containers are detached.
  [[nodiscard]] net::awaitable<Result<void>> remove(domain::TenantId tenant, std::string id,
                                                    util::QueryCounter* counter);

 private:
  db::Database& db_;
};

}  // namespace fruitpak::services
