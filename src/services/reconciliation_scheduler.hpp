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

// The scheduler's first slot at start: next_daily_slot, or with `catch_up` the latest slot
// at or before `now` (the day before the next one), which is due at once.
std::chrono::system_clock::time_point first_daily_slot(std::chrono::system_clock::time_point now, int hour,
                                                       bool catch_up);

class ReconciliationScheduler {
 public:
  // catch_up (RECONCILIATION_CATCH_UP): the first slot is the latest one that has already
  // passed (at most 24 h ago), so an instance that was down at the hour runs the missed day
  // on start; run_scheduled makes that a no-op when any instance has already run the slot.
  ReconciliationScheduler(ReconciliationService& service, EnterpriseDirectory& enterprises, int hour,
                          bool catch_up = false)
      : service_(service), enterprises_(enterprises), hour_(hour), catch_up_(catch_up) {}

  // Starts the loop on `executor`; it ends when the executor's context stops.
  void start(net::any_io_executor executor);

 private:
  net::awaitable<void> loop();
  net::awaitable<void> run_slot(std::chrono::system_clock::time_point slot);

  ReconciliationService& service_;
  EnterpriseDirectory& enterprises_;
  int hour_;
  bool catch_up_;
};

}  // namespace fruitpak::services
