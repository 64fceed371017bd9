#include "util/progress_bar.hpp"

#include <fmt/format.h>

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <iostream>

namespace fruitpak::util {
namespace {

constexpr auto kRedrawInterval = std::chrono::milliseconds(100);
constexpr int kBarWidth = 24;

// "0:07", "12:03", "1:02:03".
std::string clock_text(double seconds) {
  const auto total = static_cast<std::int64_t>(std::llround(std::max(seconds, 0.0)));
  const auto h = total / 3600;
  const auto m = (total % 3600) / 60;
  const auto s = total % 60;
  if (h > 0) return fmt::format("{}:{:02}:{:02}", h, m, s);
  return fmt::format("{}:{:02}", m, s);
}

int percent_of(std::int64_t done, std::int64_t total) {
  if (total <= 0) return 0;
  return static_cast<int>(std::clamp<std::int64_t>(done * 100 / total, 0, 100));
}

}  // namespace

std::string group_thousands(std::int64_t value) {
  std::string digits = std::to_string(value < 0 ? -value : value);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return value < 0 ? "-" + out : out;
}

std::string format_progress(std::string_view label, std::string_view unit, std::int64_t done, std::int64_t total,
                            std::chrono::duration<double> elapsed, bool with_bar) {
  const int percent = percent_of(done, total);
  std::string line(label);
  if (with_bar) {
    const int filled = percent * kBarWidth / 100;
    line += fmt::format("  [{}{}]", std::string(filled, '#'), std::string(kBarWidth - filled, '.'));
  }
  line += fmt::format("  {}/{} {}  {}%", group_thousands(done), group_thousands(total), unit, percent);
  const double seconds = elapsed.count();
  if (done > 0 && seconds > 0) {
    const double rate = static_cast<double>(done) / seconds;
    line += fmt::format("  {} {}/s", group_thousands(std::llround(rate)), unit);
    if (total > done) line += "  ETA " + clock_text(static_cast<double>(total - done) / rate);
  }
  return line;
}

std::string format_progress_done(std::string_view label, std::string_view unit, std::int64_t done,
                                 std::chrono::duration<double> elapsed) {
  const double seconds = elapsed.count();
  std::string line = fmt::format("{}: {} {} in {:.1f} s", label, group_thousands(done), unit, seconds);
  if (done > 0 && seconds > 0) {
    line += fmt::format(" ({} {}/s)", group_thousands(std::llround(static_cast<double>(done) / seconds)), unit);
  }
  return line;
}

ProgressBar::ProgressBar(std::string label, std::string unit, std::int64_t total)
    : ProgressBar(std::move(label), std::move(unit), total, Options{}) {}

ProgressBar::ProgressBar(std::string label, std::string unit, std::int64_t total, Options options)
    : label_(std::move(label)),
      unit_(std::move(unit)),
      total_(total),
      out_(options.out ? options.out : &std::cerr),
      mode_(options.mode.value_or(::isatty(STDERR_FILENO) ? Mode::kTerminal : Mode::kLines)),
      now_(options.now ? std::move(options.now) : [] { return Clock::now(); }),
      started_(now_()) {}

ProgressBar::~ProgressBar() { finish(); }

void ProgressBar::set_total(std::int64_t total) { total_ = total; }

void ProgressBar::update(std::int64_t done) {
  if (finished_) return;
  done_ = done;
  const auto now = now_();
  const std::chrono::duration<double> elapsed = now - started_;
  if (mode_ == Mode::kTerminal) {
    if (last_draw_ && now - *last_draw_ < kRedrawInterval && done_ < total_) return;
    last_draw_ = now;
    draw_terminal(elapsed);
    return;
  }
  // One line per decile reached below 100 %; the 100 % line is the finishing one.
  const int decile = std::min(percent_of(done_, total_) / 10, 9);
  if (decile <= deciles_printed_) return;
  deciles_printed_ = decile;
  print_line(format_progress(label_, unit_, done_, total_, elapsed, false));
}

void ProgressBar::finish() {
  if (finished_) return;
  finished_ = true;
  const std::chrono::duration<double> elapsed = now_() - started_;
  if (mode_ == Mode::kTerminal) *out_ << '\r' << "\x1b[2K";  // clear the bar's line
  print_line(format_progress_done(label_, unit_, done_, elapsed));
}

void ProgressBar::draw_terminal(std::chrono::duration<double> elapsed) {
  *out_ << '\r' << format_progress(label_, unit_, done_, total_, elapsed, true) << "\x1b[K" << std::flush;
}

void ProgressBar::print_line(const std::string& line) { *out_ << line << '\n' << std::flush; }

}  // namespace fruitpak::util
