#pragma once
// Labour costs (issue 7; our own resource per D14, on the contract's `labour_costs` table):
// what a packhouse spent on people, by category and work day. Reconciliation's labour
// check compares each row's total with hours x rate x headcount.

#include <cmath>
#include <optional>
#include <string>
#include <string_view>

namespace fruitpak::domain {

// Section 3's enumerations.
inline bool is_labour_category(std::string_view c) {
  return c == "packing" || c == "harvest" || c == "cold_store" || c == "loading" || c == "admin" || c == "other";
}

// recorded -> approved -> invoiced -> paid; a cost only moves forward. -1: not a status.
inline int labour_status_rank(std::string_view s) {
  if (s == "recorded") return 0;
  if (s == "approved") return 1;
  if (s == "invoiced") return 2;
  if (s == "paid") return 3;
  return -1;
}
inline bool is_labour_status(std::string_view s) { return labour_status_rank(s) >= 0; }

struct LabourCost {
  std::string id;
  std::string category;
  std::optional<std::string> description;
  std::optional<std::string> supplier_id;
  std::optional<std::string> packhouse_id;
  std::optional<std::string> pack_line_id;
  std::optional<std::string> harvest_team_id;
  std::string currency = "ZAR";
  std::optional<double> hours_worked;
  std::optional<double> rate_per_hour;
  std::optional<double> headcount;
  double total_amount = 0;
  std::optional<std::string> extras_json;  // a JSON object, as stored
  std::string work_date;                    // YYYY-MM-DD
  std::optional<std::string> period_start;  // YYYY-MM-DD
  std::optional<std::string> period_end;    // YYYY-MM-DD
  std::string status = "recorded";
  std::optional<std::string> notes;
  std::optional<std::string> recorded_by;   // user id
  std::string created_at;
  std::string updated_at;
};

// The total its basis gives: hours x rate x headcount (1 when not given), in cents;
// nullopt without both hours and rate.
inline std::optional<double> labour_total_of(const std::optional<double>& hours, const std::optional<double>& rate,
                                             const std::optional<double>& headcount) {
  if (!hours || !rate) return std::nullopt;
  return std::round(*hours * *rate * headcount.value_or(1.0) * 100.0) / 100.0;
}

// Filters of the labour costs list; work_date within [date_from, date_to] (inclusive).
struct LabourFilter {
  std::optional<std::string> category;
  std::optional<std::string> status;
  std::optional<std::string> packhouse_id;
  std::optional<std::string> harvest_team_id;
  std::optional<std::string> date_from;
  std::optional<std::string> date_to;
};

}  // namespace fruitpak::domain
