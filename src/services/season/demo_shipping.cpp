// The demo season's shipping: full export pallets go into a container the day after they
// close; a week's containers of one packhouse and market sail three days after the last
// one is loaded, and their status follows from the sailing and arrival dates.

#include "services/season/catalog.hpp"
#include "services/season/demo_season.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <tuple>

namespace fruitpak::services::season {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;

constexpr int kContainerPallets = 20;

// Container set points per fruit: cold treatment for oranges, warmer for lemons and grapefruit.
constexpr std::array<double, 4> kSetPoints{-0.6, 8.0, 4.0, 10.0};

double pallet_net(const PalletPlan& p) {
  return round_places(static_cast<double>(p.boxes) * kBoxSizes[static_cast<std::size_t>(p.box)].weight_kg, 1);
}

// Cartons (0.9 kg each) and the wooden pallet (22 kg) on top of the fruit.
double pallet_gross(const PalletPlan& p) {
  return round_places(pallet_net(p) + static_cast<double>(p.boxes) * 0.9 + 22.0, 1);
}

}  // namespace

void DemoSeason::plan_containers() {
  std::map<std::pair<int, int>, std::vector<int>> waiting;  // (packhouse, market) -> closed pallets
  for (std::size_t i = 0; i < pallets_.size(); ++i) {
    const auto& p = pallets_[i];
    if (p.market >= 0 && p.closed) waiting[{p.packhouse, p.market}].push_back(static_cast<int>(i));
  }
  for (auto& [key, list] : waiting) {
    std::stable_sort(list.begin(), list.end(), [&](int a, int b) {
      return *pallets_[static_cast<std::size_t>(a)].closed < *pallets_[static_cast<std::size_t>(b)].closed;
    });
    for (std::size_t start = 0; start < list.size(); start += kContainerPallets) {
      const std::size_t end = std::min(list.size(), start + kContainerPallets);
      Day day = day_of(*pallets_[static_cast<std::size_t>(list[end - 1])].closed) + days(1);
      if (day > last_day_) break;  // the rest waits in the cold store
      if (end - start < kContainerPallets) {
        if (end - start < 5) break;
        day = last_day_;  // a part-filled container being loaded today
      }
      ContainerPlan c;
      c.id = ids_.next("containers");
      c.packhouse = key.first;
      c.market = key.second;
      c.created = at(day, 7 * 3600 + rng_.between(0, 8 * 3600));
      for (std::size_t k = start; k < end; ++k) {
        auto& pallet = pallets_[static_cast<std::size_t>(list[k])];
        pallet.container = static_cast<int>(containers_.size());
        pallet.position = static_cast<int>(k - start) + 1;
        pallet.loaded = c.created + minutes(6 * pallet.position);
        c.pallets.push_back(list[k]);
      }
      c.header_pallets = static_cast<std::int64_t>(c.pallets.size());
      containers_.push_back(std::move(c));
    }
  }
  number_per_day(
      counters_, "CONT", containers_.size(), [&](std::size_t i) { return containers_[i].created; },
      [&](std::size_t i, std::string code) { containers_[i].number = std::move(code); });
}

