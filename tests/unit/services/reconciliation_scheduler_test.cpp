// When the daily reconciliation runs: the next RECONCILIATION_HOUR:00 UTC, across day,
// month, leap-day and year ends.

#include "services/reconciliation_scheduler.hpp"
#include "util/clock.hpp"

#include <gtest/gtest.h>

namespace fruitpak::services {
namespace {

std::string next_after(const std::string& now, int hour) {
  auto parsed = util::parse_iso_utc(now);
  EXPECT_TRUE(parsed) << now;
  return util::iso_utc(next_daily_slot(*parsed, hour)).substr(0, 19);
}

TEST(ReconciliationSchedulerTest, TheSlotIsTodayUntilItsHourThenTomorrow) {
  EXPECT_EQ(next_after("2026-03-10T01:59:59", 2), "2026-03-10T02:00:00");
  EXPECT_EQ(next_after("2026-03-10T02:00:00", 2), "2026-03-11T02:00:00");  // strictly after now
  EXPECT_EQ(next_after("2026-03-10T02:00:01", 2), "2026-03-11T02:00:00");
  EXPECT_EQ(next_after("2026-03-10T23:59:59", 0), "2026-03-11T00:00:00");
  EXPECT_EQ(next_after("2026-03-10T00:00:00", 23), "2026-03-10T23:00:00");
}

TEST(ReconciliationSchedulerTest, MonthAndYearEndsAreOrdinaryDays) {
  EXPECT_EQ(next_after("2026-01-31T03:00:00", 2), "2026-02-01T02:00:00");
  EXPECT_EQ(next_after("2026-02-28T05:00:00", 2), "2026-03-01T02:00:00");
  EXPECT_EQ(next_after("2028-02-28T05:00:00", 2), "2028-02-29T02:00:00");  // leap year
  EXPECT_EQ(next_after("2026-04-30T02:30:00", 2), "2026-05-01T02:00:00");
  EXPECT_EQ(next_after("2026-12-31T02:00:00", 2), "2027-01-01T02:00:00");
}

}  // namespace
}  // namespace fruitpak::services
