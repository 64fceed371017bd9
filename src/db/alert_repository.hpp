#pragma once
// Reconciliation alerts and runs of one tenant (contract 2.8, 3.4; decisions D8, D13;
// issue 8). Soft-deleted alerts are invisible to every function here.

#include "db/runner.hpp"
#include "domain/account.hpp"
#include "domain/page.hpp"
#include "domain/reconciliation.hpp"

#include <optional>
#include <string>
#include <vector>

namespace fruitpak::db::alerts {

// The open and acknowledged alerts, which a run matches by (alert_type, entity_key).
[[nodiscard]] net::awaitable<Result<std::vector<domain::LiveAlert>>> live(Runner run, domain::TenantId tenant);

// Stores the findings as new open alerts of `run_id`, in statements of at most 100 rows.
// kConflict if one of them already has a live alert (a concurrent run got there first).
[[nodiscard]] net::awaitable<Result<void>> insert(Runner run, domain::TenantId tenant,
                                                  std::vector<domain::Finding> findings, std::string run_id,
                                                  std::string now);

// Writes a live alert's new figures, severity and texts, and the run that found them.
[[nodiscard]] net::awaitable<Result<void>> refresh(Runner run, domain::TenantId tenant, std::string id,
                                                   domain::Finding finding, std::string run_id, std::string now);

// Resolves the listed live alerts: their mismatch is gone.
[[nodiscard]] net::awaitable<Result<void>> auto_resolve(Runner run, domain::TenantId tenant,
                                                        std::vector<std::string> ids, std::string now);

struct RunRecord {
  std::string id;
  std::string kind;     // full | incremental
  std::string trigger;  // api | cli | scheduler
  std::optional<std::string> scheduled_for;  // scheduler runs: their daily slot
  std::string started_at;
  std::string finished_at;
  std::int64_t opened = 0;
  std::int64_t updated = 0;
  std::int64_t resolved = 0;
  std::optional<std::string> created_by;
  std::string settings;  // domain::settings_key of the run's tolerances
};
[[nodiscard]] net::awaitable<Result<void>> record_run(Runner run, domain::TenantId tenant, RunRecord record);

// The settings of the tenant's newest run; nullopt when it has none (no run yet, or only
// runs from before migration 0009).
[[nodiscard]] net::awaitable<Result<std::optional<std::string>>> last_run_settings(Runner run,
                                                                                  domain::TenantId tenant);

// True if the tenant's daily run of `slot` (ISO UTC) is recorded.
[[nodiscard]] net::awaitable<Result<bool>> slot_done(Runner run, domain::TenantId tenant, std::string slot);

// Newest first, filtered; one statement (plus a count past the end).
[[nodiscard]] net::awaitable<Result<domain::Page<domain::Alert>>> list(Runner run, domain::TenantId tenant,
                                                                      domain::AlertFilter filter,
                                                                      domain::PageRequest page);

[[nodiscard]] net::awaitable<Result<std::optional<domain::Alert>>> find(Runner run, domain::TenantId tenant,
                                                                       std::string id);

// Sets the status a human chose (2.8 PATCH): the note when non-empty; for resolved and
// dismissed also resolved_at and resolved_by. False if there is no such alert.
[[nodiscard]] net::awaitable<Result<bool>> review(Runner run, domain::TenantId tenant, std::string id,
                                                  std::string status, std::optional<std::string> note,
                                                  std::string user_id, std::string now);

// The dashboard in three statements; `since` is the start of the 30-day resolved window.
[[nodiscard]] net::awaitable<Result<domain::Dashboard>> dashboard(Runner run, domain::TenantId tenant,
                                                                  std::string since);

}  // namespace fruitpak::db::alerts
