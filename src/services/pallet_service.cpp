#include "services/pallet_service.hpp"

#include "db/code_counter.hpp"
#include "db/database.hpp"
#include "db/lot_repository.hpp"
#include "db/packhouse_repository.hpp"
#include "db/pallet_repository.hpp"
#include "util/clock.hpp"
#include "util/crypto.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace fruitpak::services {
namespace {

using Lots = std::map<std::string, domain::Lot>;

const Error kPalletNotFound = client_error(Errc::kNotFound, "Pallet not found");

// "20260301" from "2026-03-01T...".
std::string compact_day(const std::string& iso) { return iso.substr(0, 4) + iso.substr(5, 2) + iso.substr(8, 2); }

net::awaitable<Result<void>> check_packhouse(db::Runner run, const domain::TenantId& tenant, const std::string& id) {
  auto packhouse = co_await db::packhouses::find(run, tenant, id);
  if (!packhouse) co_return packhouse.error();
  if (!*packhouse) co_return client_error(Errc::kUnprocessable, "Packhouse not found");
  co_return Result<void>{};
}

// The distinct lot ids of `assignments`, sorted (the order their row locks are taken in).
std::vector<std::string> lot_ids_of(const std::vector<domain::LotAssignment>& assignments) {
  std::set<std::string> ids;
  for (const auto& a : assignments) ids.insert(a.lot_id);
  return {ids.begin(), ids.end()};
}

// Locks and reads the assigned live lots with their palletized boxes. kNotFound "Lot <id>
// not found" for the first assignment naming no live lot of the tenant.
net::awaitable<Result<Lots>> load_lots(db::Runner run, const domain::TenantId& tenant,
                                       const std::vector<domain::LotAssignment>& assignments) {
  if (auto locked = co_await db::pallets::lock_lots(run, tenant, lot_ids_of(assignments)); !locked) {
    co_return locked.error();
  }
  auto found = co_await db::lots::find_many(run, tenant, lot_ids_of(assignments));
  if (!found) co_return found.error();
  Lots lots;
  for (auto& lot : *found) {
    std::string id = lot.id;
    lots.emplace(std::move(id), std::move(lot));
  }
  for (const auto& a : assignments) {
    if (!lots.contains(a.lot_id)) co_return client_error(Errc::kNotFound, "Lot " + a.lot_id + " not found");
  }
  co_return lots;
}

// Every lot must have the boxes the request assigns from it in total, beyond those on pallets.
Result<void> check_shortfall(const std::vector<domain::LotAssignment>& assignments, const Lots& lots) {
  std::vector<std::string> order;
  std::map<std::string, std::int64_t> wanted;
  for (const auto& a : assignments) {
    if (!wanted.contains(a.lot_id)) order.push_back(a.lot_id);
    wanted[a.lot_id] += a.box_count;
  }
  for (const auto& id : order) {
    const auto& lot = lots.at(id);
    const std::int64_t unallocated = lot.carton_count - lot.palletized_boxes;
    if (wanted.at(id) > unallocated) {
      return client_error(Errc::kInvalidInput, domain::shortfall_message(lot.lot_code, unallocated, wanted.at(id)));
    }
  }
  return {};
}

std::string box_label(const domain::Lot& lot) { return lot.box_size_name.value_or(lot.box_size_id.value_or("")); }

// 11.4 from-lots: the sizes and box types of all assigned boxes must agree unless allowed.
Result<void> check_mixing(const std::vector<domain::LotAssignment>& assignments, const Lots& lots,
                          domain::MixingRules mixing) {
  std::vector<std::string> sizes;
  std::vector<std::string> box_ids;
  std::vector<std::string> box_names;
  for (const auto& a : assignments) {
    const auto& lot = lots.at(a.lot_id);
    if (auto size = domain::slice_size(a, lot)) sizes.push_back(*size);
    if (lot.box_size_id && std::find(box_ids.begin(), box_ids.end(), *lot.box_size_id) == box_ids.end()) {
      box_ids.push_back(*lot.box_size_id);
      box_names.push_back(box_label(lot));
    }
  }
  if (!mixing.sizes) {
    if (auto problem = domain::mixed_sizes_problem(sizes); !problem.empty()) {
      return client_error(Errc::kInvalidInput, problem);
    }
  }
  if (!mixing.box_types) {
    if (auto problem = domain::mixed_box_types_problem(box_names); !problem.empty()) {
      return client_error(Errc::kInvalidInput, problem);
    }
  }
  return {};
}

// The one size of the assigned boxes, if they have exactly one.
std::optional<std::string> single_size(const std::vector<domain::LotAssignment>& assignments, const Lots& lots) {
  std::set<std::string> sizes;
  for (const auto& a : assignments) {
    if (auto size = domain::slice_size(a, lots.at(a.lot_id))) sizes.insert(*size);
  }
  if (sizes.size() != 1) return std::nullopt;
  return *sizes.begin();
}

// 11.4 allocate: boxes must match the pallet's size and box type (or, on a pallet without
// one, the first assigned boxes') unless allowed.
Result<void> check_against_pallet(const domain::Pallet& pallet, const std::vector<domain::LotAssignment>& assignments,
                                  const Lots& lots, domain::MixingRules mixing) {
  if (!mixing.sizes) {
    std::optional<std::string> size = pallet.size;
    std::string mismatched;
    for (const auto& a : assignments) {
      const auto& lot = lots.at(a.lot_id);
      auto lot_size = domain::slice_size(a, lot);
      if (!lot_size) continue;
      if (!size) size = lot_size;
      if (*lot_size == *size) continue;
      if (!mismatched.empty()) mismatched += ", ";
      mismatched += lot.lot_code + " (size: " + *lot_size + ")";
    }
    if (!mismatched.empty()) {
      return client_error(Errc::kInvalidInput, "Pallet size is '" + *size + "'. Mismatched lots: " + mismatched +
                                                   ". Use allow_mixed_sizes to override.");
    }
  }
  if (!mixing.box_types) {
    std::optional<std::string> box_id = pallet.box_size_id;
    std::string box_name = pallet.box_size_name.value_or(pallet.box_size_id.value_or(""));
    std::string mismatched;
    for (const auto& a : assignments) {
      const auto& lot = lots.at(a.lot_id);
      if (!lot.box_size_id) continue;
      if (!box_id) {
        box_id = lot.box_size_id;
        box_name = box_label(lot);
      }
      if (*lot.box_size_id == *box_id) continue;
      if (!mismatched.empty()) mismatched += ", ";
      mismatched += lot.lot_code + " (box type: " + box_label(lot) + ")";
    }
    if (!mismatched.empty()) {
      return client_error(Errc::kInvalidInput, "Pallet box type is '" + box_name + "'. Mismatched lots: " +
                                                   mismatched + ". Use allow_mixed_box_types to override.");
    }
  }
  return {};
}

// The pallets of a from-lots request and their allocations, before they have numbers.
struct Built {
  std::vector<domain::Pallet> pallets;
  std::vector<domain::PalletLine> lines;
};

Built build_pallets(const domain::PalletsFromLots& request, const Lots& lots,
                    const std::vector<std::vector<domain::PalletSlice>>& plan, const std::string& user_id,
                    const std::string& now) {
  const auto& first = lots.at(request.assignments.front().lot_id);
  const auto size = request.size ? request.size : single_size(request.assignments, lots);
  Built out;
  for (const auto& slices : plan) {
    domain::Pallet p;
    p.id = util::uuid4();
    p.packhouse_id = request.packhouse_id;
    p.pallet_type_name = request.pallet_type_name;
    p.capacity_boxes = request.capacity_boxes;
    p.fruit_type = first.fruit_type;
    p.variety = first.variety;
    p.grade = first.grade;
    p.size = size;
    p.box_size_id = first.box_size_id;
    p.box_size_name = first.box_size_name;
    p.notes = request.notes;
    p.palletized_by = user_id;
    p.created_at = p.updated_at = now;
    for (const auto& slice : slices) {
      const auto& a = request.assignments[slice.assignment];
      out.lines.push_back(domain::PalletLine{.id = util::uuid4(),
                                             .pallet_id = p.id,
                                             .lot_id = a.lot_id,
                                             .box_count = slice.boxes,
                                             .size = domain::slice_size(a, lots.at(a.lot_id))});
      p.current_boxes += slice.boxes;
    }
    p.status = domain::status_for_fill(domain::kPalletOpen, p.current_boxes, p.capacity_boxes);
    out.pallets.push_back(std::move(p));
  }
  return out;
}

// `found` in the order of `ids`.
std::vector<domain::Pallet> in_order(std::vector<domain::Pallet> found, const std::vector<std::string>& ids) {
  std::vector<domain::Pallet> out;
  out.reserve(found.size());
  for (const auto& id : ids) {
    auto it = std::find_if(found.begin(), found.end(), [&](const domain::Pallet& p) { return p.id == id; });
    if (it != found.end()) out.push_back(std::move(*it));
  }
  return out;
}

// Locks the live pallet and reads it; kNotFound "Pallet not found".
net::awaitable<Result<domain::Pallet>> lock_pallet(db::Runner run, const domain::TenantId& tenant,
                                                   const std::string& id, const std::string& now) {
  auto locked = co_await db::pallets::lock(run, tenant, id, now);
  if (!locked) co_return locked.error();
  if (!*locked) co_return kPalletNotFound;
  auto found = co_await db::pallets::find(run, tenant, id);
  if (!found) co_return found.error();
  if (!*found) co_return kPalletNotFound;
  co_return std::move(**found);
}

net::awaitable<Result<domain::Pallet>> reread(db::Runner run, const domain::TenantId& tenant, const std::string& id) {
  auto found = co_await db::pallets::find(run, tenant, id);
  if (!found) co_return found.error();
  if (!*found) co_return make_error(Errc::kInternal, "pallet vanished after a write");
  co_return std::move(**found);
}

// The name of box size `id` of the tenant, or nullopt if it has none such.
net::awaitable<Result<std::optional<std::string>>> box_size_name(db::Runner run, const domain::TenantId& tenant,
                                                                 const std::string& id) {
  std::vector<std::string> ids{id};
  auto found = co_await db::lots::box_sizes(run, tenant, std::move(ids));
  if (!found) co_return found.error();
  if (found->empty()) co_return std::optional<std::string>();
  co_return std::optional<std::string>(found->front().name);
}

void fill_empty(std::optional<std::string>& field, const std::optional<std::string>& value) {
  if (!field && value) field = value;
}

}  // namespace

