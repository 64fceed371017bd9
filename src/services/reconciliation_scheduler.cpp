#include "services/reconciliation_scheduler.hpp"

#include "services/enterprise_directory.hpp"
#include "services/reconciliation_service.hpp"
#include "util/clock.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>

namespace fruitpak::services {

using std::chrono::system_clock;

system_clock::time_point next_daily_slot(system_clock::time_point now, int hour) {
  const auto today = std::chrono::floor<std::chrono::days>(now);
  const auto slot = today + std::chrono::hours(hour);
  return slot > now ? slot : slot + std::chrono::days(1);
}

system_clock::time_point first_daily_slot(system_clock::time_point now, int hour, bool catch_up) {
  const auto next = next_daily_slot(now, hour);
  return catch_up ? next - std::chrono::days(1) : next;
}

void ReconciliationScheduler::start(net::any_io_executor executor) {
  net::co_spawn(executor, loop(), net::detached);
}

net::awaitable<void> ReconciliationScheduler::loop() {
  net::steady_timer timer(co_await net::this_coro::executor);
  auto slot = first_daily_slot(system_clock::now(), hour_, catch_up_);
  spdlog::info("daily reconciliation at {:02}:00 UTC, next {}", hour_, util::iso_utc(slot));
  for (;;) {
    // Sleep in steps of at most an hour and re-read the wall clock, so that a clock
    // adjustment moves the run with it.
    const auto now = system_clock::now();
    if (now < slot) {
      timer.expires_after(std::min<std::chrono::steady_clock::duration>(slot - now, std::chrono::hours(1)));
      auto [ec] = co_await timer.async_wait(use_tuple);
      if (ec) co_return;  // cancelled: the server is stopping
      continue;
    }
    co_await run_slot(slot);
    slot = next_daily_slot(std::max(system_clock::now(), slot), hour_);
  }
}

net::awaitable<void> ReconciliationScheduler::run_slot(system_clock::time_point slot) {
  auto tenants = co_await enterprises_.onboarded_tenants();
  if (!tenants) {
    spdlog::error("daily reconciliation: listing enterprises failed: {}", tenants.error().detail);
    co_return;
  }
  std::size_t ran = 0, skipped = 0, failed = 0;
  for (const auto& tenant : *tenants) {
    auto outcome = co_await service_.run_scheduled(tenant, util::iso_utc(slot));
    if (!outcome) {
      ++failed;  // one enterprise's failure does not stop the others
      spdlog::error("daily reconciliation of {} failed: {}", tenant.value(), outcome.error().detail);
    } else if (*outcome) {
      ++ran;
    } else {
      ++skipped;
    }
  }
  spdlog::info("daily reconciliation: {} enterprise(s) run here, {} by another instance, {} failed", ran, skipped,
               failed);
}

}  // namespace fruitpak::services
