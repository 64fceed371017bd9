#pragma once
// `fruitpak reconcile` (issue 8 point 6): runs reconciliation for one enterprise or every
// onboarded one, with a progress line per check (its mismatches and time) and a summary
// table. Incremental unless --full (see services::RunScope).

#include "config/config.hpp"

#include <optional>
#include <string>

namespace fruitpak::app {

struct ReconcileOptions {
  std::optional<std::string> enterprise;  // its id; none = every active, onboarded enterprise
  bool full = false;  // --full: re-check every entity, not only those changed since the last run
};

// Exit codes, for cron: 0 no critical alert open afterwards, 3 critical alerts open, 1 a
// run failed, 2 bad usage (an unknown enterprise).
inline constexpr int kExitCriticalAlerts = 3;

int run_reconcile(const config::Config& config, const ReconcileOptions& options);

}  // namespace fruitpak::app
