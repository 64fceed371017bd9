#include "util/prometheus_text.hpp"

#include <gtest/gtest.h>

namespace fruitpak::util {
namespace {

TEST(PrometheusTextTest, FamilyHeaderAndEscapedLabels) {
  PrometheusText out;
  out.family("fp_things_total", "counter", "Things seen.\nSecond line \\ here.");
  out.sample("fp_things_total", {{"prefix", "a\"b\\c\nd"}, {"result", "hit"}}, 3);
  out.sample("fp_things_total", {}, 0.5);
  EXPECT_EQ(out.text(),
            "# HELP fp_things_total Things seen.\\nSecond line \\\\ here.\n"
            "# TYPE fp_things_total counter\n"
            "fp_things_total{prefix=\"a\\\"b\\\\c\\nd\",result=\"hit\"} 3\n"
            "fp_things_total 0.5\n");
}

TEST(PrometheusTextTest, HistogramBucketsAreCumulativeInSeconds) {
  LatencyHistogram h;
  h.observe(std::chrono::microseconds(20));
  h.observe(std::chrono::microseconds(40));
  h.observe(std::chrono::seconds(5));
  PrometheusText out;
  out.histogram("fp_lat_seconds", {{"level", "l1"}}, h.snapshot());
  const auto& text = out.text();
  EXPECT_NE(text.find("fp_lat_seconds_bucket{level=\"l1\",le=\"2.5e-05\"} 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("fp_lat_seconds_bucket{level=\"l1\",le=\"5e-05\"} 2\n"), std::string::npos) << text;
  EXPECT_NE(text.find("fp_lat_seconds_bucket{level=\"l1\",le=\"2.5\"} 2\n"), std::string::npos) << text;
  EXPECT_NE(text.find("fp_lat_seconds_bucket{level=\"l1\",le=\"+Inf\"} 3\n"), std::string::npos) << text;
  EXPECT_NE(text.find("fp_lat_seconds_count{level=\"l1\"} 3\n"), std::string::npos) << text;
  EXPECT_NE(text.find("fp_lat_seconds_sum{level=\"l1\"} 5.00006\n"), std::string::npos) << text;
}

}  // namespace
}  // namespace fruitpak::util