net::awaitable<Result<std::vector<domain::Pallet>>> PalletService::create_from_lots(domain::TenantId tenant,
                                                                                   std::string user_id,
                                                                                   domain::PalletsFromLots request,
                                                                                   util::QueryCounter* counter) {
  auto work = [&](db::Lease& tx) -> net::awaitable<Result<std::vector<domain::Pallet>>> {
    db::Runner run(tx);
    if (auto ok = co_await check_packhouse(run, tenant, request.packhouse_id); !ok) co_return ok.error();
    auto lots = co_await load_lots(run, tenant, request.assignments);
    if (!lots) co_return lots.error();
    if (auto ok = check_shortfall(request.assignments, *lots); !ok) co_return ok.error();
    if (auto ok = check_mixing(request.assignments, *lots, request.mixing); !ok) co_return ok.error();
    const auto plan = domain::fill_pallets(request.assignments, request.capacity_boxes);
    const auto count = static_cast<std::int64_t>(plan.size());
    if (count > kMaxPalletsPerRequest) {
      co_return client_error(Errc::kInvalidInput, "Lot assignments would fill " + std::to_string(count) +
                                                      " pallets; at most " + std::to_string(kMaxPalletsPerRequest) +
                                                      " pallets per request");
    }
    const std::string now = util::iso_utc_now();
    Built built = build_pallets(request, *lots, plan, user_id, now);
    // D12: numbers come from the tenant's per-day counter row, reserved for all pallets at once.
    const std::string day = compact_day(now);
    auto first = co_await db::codes::reserve(run, tenant, std::string(domain::kPalletCodePrefix), day, count);
    if (!first) co_return first.error();
    std::vector<std::string> ids;
    for (std::size_t i = 0; i < built.pallets.size(); ++i) {
      built.pallets[i].pallet_number = domain::pallet_code(day, *first + static_cast<std::int64_t>(i));
      ids.push_back(built.pallets[i].id);
    }
    if (auto ok = co_await db::pallets::insert(run, tenant, std::move(built.pallets)); !ok) co_return ok.error();
    if (auto ok = co_await db::pallets::insert_lines(run, tenant, std::move(built.lines), now); !ok) {
      co_return ok.error();
    }
    auto marked = co_await db::pallets::mark_lots_palletizing(run, tenant, lot_ids_of(request.assignments), now);
    if (!marked) co_return marked.error();
    auto found = co_await db::pallets::find_many(run, tenant, ids);
    if (!found) co_return found.error();
    co_return in_order(std::move(*found), ids);
  };
  co_return co_await db_.transaction(work, counter);
}

