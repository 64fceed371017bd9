#pragma once
// The daily reconciliation run (contract 4.3, decision D8, issue 8 point 5): every day at
// RECONCILIATION_HOUR:00 UTC each active, onboarded enterprise is reconciled once. With
// several instances on one PostgreSQL database every instance wakes, and
// ReconciliationService::run_scheduled lets exactly one of them run each enterprise.

#include "util/asio.hpp"

#include <chrono>

namespace fruitpak::services {

class EnterpriseDirectory;
class ReconciliationService;

// The first `hour`:00:00 UTC strictly after `now` (today's or tomorrow's; month and year
// ends are plain calendar arithmetic on days). Requires: 0 <= hour <= 23.
std::chrono::system_clock::time_point next_daily_slot(std::chrono::system_clock::time_point now, int hour);

class ReconciliationScheduler {
 public:
  ReconciliationScheduler(ReconciliationService& service, EnterpriseDirectory& enterprises, int hour)
      : service_(service), enterprises_(enterprises), hour_(hour) {}

  // Starts the loop on `executor`; it ends when the executor's context stops.
  void start(net::any_io_executor executor);

 private:
  net::awaitable<void> loop();
  net::awaitable<void> run_slot(std::chrono::system_clock::time_point slot);

  ReconciliationService& service_;
  EnterpriseDirectory& enterprises_;
  int hour_;
};

}  // namespace fruitpak::services
