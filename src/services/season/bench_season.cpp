#include "services/season/bench_season.hpp"

#include "services/season/catalog.hpp"

#include <algorithm>

namespace fruitpak::services::season {
namespace {

using std::chrono::days;
using std::chrono::hours;

constexpr int kBenchDays = 730;

// Citrus intake by calendar month (January first): most of it from April to September.
constexpr std::array<double, 12> kMonthWeights{0.15, 0.2, 0.5, 0.9, 1.0, 1.0, 1.0, 1.0, 0.9, 0.6, 0.3, 0.15};

// The day's place in the citrus season: 1 March = 0, 31 October = 1, clamped outside.
double season_position(Day day) {
  const std::chrono::year_month_day ymd(day);
  const Day march_first = Day(ymd.year() / std::chrono::March / 1);
  return std::clamp(static_cast<double>((day - march_first).count()) / 244.0, 0.0, 1.0);
}

// A realistic mix of statuses by age: new GRNs wait or are being packed, older ones are
// complete; about 3 % are rejected at intake whatever their age.
BatchOutcome outcome_of(Rng& rng, const BatchDraft& b, std::int64_t age_days) {
  BatchOutcome o;
  o.updated_at = b.created_at;
  const double draw = rng.unit();
  if (draw < 0.03) {
    o.status = "rejected";
    o.rejection_reason = std::string(rng.pick(kRejectionReasons));
  } else if (age_days <= 1) {
    o.status = draw < 0.75 ? "received" : "packing";
  } else if (age_days <= 7) {
    o.status = draw < 0.12 ? "received" : (draw < 0.45 ? "packing" : "complete");
  } else {
    o.status = draw < 0.995 ? "complete" : "packing";
  }
  if (o.status == "complete") {
    o.waste_kg = round_places(b.net_kg * rng.uniform(0.005, 0.03), 1);
    o.waste_reason = "Auto-calculated balance";
  }
  if (o.status != "received") {
    o.updated_at = stamp(at(b.day, b.second) + hours(rng.between(2, age_days == 0 ? 4 : 40)));
  }
  return o;
}

}  // namespace

BenchSeason::BenchSeason(const domain::TenantId& tenant, const SeasonOptions& options, Day last_day)
    : tenant_(tenant),
      rng_(fnv1a("bench season", options.seed)),
      ids_(tenant, options.seed),
      context_{tenant_, setup_, options.user_id.empty() ? std::nullopt : std::optional<std::string>(options.user_id)} {
  setup_ = make_setup(rng_, ids_, tenant_, SetupSize{50, 3}, stamp(at(last_day - days(kBenchDays + 30), 9 * 3600)));
  std::vector<double> weights;
  for (int d = 0; d < kBenchDays; ++d) {
    const Day day = last_day - days(kBenchDays - 1 - d);
    const unsigned wd = weekday(day);
    const auto month = static_cast<unsigned>(std::chrono::year_month_day(day).month());
    days_.push_back(day);
    weights.push_back(kMonthWeights[month - 1] * (wd == 0 ? 0.1 : (wd == 6 ? 0.5 : 1.0)));
  }
  per_day_ = spread(options.batches, weights);
}

TableRows lot_rows() {
  return TableRows("lots", {"id", "enterprise_id", "lot_code", "batch_id", "grower_id", "packhouse_id", "fruit_type",
                            "carton_count", "weight_kg", "intake_date", "status", "is_deleted", "created_at",
                            "updated_at"});
}

void BenchSeason::add_day(std::size_t index, TableRows& rows, TableRows& lots) {
  const Day day = days_[index];
  const std::int64_t count = per_day_[index];
  if (count == 0) return;
  std::vector<std::int64_t> seconds(static_cast<std::size_t>(count));
  for (auto& s : seconds) s = rng_.between(5 * 3600 + 1800, 18 * 3600 + 1800);
  std::sort(seconds.begin(), seconds.end());
  const std::string compact = compact_day(day);
  const auto age = (days_.back() - day).count();
  const double position = season_position(day);
  for (std::size_t k = 0; k < seconds.size(); ++k) {
    BatchDraft b = draft_batch(rng_, setup_, day, seconds[k], position);
    b.id = ids_.next("batches");
    b.code = db::codes::format_code("GRN", compact, static_cast<std::int64_t>(k) + 1);
    const BatchOutcome outcome = outcome_of(rng_, b, age);
    add_batch_row(rows, context_, b, outcome);
    if (outcome.status == "rejected") continue;
    const std::chrono::year_month_day ymd(day);
    received_[{b.grower, Day(ymd.year() / ymd.month() / 1)}] += b.net_kg;
    if (outcome.status == "received") continue;
    // Packed: one lot that keeps 98.5-100 % of the net weight, or 90 % for every 1,000th.
    const double kept = ++packed_ % 1000 == 0 ? 0.9 : rng_.uniform(0.985, 1.0);
    const double kg = round_places(b.net_kg * kept, 1);
    lots.add(ids_.next("lots"), tenant_.value(), b.code + "-L01", b.id,
             setup_.growers[static_cast<std::size_t>(b.grower)].id,
             setup_.packhouses[static_cast<std::size_t>(b.packhouse)].id,
             std::string(kFruits[static_cast<std::size_t>(b.fruit)].fruit_type), static_cast<std::int64_t>(kg / 15),
             kg, b.created_at, std::string(outcome.status == "complete" ? "stored" : "created"), false, outcome.updated_at,
             outcome.updated_at);
  }
  counters_.note("GRN", compact, count);
}

TableRows BenchSeason::payment_rows() {
  TableRows rows("grower_payments", {"id", "enterprise_id", "payment_ref", "grower_id", "currency", "gross_amount",
                                     "net_amount", "rate_per_kg", "total_kg", "period_start", "period_end",
                                     "paid_date", "payment_type", "status", "is_deleted", "created_at",
                                     "updated_at"});
  constexpr double kRatePerKg = 4.5;
  std::map<Day, std::int64_t> per_day;  // PAY-<day>-NNN numbers, by payment day
  for (const auto& [key, kg] : received_) {
    const auto& [grower, month] = key;
    if (grower == 0) continue;  // never paid
    const double paid_kg = round_places(grower == 1 ? kg * 0.95 : kg, 1);
    const std::chrono::year_month_day ymd(month);
    const Day last = Day(ymd.year() / ymd.month() / std::chrono::last);
    const Day paid_on = last + days(10);
    const std::int64_t number = ++per_day[paid_on];
    const std::string created = stamp(paid_on, 10 * 3600);
    const double amount = round_places(paid_kg * kRatePerKg, 2);
    rows.add(ids_.next("grower_payments"), tenant_.value(),
             db::codes::format_code("PAY", compact_day(paid_on), number),
             setup_.growers[static_cast<std::size_t>(grower)].id, std::string("ZAR"), amount, amount, kRatePerKg,
             paid_kg, iso_day(month), iso_day(last), iso_day(paid_on), std::string("final"), std::string("paid"),
             false, created, created);
  }
  for (const auto& [day, last] : per_day) counters_.note("PAY", compact_day(day), last);
  return rows;
}

}  // namespace fruitpak::services::season
