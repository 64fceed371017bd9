// The demo season's operations up to the pallets: GRNs and their history, lots, and the
// pallets they are packed onto. Everything follows from the GRN times: a batch is packed a
// day or two after intake and closed once its lots are on pallets.

#include "services/season/catalog.hpp"
#include "services/season/demo_season.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <numbers>
#include <tuple>

namespace fruitpak::services::season {
namespace {

using std::chrono::days;
using std::chrono::minutes;

// Class 1 markets per fruit (kFruits order) and the class 2 markets of every fruit.
const std::array<std::vector<int>, 4> kClassOneMarkets{{{0, 1, 2, 4, 3}, {0, 2, 3}, {1, 0, 4}, {3, 0, 5}}};
const std::vector<int> kClassTwoMarkets{2, 3, 5};

}  // namespace

void DemoSeason::plan_batches() {
  std::vector<Day> intake_days;
  std::vector<double> weights;
  for (Day d = first_day_; d <= last_day_; d += days(1)) {
    const unsigned wd = weekday(d);
    intake_days.push_back(d);
    // No intake on Sundays, half a day on Saturdays; the volume swells mid-season.
    weights.push_back((wd == 0 ? 0.0 : (wd == 6 ? 0.5 : 1.0)) *
                      (0.6 + 0.8 * std::sin(std::numbers::pi * season_position(d))));
  }
  const auto counts = spread(kDemoBatches, weights);
  for (std::size_t i = 0; i < intake_days.size(); ++i) {
    std::vector<std::int64_t> seconds;
    for (std::int64_t k = 0; k < counts[i]; ++k) seconds.push_back(rng_.between(6 * 3600, 15 * 3600));
    std::sort(seconds.begin(), seconds.end());
    const std::string day = compact_day(intake_days[i]);
    for (std::size_t k = 0; k < seconds.size(); ++k) {
      BatchPlan plan;
      plan.draft = draft_batch(rng_, setup_, intake_days[i], seconds[k], season_position(intake_days[i]));
      plan.draft.id = ids_.next("batches");
      plan.draft.code = db::codes::format_code("GRN", day, static_cast<std::int64_t>(k) + 1);
      plan_batch_life(plan);
      batches_.push_back(std::move(plan));
    }
    if (counts[i] > 0) counters_.note("GRN", day, counts[i]);
  }
  std::vector<int> complete;
  for (std::size_t i = 0; i < batches_.size(); ++i) {
    if (batches_[i].closed_at) complete.push_back(static_cast<int>(i));
  }
  const auto short_lots = choose(rng_, complete, DemoMismatches::kLotVsBatch);
  for (std::size_t i = 0; i < batches_.size(); ++i) {
    plan_lots(static_cast<int>(i), std::binary_search(short_lots.begin(), short_lots.end(), static_cast<int>(i)));
  }
}

void DemoSeason::plan_batch_life(BatchPlan& plan) {
  const Moment intake = at(plan.draft.day, plan.draft.second);
  plan.outcome.status = "received";
  plan.outcome.updated_at = plan.draft.created_at;
  if (rng_.chance(0.025)) {
    plan.rejected_at = intake + minutes(rng_.between(60, 180));
    plan.outcome.status = "rejected";
    plan.outcome.rejection_reason = std::string(rng_.pick(kRejectionReasons));
    plan.outcome.updated_at = stamp(*plan.rejected_at);
    return;
  }
  const std::array<double, 3> pack_after{0.2, 0.5, 0.3};
  const auto pack_offset = static_cast<int>(rng_.weighted(pack_after));
  const Day pack_day = plan.draft.day + days(pack_offset);
  if (pack_day > last_day_) return;
  const std::int64_t pack_second =
      pack_offset == 0 ? plan.draft.second + rng_.between(7200, 10800) : rng_.between(7 * 3600, 15 * 3600);
  plan.packing_at = at(pack_day, pack_second);
  plan.outcome.status = "packing";
  plan.outcome.updated_at = stamp(*plan.packing_at);
  const std::array<double, 3> close_after{0.4, 0.4, 0.2};
  const auto close_offset = static_cast<int>(rng_.weighted(close_after));
  const Day close_day = pack_day + days(close_offset);
  if (close_day > last_day_) return;
  std::int64_t close_second = 17 * 3600 + rng_.between(0, 5400);
  if (close_offset == 0) close_second = std::max(close_second, pack_second + 3600);
  plan.closed_at = at(close_day, close_second);
  plan.outcome.status = "complete";
  plan.outcome.updated_at = stamp(*plan.closed_at);
}

void DemoSeason::plan_lots(int batch, bool short_lots) {
  auto& plan = batches_[static_cast<std::size_t>(batch)];
  if (!plan.packing_at) return;
  const auto& d = plan.draft;
  const auto& fruit = kFruits[static_cast<std::size_t>(d.fruit)];
  const double net = d.net_kg;
  const double sort_waste = round_places(net * rng_.uniform(0.002, 0.006), 1);
  const double s1 = std::clamp(rng_.normal(0.66, 0.05), 0.55, 0.78);
  // Class 3 (local market) keeps at least 8 % so the lots add up to the net weight.
  const double s2 = std::min(std::clamp(rng_.normal(0.21, 0.03), 0.12, 0.28), 0.92 - s1);
  const int market1 = rng_.pick(kClassOneMarkets[static_cast<std::size_t>(d.fruit)]);
  const int market2 = rng_.pick(kClassTwoMarkets);
  struct Part {
    int grade, box, market;
    double kg;
  };
  std::vector<Part> parts;
  const bool two_sizes = rng_.chance(0.4);
  if (two_sizes) {
    parts.push_back({1, fruit.box, market1, net * s1 * 0.55});
    parts.push_back({1, fruit.box, market1, net * s1 * 0.45});
  } else {
    parts.push_back({1, fruit.box, market1, net * s1});
  }
  // Lots for class 2 and 3 never captured: the planted lot-vs-batch findings.
  if (!short_lots) {
    parts.push_back({2, fruit.box, market2, net * s2});
    parts.push_back({3, kLocalBox, -1, net * (1 - s1 - s2) - sort_waste});
  }
  const auto first_size = rng_.below(3);
  double packed_kg = 0, waste_kg = 0;
  for (std::size_t k = 0; k < parts.size(); ++k) {
    const auto& part = parts[k];
    const auto& box = kBoxSizes[static_cast<std::size_t>(part.box)];
    LotPlan lot;
    lot.id = ids_.next("lots");
    lot.code = fmt::format("{}-L{:02}", d.code, k + 1);
    lot.batch = batch;
    lot.grade = part.grade;
    lot.size = std::string(fruit.sizes[std::min<std::size_t>(first_size + k, fruit.sizes.size() - 1)]);
    lot.box = part.box;
    lot.market = part.market;
    lot.cartons = std::max<std::int64_t>(1, std::llround(part.kg / box.weight_kg));
    lot.weight_kg = round_places(static_cast<double>(lot.cartons) * box.weight_kg, 1);
    lot.waste_kg = part.grade == 3 ? sort_waste : 0.0;
    lot.packed = *plan.packing_at + minutes(10 * static_cast<int>(k));
    const auto& lines = setup_.packhouses[static_cast<std::size_t>(d.packhouse)].line_ids;
    lot.line_id = lines[rng_.below(lines.size())];
    packed_kg += lot.weight_kg;
    waste_kg += lot.waste_kg;
    plan.lots.push_back(static_cast<int>(lots_.size()));
    lots_.push_back(std::move(lot));
  }
  counters_.note(d.code, "", static_cast<std::int64_t>(parts.size()));
  // As the API does on lot creation: the batch's waste is what the lots do not account for.
  plan.outcome.waste_kg = std::max(0.0, round_places(net - packed_kg - waste_kg, 1));
  plan.outcome.waste_reason = "Auto-calculated balance";
}

void DemoSeason::plan_pallets() {
  std::vector<int> order;
  for (const auto& b : batches_) {
    if (!b.closed_at) continue;  // only closed batches have every lot on pallets
    order.insert(order.end(), b.lots.begin(), b.lots.end());
  }
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    return lots_[static_cast<std::size_t>(a)].packed < lots_[static_cast<std::size_t>(b)].packed;
  });
  std::map<std::tuple<int, int, int, int, int>, int> open;  // (packhouse, fruit, cultivar, grade, market)
  for (int l : order) {
    auto& lot = lots_[static_cast<std::size_t>(l)];
    const auto& d = batches_[static_cast<std::size_t>(lot.batch)].draft;
    const auto key = std::make_tuple(d.packhouse, d.fruit * 4 + d.cultivar, lot.box, lot.grade, lot.market);
    std::int64_t left = lot.cartons;
    while (left > 0) {
      auto found = open.find(key);
      if (found == open.end()) {
        PalletPlan p;
        p.id = ids_.next("pallets");
        p.packhouse = d.packhouse;
        p.box = lot.box;
        p.fruit = d.fruit;
        p.cultivar = d.cultivar;
        p.grade = lot.grade;
        p.market = lot.market;
        p.capacity = kBoxSizes[static_cast<std::size_t>(lot.box)].cartons_per_pallet;
        p.created = lot.packed + minutes(5);
        found = open.emplace(key, static_cast<int>(pallets_.size())).first;
        pallets_.push_back(std::move(p));
      }
      auto& pallet = pallets_[static_cast<std::size_t>(found->second)];
      const std::int64_t take = std::min(left, pallet.capacity - pallet.boxes);
      pallet.boxes += take;
      pallet.lots.emplace_back(l, take);
      lot.slices.emplace_back(found->second, take);
      left -= take;
      if (pallet.boxes == pallet.capacity) {
        pallet.closed = lot.packed + minutes(15);
        open.erase(found);
      }
    }
  }
  number_per_day(
      counters_, "PAL", pallets_.size(), [&](std::size_t i) { return pallets_[i].created; },
      [&](std::size_t i, std::string code) { pallets_[i].number = std::move(code); });
}

