#include "util/prometheus_text.hpp"

#include <fmt/format.h>

#include <cmath>

namespace fruitpak::util {
namespace {

// Label values escape backslash, double quote and line feed; HELP text backslash and line feed.
void append_escaped(std::string& out, std::string_view text, bool quotes) {
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '"' && quotes) {
      out += "\\\"";
    } else {
      out += c;
    }
  }
}

std::string number(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  return fmt::format("{}", value);
}

}  // namespace

void PrometheusText::family(std::string_view name, std::string_view type, std::string_view help) {
  out_ += "# HELP ";
  out_ += name;
  out_ += ' ';
  append_escaped(out_, help, false);
  out_ += "\n# TYPE ";
  out_ += name;
  out_ += ' ';
  out_ += type;
  out_ += '\n';
}

void PrometheusText::series(std::string_view name, MetricLabels labels, std::string_view extra_name,
                            std::string_view extra_value) {
  out_ += name;
  if (labels.size() == 0 && extra_name.empty()) return;
  out_ += '{';
  bool first = true;
  const auto label = [&](std::string_view key, std::string_view value) {
    if (!first) out_ += ',';
    first = false;
    out_ += key;
    out_ += "=\"";
    append_escaped(out_, value, true);
    out_ += '"';
  };
  for (const auto& [key, value] : labels) label(key, value);
  if (!extra_name.empty()) label(extra_name, extra_value);
  out_ += '}';
}

void PrometheusText::sample(std::string_view name, MetricLabels labels, double value) {
  series(name, labels);
  out_ += ' ';
  out_ += number(value);
  out_ += '\n';
}

void PrometheusText::histogram(std::string_view name, MetricLabels labels, const LatencyHistogram::Snapshot& s) {
  const std::string bucket = std::string(name) + "_bucket";
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < LatencyHistogram::kBuckets; ++i) {
    cumulative += s.counts[i];
    const std::string le = i < LatencyHistogram::kBoundsMicros.size()
                               ? number(static_cast<double>(LatencyHistogram::kBoundsMicros[i]) / 1e6)
                               : "+Inf";
    series(bucket, labels, "le", le);
    out_ += ' ';
    out_ += std::to_string(cumulative);
    out_ += '\n';
  }
  sample(std::string(name) + "_sum", labels, static_cast<double>(s.sum_micros) / 1e6);
  sample(std::string(name) + "_count", labels, static_cast<double>(s.count));
}

}  // namespace fruitpak::util
