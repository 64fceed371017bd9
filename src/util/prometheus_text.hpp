#pragma once
// Writes the Prometheus text exposition format (version 0.0.4): "# HELP" and "# TYPE" once
// per metric family, then its samples with escaped label values. Histograms are written
// from a LatencyHistogram snapshot as cumulative `_bucket{le=...}`, `_sum` and `_count`
// in seconds. Families must be written whole, one after another.

#include "util/histogram.hpp"

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace fruitpak::util {

using MetricLabels = std::initializer_list<std::pair<std::string_view, std::string_view>>;

class PrometheusText {
 public:
  // Starts a family: type is "counter", "gauge" or "histogram".
  void family(std::string_view name, std::string_view type, std::string_view help);
  void sample(std::string_view name, MetricLabels labels, double value);
  void histogram(std::string_view name, MetricLabels labels, const LatencyHistogram::Snapshot& snapshot);

  const std::string& text() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  void series(std::string_view name, MetricLabels labels, std::string_view extra_name = {},
              std::string_view extra_value = {});
  std::string out_;
};

}  // namespace fruitpak::util
