#pragma once
// A latency histogram with fixed buckets, lock-free to record into from every I/O thread.
// Its buckets are Prometheus' cumulative "le" buckets (seconds); quantiles are estimated by
// linear interpolation inside the bucket that holds them, as Prometheus'
// histogram_quantile() does.

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>

namespace fruitpak::util {

class LatencyHistogram {
 public:
  // Upper bounds in microseconds: 25 µs .. 2.5 s, then +Inf. Wide enough for an L1 hit
  // (tens of µs) and a slow database load alike.
  static constexpr std::array<std::uint64_t, 16> kBoundsMicros{25,     50,     100,     250,     500,    1'000,
                                                               2'500,  5'000,  10'000,  25'000,  50'000, 100'000,
                                                               250'000, 500'000, 1'000'000, 2'500'000};
  static constexpr std::size_t kBuckets = kBoundsMicros.size() + 1;  // the last is +Inf

  struct Snapshot {
    std::array<std::uint64_t, kBuckets> counts{};  // per bucket, not cumulative
    std::uint64_t count = 0;
    std::uint64_t sum_micros = 0;

    // The q-quantile (0..1) in microseconds; 0 with no observations. Observations above the
    // last bound are reported as that bound.
    double quantile_micros(double q) const {
      if (count == 0) return 0.0;
      const double rank = q * static_cast<double>(count);
      std::uint64_t below = 0;
      for (std::size_t i = 0; i < kBuckets; ++i) {
        if (counts[i] == 0 || static_cast<double>(below + counts[i]) < rank) {
          below += counts[i];
          continue;
        }
        if (i == kBuckets - 1) return static_cast<double>(kBoundsMicros.back());
        const double lower = i == 0 ? 0.0 : static_cast<double>(kBoundsMicros[i - 1]);
        const double upper = static_cast<double>(kBoundsMicros[i]);
        const double within = (rank - static_cast<double>(below)) / static_cast<double>(counts[i]);
        return lower + (upper - lower) * within;
      }
      return static_cast<double>(kBoundsMicros.back());
    }
  };

  void observe(std::chrono::steady_clock::duration elapsed) {
    const auto micros = static_cast<std::uint64_t>(
        std::max<std::int64_t>(0, std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count()));
    std::size_t i = 0;
    while (i < kBoundsMicros.size() && micros > kBoundsMicros[i]) ++i;
    counts_[i].fetch_add(1, std::memory_order_relaxed);
    sum_micros_.fetch_add(micros, std::memory_order_relaxed);
  }

  // A consistent-enough copy for reporting (each counter read once, relaxed).
  Snapshot snapshot() const {
    Snapshot s;
    for (std::size_t i = 0; i < kBuckets; ++i) {
      s.counts[i] = counts_[i].load(std::memory_order_relaxed);
      s.count += s.counts[i];
    }
    s.sum_micros = sum_micros_.load(std::memory_order_relaxed);
    return s;
  }

 private:
  std::array<std::atomic<std::uint64_t>, kBuckets> counts_{};
  std::atomic<std::uint64_t> sum_micros_{0};
};

}  // namespace fruitpak::util
