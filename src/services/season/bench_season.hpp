#pragma once
// The bench profile of the season generator: N GRNs over two seasons (730 days), made one
// day at a time so the caller can stream them to the database in chunks and memory stays
// bounded at any N; with what reconciliation reads at that scale: one lot per packed GRN
// and a payment per grower and month. Internal to the season generators.
//
// Planted mismatches (for the reconciliation benchmark): every 1,000th packed GRN's lot is
// 10 % short; the first grower is never paid (grn_vs_payment and unpaid_batches); the
// second is paid 5 % short every month. Every other lot and payment matches within the
// default tolerances.

#include "services/season/setup.hpp"

#include <map>
#include <utility>

namespace fruitpak::services::season {

// Columns of the lots rows BenchSeason::add_day writes.
TableRows lot_rows();

class BenchSeason {
 public:
  BenchSeason(const domain::TenantId& tenant, const SeasonOptions& options, Day last_day);
  BenchSeason(const BenchSeason&) = delete;  // context_ points into the object
  BenchSeason& operator=(const BenchSeason&) = delete;

  // Rows to write before any batch: packhouses, pack lines, growers, harvest teams.
  std::vector<TableRows>& setup_rows() { return setup_.rows; }
  std::size_t day_count() const { return days_.size(); }
  // Appends the GRNs received on day `index` (0 = the oldest) to `batches`, and their lots
  // to `lots`.
  void add_day(std::size_t index, TableRows& batches, TableRows& lots);
  // After the last day: each grower's payments, one per month of intake.
  TableRows payment_rows();
  // The GRN and payment counters of the days added so far.
  TableRows counter_rows() const { return counters_.rows(tenant_); }

 private:
  domain::TenantId tenant_;
  Rng rng_;
  IdBook ids_;
  Setup setup_;
  RowContext context_;
  CounterRows counters_;
  std::vector<Day> days_;
  std::vector<std::int64_t> per_day_;
  std::int64_t packed_ = 0;  // packed GRNs so far (every 1,000th gets a short lot)
  // Received kg per (grower, first day of the month), for the payments.
  std::map<std::pair<int, Day>, double> received_;
};

}  // namespace fruitpak::services::season