void DemoSeason::add_batches() {
  TableRows rows = batch_rows();
  TableRows history("batch_history", {"id", "enterprise_id", "batch_id", "event_type", "event_subtype",
                                      "packhouse_id", "pack_line_id", "location_detail", "event_data", "notes",
                                      "recorded_by", "recorded_at"});
  for (const auto& plan : batches_) {
    const auto& d = plan.draft;
    add_batch_row(rows, context(), d, plan.outcome);
    const auto& packhouse_id = setup_.packhouses[static_cast<std::size_t>(d.packhouse)].id;
    history.add(ids_.next("batch_history"), tenant_.value(), d.id, "intake", "grn_received", packhouse_id, nullptr,
                "Intake area",
                fmt::format(R"({{"gross_weight_kg":{},"tare_weight_kg":{},"net_weight_kg":{},"bin_count":{},)"
                            R"("quality_grade":"{}","arrival_temp_c":{}}})",
                            d.gross_kg, d.tare_kg, d.net_kg, d.bins, d.quality_grade, d.temp_c),
                nullptr, context().user_id, d.created_at);
    auto status_change = [&](const char* from, const char* to, Moment when, std::string extra) {
      history.add(ids_.next("batch_history"), tenant_.value(), d.id, "note", "batch_updated", nullptr, nullptr,
                  nullptr, fmt::format(R"({{"status":{{"from":"{}","to":"{}"}}{}}})", from, to, extra), nullptr,
                  context().user_id, stamp(when));
    };
    if (plan.rejected_at) {
      status_change("received", "rejected", *plan.rejected_at,
                    fmt::format(R"(,"rejection_reason":{{"from":null,"to":"{}"}})", *plan.outcome.rejection_reason));
    }
    if (plan.packing_at) status_change("received", "packing", *plan.packing_at, "");
    if (plan.closed_at) status_change("packing", "complete", *plan.closed_at, "");
  }
  out_.push_back(std::move(rows));
  out_.push_back(std::move(history));
}

