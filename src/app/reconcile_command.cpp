#include "app/reconcile_command.hpp"

#include "app/commands.hpp"
#include "db/database.hpp"
#include "services/enterprise_directory.hpp"
#include "services/reconciliation_service.hpp"
#include "util/blocking_pool.hpp"
#include "util/run_sync.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <memory>
#include <iostream>

namespace fruitpak::app {
namespace {

// "[3/6] pallet_vs_container ...... 2 mismatches   12.3 ms" on stderr as each check
// finishes; the time is since the previous line (the first includes the run's start).
services::CheckProgress print_progress(std::size_t checks) {
  auto last = std::make_shared<std::chrono::steady_clock::time_point>(std::chrono::steady_clock::now());
  return [checks, last](std::size_t index, std::string_view check, std::size_t found) {
    const auto now = std::chrono::steady_clock::now();
    const std::chrono::duration<double, std::milli> took = now - *last;
    *last = now;
    std::cerr << fmt::format("  [{}/{}] {:.<28} {:>6} mismatch{:<2} {:>10.1f} ms\n", index + 1, checks,
                             std::string(check) + " ", found, found == 1 ? "" : "es", took.count());
  };
}

}  // namespace

int run_reconcile(const config::Config& config, const ReconcileOptions& options) {
  if (int migrated = run_migrate(config); migrated != 0) return migrated;
  util::BlockingPool blocking(2);
  auto db = db::open_database(config, blocking);
  services::EnterpriseDirectory directory(*db);
  services::ReconciliationService service(*db, services::tolerances_from(config));

  std::vector<domain::TenantId> tenants;
  if (options.enterprise) {
    auto onboarded = util::run_sync(directory.is_onboarded(domain::TenantId(*options.enterprise)));
    if (!onboarded) {
      std::cerr << "fruitpak reconcile: " << (onboarded.error().code == Errc::kNotFound ? "no enterprise " + *options.enterprise : onboarded.error().detail) << "\n";
      return onboarded.error().code == Errc::kNotFound ? 2 : 1;
    }
    tenants.emplace_back(*options.enterprise);
  } else {
    auto all = util::run_sync(directory.onboarded_tenants());
    if (!all) {
      spdlog::error("listing enterprises failed: {}", all.error().detail);
      return 1;
    }
    tenants = std::move(*all);
  }

  const auto scope = options.full ? services::RunScope::kFull : services::RunScope::kChanged;
  std::cout << fmt::format("{:<38} {:<11} {:>6} {:>8} {:>9} {:>8} {:>9} {:>8}\n", "enterprise", "kind", "new",
                           "updated", "resolved", "critical", "open now", "seconds");
  bool failed = false;
  std::int64_t critical_open = 0;
  for (const auto& tenant : tenants) {
    std::cerr << "reconciling " << tenant.value() << "\n";
    const auto started = std::chrono::steady_clock::now();
    auto summary = util::run_sync(
        service.run(tenant, services::RunTrigger::kCli, scope, std::nullopt, print_progress(6), nullptr));
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - started;
    if (!summary) {
      spdlog::error("reconciling {} failed: {}", tenant.value(), summary.error().detail);
      failed = true;
      continue;
    }
    auto dashboard = util::run_sync(service.dashboard(tenant, nullptr));
    if (!dashboard) {
      spdlog::error("reading the alerts of {} failed: {}", tenant.value(), dashboard.error().detail);
      failed = true;
      continue;
    }
    const auto found = dashboard->by_severity.find("critical");
    const std::int64_t critical = found == dashboard->by_severity.end() ? 0 : found->second;
    critical_open += critical;
    std::cout << fmt::format("{:<38} {:<11} {:>6} {:>8} {:>9} {:>8} {:>9} {:>8.3f}\n", tenant.value(), summary->kind,
                             summary->total_alerts,
                             summary->alerts_updated, summary->alerts_resolved, critical,
                             dashboard->total_open + dashboard->total_acknowledged, elapsed.count());
  }
  if (failed) return 1;
  return critical_open > 0 ? kExitCriticalAlerts : 0;
}

}  // namespace fruitpak::app
