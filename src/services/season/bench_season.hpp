#pragma once
// The bench profile of the season generator: N GRNs over two seasons (730 days), made one
// day at a time so the caller can stream them to the database in chunks and memory stays
// bounded at any N. Internal to the season generators.

#include "services/season/setup.hpp"

namespace fruitpak::services::season {

class BenchSeason {
 public:
  BenchSeason(const domain::TenantId& tenant, const SeasonOptions& options, Day last_day);
  BenchSeason(const BenchSeason&) = delete;  // context_ points into the object
  BenchSeason& operator=(const BenchSeason&) = delete;

  // Rows to write before any batch: packhouses, pack lines, growers, harvest teams.
  std::vector<TableRows>& setup_rows() { return setup_.rows; }
  std::size_t day_count() const { return days_.size(); }
  // Appends the GRNs received on day `index` (0 = the oldest) to `rows`.
  void add_day(std::size_t index, TableRows& rows);
  // The GRN counters of the days added so far.
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
};

}  // namespace fruitpak::services::season