void DemoSeason::add_lots() {
  TableRows rows("lots", {"id", "enterprise_id", "lot_code", "batch_id", "grower_id", "packhouse_id", "pack_line_id",
                          "fruit_type", "variety", "grade", "size", "product_config_id", "pack_spec_id",
                          "box_size_id", "target_market", "carton_count", "weight_kg", "waste_kg", "waste_reason",
                          "pack_date", "intake_date", "quality_data", "status", "notes", "packed_by", "is_deleted",
                          "created_at", "updated_at"});
  for (const auto& lot : lots_) {
    const auto& d = batches_[static_cast<std::size_t>(lot.batch)].draft;
    const auto& fruit = kFruits[static_cast<std::size_t>(d.fruit)];
    std::string status = "created";
    if (!lot.slices.empty()) {
      bool shipped = true;
      for (const auto& [pallet, boxes] : lot.slices) {
        const int c = pallets_[static_cast<std::size_t>(pallet)].container;
        shipped = shipped && c >= 0 && departed(containers_[static_cast<std::size_t>(c)].status);
      }
      status = shipped ? "exported" : "palletizing";
    }
    const std::string packed = stamp(lot.packed);
    std::optional<std::string> quality;
    if (lot.grade == 1) {
      quality = fmt::format(R"({{"blemish_pct":{},"firmness":"{}"}})", round_places(rng_.uniform(0.2, 2.5), 1),
                            rng_.chance(0.85) ? "firm" : "soft");
    }
    std::optional<std::string> spec;
    if (lot.grade < 3) spec = pack_spec_ids_[static_cast<std::size_t>(d.fruit)];
    rows.add(lot.id, tenant_.value(), lot.code, d.id, setup_.growers[static_cast<std::size_t>(d.grower)].id,
             setup_.packhouses[static_cast<std::size_t>(d.packhouse)].id, lot.line_id, fruit.fruit_type,
             fruit.cultivars[static_cast<std::size_t>(d.cultivar)].name, std::to_string(lot.grade), lot.size,
             product_config_ids_[static_cast<std::size_t>(d.fruit * 4 + d.cultivar)], spec,
             box_ids_[static_cast<std::size_t>(lot.box)], market_name(lot.market), lot.cartons, lot.weight_kg,
             lot.waste_kg, lot.waste_kg > 0 ? std::optional<std::string>("Decay at sorting") : std::nullopt,
             iso_day(day_of(lot.packed)), d.created_at, quality, status, nullptr, context().user_id, false, packed,
             lot.slices.empty() ? packed : stamp(lot.packed + minutes(5)));
  }
  out_.push_back(std::move(rows));
}

}  // namespace fruitpak::services::season
