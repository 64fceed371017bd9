#include "services/reconciliation_service.hpp"

#include "db/alert_repository.hpp"
#include "db/database.hpp"
#include "db/reconciliation_checks.hpp"
#include "db/reconciliation_journal.hpp"
#include "util/clock.hpp"
#include "util/crypto.hpp"

#include <spdlog/spdlog.h>

#include <map>
#include <set>

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

// In an incremental run only the journal's entities are compared: findings and live alerts
// of other entities are left out of the plan (a check may also see entities marked after
// the run read the journal; they stay marked and the next run takes them).
bool in_scope(const std::optional<std::set<domain::JournalEntity>>& scope, const std::string& entity_key) {
  if (!scope) return true;
  auto entity = domain::journal_entity(entity_key);
  return entity && scope->contains(*entity);
}

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

net::awaitable<Result<std::optional<std::int64_t>>> ReconciliationService::cut_before_run(
    const domain::TenantId& tenant) {
  using Cut = std::optional<std::int64_t>;
  if (db_.engine() != db::Engine::kPostgres) co_return Cut();
  auto work = [&](db::Lease& tx) -> net::awaitable<Result<Cut>> {
    auto cut = co_await db::journal::cut(db::Runner(tx), db_.engine(), tenant);
    if (!cut) co_return cut.error();
    co_return Cut(*cut);
  };
  co_return co_await db_.transaction(work);
}

net::awaitable<Result<domain::RunSummary>> ReconciliationService::run_locked(db::Lease& tx,
                                                                             const domain::TenantId& tenant,
                                                                             RunTrigger trigger, RunScope scope,
                                                                             std::optional<std::int64_t> cut,
                                                                             std::optional<std::string> user_id,
                                                                             const CheckProgress& progress,
                                                                             std::optional<std::string> slot) {
  db::Runner run(tx);
  const std::string started = util::iso_utc_now();
  const std::string settings = domain::settings_key(tolerances_);
  if (!cut) {
    auto read = co_await db::journal::cut(run, db_.engine(), tenant);
    if (!read) co_return read.error();
    cut = *read;
  }
  // Incremental only against alerts made with these settings (and a journal that has
  // been kept since: runs before migration 0009 recorded no settings).
  std::optional<std::set<domain::JournalEntity>> changed;
  if (scope == RunScope::kChanged) {
    auto last = co_await db::alerts::last_run_settings(run, tenant);
    if (!last) co_return last.error();
    if (*last == settings) {
      auto entities = co_await db::journal::entities(run, tenant);
      if (!entities) co_return entities.error();
      changed = std::move(*entities);
    }
  }
  const auto check_scope = changed ? db::reconciliation::Scope::kJournal : db::reconciliation::Scope::kAll;

  std::set<std::string_view> changed_kinds;
  if (changed) {
    for (const auto& entity : *changed) changed_kinds.insert(entity.kind);
  }
  std::vector<domain::Finding> findings;
  for (std::size_t i = 0; i < db::reconciliation::kCheckNames.size(); ++i) {
    std::size_t found = 0;
    if (!changed || changed_kinds.contains(db::reconciliation::kCheckJournalKinds[i])) {
      auto rows = co_await db::reconciliation::run_check(run, tenant, i, tolerances_, check_scope);
      if (!rows) co_return rows.error();
      for (const auto& row : *rows) {
        domain::Finding f = domain::to_finding(row, tolerances_);
        if (!in_scope(changed, f.entity_key)) continue;
        findings.push_back(std::move(f));
        ++found;
      }
    }
    if (progress) progress(i, db::reconciliation::kCheckNames[i], found);
  }
  auto live = co_await db::alerts::live(run, tenant);
  if (!live) co_return live.error();
  std::erase_if(*live, [&](const domain::LiveAlert& a) { return !in_scope(changed, a.entity_key); });
  Plan plan = plan_run(std::move(findings), *live);

  domain::RunSummary summary;
  summary.run_id = util::uuid4();
  summary.ran_at = started;
  summary.kind = changed ? "incremental" : "full";
  summary.entities_checked = changed ? static_cast<std::int64_t>(changed->size()) : 0;
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
  if (auto cleared = co_await db::journal::clear(run, tenant, *cut); !cleared) co_return cleared.error();
  db::alerts::RunRecord record;
  record.id = summary.run_id;
  record.kind = summary.kind;
  record.trigger = std::string(trigger_name(trigger));
  record.started_at = started;
  record.finished_at = util::iso_utc_now();
  record.opened = summary.total_alerts;
  record.updated = summary.alerts_updated;
  record.resolved = summary.alerts_resolved;
  record.created_by = std::move(user_id);
  record.scheduled_for = std::move(slot);
  record.settings = settings;
  auto recorded = co_await db::alerts::record_run(run, tenant, std::move(record));
  if (!recorded) co_return recorded.error();
  co_return summary;
}

