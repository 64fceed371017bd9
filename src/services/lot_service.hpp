#pragma once
// Lots of a tenant (contract 11.3; decisions D1, D5, D9, D12; issue 7 point 1): pack lots
// from a batch, list, read, edit and delete them. Every write is one transaction: a refused
// request leaves nothing behind. Safe for concurrent use.

#include "domain/account.hpp"
#include "domain/lot.hpp"
#include "domain/page.hpp"
#include "util/asio.hpp"
#include "util/query_counter.hpp"
#include "util/result.hpp"

#include <string>
#include <vector>

namespace fruitpak::db {
class Database;
}

namespace fruitpak::services {

class LotService {
 public:
  explicit LotService(db::Database& db) : db_(db) {}

  // Creates the lots under codes <batch_code>-LNN (numbered per batch, race-free) with the
  // batch's grower, packhouse, fruit and variety, status "created", packed by `user_id`.
  // A lot whose box size exists weighs carton_count x the box weight. Moves a "received"
  // batch to "packing" (with its maintained counts and a history row) and, when the batch
  // has a net weight, recomputes its waste as the net weight its live lots do not account
  // for. A constant number of statements, whatever the number of lots. Errors:
  // kNotFound "Batch not found" (unknown, deleted or another tenant's); kUnprocessable
  // "Referenced record does not exist" for a box size not of this tenant; kStateConflict
  // when the lots would account for more than the batch's net weight and `overpack` is
  // kRefuse.
  [[nodiscard]] net::awaitable<Result<std::vector<domain::Lot>>> create_from_batch(
      domain::TenantId tenant, std::string user_id, std::string batch_id, std::vector<domain::NewLot> lots,
      domain::Overpack overpack, util::QueryCounter* counter);

  // Live lots, newest first. One statement whatever the page size.
  [[nodiscard]] net::awaitable<Result<domain::Page<domain::LotSummary>>> list(domain::TenantId tenant,
                                                                             domain::LotFilter filter,
                                                                             domain::PageRequest page,
                                                                             util::QueryCounter* counter);

  // kNotFound "Lot not found" for unknown, deleted and other tenants' ids alike.
  [[nodiscard]] net::awaitable<Result<domain::Lot>> get(domain::TenantId tenant, std::string id,
                                                       util::QueryCounter* counter);

  // Applies the sent keys. Sending carton_count or box_size_id recomputes the weight from
  // the box size when it resolves; sending a quantity (cartons, box, weight, waste)
  // recomputes the batch's waste. Errors: kNotFound "Lot not found"; kStateConflict
  // "Cannot edit <field>: ..." when a quantity field is sent while boxes of the lot are on
  // pallets, or when the edit over-packs the batch (see create_from_batch); kUnprocessable
  // "Referenced record does not exist" for a box size, product config or pack spec not of
  // this tenant.
  [[nodiscard]] net::awaitable<Result<domain::Lot>> update(domain::TenantId tenant, std::string id,
                                                          domain::LotUpdate update, util::QueryCounter* counter);

  // Soft delete. Errors: kNotFound "Lot not found"; kInvalidInput "Cannot delete lot with
  // palletized boxes".
  [[nodiscard]] net::awaitable<Result<void>> remove(domain::TenantId tenant, std::string id,
                                                   util::QueryCounter* counter);

 private:
  db::Database& db_;
};

}  // namespace fruitpak::services
