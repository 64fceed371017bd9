#pragma once
// At most one log line per period from many threads: for warnings about a dependency that
// fails on every attempt (Redis down), which must be logged once per period, not per try.

#include <atomic>
#include <chrono>
#include <cstdint>

namespace fruitpak::util {

class LogThrottle {
 public:
  explicit LogThrottle(std::chrono::seconds period) : period_(period.count()) {}

  // True for the first caller of each period; false for everyone else in it.
  bool allow() {
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::steady_clock::now().time_since_epoch()).count();
    auto last = last_.load();
    return (last == kNever || now - last >= period_) && last_.compare_exchange_strong(last, now);
  }

 private:
  static constexpr std::int64_t kNever = INT64_MIN;
  std::int64_t period_;
  std::atomic<std::int64_t> last_{kNever};
};

}  // namespace fruitpak::util
