#include "services/reconciliation_service.hpp"

#include "db/alert_repository.hpp"
#include "db/database.hpp"
#include "db/reconciliation_checks.hpp"
#include "util/clock.hpp"
#include "util/crypto.hpp"

#include <map>

namespace fruitpak::services {
namespace {

using namespace std::chrono_literals;

std::string_view trigger_name(RunTrigger t) {
  switch (t) {
    case RunTrigger::kApi: return "api";
    case RunTrigger::kCli: return "cli";
    case RunTrigger::kScheduler: return "scheduler";
  }
  return "api";
}

// What a run does with its findings (D13), worked out before anything is written.
struct Plan {
  std::vector<domain::Finding> opened;
  std::vector<std::pair<std::string, domain::Finding>> refreshed;  // alert id, new figures
  std::vector<std::string> resolved;                               // alert ids
  std::int64_t unchanged = 0;
};

Plan plan_run(std::vector<domain::Finding> findings, const std::vector<domain::LiveAlert>& live) {
  std::map<std::pair<std::string, std::string>, const domain::LiveAlert*> by_entity;
  for (const auto& a : live) by_entity.emplace(std::pair(a.alert_type, a.entity_key), &a);
  Plan plan;
  for (auto& f : findings) {
    auto found = by_entity.find(std::pair(f.alert_type, f.entity_key));
    if (found == by_entity.end()) {
      plan.opened.push_back(std::move(f));
      continue;
    }
    const domain::LiveAlert& alert = *found->second;
    if (alert.description == f.description && alert.severity == domain::severity_name(f.severity)) {
      ++plan.unchanged;
    } else {
      plan.refreshed.emplace_back(alert.id, std::move(f));
    }
    by_entity.erase(found);
  }
  for (const auto& [key, alert] : by_entity) plan.resolved.push_back(alert->id);
  return plan;
}

}  // namespace

domain::Tolerances tolerances_from(const config::Config& c) {
  domain::Tolerances t;
  t.weight_bp = c.recon_weight_tolerance_bp;
  t.amount_cents = c.recon_amount_tolerance_cents;
  t.pallets = c.recon_pallet_tolerance;
  t.medium_bp = c.recon_medium_bp;
  t.high_bp = c.recon_high_bp;
  t.critical_bp = c.recon_critical_bp;
  return t;
}

net::awaitable<Result<void>> ReconciliationService::lock_tenant(db::Lease& tx, const domain::TenantId& tenant) {
  // One run per tenant at a time; the lock ends with the transaction. SQLite's write
  // transaction (BEGIN IMMEDIATE) already serialises.
  if (db_.engine() != db::Engine::kPostgres) co_return Result<void>{};
  db::Params key{"reconciliation:" + tenant.value()};
  co_return co_await db::run_statement(db::Runner(tx), "SELECT pg_advisory_xact_lock(hashtext($1))", std::move(key));
}

net::awaitable<Result<domain::RunSummary>> ReconciliationService::run_locked(db::Lease& tx,
                                                                             const domain::TenantId& tenant,
                                                                             RunTrigger trigger,
                                                                             std::optional<std::string> user_id,
                                                                             const CheckProgress& progress,
                                                                             std::optional<std::string> slot) {
  db::Runner run(tx);
  const std::string started = util::iso_utc_now();
  std::vector<domain::Finding> findings;
  for (std::size_t i = 0; i < db::reconciliation::kCheckNames.size(); ++i) {
    auto rows = co_await db::reconciliation::run_check(run, tenant, i, tolerances_);
    if (!rows) co_return rows.error();
    for (const auto& row : *rows) findings.push_back(domain::to_finding(row, tolerances_));
    if (progress) progress(i, db::reconciliation::kCheckNames[i], rows->size());
  }
  auto live = co_await db::alerts::live(run, tenant);
  if (!live) co_return live.error();
  Plan plan = plan_run(std::move(findings), *live);

  domain::RunSummary summary;
  summary.run_id = util::uuid4();
  summary.ran_at = started;
  summary.total_alerts = static_cast<std::int64_t>(plan.opened.size());
  for (const auto& f : plan.opened) {
    ++summary.by_type[f.alert_type];
    ++summary.by_severity[std::string(domain::severity_name(f.severity))];
  }
  summary.alerts_updated = static_cast<std::int64_t>(plan.refreshed.size());
  summary.alerts_unchanged = plan.unchanged;
  summary.alerts_resolved = static_cast<std::int64_t>(plan.resolved.size());

  for (auto& [id, finding] : plan.refreshed) {
    auto refreshed = co_await db::alerts::refresh(run, tenant, id, std::move(finding), summary.run_id, started);
    if (!refreshed) co_return refreshed.error();
  }
  auto resolved = co_await db::alerts::auto_resolve(run, tenant, std::move(plan.resolved), started);
  if (!resolved) co_return resolved.error();
  auto opened = co_await db::alerts::insert(run, tenant, std::move(plan.opened), summary.run_id, started);
  if (!opened) co_return opened.error();
  db::alerts::RunRecord record;
  record.id = summary.run_id;
  record.kind = "full";
  record.trigger = std::string(trigger_name(trigger));
  record.started_at = started;
  record.finished_at = util::iso_utc_now();
  record.opened = summary.total_alerts;
  record.updated = summary.alerts_updated;
  record.resolved = summary.alerts_resolved;
  record.created_by = std::move(user_id);
  record.scheduled_for = std::move(slot);
  auto recorded = co_await db::alerts::record_run(run, tenant, std::move(record));
  if (!recorded) co_return recorded.error();
  co_return summary;
}

net::awaitable<Result<domain::RunSummary>> ReconciliationService::run(domain::TenantId tenant, RunTrigger trigger,
                                                                      std::optional<std::string> user_id,
                                                                      CheckProgress progress,
                                                                      util::QueryCounter* counter) {
  auto work = [&](db::Lease& tx) -> net::awaitable<Result<domain::RunSummary>> {
    if (auto locked = co_await lock_tenant(tx, tenant); !locked) co_return locked.error();
    co_return co_await run_locked(tx, tenant, trigger, user_id, progress, std::nullopt);
  };
  co_return co_await db_.transaction(work, counter);
}

net::awaitable<Result<std::optional<domain::RunSummary>>> ReconciliationService::run_scheduled(domain::TenantId tenant,
                                                                                              std::string slot) {
  using Outcome = std::optional<domain::RunSummary>;
  auto work = [&](db::Lease& tx) -> net::awaitable<Result<Outcome>> {
    if (auto locked = co_await lock_tenant(tx, tenant); !locked) co_return locked.error();
    // Another instance may have run this slot while we waited for the lock.
    auto done = co_await db::alerts::slot_done(db::Runner(tx), tenant, slot);
    if (!done) co_return done.error();
    if (*done) co_return Outcome();
    auto summary = co_await run_locked(tx, tenant, RunTrigger::kScheduler, std::nullopt, nullptr, slot);
    if (!summary) co_return summary.error();
    co_return Outcome(std::move(*summary));
  };
  co_return co_await db_.transaction(work);
}

net::awaitable<Result<domain::Dashboard>> ReconciliationService::dashboard(domain::TenantId tenant,
                                                                           util::QueryCounter* counter) {
  const std::string since = util::iso_utc(std::chrono::system_clock::now() - 24h * 30);
  co_return co_await db::alerts::dashboard(db::Runner(db_, counter), std::move(tenant), since);
}

net::awaitable<Result<domain::Page<domain::Alert>>> ReconciliationService::alerts(domain::TenantId tenant,
                                                                                 domain::AlertFilter filter,
                                                                                 domain::PageRequest page,
                                                                                 util::QueryCounter* counter) {
  co_return co_await db::alerts::list(db::Runner(db_, counter), std::move(tenant), std::move(filter), page);
}

net::awaitable<Result<domain::Alert>> ReconciliationService::alert(domain::TenantId tenant, std::string id,
                                                                  util::QueryCounter* counter) {
  auto found = co_await db::alerts::find(db::Runner(db_, counter), std::move(tenant), std::move(id));
  if (!found) co_return found.error();
  if (!*found) co_return client_error(Errc::kNotFound, "Alert not found");
  co_return std::move(**found);
}

net::awaitable<Result<domain::Alert>> ReconciliationService::review(domain::TenantId tenant, std::string id,
                                                                   std::string status,
                                                                   std::optional<std::string> note,
                                                                   std::string user_id, util::QueryCounter* counter) {
  auto work = [&](db::Lease& tx) -> net::awaitable<Result<domain::Alert>> {
    db::Runner run(tx);
    auto changed = co_await db::alerts::review(run, tenant, id, status, note, user_id, util::iso_utc_now());
    if (!changed && changed.error().code == Errc::kConflict) {
      // Reopening (acknowledging) an old alert while a newer one of the same check and
      // entity is live would make two live alerts (D13).
      co_return client_error(Errc::kStateConflict,
                             "A newer alert for the same check and entity is open; review that one instead");
    }
    if (!changed) co_return changed.error();
    if (!*changed) co_return client_error(Errc::kNotFound, "Alert not found");
    auto found = co_await db::alerts::find(run, tenant, id);
    if (!found) co_return found.error();
    if (!*found) co_return make_error(Errc::kInternal, "alert vanished after review");
    co_return std::move(**found);
  };
  co_return co_await db_.transaction(work, counter);
}

}  // namespace fruitpak::services
