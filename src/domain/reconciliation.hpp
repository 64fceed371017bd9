#pragma once
// Reconciliation rules (contract section 4.1, issue 8): tolerances, variance percentages
// and severities, on exact integers.
//
// Quantities are fixed-point integers so that sums and comparisons are exact and identical
// on PostgreSQL and SQLite: weights in grams, money in cents, percentages in basis points
// (1 % = 100 bp). The checks' SQL produces these integers; the rules below decide.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fruitpak::domain {

enum class Severity { kLow, kMedium, kHigh, kCritical };

constexpr std::string_view severity_name(Severity s) {
  switch (s) {
    case Severity::kLow: return "low";
    case Severity::kMedium: return "medium";
    case Severity::kHigh: return "high";
    case Severity::kCritical: return "critical";
  }
  return "low";
}
std::optional<Severity> severity_from(std::string_view name);

// The contract's constants (4.1) as defaults; configuration may change them.
struct Tolerances {
  std::int64_t weight_bp = 200;        // alert when the weight variance exceeds 2.00 %
  std::int64_t amount_cents = 5'000;   // alert when |money variance| exceeds 50.00
  std::int64_t hours_milli = 1'000;    // 1.000 h (declared by the contract, unused by its checks)
  std::int64_t pallets = 0;            // pallet counts must match exactly
  std::int64_t critical_bp = 2'000;    // severity: >= 20 % critical
  std::int64_t high_bp = 1'000;        //           >= 10 % high
  std::int64_t medium_bp = 500;        //           >= 5 % medium, else low
};

// The settings a run's alerts depend on, as one text stored with the run: an incremental
// run is exact only against alerts made with the same settings.
std::string settings_key(const Tolerances& t);

// pct(expected, actual) of 4.1 in basis points: |actual - expected| / |expected|, rounded
// half up to 0.01 %; with expected 0, 100 % when actual is not 0, else 0.
std::int64_t variance_bp(std::int64_t expected, std::int64_t actual);

// severity(pct) of 4.1.
Severity severity_of(std::int64_t bp, const Tolerances& t);

// Weights alert when the rounded percentage is strictly above the tolerance (exactly 2.00 %
// passes), money when the absolute variance is strictly above it (exactly 50.00 passes).
inline bool weight_mismatch(std::int64_t expected_g, std::int64_t actual_g, const Tolerances& t) {
  return variance_bp(expected_g, actual_g) > t.weight_bp;
}
bool amount_mismatch(std::int64_t expected_cents, std::int64_t actual_cents, const Tolerances& t);

// Container vs pallets (4.2 check 4): high when more than two pallets apart, else medium.
Severity pallet_severity(std::int64_t header_count, std::int64_t actual_count);

// The unit of a finding's values, and the fixed point its integers use.
enum class AlertUnit { kKg, kCurrency, kPallets };  // grams, cents, pallets
std::string_view unit_name(AlertUnit u);
// The stored (and shown) value of a fixed-point quantity: kg, currency units or pallets.
double unit_value(std::int64_t fixed, AlertUnit u);

// Human figures for titles and descriptions (4.2): kg with one decimal, money with two,
// both with thousands separators; `signed_` adds "+" to positive values.
std::string format_quantity(std::int64_t fixed, AlertUnit u, bool signed_ = false);
// A basis-point percentage with one decimal: 1234 -> "12.3%".
std::string format_percent(std::int64_t bp);

// One mismatch that a check found: it becomes a new alert, or updates the live alert of
// the same check and entity (D13).
// An entity of the change journal (reconciliation_dirty, migration 0009): its kind
// (batch, grower, export, container, labour) and id.
struct JournalEntity {
  std::string kind;
  std::string id;
  auto operator<=>(const JournalEntity&) const = default;
};

// The journal entity an alert's entity_key is about ("unpaid:<id>" and "grower:<id>" are
// both the grower; "export:<id>:value" the export). nullopt for an unknown key.
std::optional<JournalEntity> journal_entity(std::string_view entity_key);

struct Finding {
  std::string alert_type;     // contract name: lot_vs_batch, grn_vs_payment, ...
  std::string entity_key;     // identity within the type, e.g. "batch:<id>", "export:<id>:value"
  Severity severity = Severity::kLow;
  std::string title;
  std::string description;
  AlertUnit unit = AlertUnit::kKg;
  std::int64_t expected = 0;  // fixed point of `unit`
  std::int64_t actual = 0;
  std::int64_t variance_bp = 0;
  std::optional<std::string> period_start;  // YYYY-MM-DD (D8 date filters)
  std::optional<std::string> period_end;
  std::optional<std::string> grower_id;     // D8 ?grower_id= filter
  std::optional<std::string> fruit_type;    // D8 ?product= filter
  std::vector<std::pair<std::string, std::string>> entity_refs;  // the alert's entity_refs object
};

