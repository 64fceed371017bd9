#include "services/container_service.hpp"

#include "db/code_counter.hpp"
#include "db/container_repository.hpp"
#include "db/export_repository.hpp"
#include "db/database.hpp"
#include "db/user_repository.hpp"
#include "util/clock.hpp"
#include "util/crypto.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <iterator>

namespace fruitpak::services {
namespace {

namespace bj = boost::json;
using db::containers::Reference;

constexpr std::string_view kContainerPrefix = "CONT";
constexpr std::string_view kNotFound = "Container not found";

// "20260212" for the UTC day of `iso` ("2026-02-12T...").
std::string compact_day(const std::string& iso) { return iso.substr(0, 4) + iso.substr(5, 2) + iso.substr(8, 2); }

std::string today() { return util::iso_utc_now().substr(0, 10); }

Error not_found() { return client_error(Errc::kNotFound, std::string(kNotFound)); }

std::string_view reference_label(Reference table) {
  switch (table) {
    case Reference::kClient: return "Client";
    case Reference::kTransporter: return "Transporter";
    case Reference::kShippingAgent: return "Shipping agent";
    case Reference::kShippingLine: return "Shipping line";
    case Reference::kTransportConfig: return "Transport config";
  }
  return "Reference";
}

// The name of the tenant's row `id` of `table`; kInvalidInput "<Kind> not found" (11.5's
// 400) when there is none.
net::awaitable<Result<std::string>> named(db::Runner run, const domain::TenantId& tenant, Reference table,
                                          std::string id) {
  auto name = co_await db::containers::reference_name(run, tenant, table, std::move(id));
  if (!name) co_return name.error();
  if (!*name) co_return client_error(Errc::kInvalidInput, std::string(reference_label(table)) + " not found");
  co_return std::move(**name);
}

// Applies the sent plain keys and the references `u` names (each checked to be the
// tenant's; a client sets customer_name to its name).
net::awaitable<Result<void>> apply_update(db::Runner run, const domain::TenantId& tenant,
                                          const domain::ContainerUpdate& u, domain::Container& c) {
  domain::apply(u, c);
  const domain::Container& v = u.values;
  struct Ref {
    std::string_view key;
    Reference table;
    const std::optional<std::string>& value;
    std::optional<std::string>& target;
  };
  const Ref refs[] = {{"client_id", Reference::kClient, v.client_id, c.client_id},
                      {"transporter_id", Reference::kTransporter, v.transporter_id, c.transporter_id},
                      {"shipping_agent_id", Reference::kShippingAgent, v.shipping_agent_id, c.shipping_agent_id},
                      {"shipping_line_id", Reference::kShippingLine, v.shipping_line_id, c.shipping_line_id},
                      {"transport_config_id", Reference::kTransportConfig, v.transport_config_id,
                       c.transport_config_id}};
  for (const auto& ref : refs) {
    if (!u.has(ref.key)) continue;
    ref.target = ref.value;
    if (!ref.value) continue;
    auto name = co_await named(run, tenant, ref.table, *ref.value);
    if (!name) co_return name.error();
    if (ref.table == Reference::kClient) c.customer_name = std::move(*name);
  }
  co_return Result<void>{};
}

// The container as a write's answer: its row with names and the codes of its pallets.
net::awaitable<Result<domain::Container>> summary(db::Runner run, const domain::TenantId& tenant,
                                                  const std::string& id) {
  auto found = co_await db::containers::find(run, tenant, id);
  if (!found) co_return found.error();
  if (!*found) co_return make_error(Errc::kInternal, "container " + id + " vanished");
  domain::Container c = std::move(**found);
  std::vector<std::string> ids{id};
  auto codes = co_await db::containers::codes(run, tenant, std::move(ids));
  if (!codes) co_return codes.error();
  if (!codes->empty()) {
    c.pallet_numbers = std::move(codes->front().pallet_numbers);
    c.lot_codes = std::move(codes->front().lot_codes);
    c.batch_codes = std::move(codes->front().batch_codes);
  }
  c.is_overdue = domain::is_overdue(c.status, c.eta, today());
  co_return c;
}

// Locks and reads the live container: kNotFound "Container not found" if there is none.
net::awaitable<Result<domain::Container>> locked(db::Runner run, const domain::TenantId& tenant,
                                                 const std::string& id, const std::string& now) {
  auto taken = co_await db::containers::lock(run, tenant, id, now);
  if (!taken) co_return taken.error();
  if (!*taken) co_return not_found();
  auto found = co_await db::containers::find(run, tenant, id);
  if (!found) co_return found.error();
  if (!*found) co_return not_found();
  co_return std::move(**found);
}

// Locks the listed pallets; kNotFound "Pallets not found: <ids>" for those that are not
// live pallets of the tenant. Returned in the order of `ids`.
net::awaitable<Result<std::vector<domain::LoadablePallet>>> locked_pallets(db::Runner run,
                                                                           const domain::TenantId& tenant,
                                                                           const std::vector<std::string>& ids,
                                                                           const std::string& now) {
  auto found = co_await db::containers::lock_pallets(run, tenant, ids, now);
  if (!found) co_return found.error();
  std::vector<domain::LoadablePallet> ordered;
  std::vector<std::string> missing;
  for (const auto& id : ids) {
    auto it = std::find_if(found->begin(), found->end(), [&](const auto& p) { return p.id == id; });
    if (it == found->end()) {
      missing.push_back(id);
    } else {
      ordered.push_back(*it);
    }
  }
  if (!missing.empty()) co_return client_error(Errc::kNotFound, "Pallets not found: " + domain::list_some(missing));
  co_return ordered;
}

std::vector<std::string> numbers_of(const std::vector<domain::LoadablePallet>& pallets) {
  std::vector<std::string> out;
  for (const auto& p : pallets) out.push_back(p.pallet_number);
  return out;
}

// A container's tallies follow its pallets (unless entered by hand), and the export it is
// booked on counts its containers' pallets and cartons: both are recomputed together.
net::awaitable<Result<void>> retally(db::Runner run, const domain::TenantId& tenant, const domain::Container& c,
                                     const std::string& now) {
  if (auto tallied = co_await db::containers::retally(run, tenant, c.id); !tallied) co_return tallied.error();
  if (!c.export_id) co_return Result<void>{};
  co_return co_await db::exports::recount(run, tenant, *c.export_id, now);
}

// 11.5 load-pallets on a locked container `c`, which is saved with its new status.
net::awaitable<Result<void>> load_into(db::Runner run, const domain::TenantId& tenant, domain::Container& c,
                                       const std::vector<std::string>& ids, const std::string& now) {
  if (!domain::accepts_pallets(c.status)) {
    co_return client_error(Errc::kUnprocessable, "Cannot load pallets \u2014 container is " + c.status);
  }
  auto pallets = co_await locked_pallets(run, tenant, ids, now);
  if (!pallets) co_return pallets.error();
  std::vector<domain::LoadablePallet> taken;
  std::copy_if(pallets->begin(), pallets->end(), std::back_inserter(taken),
               [](const auto& p) { return p.container_id.has_value(); });
  if (!taken.empty()) {
    co_return client_error(Errc::kUnprocessable, "Already in a container: " + domain::list_some(numbers_of(taken), 10));
  }
  auto held = co_await db::containers::pallets_in(run, tenant, c.id);
  if (!held) co_return held.error();
  const auto after = static_cast<std::int64_t>(held->size() + ids.size());
  if (after > c.capacity_pallets) {
    co_return client_error(Errc::kUnprocessable,
                           "Container " + c.container_number + " holds at most " + std::to_string(c.capacity_pallets) +
                               " pallet(s): it has " + std::to_string(held->size()) + ", cannot load " +
                               std::to_string(ids.size()) + " more");
  }
  const std::int64_t first = domain::next_position(*held);
  std::vector<db::containers::PalletMove> moves;
  for (std::size_t i = 0; i < pallets->size(); ++i) {
    const auto& p = (*pallets)[i];
    moves.push_back(db::containers::PalletMove{.pallet_id = p.id,
                                               .position = std::to_string(first + static_cast<std::int64_t>(i)),
                                               .status = domain::pallet_status_on_load(p.status)});
  }
  auto moved = co_await db::containers::load(run, tenant, c.id, std::move(moves), now);
  if (!moved) co_return moved.error();
  if (*moved != static_cast<std::int64_t>(ids.size())) {
    co_return make_error(Errc::kInternal, "locked pallets changed while loading container " + c.id);
  }
  if (c.status == domain::kContainerOpen) c.status = std::string(domain::kContainerLoading);
  c.updated_at = now;
  if (auto saved = co_await db::containers::save(run, tenant, c); !saved) co_return saved.error();
  co_return co_await retally(run, tenant, c, now);
}

// The sealer's full name (contract 11.1: sealed_by holds it).
net::awaitable<Result<std::string>> full_name(db::Runner run, const std::string& user_id) {
  auto user = co_await db::users::find_by_id(run, user_id);
  if (!user) co_return user.error();
  if (!*user) co_return make_error(Errc::kInternal, "user " + user_id + " vanished");
  co_return (*user)->full_name;
}

// The stored readings as a JSON array (an absent or unreadable column reads as empty).
bj::array readings_of(const domain::Container& c) {
  if (!c.temp_readings_json) return {};
  boost::system::error_code ec;
  auto value = bj::parse(*c.temp_readings_json, ec);
  if (ec || !value.is_array()) return {};
  return std::move(value.as_array());
}

bj::object reading_json(const domain::TemperatureReading& r) {
  return bj::object{{"temp_c", r.temp_c},
                    {"recorded_at", r.recorded_at},
                    {"location", r.location ? bj::value(*r.location) : bj::value(nullptr)},
                    {"notes", r.notes ? bj::value(*r.notes) : bj::value(nullptr)},
                    {"recorded_by", r.recorded_by}};
}

std::string recorded_at_of(const bj::value& reading) {
  const auto* object = reading.if_object();
  if (!object) return {};
  const auto* at = object->if_contains("recorded_at");
  return at && at->is_string() ? std::string(at->as_string()) : std::string();
}

}  // namespace

net::awaitable<Result<domain::Container>> ContainerService::create(domain::TenantId tenant,
                                                                   domain::ContainerUpdate draft,
                                                                   std::vector<std::string> pallet_ids,
                                                                   util::QueryCounter* counter) {
  auto work = [&](db::Lease& tx) -> net::awaitable<Result<domain::Container>> {
    db::Runner run(tx);
    const std::string now = util::iso_utc_now();
    domain::Container c;
    c.id = util::uuid4();
    c.container_type = draft.values.container_type;
    c.capacity_pallets = draft.values.capacity_pallets;
    c.status = std::string(domain::kContainerOpen);
    c.created_at = c.updated_at = now;
    if (auto applied = co_await apply_update(run, tenant, draft, c); !applied) co_return applied.error();
    // D12: the number comes from the tenant's counter row for the day.
    const std::string day = compact_day(now);
    auto number = co_await db::codes::next(run, tenant, std::string(kContainerPrefix), day);
    if (!number) co_return number.error();
    c.container_number = db::codes::format_code(kContainerPrefix, day, *number);
    if (auto inserted = co_await db::containers::insert(run, tenant, c); !inserted) co_return inserted.error();
    if (!pallet_ids.empty()) {
      if (auto loaded = co_await load_into(run, tenant, c, pallet_ids, now); !loaded) co_return loaded.error();
    }
    co_return co_await summary(run, tenant, c.id);
  };
  co_return co_await db_.transaction(work, counter);
}

net::awaitable<Result<domain::Page<domain::Container>>> ContainerService::list(domain::TenantId tenant,
                                                                               domain::ContainerFilter filter,
                                                                               domain::PageRequest page,
                                                                               util::QueryCounter* counter) {
  db::Runner run(db_, counter);
  auto listed = co_await db::containers::list(run, tenant, std::move(filter), page);
  if (!listed) co_return listed.error();
  std::vector<std::string> ids;
  for (const auto& c : listed->items) ids.push_back(c.id);
  auto codes = co_await db::containers::codes(run, tenant, std::move(ids));
  if (!codes) co_return codes.error();
  const std::string day = today();
  for (auto& c : listed->items) {
    auto it = std::find_if(codes->begin(), codes->end(), [&](const auto& k) { return k.container_id == c.id; });
    if (it != codes->end()) {
      c.pallet_numbers = std::move(it->pallet_numbers);
      c.lot_codes = std::move(it->lot_codes);
      c.batch_codes = std::move(it->batch_codes);
    }
    c.is_overdue = domain::is_overdue(c.status, c.eta, day);
  }
  co_return std::move(*listed);
}

net::awaitable<Result<domain::ContainerDetail>> ContainerService::get(domain::TenantId tenant, std::string id,
                                                                     util::QueryCounter* counter) {
  db::Runner run(db_, counter);
  auto found = co_await db::containers::find(run, tenant, id);
  if (!found) co_return found.error();
  if (!*found) co_return not_found();
  auto contents = co_await db::containers::contents(run, tenant, id);
  if (!contents) co_return contents.error();
  domain::ContainerDetail detail{std::move(**found), std::move(contents->pallets), std::move(contents->traceability)};
  auto& c = detail.container;
  c.pallet_numbers = std::move(contents->codes.pallet_numbers);
  c.lot_codes = std::move(contents->codes.lot_codes);
  c.batch_codes = std::move(contents->codes.batch_codes);
  c.is_overdue = domain::is_overdue(c.status, c.eta, today());
  co_return detail;
}

net::awaitable<Result<domain::Container>> ContainerService::update(domain::TenantId tenant, std::string id,
                                                                   domain::ContainerUpdate update,
                                                                   util::QueryCounter* counter) {
  auto work = [&](db::Lease& tx) -> net::awaitable<Result<domain::Container>> {
    db::Runner run(tx);
    const std::string now = util::iso_utc_now();
    auto c = co_await locked(run, tenant, id, now);
    if (!c) co_return c.error();
    if (auto applied = co_await apply_update(run, tenant, update, *c); !applied) co_return applied.error();
    if (update.has("capacity_pallets")) {
      auto held = co_await db::containers::pallets_in(run, tenant, id);
      if (!held) co_return held.error();
      if (static_cast<std::int64_t>(held->size()) > c->capacity_pallets) {
        co_return client_error(Errc::kUnprocessable, "Capacity cannot be less than the pallets loaded (" +
                                                         std::to_string(held->size()) + ")");
      }
    }
    if (update.counts_manual) {
      c->counts_manual = *update.counts_manual;
      if (*update.counts_manual) {
        if (update.has("pallet_count")) c->pallet_count = update.values.pallet_count;
        if (update.has("total_cartons")) c->total_cartons = update.values.total_cartons;
      }
    }
    c->updated_at = now;
    if (auto saved = co_await db::containers::save(run, tenant, *c); !saved) co_return saved.error();
    if (update.counts_manual) {
      if (auto tallied = co_await retally(run, tenant, *c, now); !tallied) co_return tallied.error();
    }
    co_return co_await summary(run, tenant, id);
  };
  co_return co_await db_.transaction(work, counter);
}

net::awaitable<Result<domain::Container>> ContainerService::load(domain::TenantId tenant, std::string id,
                                                                 std::vector<std::string> pallet_ids,
                                                                 util::QueryCounter* counter) {
  auto work = [&](db::Lease& tx) -> net::awaitable<Result<domain::Container>> {
    db::Runner run(tx);
    const std::string now = util::iso_utc_now();
    auto c = co_await locked(run, tenant, id, now);
    if (!c) co_return c.error();
    if (auto loaded = co_await load_into(run, tenant, *c, pallet_ids, now); !loaded) co_return loaded.error();
    co_return co_await summary(run, tenant, id);
  };
  co_return co_await db_.transaction(work, counter);
}

net::awaitable<Result<domain::Container>> ContainerService::unload(domain::TenantId tenant, std::string id,
                                                                   std::vector<std::string> pallet_ids,
                                                                   util::QueryCounter* counter) {
  auto work = [&](db::Lease& tx) -> net::awaitable<Result<domain::Container>> {
    db::Runner run(tx);
    const std::string now = util::iso_utc_now();
    auto c = co_await locked(run, tenant, id, now);
    if (!c) co_return c.error();
    if (!domain::accepts_pallets(c->status)) {
      co_return client_error(Errc::kUnprocessable, "Cannot unload pallets \u2014 container is " + c->status);
    }
    auto pallets = co_await locked_pallets(run, tenant, pallet_ids, now);
    if (!pallets) co_return pallets.error();
    std::vector<domain::LoadablePallet> elsewhere;
    std::copy_if(pallets->begin(), pallets->end(), std::back_inserter(elsewhere),
                 [&](const auto& p) { return p.container_id != c->id; });
    if (!elsewhere.empty()) {
      co_return client_error(Errc::kUnprocessable, "Not in container " + c->container_number + ": " +
                                                       domain::list_some(numbers_of(elsewhere), 10));
    }
    std::vector<db::containers::PalletMove> moves;
    for (const auto& p : *pallets) {
      std::string status = p.status == domain::kPalletLoaded
                               ? domain::pallet_status_on_unload(p.current_boxes, p.capacity_boxes)
                               : p.status;
      moves.push_back(db::containers::PalletMove{.pallet_id = p.id, .position = std::nullopt, .status = status});
    }
    auto moved = co_await db::containers::unload(run, tenant, id, std::move(moves), now);
    if (!moved) co_return moved.error();
    if (*moved != static_cast<std::int64_t>(pallet_ids.size())) {
      co_return make_error(Errc::kInternal, "locked pallets changed while unloading container " + id);
    }
    c->updated_at = now;
    if (auto saved = co_await db::containers::save(run, tenant, *c); !saved) co_return saved.error();
    if (auto tallied = co_await retally(run, tenant, *c, now); !tallied) co_return tallied.error();
    co_return co_await summary(run, tenant, id);
  };
  co_return co_await db_.transaction(work, counter);
}

net::awaitable<Result<domain::Container>> ContainerService::step(domain::TenantId tenant, std::string user_id,
                                                                 std::string id, domain::ContainerStep step,
                                                                 domain::SealInput seal, domain::VoyageUpdate voyage,
                                                                 util::QueryCounter* counter) {
  auto work = [&](db::Lease& tx) -> net::awaitable<Result<domain::Container>> {
    db::Runner run(tx);
    const std::string now = util::iso_utc_now();
    auto c = co_await locked(run, tenant, id, now);
    if (!c) co_return c.error();
    const domain::StepRule rule = domain::step_rule(step);
    if (c->status != rule.from) co_return client_error(Errc::kUnprocessable, domain::step_refusal(step, c->status));
    if (step == domain::ContainerStep::kMarkLoaded || step == domain::ContainerStep::kSeal) {
      auto held = co_await db::containers::pallets_in(run, tenant, id);
      if (!held) co_return held.error();
      if (held->empty()) {
        co_return client_error(Errc::kUnprocessable,
                               std::string(rule.refusal_prefix) + " \u2014 container has no pallets");
      }
    }
    switch (step) {
      case domain::ContainerStep::kSeal: {
        auto name = co_await full_name(run, user_id);
        if (!name) co_return name.error();
        c->seal_number = seal.seal_number;
        c->sealed_at = now;
        c->sealed_by = std::move(*name);
        if (seal.temp_setpoint_c) c->temp_setpoint_c = seal.temp_setpoint_c;
        break;
      }
      case domain::ContainerStep::kDispatch: c->dispatched_at = now; break;
      case domain::ContainerStep::kExport:
        if (voyage.shipping_line_id) {
          auto line = co_await named(run, tenant, Reference::kShippingLine, *voyage.shipping_line_id);
          if (!line) co_return line.error();
          c->shipping_line_id = voyage.shipping_line_id;
        }
        if (voyage.vessel_name) c->vessel_name = voyage.vessel_name;
        if (voyage.voyage_number) c->voyage_number = voyage.voyage_number;
        if (voyage.etd) c->etd = voyage.etd;
        if (voyage.eta) c->eta = voyage.eta;
        break;
      case domain::ContainerStep::kArrive: c->arrived_at = now; break;
      case domain::ContainerStep::kDeliver: c->delivered_at = now; break;
      case domain::ContainerStep::kMarkLoaded: break;
    }
    const std::string from = c->status;
    c->status = std::string(rule.to);
    c->updated_at = now;
    if (auto saved = co_await db::containers::save(run, tenant, *c); !saved) co_return saved.error();
    if (auto cascade = domain::pallet_cascade(from, c->status)) {
      auto moved = co_await db::containers::cascade_status(run, tenant, id, std::string(cascade->from),
                                                           std::string(cascade->to), now);
      if (!moved) co_return moved.error();
    }
    co_return co_await summary(run, tenant, id);
  };
  co_return co_await db_.transaction(work, counter);
}

net::awaitable<Result<domain::Container>> ContainerService::revert(domain::TenantId tenant, std::string id,
                                                                   util::QueryCounter* counter) {
  auto work = [&](db::Lease& tx) -> net::awaitable<Result<domain::Container>> {
    db::Runner run(tx);
    const std::string now = util::iso_utc_now();
    auto c = co_await locked(run, tenant, id, now);
    if (!c) co_return c.error();
    const auto previous = domain::previous_status(c->status);
    if (!previous) co_return client_error(Errc::kUnprocessable, domain::revert_refusal(c->status));
    const std::string from = c->status;
    if (from == domain::kContainerSealed) {
      c->seal_number.reset();
      c->sealed_at.reset();
      c->sealed_by.reset();
    } else if (from == domain::kContainerDispatched) {
      c->dispatched_at.reset();
    } else if (from == domain::kContainerArrived) {
      c->arrived_at.reset();
    }
    c->status = std::string(*previous);
    c->updated_at = now;
    if (auto saved = co_await db::containers::save(run, tenant, *c); !saved) co_return saved.error();
    if (auto cascade = domain::pallet_cascade(from, c->status)) {
      auto moved = co_await db::containers::cascade_status(run, tenant, id, std::string(cascade->from),
                                                           std::string(cascade->to), now);
      if (!moved) co_return moved.error();
    }
    co_return co_await summary(run, tenant, id);
  };
  co_return co_await db_.transaction(work, counter);
}

net::awaitable<Result<domain::TemperatureReading>> ContainerService::add_reading(domain::TenantId tenant,
                                                                                std::string id,
                                                                                domain::TemperatureReading reading,
                                                                                util::QueryCounter* counter) {
  auto work = [&](db::Lease& tx) -> net::awaitable<Result<domain::TemperatureReading>> {
    db::Runner run(tx);
    const std::string now = util::iso_utc_now();
    auto c = co_await locked(run, tenant, id, now);
    if (!c) co_return c.error();
    bj::array readings = readings_of(*c);
    if (readings.size() >= domain::kMaxTemperatureReadings) {
      co_return client_error(Errc::kUnprocessable, "Container " + c->container_number + " already has " +
                                                       std::to_string(domain::kMaxTemperatureReadings) +
                                                       " temperature readings");
    }
    if (reading.recorded_at.empty()) reading.recorded_at = now;
    // Kept in recorded_at order: after every reading recorded at or before this one.
    auto at = std::find_if(readings.begin(), readings.end(),
                           [&](const bj::value& r) { return recorded_at_of(r) > reading.recorded_at; });
    readings.insert(at, reading_json(reading));
    c->temp_readings_json = bj::serialize(readings);
    c->updated_at = now;
    if (auto saved = co_await db::containers::save(run, tenant, *c); !saved) co_return saved.error();
    co_return reading;
  };
  co_return co_await db_.transaction(work, counter);
}

net::awaitable<Result<void>> ContainerService::remove(domain::TenantId tenant, std::string id,
                                                     util::QueryCounter* counter) {
  auto work = [&](db::Lease& tx) -> net::awaitable<Result<bool>> {
    db::Runner run(tx);
    const std::string now = util::iso_utc_now();
    auto c = co_await locked(run, tenant, id, now);
    if (!c) co_return c.error();
    if (!domain::accepts_pallets(c->status)) {
      co_return client_error(Errc::kInvalidInput, "Cannot delete container with status '" + c->status +
                                                      "'. Only open or empty loading containers can be deleted.");
    }
    auto held = co_await db::containers::pallets_in(run, tenant, id);
    if (!held) co_return held.error();
    if (!held->empty()) {
      co_return client_error(Errc::kInvalidInput, "Cannot delete container with " + std::to_string(held->size()) +
                                                      " loaded pallet(s). Unload all pallets first.");
    }
    if (c->export_id) {
      co_return client_error(Errc::kInvalidInput,
                             "Cannot delete a container that belongs to an export. Remove it from the export first.");
    }
    auto deleted = co_await db::containers::soft_delete(run, tenant, id, now);
    if (!deleted) co_return deleted.error();
    if (!*deleted) co_return make_error(Errc::kInternal, "locked container " + id + " was not deleted");
    co_return true;
  };
  auto removed = co_await db_.transaction(work, counter);
  if (!removed) co_return removed.error();
  co_return Result<void>{};
}

}  // namespace fruitpak::services
