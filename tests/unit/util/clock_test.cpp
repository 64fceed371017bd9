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
