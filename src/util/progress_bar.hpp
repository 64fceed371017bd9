#pragma once
// A text progress bar for long command-line jobs (data loads), written to stderr. On a
// terminal it redraws one line with '\r' at most ten times a second; anywhere else (a log
// file, CI) it prints one plain line per 10 % instead, so logs stay short. The destructor
// prints the finishing line if finish() was not called. Not thread-safe: one thread reports.

#include <chrono>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

namespace fruitpak::util {

class ProgressBar {
 public:
  using Clock = std::chrono::steady_clock;
  enum class Mode { kTerminal, kLines };

  struct Options {
    std::ostream* out = nullptr;                 // nullptr: std::cerr
    std::optional<Mode> mode;                    // default: kTerminal when stderr is a TTY
    std::function<Clock::time_point()> now;      // default: Clock::now (tests pass a fake)
  };

  // `unit` names what is counted ("rows"); total may be 0 when unknown yet (set_total).
  ProgressBar(std::string label, std::string unit, std::int64_t total);
  ProgressBar(std::string label, std::string unit, std::int64_t total, Options options);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  void set_total(std::int64_t total);
  // Reports `done` units so far (absolute, not a delta). Prints only when due.
  void update(std::int64_t done);
  // Prints the finishing line (count, elapsed time, rate). Only the first call prints.
  void finish();

 private:
  void draw_terminal(std::chrono::duration<double> elapsed);
  void print_line(const std::string& line);

  std::string label_;
  std::string unit_;
  std::int64_t total_;
  std::int64_t done_ = 0;
  std::ostream* out_;
  Mode mode_;
  std::function<Clock::time_point()> now_;
  Clock::time_point started_;
  std::optional<Clock::time_point> last_draw_;
  int deciles_printed_ = 0;
  bool finished_ = false;
};

// "label  [#####...............]  25,000/100,000 rows  25%  12,500 rows/s  ETA 0:06" with
// the bar, or the same without the bracketed bar. The rate and ETA are left out while
// nothing is done or no time has passed.
std::string format_progress(std::string_view label, std::string_view unit, std::int64_t done, std::int64_t total,
                            std::chrono::duration<double> elapsed, bool with_bar);

// "label: 100,000 rows in 8.0 s (12,500 rows/s)".
std::string format_progress_done(std::string_view label, std::string_view unit, std::int64_t done,
                                 std::chrono::duration<double> elapsed);

// 1234567 -> "1,234,567".
std::string group_thousands(std::int64_t value);

}  // namespace fruitpak::util
