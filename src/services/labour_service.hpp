#pragma once
// Labour costs of a tenant (issue 7, D14): record, list, read, change, soft delete. Safe for
// concurrent use; every write is one transaction.

#include "domain/account.hpp"
#include "domain/labour.hpp"
#include "domain/page.hpp"
#include "util/asio.hpp"
#include "util/query_counter.hpp"
#include "util/result.hpp"

#include <functional>
#include <optional>
#include <string>

namespace fruitpak::db {
class Database;
}

namespace fruitpak::services {

// A change to a labour cost, applied to the stored row by the api layer's reader (absent =
// unchanged, null = cleared).
using LabourPatch = std::function<void(domain::LabourCost&)>;

class LabourService {
 public:
  explicit LabourService(db::Database& db) : db_(db) {}

  // Stores `draft` (validated by the api layer, total_amount already set) as a new cost
  // recorded by `user_id`. kUnprocessable "<Link> not found" when a supplier, packhouse,
  // pack line or harvest team id names no row of this tenant.
  [[nodiscard]] net::awaitable<Result<domain::LabourCost>> create(domain::TenantId tenant, domain::LabourCost draft,
                                                                  std::string user_id, util::QueryCounter* counter);

  // kNotFound "Labour cost not found" for unknown, deleted and other tenants' ids alike.
  [[nodiscard]] net::awaitable<Result<domain::LabourCost>> get(domain::TenantId tenant, std::string id,
                                                               util::QueryCounter* counter);

  [[nodiscard]] net::awaitable<Result<domain::Page<domain::LabourCost>>> list(domain::TenantId tenant,
                                                                              domain::LabourFilter filter,
                                                                              domain::PageRequest page,
                                                                              util::QueryCounter* counter);

  // Applies `patch`. A total the client did not send follows a changed basis when it was the
  // basis's own product before (a hand-entered total stays: reconciliation flags it).
  // Refusals, nothing written: kNotFound; kStateConflict (409) when the status would move
  // backwards or a paid cost would change anything but its notes; kUnprocessable for a
  // period that ends before it starts or a link that names no row.
  [[nodiscard]] net::awaitable<Result<domain::LabourCost>> update(domain::TenantId tenant, std::string id,
                                                                  LabourPatch patch, bool total_sent,
                                                                  util::QueryCounter* counter);

  // kNotFound as get(); kStateConflict for a paid cost (it is part of the books).
  [[nodiscard]] net::awaitable<Result<void>> remove(domain::TenantId tenant, std::string id,
                                                    util::QueryCounter* counter);

 private:
  db::Database& db_;
};

}  // namespace fruitpak::services
