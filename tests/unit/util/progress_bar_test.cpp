#include "util/progress_bar.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <vector>

namespace fruitpak::util {
namespace {

using namespace std::chrono_literals;

// A clock the test moves by hand.
struct FakeClock {
  ProgressBar::Clock::time_point now{};
  std::function<ProgressBar::Clock::time_point()> source() {
    return [this] { return now; };
  }
};

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(ProgressBarTest, GroupsThousandsWithCommas) {
  EXPECT_EQ(group_thousands(0), "0");
  EXPECT_EQ(group_thousands(999), "999");
  EXPECT_EQ(group_thousands(1000), "1,000");
  EXPECT_EQ(group_thousands(1234567), "1,234,567");
  EXPECT_EQ(group_thousands(-1234), "-1,234");
}

TEST(ProgressBarTest, LineShowsCountPercentRateAndEta) {
  EXPECT_EQ(format_progress("bench-data", "rows", 250'000, 1'000'000, 10s, false),
            "bench-data  250,000/1,000,000 rows  25%  25,000 rows/s  ETA 0:30");
}

TEST(ProgressBarTest, EtaBeyondAnHourShowsHours) {
  EXPECT_EQ(format_progress("load", "rows", 1, 10'000, 1s, false), "load  1/10,000 rows  0%  1 rows/s  ETA 2:46:39");
}

TEST(ProgressBarTest, BarIsFilledInProportion) {
  EXPECT_EQ(format_progress("x", "rows", 50, 100, 0s, true), "x  [############............]  50/100 rows  50%");
  EXPECT_EQ(format_progress("x", "rows", 100, 100, 0s, true), "x  [########################]  100/100 rows  100%");
}

TEST(ProgressBarTest, NoRateOrEtaBeforeAnythingIsDone) {
  EXPECT_EQ(format_progress("x", "rows", 0, 100, 5s, false), "x  0/100 rows  0%");
}

TEST(ProgressBarTest, FinishingLineShowsElapsedTimeAndRate) {
  EXPECT_EQ(format_progress_done("demo season", "rows", 61'234, 2.5s), "demo season: 61,234 rows in 2.5 s (24,494 rows/s)");
}

TEST(ProgressBarTest, WithoutTerminalPrintsOneLinePerTenPercentThenTheFinish) {
  std::ostringstream out;
  FakeClock clock;
  {
    ProgressBar bar("load", "rows", 1000, {&out, ProgressBar::Mode::kLines, clock.source()});
    for (int done = 1; done <= 1000; ++done) {
      clock.now += 1ms;
      bar.update(done);
    }
  }
  const auto lines = lines_of(out.str());
  ASSERT_EQ(lines.size(), 10u) << out.str();  // 10 % .. 90 %, then the finishing line
  EXPECT_EQ(lines[0], "load  100/1,000 rows  10%  1,000 rows/s  ETA 0:01");
  EXPECT_EQ(lines[8], "load  900/1,000 rows  90%  1,000 rows/s  ETA 0:00");
  EXPECT_EQ(lines[9], "load: 1,000 rows in 1.0 s (1,000 rows/s)");
  EXPECT_EQ(out.str().find('\r'), std::string::npos);
  EXPECT_EQ(out.str().find('\x1b'), std::string::npos);
}

TEST(ProgressBarTest, BigStepsPrintEachDecileOnlyOnce) {
  std::ostringstream out;
  FakeClock clock;
  ProgressBar bar("load", "rows", 100, {&out, ProgressBar::Mode::kLines, clock.source()});
  clock.now += 1s;
  bar.update(35);  // 10 %, 20 % and 30 % passed at once: one line
  bar.update(36);
  bar.update(100);
  bar.finish();
  const auto lines = lines_of(out.str());
  ASSERT_EQ(lines.size(), 3u) << out.str();
  EXPECT_EQ(lines[0].rfind("load  35/100 rows  35%", 0), 0u) << lines[0];
  EXPECT_EQ(lines[1].rfind("load  100/100 rows  100%", 0), 0u) << lines[1];
  EXPECT_EQ(lines[2], "load: 100 rows in 1.0 s (100 rows/s)");
}

TEST(ProgressBarTest, FinishPrintsOnceAndTheDestructorAddsNothing) {
  std::ostringstream out;
  FakeClock clock;
  {
    ProgressBar bar("load", "rows", 0, {&out, ProgressBar::Mode::kLines, clock.source()});
    clock.now += 2s;
    bar.update(7);  // no total known: nothing to report until the end
    bar.finish();
    bar.finish();
    bar.update(8);
  }
  EXPECT_EQ(out.str(), "load: 7 rows in 2.0 s (4 rows/s)\n");
}

TEST(ProgressBarTest, TerminalRedrawsAtMostTenTimesASecond) {
  std::ostringstream out;
  FakeClock clock;
  {
    ProgressBar bar("load", "rows", 1000, {&out, ProgressBar::Mode::kTerminal, clock.source()});
    for (int done = 1; done <= 1000; ++done) {
      clock.now += 1ms;
      bar.update(done);
    }
  }
  const std::string text = out.str();
  const auto redraws = std::count(text.begin(), text.end(), '\r');
  // One draw per 100 ms over one second, the draw at 100 %, and the finish.
  EXPECT_GE(redraws, 10);
  EXPECT_LE(redraws, 12);
  EXPECT_NE(text.find("[########################]  1,000/1,000 rows  100%"), std::string::npos);
  EXPECT_EQ(lines_of(text).size(), 1u);  // one line, redrawn in place, ended by the finish
  EXPECT_NE(text.find("load: 1,000 rows in 1.0 s (1,000 rows/s)\n"), std::string::npos);
}

}  // namespace
}  // namespace fruitpak::util
