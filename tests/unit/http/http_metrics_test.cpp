// http::HttpMetrics: counts by route template, method and status class; unmatched requests
// share one series; the histogram counts every observation.

#include "http/http_metrics.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <thread>
#include <vector>

namespace fruitpak::http {
namespace {

struct Seen {
  std::array<std::uint64_t, 5> by_class{};
  std::uint64_t latency_count = 0;
};

std::map<std::string, Seen> snapshot(const HttpMetrics& metrics) {
  std::map<std::string, Seen> out;
  metrics.for_each([&](const std::string& route, const std::string& method, const HttpMetrics::Entry& e) {
    Seen& s = out[method + " " + route];
    for (std::size_t i = 0; i < s.by_class.size(); ++i) s.by_class[i] = e.by_class[i].load();
    s.latency_count = e.latency.snapshot().count;
  });
  return out;
}

TEST(HttpMetricsTest, StatusClassOfEachStatus) {
  EXPECT_EQ(HttpMetrics::kStatusClasses[HttpMetrics::class_index(101)], "1xx");
  EXPECT_EQ(HttpMetrics::kStatusClasses[HttpMetrics::class_index(200)], "2xx");
  EXPECT_EQ(HttpMetrics::kStatusClasses[HttpMetrics::class_index(304)], "3xx");
  EXPECT_EQ(HttpMetrics::kStatusClasses[HttpMetrics::class_index(499)], "4xx");
  EXPECT_EQ(HttpMetrics::kStatusClasses[HttpMetrics::class_index(503)], "5xx");
  EXPECT_EQ(HttpMetrics::kStatusClasses[HttpMetrics::class_index(0)], "5xx");
  EXPECT_EQ(HttpMetrics::kStatusClasses[HttpMetrics::class_index(600)], "5xx");
}

TEST(HttpMetricsTest, CountsByRouteMethodAndClassWithUnmatchedForNoRoute) {
  HttpMetrics metrics;
  const auto ms = std::chrono::milliseconds(3);
  metrics.observe("/api/growers/", "GET", 200, ms);
  metrics.observe("/api/growers/", "GET", 200, ms);
  metrics.observe("/api/growers/", "GET", 404, ms);
  metrics.observe("/api/growers/", "POST", 201, ms);
  metrics.observe("", "GET", 404, ms);
  metrics.observe("", "DELETE", 405, ms);
  metrics.observe("", "GET", 404, ms);
  const auto seen = snapshot(metrics);
  ASSERT_EQ(seen.size(), 4u);
  EXPECT_EQ(seen.at("GET /api/growers/").by_class[1], 2u);
  EXPECT_EQ(seen.at("GET /api/growers/").by_class[3], 1u);
  EXPECT_EQ(seen.at("GET /api/growers/").latency_count, 3u);
  EXPECT_EQ(seen.at("POST /api/growers/").by_class[1], 1u);
  EXPECT_EQ(seen.at("GET unmatched").by_class[3], 2u);
  EXPECT_EQ(seen.at("DELETE unmatched").by_class[3], 1u);
}

TEST(HttpMetricsTest, ConcurrentObservationsAreAllCounted) {
  HttpMetrics metrics;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&metrics, t] {
      for (int i = 0; i < 1000; ++i) metrics.observe(i % 2 ? "/a" : "/b", t % 2 ? "GET" : "PUT", 200, std::chrono::microseconds(i));
    });
  }
  for (auto& thread : threads) thread.join();
  std::uint64_t total = 0;
  std::uint64_t histogram_total = 0;
  for (const auto& [key, s] : snapshot(metrics)) {
    total += s.by_class[1];
    histogram_total += s.latency_count;
  }
  EXPECT_EQ(total, 4000u);
  EXPECT_EQ(histogram_total, 4000u);
}

}  // namespace
}  // namespace fruitpak::http
