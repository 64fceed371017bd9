#pragma once
// The six reconciliation checks of contract 4.2 (issue 8), one SQL statement each, the
// same text on PostgreSQL and SQLite. Each returns only the rows that become alerts.
//
// Exactness: every weight is turned into whole grams and every amount into whole cents
// per row (FLOOR(x * 1000 + 0.5), the same IEEE arithmetic on both engines) before it is
// summed, and tolerances are compared in integers, so both engines find the same
// mismatches with the same figures.

#include "db/runner.hpp"
#include "domain/account.hpp"
#include "domain/reconciliation.hpp"

#include <array>
#include <string_view>
#include <vector>

namespace fruitpak::db::reconciliation {

// The checks in run order, by the names the CLI and logs show.
inline constexpr std::array<std::string_view, 6> kCheckNames{
    "lot_vs_batch", "grn_vs_payment", "export_vs_invoice", "pallet_vs_container", "labour_vs_cost", "unpaid_batches"};

// The change-journal kind (migration 0009) whose entities each check examines, in
// kCheckNames order: a journal-scoped check with no marked entity of its kind finds nothing,
// so an incremental run skips its statement.
inline constexpr std::array<std::string_view, 6> kCheckJournalKinds{"batch",     "grower", "export",
                                                                    "container", "labour", "grower"};

// What a check examines: every entity of the tenant, or only those in its change journal
// (reconciliation_dirty, migration 0009; an incremental run).
enum class Scope { kAll, kJournal };

// Runs check `index` (0-based, kCheckNames order) for the tenant and returns its
// mismatches in a stable order. Requires: index < kCheckNames.size().
[[nodiscard]] net::awaitable<Result<std::vector<domain::CheckRow>>> run_check(Runner run, domain::TenantId tenant,
                                                                            std::size_t index,
                                                                            domain::Tolerances tolerances,
                                                                            Scope scope);

// The statement check `index` runs (for benchmarks and EXPLAIN): $1 the tenant, then the
// tolerances of tolerance_binds(index).
std::string_view check_sql(std::size_t index, Scope scope);
std::vector<std::int64_t> tolerance_binds(std::size_t index, const domain::Tolerances& tolerances);

}  // namespace fruitpak::db::reconciliation