void DemoSeason::plan_exports() {
  std::map<std::tuple<int, int, std::int64_t>, std::vector<int>> sailings;  // (packhouse, market, week)
  for (std::size_t i = 0; i < containers_.size(); ++i) {
    const auto& c = containers_[i];
    sailings[{c.packhouse, c.market, (day_of(c.created) - first_day_).count() / 7}].push_back(static_cast<int>(i));
  }
  for (const auto& [key, list] : sailings) {
    ExportPlan e;
    e.id = ids_.next("exports");
    e.packhouse = std::get<0>(key);
    e.market = std::get<1>(key);
    e.line = static_cast<int>(rng_.below(kShippingLines.size()));
    e.containers = list;
    Day last_loaded = first_day_;
    Moment first_created = containers_[static_cast<std::size_t>(list.front())].created;
    for (int c : list) {
      last_loaded = std::max(last_loaded, day_of(containers_[static_cast<std::size_t>(c)].created));
      first_created = std::min(first_created, containers_[static_cast<std::size_t>(c)].created);
      containers_[static_cast<std::size_t>(c)].exported = static_cast<int>(exports_.size());
    }
    e.etd = last_loaded + days(3);
    e.eta = e.etd + days(kExportMarkets[static_cast<std::size_t>(e.market)].transit_days);
    e.created = first_created - days(2);
    exports_.push_back(std::move(e));
  }
  for (auto& e : exports_) {
    if (e.etd > last_day_) {
      e.status = "loaded";
      for (int ci : e.containers) {
        auto& c = containers_[static_cast<std::size_t>(ci)];
        const auto age = (last_day_ - day_of(c.created)).count();
        c.status = age == 0 ? "loading" : (age == 1 ? "sealed" : "dispatched");
        if (age == 0) e.status = "booked";
      }
      continue;
    }
    e.status = e.eta > last_day_ ? "in_transit" : (e.eta + days(5) > last_day_ ? "arrived" : "completed");
    const std::string container_status = e.status == "completed" ? "delivered" : e.status;
    for (int ci : e.containers) containers_[static_cast<std::size_t>(ci)].status = container_status;
  }
  // One booking cancelled before loading.
  ExportPlan cancelled;
  cancelled.id = ids_.next("exports");
  cancelled.market = static_cast<int>(rng_.below(kExportMarkets.size()));
  cancelled.line = static_cast<int>(rng_.below(kShippingLines.size()));
  cancelled.etd = first_day_ + days(60);
  cancelled.eta = cancelled.etd + days(kExportMarkets[static_cast<std::size_t>(cancelled.market)].transit_days);
  cancelled.created = at(cancelled.etd - days(12), 10 * 3600);
  cancelled.status = "cancelled";
  exports_.push_back(std::move(cancelled));

  std::vector<std::size_t> order(exports_.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return exports_[a].created < exports_[b].created; });
  for (std::size_t n = 0; n < order.size(); ++n) {
    auto& e = exports_[order[n]];
    const auto& line = kShippingLines[static_cast<std::size_t>(e.line)];
    const auto year = static_cast<int>(std::chrono::year_month_day(e.etd).year()) % 100;
    e.booking_ref = fmt::format("{}{:02}{:06}", line.code, year, 310'000 + n * 7);
    e.vessel = std::string(rng_.pick(line.vessels));
    e.voyage = fmt::format("{:03}{}", 100 + (e.etd - first_day_).count() / 7, e.market == 4 ? "W" : "N");
  }

  std::vector<int> open_containers;
  for (std::size_t i = 0; i < containers_.size(); ++i) {
    const auto& status = containers_[i].status;
    if (status == "loading" || status == "sealed" || status == "dispatched") open_containers.push_back(static_cast<int>(i));
  }
  // The planted pallet-vs-container findings: a header count one too many, two too few.
  const auto miscounted = choose(rng_, open_containers, DemoMismatches::kPalletVsContainer);
  for (std::size_t k = 0; k < miscounted.size(); ++k) {
    auto& c = containers_[static_cast<std::size_t>(miscounted[k])];
    c.header_pallets = k % 2 == 0 ? c.header_pallets + 1 : std::max<std::int64_t>(0, c.header_pallets - 2);
  }
}