net::awaitable<Result<domain::Pallet>> PalletService::create_empty(domain::TenantId tenant, std::string user_id,
                                                                   domain::EmptyPallet request,
                                                                   util::QueryCounter* counter) {
  auto work = [&](db::Lease& tx) -> net::awaitable<Result<domain::Pallet>> {
    db::Runner run(tx);
    if (auto ok = co_await check_packhouse(run, tenant, request.packhouse_id); !ok) co_return ok.error();
    domain::Pallet p;
    if (request.box_size_id) {
      auto name = co_await box_size_name(run, tenant, *request.box_size_id);
      if (!name) co_return name.error();
      if (!*name) co_return client_error(Errc::kNotFound, "Box size not found");
      p.box_size_id = request.box_size_id;
      p.box_size_name = *name;
    }
    const std::string now = util::iso_utc_now();
    const std::string day = compact_day(now);
    auto number = co_await db::codes::next(run, tenant, std::string(domain::kPalletCodePrefix), day);
    if (!number) co_return number.error();
    p.id = util::uuid4();
    p.pallet_number = domain::pallet_code(day, *number);
    p.packhouse_id = request.packhouse_id;
    p.pallet_type_name = request.pallet_type_name;
    p.capacity_boxes = request.capacity_boxes;
    p.size = request.size;
    p.notes = request.notes;
    p.palletized_by = user_id;
    p.created_at = p.updated_at = now;
    const std::string id = p.id;
    std::vector<domain::Pallet> rows;
    rows.push_back(std::move(p));
    if (auto ok = co_await db::pallets::insert(run, tenant, std::move(rows)); !ok) co_return ok.error();
    co_return co_await reread(run, tenant, id);
  };
  co_return co_await db_.transaction(work, counter);
}