// The checks of 4.2 in run order. Checks 3 and 5 have two parts each, and check 6 shares
// check 2's alert type.
enum class Check {
  kLotVsBatch,
  kGrnVsPayment,
  kExportWeight,
  kExportValue,
  kPalletVsContainer,
  kLabourVsCost,
  kLabourWithoutHours,
  kUnpaidBatches,
};
std::string_view alert_type_of(Check c);

// One row of a check's statement: the entity and its two sides as fixed-point integers.
struct CheckRow {
  Check check = Check::kLotVsBatch;
  std::string entity_id;
  std::string label;                   // batch code, grower name, booking ref, container number, labour category
  std::optional<std::string> code;     // grower code; the labour cost's work date
  std::optional<std::string> currency; // money checks
  std::int64_t expected = 0;
  std::int64_t actual = 0;
  std::int64_t expected_cartons = 0;   // container check
  std::int64_t actual_cartons = 0;
  std::int64_t batches = 0;            // unpaid check: the grower's complete batches
  std::optional<std::string> grower_id;
  std::optional<std::string> fruit_type;
  std::optional<std::string> first_day;  // YYYY-MM-DD: the period the mismatch covers
  std::optional<std::string> last_day;
};

// The alert a check row stands for: severity, unit, title, description and references.
Finding to_finding(const CheckRow& row, const Tolerances& t);

// A stored alert (contract 2.0 AlertOut).
struct Alert {
  std::string id;
  std::string alert_type;
  std::string severity;
  std::string title;
  std::string description;
  std::optional<double> expected_value;
  std::optional<double> actual_value;
  std::optional<double> variance;
  std::optional<double> variance_pct;
  std::optional<std::string> unit;
  std::optional<std::string> entity_refs_json;  // a JSON object, as stored
  std::optional<std::string> period_start;      // ISO timestamps
  std::optional<std::string> period_end;
  std::string status;
  std::optional<std::string> resolved_at;
  std::optional<std::string> resolved_by;
  std::optional<std::string> resolution_note;
  std::optional<std::string> run_id;
  std::string created_at;
  std::string updated_at;
  std::optional<std::string> entity_key;  // D13 identity within the check (not in the API)
};

// An open or acknowledged alert as a run matches it against its findings (D13).
struct LiveAlert {
  std::string id;
  std::string alert_type;
  std::string entity_key;
  std::string severity;
  std::string description;  // carries every figure: unchanged text means unchanged numbers
};

// What a human may set with PATCH (2.8): any of the three, with an optional note.
inline bool is_alert_review_status(std::string_view s) {
  return s == "acknowledged" || s == "resolved" || s == "dismissed";
}

// Filters of the alerts list (2.8 and D8); dates are YYYY-MM-DD, inclusive.
struct AlertFilter {
  std::optional<std::string> alert_type;
  std::optional<std::string> severity;
  std::optional<std::string> status;
  std::optional<std::string> run_id;
  std::optional<std::string> grower_id;
  std::optional<std::string> product;
  std::optional<std::string> date_from;
  std::optional<std::string> date_to;
};

// Counts by alert type or severity, in name order.
using AlertCounts = std::map<std::string, std::int64_t>;

// POST /api/reconciliation/run (contract 2.0 RunSummary, plus what D13's update-or-insert
// did). total_alerts, by_type and by_severity count the alerts this run opened.
struct RunSummary {
  std::string run_id;
  std::string ran_at;
  std::string kind;                    // full | incremental
  std::int64_t entities_checked = 0;   // incremental: the journal's entities; full: 0
  std::int64_t total_alerts = 0;
  AlertCounts by_type;
  AlertCounts by_severity;
  std::int64_t alerts_updated = 0;   // live alerts whose figures changed
  std::int64_t alerts_unchanged = 0; // live alerts found again as they were
  std::int64_t alerts_resolved = 0;  // live alerts whose mismatch is gone
};

// GET /api/reconciliation/ (contract 2.0 DashboardSummary).
struct Dashboard {
  std::int64_t total_open = 0;
  std::int64_t total_acknowledged = 0;
  std::int64_t total_resolved_30d = 0;
  AlertCounts by_type;      // over open and acknowledged alerts
  AlertCounts by_severity;
  std::optional<std::string> latest_run_id;
  std::optional<std::string> latest_run_at;
  std::vector<Alert> alerts;  // open and acknowledged, most severe first, at most 50
};

}  // namespace fruitpak::domain
