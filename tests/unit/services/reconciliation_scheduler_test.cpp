// When the daily reconciliation runs: the next RECONCILIATION_HOUR:00 UTC (with catch-up,
// first the latest passed one), across day, month, leap-day and year ends.

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

std::string first_at(const std::string& now, int hour, bool catch_up) {
  auto parsed = util::parse_iso_utc(now);
  EXPECT_TRUE(parsed) << now;
  return util::iso_utc(first_daily_slot(*parsed, hour, catch_up)).substr(0, 19);
}

// RECONCILIATION_CATCH_UP: the slot that has passed most recently is the first one (due at
// once, so a restarted instance runs a missed day); without it, the next one.
TEST(ReconciliationSchedulerTest, CatchUpStartsWithTheLatestPassedSlot) {
  EXPECT_EQ(first_at("2026-03-10T02:00:00", 2, true), "2026-03-10T02:00:00");  // due exactly now
  EXPECT_EQ(first_at("2026-03-10T14:30:00", 14, true), "2026-03-10T14:00:00");
  EXPECT_EQ(first_at("2026-03-10T01:59:59", 2, true), "2026-03-09T02:00:00");  // yesterday's
  EXPECT_EQ(first_at("2027-01-01T00:30:00", 2, true), "2026-12-31T02:00:00");
  EXPECT_EQ(first_at("2026-03-10T14:30:00", 14, false), "2026-03-11T14:00:00");
  EXPECT_EQ(first_at("2026-03-10T01:59:59", 2, false), "2026-03-10T02:00:00");
}

}  // namespace
}  // namespace fruitpak::services
