#pragma once
// Reconciliation of a tenant (contract 2.8, 4; decisions D8, D13; issue 8): runs the six
// checks and keeps one live alert per check and entity, and serves the alerts.
//
// A run is one transaction: either all its alert changes are stored or none. On PostgreSQL
// each check sees what was committed when it started (READ COMMITTED); a change committed
// during a run stays in the change journal, so the next run looks at it again. Runs of one
// tenant are serialised (a PostgreSQL advisory lock; on SQLite the write transaction
// itself). Safe for concurrent use.

#include "config/config.hpp"
#include "domain/account.hpp"
#include "domain/page.hpp"
#include "domain/reconciliation.hpp"
#include "util/asio.hpp"
#include "util/query_counter.hpp"
#include "util/result.hpp"

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace fruitpak::db {
class Database;
class Lease;
}

namespace fruitpak::services {

enum class RunTrigger { kApi, kCli, kScheduler };

// kChanged re-checks only the entities changed since the tenant's last run (the change
// journal), unless that run had other settings or there is none: then it is full.
// kFull re-checks everything. Both leave the same live alerts.
enum class RunScope { kChanged, kFull };

// The RECONCILIATION_* settings as the checks' tolerances.
domain::Tolerances tolerances_from(const config::Config& config);

// Called after each check with its index (0-based), name and the mismatches it found.
using CheckProgress = std::function<void(std::size_t index, std::string_view check, std::size_t found)>;

class ReconciliationService {
 public:
  ReconciliationService(db::Database& db, domain::Tolerances tolerances) : db_(db), tolerances_(tolerances) {}

  // Runs every check and applies D13: a finding with a live (open or acknowledged) alert of
  // the same check and entity refreshes that alert when its figures changed and leaves it
  // alone otherwise; a new finding opens an alert; a live alert that no check found any
  // more is resolved. `user_id` is recorded on the run (null for the scheduler).
  // `scope` kChanged runs incrementally where it can (see RunScope).
  [[nodiscard]] net::awaitable<Result<domain::RunSummary>> run(domain::TenantId tenant, RunTrigger trigger,
                                                               RunScope scope, std::optional<std::string> user_id,
                                                               CheckProgress progress, util::QueryCounter* counter);

  // The daily run of `slot` (the scheduled instant, ISO UTC), a full one: runs unless the tenant's run
  // of that slot is recorded, which is checked under the tenant's run lock, so that of
  // several instances exactly one runs it. nullopt when skipped.
  [[nodiscard]] net::awaitable<Result<std::optional<domain::RunSummary>>> run_scheduled(domain::TenantId tenant,
                                                                                       std::string slot);

  [[nodiscard]] net::awaitable<Result<domain::Dashboard>> dashboard(domain::TenantId tenant,
                                                                    util::QueryCounter* counter);

  [[nodiscard]] net::awaitable<Result<domain::Page<domain::Alert>>> alerts(domain::TenantId tenant,
                                                                          domain::AlertFilter filter,
                                                                          domain::PageRequest page,
                                                                          util::QueryCounter* counter);

  // kNotFound "Alert not found" for unknown, deleted and other tenants' ids alike.
  [[nodiscard]] net::awaitable<Result<domain::Alert>> alert(domain::TenantId tenant, std::string id,
                                                           util::QueryCounter* counter);

  // Sets acknowledged, resolved or dismissed (validated by the caller) with an optional note.
  // kNotFound "Alert not found".
  [[nodiscard]] net::awaitable<Result<domain::Alert>> review(domain::TenantId tenant, std::string id,
                                                            std::string status, std::optional<std::string> note,
                                                            std::string user_id, util::QueryCounter* counter);

  const domain::Tolerances& tolerances() const { return tolerances_; }

 private:
  [[nodiscard]] net::awaitable<Result<void>> lock_tenant(db::Lease& tx, const domain::TenantId& tenant);
  // PostgreSQL: the journal vacuumed, with fresh planner statistics, after a full run (a
  // warning if not).
  [[nodiscard]] net::awaitable<void> vacuum_journal();
  // PostgreSQL: the journal cut, in a transaction of its own (db/reconciliation_journal.hpp).
  // SQLite: nullopt, the run reads it in its own transaction.
  [[nodiscard]] net::awaitable<Result<std::optional<std::int64_t>>> cut_before_run(const domain::TenantId& tenant);
  [[nodiscard]] net::awaitable<Result<domain::RunSummary>> run_locked(db::Lease& tx, const domain::TenantId& tenant,
                                                                      RunTrigger trigger, RunScope scope,
                                                                      std::optional<std::int64_t> cut,
                                                                      std::optional<std::string> user_id,
                                                                      const CheckProgress& progress,
                                                                      std::optional<std::string> slot);

  db::Database& db_;
  domain::Tolerances tolerances_;
};

}  // namespace fruitpak::services
