#include "services/lot_service.hpp"

#include "db/batch_repository.hpp"
#include "db/code_counter.hpp"
#include "db/database.hpp"
#include "db/lot_repository.hpp"
#include "services/wizard_service.hpp"
#include "util/clock.hpp"
#include "util/crypto.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include <map>
#include <set>

namespace fruitpak::services {
namespace {

namespace bj = boost::json;
using BoxSizes = std::map<std::string, domain::BoxSize>;

constexpr std::string_view kReceived = "received";
constexpr std::string_view kPacking = "packing";

// An id the client sent that names no row of its tenant: 422 as a foreign-key violation
// (section 1.4), whether the row is missing or another tenant's.
Error missing_reference(const std::string& what) {
  return Error{Errc::kUnprocessable, "unknown " + what, std::string(kReferencedRecordMissing), 0};
}

Error overpacked(const domain::Batch& batch, const domain::LotTotals& totals) {
  return client_error(Errc::kStateConflict,
                      fmt::format("Lots would account for {:.2f} kg (weight plus waste) but batch {} has a net weight "
                                  "of {:.2f} kg. Send \"allow_overpack\": true to record them anyway.",
                                  totals.accounted_kg(), batch.batch_code, batch.net_weight_kg.value_or(0)));
}

// The box sizes `ids` name; kUnprocessable if any is not one of the tenant's.
net::awaitable<Result<BoxSizes>> find_box_sizes(db::Runner run, const domain::TenantId& tenant,
                                                std::set<std::string> ids) {
  std::vector<std::string> listed(ids.begin(), ids.end());
  auto found = co_await db::lots::box_sizes(run, tenant, std::move(listed));
  if (!found) co_return found.error();
  if (found->size() != ids.size()) co_return missing_reference("box_size_id");
  BoxSizes out;
  for (auto& box : *found) out.emplace(box.id, std::move(box));
  co_return out;
}

// The lot rows of 11.3 create steps 2 and 3, before they have codes.
std::vector<domain::Lot> new_lots(const domain::Batch& batch, const std::vector<domain::NewLot>& items,
                                  const BoxSizes& boxes, const std::string& user_id, const std::string& now) {
  std::vector<domain::Lot> out;
  out.reserve(items.size());
  for (const auto& item : items) {
    domain::Lot l;
    l.id = util::uuid4();
    l.batch_id = batch.id;
    l.grower_id = batch.grower_id;
    l.packhouse_id = batch.packhouse_id;
    l.fruit_type = batch.fruit_type;
    l.variety = batch.variety;
    l.grade = item.grade;
    l.size = item.size;
    l.box_size_id = item.box_size_id;
    l.carton_count = item.carton_count;
    l.weight_kg = item.weight_kg;
    if (item.box_size_id) l.weight_kg = static_cast<double>(item.carton_count) * boxes.at(*item.box_size_id).weight_kg;
    l.waste_kg = item.waste_kg;
    l.waste_reason = item.waste_reason;
    l.pack_date = item.pack_date;
    l.intake_date = batch.intake_date + "T00:00:00";
    l.status = "created";
    l.notes = item.notes;
    l.packed_by = user_id;
    l.created_at = l.updated_at = now;
    out.push_back(std::move(l));
  }
  return out;
}

domain::LotTotals plus(domain::LotTotals totals, const std::vector<domain::Lot>& lots) {
  for (const auto& l : lots) {
    totals.weight_kg += l.weight_kg.value_or(0);
    totals.waste_kg += l.waste_kg;
  }
  return totals;
}

// 11.3 create step 4 (issue 7 point 1): received -> packing, with the maintained counts and
// a history row naming the new lots. Other statuses stay as they are.
net::awaitable<Result<void>> record_packing(db::Runner run, const domain::TenantId& tenant, const domain::Batch& batch,
                                            const std::vector<domain::Lot>& lots, const std::string& user_id,
                                            const std::string& now) {
  bool moved = false;
  if (batch.status == kReceived) {
    auto changed = co_await db::batches::change_status(run, tenant, batch.id, std::string(kReceived),
                                                       std::string(kPacking));
    if (!changed) co_return changed.error();
    moved = *changed;
  }
  if (moved) {
    auto down = co_await db::batches::count_batch(run, tenant, std::string(kReceived), batch.created_at, -1);
    if (!down) co_return down.error();
    auto up = co_await db::batches::count_batch(run, tenant, std::string(kPacking), batch.created_at, 1);
    if (!up) co_return up.error();
  }
  bj::array codes;
  for (const auto& l : lots) codes.emplace_back(l.lot_code);
  bj::object data{{"lot_codes", std::move(codes)}, {"lot_count", lots.size()}};
  if (moved) data["status"] = bj::object{{"from", kReceived}, {"to", kPacking}};
  domain::BatchHistoryEntry event{util::uuid4(), batch.id, "packing", "lots_created", batch.packhouse_id,
                                  bj::serialize(data), std::nullopt, std::nullopt, user_id, now};
  co_return co_await db::batches::add_history(run, tenant, std::move(event));
}

// 11.3 create step 6: with a positive net weight, the batch's waste is what its live lots
// do not account for.
net::awaitable<Result<void>> recompute_waste(db::Runner run, const domain::TenantId& tenant, const domain::Batch& batch,
                                             const domain::LotTotals& totals) {
  if (!batch.net_weight_kg || *batch.net_weight_kg <= 0) co_return Result<void>{};
  co_return co_await db::batches::set_waste(run, tenant, batch.id, domain::batch_waste_kg(*batch.net_weight_kg, totals),
                                            std::string(domain::kAutoWasteReason));
}

// The box size an edited lot ends up with, if it resolves: the one the body named, else the
// lot's current one as read with the lot.
std::optional<double> box_weight_after(const domain::Lot& before, const domain::LotUpdate& update,
                                       const BoxSizes& named) {
  if (update.has("box_size_id")) {
    if (!update.values.box_size_id) return std::nullopt;
    return named.at(*update.values.box_size_id).weight_kg;
  }
  if (!before.box_size_id) return std::nullopt;
  return before.box_weight_kg;
}

// The references a PATCH names (box size, product config, pack spec) must be the tenant's.
net::awaitable<Result<BoxSizes>> check_references(db::Runner run, const domain::TenantId& tenant,
                                                  const domain::LotUpdate& update) {
  const auto& v = update.values;
  if (update.has("product_config_id") && v.product_config_id) {
    auto found = co_await db::lots::reference_exists(run, tenant, db::lots::Reference::kProductConfig,
                                                     *v.product_config_id);
    if (!found) co_return found.error();
    if (!*found) co_return missing_reference("product_config_id");
  }
  if (update.has("pack_spec_id") && v.pack_spec_id) {
    auto found = co_await db::lots::reference_exists(run, tenant, db::lots::Reference::kPackSpec, *v.pack_spec_id);
    if (!found) co_return found.error();
    if (!*found) co_return missing_reference("pack_spec_id");
  }
  std::set<std::string> box_ids;
  if (update.has("box_size_id") && v.box_size_id) box_ids.insert(*v.box_size_id);
  co_return co_await find_box_sizes(run, tenant, std::move(box_ids));
}

// 11.3 PATCH lock: quantity fields cannot change while boxes of the lot are on pallets.
net::awaitable<Result<void>> check_lock(db::Runner run, const domain::TenantId& tenant, const domain::Lot& lot,
                                        const domain::LotUpdate& update) {
  if (lot.palletized_boxes <= 0) co_return Result<void>{};
  for (const auto& field : domain::lot_quantity_fields()) {
    if (!update.has(field)) continue;
    auto allocations = co_await db::lots::allocations(run, tenant, lot.id);
    if (!allocations) co_return allocations.error();
    co_return client_error(Errc::kStateConflict, domain::lot_lock_message(field, *allocations));
  }
  co_return Result<void>{};
}

// A PATCH that changed quantities: the batch's waste follows, and the lots may not
// over-pack it unless allowed (a change that lowers what they account for always passes).
net::awaitable<Result<void>> rebalance_batch(db::Runner run, const domain::TenantId& tenant, const domain::Lot& before,
                                             const domain::Lot& after, domain::Overpack overpack,
                                             const std::string& now) {
  auto batch = co_await db::batches::find_for_update(run, tenant, before.batch_id, now);
  if (!batch) co_return batch.error();
  if (!*batch) co_return make_error(Errc::kInternal, "live lot " + before.id + " has no live batch");
  auto totals = co_await db::lots::totals(run, tenant, before.batch_id);
  if (!totals) co_return totals.error();
  domain::LotTotals next = *totals;
  next.weight_kg += after.weight_kg.value_or(0) - before.weight_kg.value_or(0);
  next.waste_kg += after.waste_kg - before.waste_kg;
  const bool grows = next.accounted_kg() > totals->accounted_kg();
  if (overpack == domain::Overpack::kRefuse && grows && domain::is_overpacked((*batch)->net_weight_kg, next)) {
    co_return overpacked(**batch, next);
  }
  co_return co_await recompute_waste(run, tenant, **batch, next);
}

}  // namespace

net::awaitable<Result<std::vector<domain::Lot>>> LotService::create_from_batch(
    domain::TenantId tenant, std::string user_id, std::string batch_id, std::vector<domain::NewLot> items,
    domain::Overpack overpack, util::QueryCounter* counter) {
  auto work = [&](db::Lease& tx) -> net::awaitable<Result<std::vector<domain::Lot>>> {
    db::Runner run(tx);
    const std::string now = util::iso_utc_now();
    auto batch = co_await db::batches::find_for_update(run, tenant, batch_id, now);
    if (!batch) co_return batch.error();
    if (!*batch) co_return client_error(Errc::kNotFound, "Batch not found");
    std::set<std::string> box_ids;
    for (const auto& item : items) {
      if (item.box_size_id) box_ids.insert(*item.box_size_id);
    }
    auto boxes = co_await find_box_sizes(run, tenant, std::move(box_ids));
    if (!boxes) co_return boxes.error();
    std::vector<domain::Lot> lots = new_lots(**batch, items, *boxes, user_id, now);
    auto before = co_await db::lots::totals(run, tenant, batch_id);
    if (!before) co_return before.error();
    const domain::LotTotals after = plus(*before, lots);
    if (overpack == domain::Overpack::kRefuse && domain::is_overpacked((*batch)->net_weight_kg, after)) {
      co_return overpacked(**batch, after);
    }
    // D12: numbers come from the batch's counter row, reserved for all lots at once.
    const auto count = static_cast<std::int64_t>(lots.size());
    auto first = co_await db::codes::reserve(run, tenant, (*batch)->batch_code, "", count);
    if (!first) co_return first.error();
    std::vector<std::string> ids;
    for (std::size_t i = 0; i < lots.size(); ++i) {
      lots[i].lot_code = domain::lot_code((*batch)->batch_code, *first + static_cast<std::int64_t>(i));
      ids.push_back(lots[i].id);
    }
    if (auto inserted = co_await db::lots::insert(run, tenant, lots); !inserted) co_return inserted.error();
    auto packed = co_await record_packing(run, tenant, **batch, lots, user_id, now);
    if (!packed) co_return packed.error();
    auto balanced = co_await recompute_waste(run, tenant, **batch, after);
    if (!balanced) co_return balanced.error();
    co_return co_await db::lots::find_many(run, tenant, std::move(ids));
  };
  co_return co_await db_.transaction(work, counter);
}

net::awaitable<Result<domain::Page<domain::LotSummary>>> LotService::list(domain::TenantId tenant,
                                                                         domain::LotFilter filter,
                                                                         domain::PageRequest page,
                                                                         util::QueryCounter* counter) {
  co_return co_await db::lots::list(db::Runner(db_, counter), std::move(tenant), std::move(filter), page);
}

net::awaitable<Result<domain::Lot>> LotService::get(domain::TenantId tenant, std::string id,
                                                   util::QueryCounter* counter) {
  auto found = co_await db::lots::find(db::Runner(db_, counter), std::move(tenant), std::move(id));
  if (!found) co_return found.error();
  if (!*found) co_return client_error(Errc::kNotFound, "Lot not found");
  co_return std::move(**found);
}

net::awaitable<Result<domain::Lot>> LotService::update(domain::TenantId tenant, std::string id,
                                                      domain::LotUpdate update, util::QueryCounter* counter) {
  auto work = [&](db::Lease& tx) -> net::awaitable<Result<domain::Lot>> {
    db::Runner run(tx);
    auto found = co_await db::lots::find(run, tenant, id);
    if (!found) co_return found.error();
    if (!*found) co_return client_error(Errc::kNotFound, "Lot not found");
    const domain::Lot before = **found;
    if (auto unlocked = co_await check_lock(run, tenant, before, update); !unlocked) co_return unlocked.error();
    auto named = co_await check_references(run, tenant, update);
    if (!named) co_return named.error();
    domain::Lot after = before;
    domain::apply(update, after);
    if (update.has("carton_count") || update.has("box_size_id")) {
      if (auto box_weight = box_weight_after(before, update, *named)) {
        after.weight_kg = static_cast<double>(after.carton_count) * *box_weight;
      }
    }
    const std::string now = util::iso_utc_now();
    after.updated_at = now;
    const bool quantities = update.has("carton_count") || update.has("box_size_id") || update.has("weight_kg") ||
                            update.has("waste_kg");
    if (quantities) {
      auto balanced = co_await rebalance_batch(run, tenant, before, after, update.overpack, now);
      if (!balanced) co_return balanced.error();
    }
    if (auto updated = co_await db::lots::update(run, tenant, after); !updated) co_return updated.error();
    auto reread = co_await db::lots::find(run, tenant, id);
    if (!reread) co_return reread.error();
    if (!*reread) co_return make_error(Errc::kInternal, "lot vanished after update");
    co_return std::move(**reread);
  };
  co_return co_await db_.transaction(work, counter);
}

net::awaitable<Result<void>> LotService::remove(domain::TenantId tenant, std::string id,
                                               util::QueryCounter* counter) {
  auto work = [&](db::Lease& tx) -> net::awaitable<Result<bool>> {
    db::Runner run(tx);
    auto found = co_await db::lots::find(run, tenant, id);
    if (!found) co_return found.error();
    if (!*found) co_return client_error(Errc::kNotFound, "Lot not found");
    const Error palletized = client_error(Errc::kInvalidInput, "Cannot delete lot with palletized boxes");
    if ((*found)->palletized_boxes > 0) co_return palletized;
    // The statement checks the allocations again, so a concurrent allocation cannot slip in.
    auto deleted = co_await db::lots::soft_delete(run, tenant, id, util::iso_utc_now());
    if (!deleted) co_return deleted.error();
    if (!*deleted) co_return palletized;
    co_return true;
  };
  auto removed = co_await db_.transaction(work, counter);
  if (!removed) co_return removed.error();
  co_return Result<void>{};
}

}  // namespace fruitpak::services