net::awaitable<void> ReconciliationService::vacuum_journal() {
  if (db_.engine() != db::Engine::kPostgres) co_return;
  // A full run may have removed most of the journal (all of it after a bulk load). Until
  // autovacuum gets to it, the next incremental run would (a) be planned for the old size
  // (hash joins over whole tables instead of index lookups per marked entity) and (b) walk
  // the index entries of every deleted mark (at 1M batches: 817,254 dead entries, 150 ms
  // of a 983 ms run). VACUUM (ANALYZE) fixes both; it takes a lock that only conflicts
  // with other VACUUMs and schema changes, so writers and other runs go on. Outside the
  // run's transaction, as VACUUM requires.
  auto vacuumed = co_await db_.execute("VACUUM (ANALYZE) reconciliation_dirty");
  if (!vacuumed) spdlog::warn("VACUUM reconciliation_dirty after a full run failed: {}", vacuumed.error().detail);
}

net::awaitable<Result<domain::RunSummary>> ReconciliationService::run(domain::TenantId tenant, RunTrigger trigger,
                                                                      RunScope scope,
                                                                      std::optional<std::string> user_id,
                                                                      CheckProgress progress,
                                                                      util::QueryCounter* counter) {
  auto cut = co_await cut_before_run(tenant);
  if (!cut) co_return cut.error();
  auto work = [&](db::Lease& tx) -> net::awaitable<Result<domain::RunSummary>> {
    if (auto locked = co_await lock_tenant(tx, tenant); !locked) co_return locked.error();
    co_return co_await run_locked(tx, tenant, trigger, scope, *cut, user_id, progress, std::nullopt);
  };
  auto summary = co_await db_.transaction(work, counter);
  if (summary && summary->kind == "full") co_await vacuum_journal();
  co_return summary;
}

net::awaitable<Result<std::optional<domain::RunSummary>>> ReconciliationService::run_scheduled(domain::TenantId tenant,
                                                                                              std::string slot) {
  using Outcome = std::optional<domain::RunSummary>;
  auto cut = co_await cut_before_run(tenant);
  if (!cut) co_return cut.error();
  auto work = [&](db::Lease& tx) -> net::awaitable<Result<Outcome>> {
    if (auto locked = co_await lock_tenant(tx, tenant); !locked) co_return locked.error();
    // Another instance may have run this slot while we waited for the lock.
    auto done = co_await db::alerts::slot_done(db::Runner(tx), tenant, slot);
    if (!done) co_return done.error();
    if (*done) co_return Outcome();
    auto summary = co_await run_locked(tx, tenant, RunTrigger::kScheduler, RunScope::kFull, *cut, std::nullopt,
                                       nullptr, slot);
    if (!summary) co_return summary.error();
    co_return Outcome(std::move(*summary));
  };
  auto outcome = co_await db_.transaction(work);
  if (outcome && *outcome) co_await vacuum_journal();
  co_return outcome;
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
    // A full run treats an alert that is no longer live as absent (and opens a new one if
    // the mismatch is still there), and a reopened one as live: an incremental run must
    // look at its entity again too.
    if (auto entity = domain::journal_entity((*found)->entity_key.value_or(""))) {
      if (auto marked = co_await db::journal::mark(run, db_.engine(), tenant, *entity); !marked) {
        co_return marked.error();
      }
    }
    co_return std::move(**found);
  };
  co_return co_await db_.transaction(work, counter);
}

}  // namespace fruitpak::services