net::awaitable<Result<domain::Page<domain::Pallet>>> PalletService::list(domain::TenantId tenant,
                                                                        domain::PalletFilter filter,
                                                                        domain::PageRequest page,
                                                                        util::QueryCounter* counter) {
  co_return co_await db::pallets::list(db::Runner(db_, counter), std::move(tenant), std::move(filter), page);
}

net::awaitable<Result<domain::Pallet>> PalletService::get(domain::TenantId tenant, std::string id,
                                                         util::QueryCounter* counter) {
  auto found = co_await db::pallets::find(db::Runner(db_, counter), std::move(tenant), std::move(id));
  if (!found) co_return found.error();
  if (!*found) co_return kPalletNotFound;
  co_return std::move(**found);
}

net::awaitable<Result<domain::Pallet>> PalletService::update(domain::TenantId tenant, std::string id,
                                                            domain::PalletUpdate update, util::QueryCounter* counter) {
  auto work = [&](db::Lease& tx) -> net::awaitable<Result<domain::Pallet>> {
    db::Runner run(tx);
    const std::string now = util::iso_utc_now();
    auto found = co_await lock_pallet(run, tenant, id, now);
    if (!found) co_return found.error();
    domain::Pallet pallet = std::move(*found);
    if (domain::pallet_is_shipped(pallet.status)) {
      co_return client_error(Errc::kInvalidInput, "Cannot edit a '" + pallet.status + "' pallet");
    }
    for (const auto& field : domain::pallet_locked_fields(pallet.container_id)) {
      if (update.has(field)) {
        co_return client_error(Errc::kStateConflict,
                               domain::pallet_lock_message(field, pallet.container_number.value_or("unknown")));
      }
    }
    if (update.has("capacity_boxes") && update.values.capacity_boxes < pallet.current_boxes) {
      co_return client_error(Errc::kInvalidInput, "Capacity cannot be less than current boxes (" +
                                                      std::to_string(pallet.current_boxes) + ")");
    }
    std::optional<std::string> box_name;
    if (update.has("box_size_id") && update.values.box_size_id) {
      auto name = co_await box_size_name(run, tenant, *update.values.box_size_id);
      if (!name) co_return name.error();
      if (!*name) co_return client_error(Errc::kInvalidInput, "Box size not found");
      box_name = *name;
    }
    domain::apply(update, pallet);
    if (update.has("box_size_id")) pallet.box_size_name = box_name;
    pallet.status = domain::status_for_fill(pallet.status, pallet.current_boxes, pallet.capacity_boxes);
    pallet.updated_at = now;
    if (auto ok = co_await db::pallets::update(run, tenant, pallet); !ok) co_return ok.error();
    co_return co_await reread(run, tenant, id);
  };
  co_return co_await db_.transaction(work, counter);
}

