#include "util/clock.hpp"

#include <gtest/gtest.h>

namespace fruitpak::util {
namespace {

using namespace std::chrono;

TEST(ClockTest, WholeSecondsHaveNoFraction) {
  EXPECT_EQ(iso_utc(system_clock::time_point(seconds(1770905002))), "2026-02-12T14:03:22");
}

TEST(ClockTest, MicrosecondsAreSixDigits) {
  EXPECT_EQ(iso_utc(system_clock::time_point(seconds(1770905002) + microseconds(1234))),
            "2026-02-12T14:03:22.001234");
}

}  // namespace
}  // namespace fruitpak::util

namespace fruitpak::util {
namespace {

TEST(ClockTest, ParsesBothEngineFormatsRoundTrip) {
  auto t = std::chrono::system_clock::time_point(std::chrono::seconds(1770905002) + std::chrono::microseconds(1234));
  EXPECT_EQ(parse_iso_utc("2026-02-12T14:03:22.001234"), t);
  EXPECT_EQ(parse_iso_utc("2026-02-12 14:03:22.001234"), t);
  EXPECT_EQ(iso_utc(*parse_iso_utc(iso_utc(t))), iso_utc(t));
}

TEST(ClockTest, RejectsMalformedTimestamps) {
  EXPECT_FALSE(parse_iso_utc(""));
  EXPECT_FALSE(parse_iso_utc("2026-02-12"));
  EXPECT_FALSE(parse_iso_utc("2026-13-12T00:00:00"));
  EXPECT_FALSE(parse_iso_utc("yesterday at noon!!"));
}

}  // namespace
}  // namespace fruitpak::util
