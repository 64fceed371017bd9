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
#include <iostream>

namespace fruitpak::app {
namespace {

// "[3/6] pallet_vs_container ...... 2 mismatches" on stderr as each check finishes.
services::CheckProgress print_progress(std::size_t checks) {
  return [checks](std::size_t index, std::string_view check, std::size_t found) {
    std::cerr << fmt::format("  [{}/{}] {:.<28} {} mismatch{}\n", index + 1, checks, std::string(check) + " ", found,
                             found == 1 ? "" : "es");
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

  std::cout << fmt::format("{:<38} {:>6} {:>8} {:>9} {:>8} {:>9} {:>8}\n", "enterprise", "new", "updated",
                           "resolved", "critical", "open now", "seconds");
  bool failed = false;
  std::int64_t critical_open = 0;
  for (const auto& tenant : tenants) {
    std::cerr << "reconciling " << tenant.value() << "\n";
    const auto started = std::chrono::steady_clock::now();
    auto summary = util::run_sync(
        service.run(tenant, services::RunTrigger::kCli, std::nullopt, print_progress(6), nullptr));
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
    std::cout << fmt::format("{:<38} {:>6} {:>8} {:>9} {:>8} {:>9} {:>8.2f}\n", tenant.value(), summary->total_alerts,
                             summary->alerts_updated, summary->alerts_resolved, critical,
                             dashboard->total_open + dashboard->total_acknowledged, elapsed.count());
  }
  if (failed) return 1;
  return critical_open > 0 ? kExitCriticalAlerts : 0;
}

}  // namespace fruitpak::app