net::awaitable<Result<void>> PalletService::remove(domain::TenantId tenant, std::string id,
                                                  util::QueryCounter* counter) {
  auto work = [&](db::Lease& tx) -> net::awaitable<Result<bool>> {
    db::Runner run(tx);
    const std::string now = util::iso_utc_now();
    auto found = co_await lock_pallet(run, tenant, id, now);
    if (!found) co_return found.error();
    if (found->container_id) {
      co_return client_error(Errc::kStateConflict, "Cannot delete pallet: it is loaded in container " +
                                                       found->container_number.value_or("unknown") +
                                                       ". Unload pallet from container first.");
    }
    const Error holding = client_error(Errc::kInvalidInput, "Cannot delete pallet with " +
                                                                std::to_string(found->current_boxes) +
                                                                " allocated box(es). Deallocate all lots first.");
    if (found->current_boxes > 0 || !found->lines.empty()) co_return holding;
    auto deleted = co_await db::pallets::soft_delete(run, tenant, id, now);
    if (!deleted) co_return deleted.error();
    if (!*deleted) co_return holding;
    co_return true;
  };
  auto removed = co_await db_.transaction(work, counter);
  if (!removed) co_return removed.error();
  co_return Result<void>{};
}

net::awaitable<Result<domain::Pallet>> PalletService::allocate(domain::TenantId tenant, std::string id,
                                                              domain::Allocation allocation,
                                                              util::QueryCounter* counter) {
  auto work = [&](db::Lease& tx) -> net::awaitable<Result<domain::Pallet>> {
    db::Runner run(tx);
    const std::string now = util::iso_utc_now();
    auto found = co_await lock_pallet(run, tenant, id, now);
    if (!found) co_return found.error();
    domain::Pallet pallet = std::move(*found);
    if (pallet.status != domain::kPalletOpen) {
      co_return client_error(Errc::kInvalidInput, "Pallet is '" + pallet.status + "', must be 'open' to allocate");
    }
    if (pallet.container_id) {
      co_return client_error(Errc::kStateConflict,
                             "Cannot allocate boxes: pallet is loaded in a container. Unload pallet first.");
    }
    std::int64_t boxes = 0;
    for (const auto& a : allocation.assignments) boxes += a.box_count;
    const std::int64_t remaining = pallet.capacity_boxes - pallet.current_boxes;
    if (boxes > remaining) {
      co_return client_error(Errc::kInvalidInput, "Cannot fit " + std::to_string(boxes) + " boxes, only " +
                                                      std::to_string(remaining) + " capacity remaining");
    }
    auto lots = co_await load_lots(run, tenant, allocation.assignments);
    if (!lots) co_return lots.error();
    if (auto ok = check_against_pallet(pallet, allocation.assignments, *lots, allocation.mixing); !ok) {
      co_return ok.error();
    }
    if (auto ok = check_shortfall(allocation.assignments, *lots); !ok) co_return ok.error();
    std::vector<domain::PalletLine> lines;
    for (const auto& a : allocation.assignments) {
      const auto& lot = lots->at(a.lot_id);
      const auto size = domain::slice_size(a, lot);
      lines.push_back(domain::PalletLine{
          .id = util::uuid4(), .pallet_id = pallet.id, .lot_id = a.lot_id, .box_count = a.box_count, .size = size});
      fill_empty(pallet.size, size);
      if (!pallet.fruit_type) pallet.fruit_type = lot.fruit_type;
      fill_empty(pallet.variety, lot.variety);
      fill_empty(pallet.grade, lot.grade);
      if (!pallet.box_size_id && lot.box_size_id) {
        pallet.box_size_id = lot.box_size_id;
        pallet.box_size_name = lot.box_size_name;
      }
    }
    pallet.current_boxes += boxes;
    pallet.status = domain::status_for_fill(pallet.status, pallet.current_boxes, pallet.capacity_boxes);
    pallet.updated_at = now;
    if (auto ok = co_await db::pallets::update(run, tenant, pallet); !ok) co_return ok.error();
    if (auto ok = co_await db::pallets::insert_lines(run, tenant, std::move(lines), now); !ok) co_return ok.error();
    auto marked = co_await db::pallets::mark_lots_palletizing(run, tenant, lot_ids_of(allocation.assignments), now);
    if (!marked) co_return marked.error();
    co_return co_await reread(run, tenant, id);
  };
  co_return co_await db_.transaction(work, counter);
}