void DemoSeason::add_exports() {
  TableRows rows("exports", {"id", "enterprise_id", "booking_ref", "client_name", "client_ref", "target_market",
                             "destination_country", "destination_port", "shipping_line", "vessel_name",
                             "voyage_number", "port_of_loading", "etd", "eta", "actual_departure", "actual_arrival",
                             "container_count", "total_pallets", "total_cartons", "total_weight_kg",
                             "ppecb_cert_number", "phyto_cert_number", "bill_of_lading", "documents", "currency",
                             "total_value", "incoterm", "shipping_line_id", "transporter_id", "shipping_agent_id",
                             "shipping_schedule_id", "status", "notes", "created_by", "is_deleted", "created_at",
                             "updated_at"});
  for (std::size_t i = 0; i < exports_.size(); ++i) {
    const auto& e = exports_[i];
    const auto& m = kExportMarkets[static_cast<std::size_t>(e.market)];
    const auto& line = kShippingLines[static_cast<std::size_t>(e.line)];
    std::int64_t pallets = 0, cartons = 0;
    double weight = 0;
    for (int ci : e.containers) {
      for (int p : containers_[static_cast<std::size_t>(ci)].pallets) {
        ++pallets;
        cartons += pallets_[static_cast<std::size_t>(p)].boxes;
        weight += pallet_gross(pallets_[static_cast<std::size_t>(p)]);
      }
    }
    double value = 0;
    for (const auto& l : invoice_lines(e)) value += l.amount;
    const bool sailed = e.status == "in_transit" || e.status == "arrived" || e.status == "completed";
    const bool landed = e.status == "arrived" || e.status == "completed";
    std::optional<std::string> ppecb, phyto, bill;
    if (sailed) {
      ppecb = fmt::format("PPECB{:08}", 2'600'000 + i * 3);
      phyto = fmt::format("ZA-PC-{:07}", 1'400'000 + i * 11);
      bill = fmt::format("{}{:09}", line.code, 715'000'000 + i * 13);
    }
    Moment updated = e.created;
    for (int ci : e.containers) updated = std::max(updated, containers_[static_cast<std::size_t>(ci)].created);
    if (sailed) updated = at(e.etd, 18 * 3600);
    if (e.status == "arrived") updated = at(e.eta, 6 * 3600);
    if (e.status == "completed") updated = at(e.eta + days(5), 9 * 3600);
    const bool cancelled = e.status == "cancelled";
    rows.add(e.id, tenant_.value(), e.booking_ref, m.client, fmt::format("PO-{:05}", 40'000 + i * 3), m.target_market,
             m.country, m.port, line.name, e.vessel, e.voyage,
             kPackhouseSites[static_cast<std::size_t>(e.packhouse)].port, iso_day(e.etd), iso_day(e.eta),
             sailed ? std::optional<std::string>(iso_day(e.etd)) : std::nullopt,
             landed ? std::optional<std::string>(iso_day(e.eta)) : std::nullopt,
             static_cast<std::int64_t>(e.containers.size()), pallets, cartons,
             cancelled ? std::nullopt : std::optional<double>(round_places(weight, 1)), ppecb, phyto, bill,
             sailed ? R"(["packing_list","ppecb_certificate","phytosanitary_certificate","bill_of_lading"])" : "[]",
             m.currency, cancelled ? std::nullopt : std::optional<double>(round_places(value, 2)), m.incoterm,
             shipping_line_ids_[static_cast<std::size_t>(e.line)],
             transporter_ids_[static_cast<std::size_t>(e.packhouse)], agent_ids_[static_cast<std::size_t>(e.packhouse)],
             e.schedule_id, e.status, cancelled ? std::optional<std::string>("Client moved the order to a later sailing")
                                                : std::nullopt,
             context().user_id, false, stamp(e.created), stamp(updated));
  }
  out_.push_back(std::move(rows));
}

void DemoSeason::add_containers() {
  TableRows rows("containers", {"id", "enterprise_id", "container_number", "transport_config_id", "container_type",
                                "capacity_pallets", "packhouse_id", "pallet_count", "total_cartons", "gross_weight_kg",
                                "client_id", "customer_name", "destination", "shipping_container_number",
                                "export_date", "transporter_id", "shipping_agent_id", "shipping_line_id",
                                "vessel_name", "voyage_number", "etd", "eta", "seal_number", "sealed_at", "sealed_by",
                                "temp_setpoint_c", "temp_readings", "export_id", "status", "dispatched_at",
                                "arrived_at", "delivered_at", "qr_code_url", "notes", "is_deleted", "created_at",
                                "updated_at"});
  for (const auto& c : containers_) {
    const auto& e = exports_[static_cast<std::size_t>(c.exported)];
    const auto& m = kExportMarkets[static_cast<std::size_t>(c.market)];
    std::int64_t cartons = 0;
    double gross = 0;
    for (int p : c.pallets) {
      cartons += pallets_[static_cast<std::size_t>(p)].boxes;
      gross += pallet_gross(pallets_[static_cast<std::size_t>(p)]);
    }
    const bool sealed = c.status != "loading";
    const bool gone = departed(c.status);
    std::optional<Moment> sealed_at, dispatched_at, arrived_at, delivered_at;
    if (sealed) sealed_at = c.created + hours(8);
    if (gone) dispatched_at = *sealed_at + hours(3);
    if (c.status == "arrived" || c.status == "delivered") arrived_at = at(e.eta, 6 * 3600);
    if (c.status == "delivered") delivered_at = at(e.eta + days(2), 10 * 3600);
    Moment updated = c.created + minutes(6 * static_cast<int>(c.pallets.size()));
    for (const auto& m2 : {sealed_at, dispatched_at, arrived_at, delivered_at}) {
      if (m2) updated = std::max(updated, *m2);
    }
    const double set_point = kSetPoints[static_cast<std::size_t>(pallets_[static_cast<std::size_t>(c.pallets.front())].fruit)];
    std::optional<std::string> readings;
    if (gone) {
      readings = fmt::format(R"([{{"at":"{}","temp_c":{}}},{{"at":"{}","temp_c":{}}}])", stamp(*dispatched_at),
                             round_places(set_point + rng_.uniform(-0.3, 0.4), 1),
                             stamp(*dispatched_at + hours(12)), round_places(set_point + rng_.uniform(-0.3, 0.3), 1));
    }
    const auto& line = kShippingLines[static_cast<std::size_t>(e.line)];
    rows.add(c.id, tenant_.value(), c.number, transport_config_id_, "reefer_40ft", kContainerPallets,
             setup_.packhouses[static_cast<std::size_t>(c.packhouse)].id, c.header_pallets, cartons,
             round_places(gross, 1), client_ids_[static_cast<std::size_t>(c.market)], m.client,
             fmt::format("{}, {}", m.port, m.country), fmt::format("{}{:07}", line.code, rng_.below(10'000'000)),
             stamp(at(e.etd, 12 * 3600)), transporter_ids_[static_cast<std::size_t>(c.packhouse)],
             agent_ids_[static_cast<std::size_t>(c.packhouse)], shipping_line_ids_[static_cast<std::size_t>(e.line)],
             e.vessel, e.voyage, iso_day(e.etd), iso_day(e.eta),
             sealed ? std::optional<std::string>(fmt::format("ZA{:07}", rng_.below(10'000'000))) : std::nullopt,
             stamp_or_null(sealed_at), sealed ? std::optional<std::string>(person_name(rng_)) : std::nullopt, set_point,
             readings, e.id, c.status, stamp_or_null(dispatched_at), stamp_or_null(arrived_at),
             stamp_or_null(delivered_at), nullptr, nullptr, false, stamp(c.created), stamp(updated));
  }
  out_.push_back(std::move(rows));
}

void DemoSeason::add_pallets() {
  TableRows rows("pallets", {"id", "enterprise_id", "pallet_number", "packhouse_id", "pallet_type_name",
                             "capacity_boxes", "current_boxes", "fruit_type", "variety", "grade", "size",
                             "box_size_id", "box_size_name", "target_market", "net_weight_kg", "gross_weight_kg",
                             "cold_store_room", "cold_store_position", "stored_at", "container_id", "loaded_at",
                             "position_in_container", "quality_data", "qr_code_url", "status", "notes",
                             "palletized_by", "is_deleted", "created_at", "updated_at"});
  TableRows slices("pallet_lots", {"id", "enterprise_id", "pallet_id", "lot_id", "box_count", "size", "is_deleted",
                                   "deallocated_at", "created_at"});
  for (const auto& p : pallets_) {
    const auto& fruit = kFruits[static_cast<std::size_t>(p.fruit)];
    const auto& box = kBoxSizes[static_cast<std::size_t>(p.box)];
    std::optional<std::string> size = lots_[static_cast<std::size_t>(p.lots.front().first)].size;
    for (const auto& [lot, boxes] : p.lots) {
      if (lots_[static_cast<std::size_t>(lot)].size != *size) size.reset();  // mixed sizes allowed
    }
    const int rooms = kPackhouseSites[static_cast<std::size_t>(p.packhouse)].cold_rooms;
    std::optional<std::string> room, position, stored_at, container, loaded_at, place;
    if (p.closed) {
      room = fmt::format("CR-{}", rng_.between(1, rooms));
      position = fmt::format("{}{:02}", static_cast<char>('A' + rng_.below(8)), rng_.between(1, 40));
      stored_at = stamp(*p.closed + minutes(30));
    }
    if (p.container >= 0) {
      container = containers_[static_cast<std::size_t>(p.container)].id;
      loaded_at = stamp(*p.loaded);
      place = std::to_string(p.position);
    }
    std::string status = "open";
    if (p.closed) status = "closed";
    if (p.container >= 0) status = "loaded";
    const Moment updated = p.loaded ? *p.loaded : (p.closed ? *p.closed : p.created);
    rows.add(p.id, tenant_.value(), p.number, setup_.packhouses[static_cast<std::size_t>(p.packhouse)].id,
             box.pallet_type, p.capacity, p.boxes, fruit.fruit_type,
             fruit.cultivars[static_cast<std::size_t>(p.cultivar)].name, std::to_string(p.grade), size,
             box_ids_[static_cast<std::size_t>(p.box)], box.name, market_name(p.market), pallet_net(p),
             pallet_gross(p), room, position, stored_at, container, loaded_at, place, nullptr, nullptr, status,
             nullptr, context().user_id, false, stamp(p.created), stamp(updated));
    for (const auto& [lot, boxes] : p.lots) {
      const auto& l = lots_[static_cast<std::size_t>(lot)];
      slices.add(ids_.next("pallet_lots"), tenant_.value(), p.id, l.id, boxes, l.size, false, nullptr,
                 stamp(l.packed + minutes(5)));
    }
  }
  out_.push_back(std::move(rows));
  out_.push_back(std::move(slices));
}

}  // namespace fruitpak::services::season
