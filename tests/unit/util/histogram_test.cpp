#include "util/histogram.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace fruitpak::util {
namespace {

using std::chrono::microseconds;

TEST(LatencyHistogramTest, ObservationsLandInTheFirstBucketThatHoldsThem) {
  LatencyHistogram h;
  h.observe(microseconds(0));      // <= 25
  h.observe(microseconds(25));     // <= 25 (bounds are inclusive, as Prometheus' le)
  h.observe(microseconds(26));     // <= 50
  h.observe(microseconds(1'000));  // <= 1000
  h.observe(std::chrono::seconds(10));  // +Inf
  const auto s = h.snapshot();
  EXPECT_EQ(s.count, 5u);
  EXPECT_EQ(s.counts[0], 2u);
  EXPECT_EQ(s.counts[1], 1u);
  EXPECT_EQ(s.counts[5], 1u);
  EXPECT_EQ(s.counts[LatencyHistogram::kBuckets - 1], 1u);
  EXPECT_EQ(s.sum_micros, 0u + 25 + 26 + 1'000 + 10'000'000);
}

TEST(LatencyHistogramTest, QuantilesInterpolateInsideTheirBucket) {
  LatencyHistogram h;
  for (int i = 0; i < 100; ++i) h.observe(microseconds(300));  // all in (250, 500]
  const auto s = h.snapshot();
  EXPECT_DOUBLE_EQ(s.quantile_micros(0.5), 375.0);  // halfway through (250, 500]
  EXPECT_DOUBLE_EQ(s.quantile_micros(1.0), 500.0);
  EXPECT_EQ(LatencyHistogram{}.snapshot().quantile_micros(0.5), 0.0);
}

TEST(LatencyHistogramTest, QuantileFindsTheRightBucketAcrossSeveral) {
  LatencyHistogram h;
  for (int i = 0; i < 90; ++i) h.observe(microseconds(20));     // (0, 25]
  for (int i = 0; i < 10; ++i) h.observe(microseconds(40'000));  // (25000, 50000]
  const auto s = h.snapshot();
  EXPECT_LE(s.quantile_micros(0.5), 25.0);
  EXPECT_GT(s.quantile_micros(0.99), 25'000.0);
  EXPECT_LE(s.quantile_micros(0.99), 50'000.0);
}

TEST(LatencyHistogramTest, ConcurrentObservationsAreAllCounted) {
  LatencyHistogram h;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&h] {
      for (int i = 0; i < 10'000; ++i) h.observe(microseconds(i % 3000));
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(h.snapshot().count, 40'000u);
}

}  // namespace
}  // namespace fruitpak::util