net::awaitable<Result<domain::Deallocation>> PalletService::deallocate(domain::TenantId tenant,
                                                                      std::string pallet_id,
                                                                      std::string pallet_lot_id,
                                                                      util::QueryCounter* counter) {
  auto work = [&](db::Lease& tx) -> net::awaitable<Result<domain::Deallocation>> {
    db::Runner run(tx);
    const std::string now = util::iso_utc_now();
    auto found = co_await lock_pallet(run, tenant, pallet_id, now);
    if (!found) co_return found.error();
    domain::Pallet pallet = std::move(*found);
    if (domain::pallet_is_shipped(pallet.status)) {
      co_return client_error(Errc::kInvalidInput, "Cannot deallocate from a '" + pallet.status + "' pallet");
    }
    if (pallet.container_id) {
      co_return client_error(Errc::kStateConflict,
                             "Cannot deallocate boxes: pallet is loaded in a container. Unload pallet first.");
    }
    auto line = co_await db::pallets::find_line(run, tenant, pallet_id, pallet_lot_id);
    if (!line) co_return line.error();
    if (!*line) co_return client_error(Errc::kNotFound, "Pallet-lot allocation not found");
    auto removed = co_await db::pallets::deallocate_line(run, tenant, pallet_lot_id, now);
    if (!removed) co_return removed.error();
    if (!*removed) co_return make_error(Errc::kInternal, "allocation vanished under the pallet lock");
    const std::int64_t returned = (*line)->box_count;
    pallet.current_boxes = std::max<std::int64_t>(0, pallet.current_boxes - returned);
    pallet.status = domain::status_for_fill(pallet.status, pallet.current_boxes, pallet.capacity_boxes);
    pallet.updated_at = now;
    if (auto ok = co_await db::pallets::update(run, tenant, pallet); !ok) co_return ok.error();
    if (auto ok = co_await db::pallets::release_lot(run, tenant, (*line)->lot_id, now); !ok) co_return ok.error();
    co_return domain::Deallocation{.pallet_id = pallet_id,
                                   .pallet_lot_id = pallet_lot_id,
                                   .boxes_returned = returned,
                                   .pallet_status = pallet.status,
                                   .pallet_current_boxes = pallet.current_boxes};
  };
  co_return co_await db_.transaction(work, counter);
}

net::awaitable<Result<std::vector<domain::BoxSizeOption>>> PalletService::box_sizes(domain::TenantId tenant,
                                                                                   util::QueryCounter* counter) {
  co_return co_await db::pallets::box_size_options(db::Runner(db_, counter), std::move(tenant));
}

net::awaitable<Result<std::vector<domain::PalletType>>> PalletService::pallet_types(domain::TenantId tenant,
                                                                                   util::QueryCounter* counter) {
  co_return co_await db::pallets::pallet_types(db::Runner(db_, counter), std::move(tenant));
}

}  // namespace fruitpak::services
