#include "domain/reconciliation.hpp"

#include <fmt/format.h>

namespace fruitpak::domain {
namespace {

constexpr std::int64_t magnitude(std::int64_t v) { return v < 0 ? -v : v; }

}  // namespace

std::optional<Severity> severity_from(std::string_view name) {
  for (auto s : {Severity::kLow, Severity::kMedium, Severity::kHigh, Severity::kCritical}) {
    if (severity_name(s) == name) return s;
  }
  return std::nullopt;
}

std::string settings_key(const Tolerances& t) {
  return fmt::format("weight_bp={} amount_cents={} pallets={} medium_bp={} high_bp={} critical_bp={}", t.weight_bp,
                     t.amount_cents, t.pallets, t.medium_bp, t.high_bp, t.critical_bp);
}

std::optional<JournalEntity> journal_entity(std::string_view entity_key) {
  static constexpr std::pair<std::string_view, std::string_view> kKinds[] = {
      {"batch", "batch"},   {"grower", "grower"},       {"unpaid", "grower"},
      {"export", "export"}, {"container", "container"}, {"labour", "labour"}};
  const auto colon = entity_key.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  const std::string_view prefix = entity_key.substr(0, colon);
  std::string_view id = entity_key.substr(colon + 1);
  id = id.substr(0, id.find(':'));
  if (id.empty()) return std::nullopt;
  for (const auto& [key_prefix, kind] : kKinds) {
    if (key_prefix == prefix) return JournalEntity{std::string(kind), std::string(id)};
  }
  return std::nullopt;
}

std::int64_t variance_bp(std::int64_t expected, std::int64_t actual) {
  const std::int64_t base = magnitude(expected);
  const std::int64_t diff = magnitude(actual - expected);
  if (base == 0) return diff == 0 ? 0 : 10'000;
  // round(diff * 10000 / base) half up, in integers: (2 * diff * 10000 + base) / (2 * base).
  // Grams of a season stay far below the 4.6e14 where 20000 * diff would overflow.
  return (diff * 20'000 + base) / (2 * base);
}

Severity severity_of(std::int64_t bp, const Tolerances& t) {
  if (bp >= t.critical_bp) return Severity::kCritical;
  if (bp >= t.high_bp) return Severity::kHigh;
  if (bp >= t.medium_bp) return Severity::kMedium;
  return Severity::kLow;
}

bool amount_mismatch(std::int64_t expected_cents, std::int64_t actual_cents, const Tolerances& t) {
  return magnitude(actual_cents - expected_cents) > t.amount_cents;
}

Severity pallet_severity(std::int64_t header_count, std::int64_t actual_count) {
  return magnitude(actual_count - header_count) > 2 ? Severity::kHigh : Severity::kMedium;
}

std::string_view unit_name(AlertUnit u) {
  switch (u) {
    case AlertUnit::kKg: return "kg";
    case AlertUnit::kCurrency: return "currency";
    case AlertUnit::kPallets: return "pallets";
  }
  return "kg";
}

double unit_value(std::int64_t fixed, AlertUnit u) {
  switch (u) {
    case AlertUnit::kKg: return static_cast<double>(fixed) / 1000.0;
    case AlertUnit::kCurrency: return static_cast<double>(fixed) / 100.0;
    case AlertUnit::kPallets: return static_cast<double>(fixed);
  }
  return static_cast<double>(fixed);
}

namespace {

// "1234567" -> "1,234,567".
std::string with_thousands(std::uint64_t whole) {
  std::string digits = std::to_string(whole);
  std::string out;
  const std::size_t lead = digits.size() % 3 == 0 ? 3 : digits.size() % 3;
  out.append(digits, 0, lead);
  for (std::size_t i = lead; i < digits.size(); i += 3) out.append(",").append(digits, i, 3);
  return out;
}

}  // namespace

std::string format_quantity(std::int64_t fixed, AlertUnit u, bool signed_) {
  const bool negative = fixed < 0;
  const auto abs = static_cast<std::uint64_t>(negative ? -fixed : fixed);
  std::string sign = negative ? "-" : (signed_ && fixed > 0 ? "+" : "");
  switch (u) {
    case AlertUnit::kKg: {
      const std::uint64_t tenths = (abs + 50) / 100;  // grams to 0.1 kg, half up
      return fmt::format("{}{}.{} kg", sign, with_thousands(tenths / 10), tenths % 10);
    }
    case AlertUnit::kCurrency:
      return fmt::format("{}{}.{:02}", sign, with_thousands(abs / 100), abs % 100);
    case AlertUnit::kPallets:
      return fmt::format("{}{} pallet{}", sign, with_thousands(abs), abs == 1 ? "" : "s");
  }
  return std::to_string(fixed);
}

std::string format_percent(std::int64_t bp) {
  const bool negative = bp < 0;
  const auto abs = static_cast<std::uint64_t>(negative ? -bp : bp);
  const std::uint64_t tenths = (abs + 5) / 10;  // 0.01 % to 0.1 %, half up
  return fmt::format("{}{}.{}%", negative ? "-" : "", tenths / 10, tenths % 10);
}

std::string_view alert_type_of(Check c) {
  switch (c) {
    case Check::kLotVsBatch: return "lot_vs_batch";
    case Check::kGrnVsPayment:
    case Check::kUnpaidBatches: return "grn_vs_payment";
    case Check::kExportWeight:
    case Check::kExportValue: return "export_vs_invoice";
    case Check::kPalletVsContainer: return "pallet_vs_container";
    case Check::kLabourVsCost:
    case Check::kLabourWithoutHours: return "labour_vs_cost";
  }
  return "unknown";
}

namespace {

// "+275.0 kg, 28.9%": the signed variance and its percentage.
std::string gap(const Finding& f) {
  return format_quantity(f.actual - f.expected, f.unit, true) + ", " + format_percent(f.variance_bp);
}

std::string money(const CheckRow& r, std::int64_t cents) {
  return (r.currency ? *r.currency + " " : std::string()) + format_quantity(cents, AlertUnit::kCurrency);
}

std::string short_id(const std::string& id) { return id.substr(0, 8); }

void describe(const CheckRow& r, Finding& f) {
  const auto kg = [](std::int64_t g) { return format_quantity(g, AlertUnit::kKg); };
  const std::string& who = r.label;
  switch (r.check) {
    case Check::kLotVsBatch:
      f.entity_key = "batch:" + r.entity_id;
      f.entity_refs = {{"batch_id", r.entity_id}, {"batch_code", r.label}};
      f.title = fmt::format("Batch {}: packed weight \u2260 intake weight", who);
      f.description = fmt::format("The lots of batch {} weigh {} against an intake weight of {} ({}).", who,
                                  kg(r.actual), kg(r.expected), gap(f));
      break;
    case Check::kGrnVsPayment:
      f.entity_key = "grower:" + r.entity_id;
      f.entity_refs = {{"grower_id", r.entity_id}, {"grower_name", r.label}};
      f.title = fmt::format("Grower {}: payment kg \u2260 received kg", who);
      f.description = fmt::format("Payments to {} cover {} but {} was received ({}).", who, kg(r.actual),
                                  kg(r.expected), gap(f));
      break;
    case Check::kUnpaidBatches:
      f.entity_key = "unpaid:" + r.entity_id;
      f.entity_refs = {{"grower_id", r.entity_id}, {"grower_name", r.label}};
      f.title = fmt::format("Grower {}: {} batch{} with zero payments", who, r.batches, r.batches == 1 ? "" : "es");
      f.description = fmt::format("{} complete batch{} of {} ({}) have no payment.", r.batches,
                                  r.batches == 1 ? "" : "es", who, kg(r.expected));
      break;
    case Check::kExportWeight:
      f.entity_key = "export:" + r.entity_id + ":weight";
      f.entity_refs = {{"export_id", r.entity_id}, {"booking_ref", r.label}};
      f.title = fmt::format("Export {}: shipped kg \u2260 booking kg", who);
      f.description = fmt::format("The containers of export {} weigh {} against a booked {} ({}).", who,
                                  kg(r.actual), kg(r.expected), gap(f));
      break;
    case Check::kExportValue:
      f.entity_key = "export:" + r.entity_id + ":value";
      f.entity_refs = {{"export_id", r.entity_id}, {"booking_ref", r.label}};
      f.title = fmt::format("Export {}: invoiced \u2260 expected value", who);
      f.description = fmt::format("The invoices of export {} total {} against an export value of {} ({}).", who,
                                  money(r, r.actual), money(r, r.expected), gap(f));
      break;
    case Check::kPalletVsContainer:
      f.entity_key = "container:" + r.entity_id;
      f.entity_refs = {{"container_id", r.entity_id}, {"container_number", r.label}};
      f.title = fmt::format("Container {}: pallet count mismatch", who);
      f.description = fmt::format(
          "Container {} records {} and {} cartons, but {} with {} cartons are loaded ({}).", who,
          format_quantity(r.expected, AlertUnit::kPallets), r.expected_cartons,
          format_quantity(r.actual, AlertUnit::kPallets), r.actual_cartons,
          format_quantity(r.actual - r.expected, AlertUnit::kPallets, true));
      break;
    case Check::kLabourVsCost:
    case Check::kLabourWithoutHours: {
      const std::string day = r.code.value_or("");
      f.entity_key = "labour:" + r.entity_id;
      f.entity_refs = {{"labour_cost_id", r.entity_id}, {"category", r.label}, {"work_date", day}};
      if (r.check == Check::kLabourVsCost) {
        f.title = fmt::format("Labour cost {}: total \u2260 hours \u00d7 rate", short_id(r.entity_id));
        f.description = fmt::format("The {} cost of {} totals {} but hours \u00d7 rate \u00d7 headcount give {} ({}).",
                                    who, day, money(r, r.actual), money(r, r.expected), gap(f));
      } else {
        f.title = fmt::format("Labour cost {}: cost recorded without hours", short_id(r.entity_id));
        f.description = fmt::format("The {} cost of {} records {} without hours or a rate.", who, day,
                                    money(r, r.actual));
      }
      break;
    }
  }
}

}  // namespace

Finding to_finding(const CheckRow& r, const Tolerances& t) {
  Finding f;
  f.alert_type = std::string(alert_type_of(r.check));
  f.expected = r.expected;
  f.actual = r.actual;
  f.variance_bp = variance_bp(r.expected, r.actual);
  f.unit = AlertUnit::kKg;
  f.severity = severity_of(f.variance_bp, t);
  switch (r.check) {
    case Check::kExportValue:
    case Check::kLabourVsCost: f.unit = AlertUnit::kCurrency; break;
    case Check::kLabourWithoutHours:
      f.unit = AlertUnit::kCurrency;
      f.severity = Severity::kMedium;
      break;
    case Check::kPalletVsContainer:
      f.unit = AlertUnit::kPallets;
      f.severity = pallet_severity(r.expected, r.actual);
      break;
    case Check::kUnpaidBatches: f.severity = Severity::kHigh; break;
    default: break;
  }
  f.period_start = r.first_day;
  f.period_end = r.last_day;
  f.grower_id = r.grower_id;
  f.fruit_type = r.fruit_type;
  describe(r, f);
  if (r.fruit_type) f.entity_refs.emplace_back("fruit_type", *r.fruit_type);
  return f;
}

}  // namespace fruitpak::domain
