// GET /metrics on both engines: the text parses with the reference Prometheus parser
// (python3-prometheus-client), carries the cache families with counts that follow the
// requests, and wants METRICS_TOKEN when one is configured.

#include "support/server_fixture.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace fruitpak::testing {
namespace {

// Parsed samples: "name{sorted labels}" -> value, plus "# family name" -> type.
using Samples = std::map<std::string, std::string>;

// Runs tests/tools/parse_metrics.py over `text` with Debian's python (which has
// python3-prometheus-client, unlike a pyenv or venv one); fails the test if it does not parse.
Samples parse_with_reference_parser(const std::string& text) {
  const auto input = std::filesystem::temp_directory_path() /
                     ("fp-metrics-" + std::to_string(::getpid()) + "-" + std::to_string(std::rand()) + ".txt");
  std::ofstream(input) << text;
  const std::string command = "/usr/bin/python3 " FRUITPAK_TEST_TOOLS_DIR "/parse_metrics.py < " + input.string() + " 2>&1";
  std::string output;
  FILE* pipe = ::popen(command.c_str(), "r");
  EXPECT_NE(pipe, nullptr);
  if (!pipe) return {};
  char buffer[4096];
  while (std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, n);
  const int status = ::pclose(pipe);
  std::filesystem::remove(input);
  EXPECT_EQ(status, 0) << output;
  Samples samples;
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("# family ")) {
      const auto rest = line.substr(9);
      samples["# family " + rest.substr(0, rest.find(' '))] = rest.substr(rest.find(' ') + 1);
      continue;
    }
    const auto first = line.find(' ');
    const auto last = line.rfind(' ');
    samples[line.substr(0, first) + "{" + line.substr(first + 1, last - first - 1) + "}"] = line.substr(last + 1);
  }
  return samples;
}

double value(const Samples& samples, const std::string& key) {
  auto it = samples.find(key);
  EXPECT_NE(it, samples.end()) << "missing sample " << key;
  return it == samples.end() ? -1 : std::stod(it->second);
}

class MetricsHttpTest : public ServerFixture {};

TEST_F(MetricsHttpTest, ParsesWithTheReferenceParserAndFollowsCacheTraffic) {
  const auto admin = start_with_admin("metrics-admin@example.com", "Metrics Co");
  auto c = client();
  auto before = parse_with_reference_parser(c.get("/metrics").body());
  ASSERT_EQ(c.get("/api/growers/?limit=3", admin.auth())["X-Cache"], "MISS");
  ASSERT_EQ(c.get("/api/growers/?limit=3", admin.auth())["X-Cache"], "HIT-L1");
  auto res = c.get("/metrics");
  ASSERT_EQ(res.result_int(), 200);
  EXPECT_EQ(res[boost::beast::http::field::content_type], "text/plain; version=0.0.4; charset=utf-8");
  auto after = parse_with_reference_parser(res.body());

  EXPECT_EQ(after["# family fp_cache_requests"], "counter");  // the parser drops the _total suffix
  EXPECT_EQ(after["# family fp_cache_latency_seconds"], "histogram");
  EXPECT_EQ(after["# family fp_process_resident_memory_bytes"], "gauge");
  EXPECT_EQ(after["# family fp_cache_l1_bytes"], "gauge");

  const std::string hits = "fp_cache_requests_total{prefix=growers,result=hit_l1}";
  const std::string misses = "fp_cache_requests_total{prefix=growers,result=miss}";
  EXPECT_EQ(value(after, hits), value(before, hits) + 1);
  EXPECT_EQ(value(after, misses), value(before, misses) + 1);
  const std::string l1_count = "fp_cache_latency_seconds_count{level=l1_hit,prefix=growers}";
  const std::string load_count = "fp_cache_latency_seconds_count{level=load,prefix=growers}";
  EXPECT_EQ(value(after, l1_count), value(before, l1_count) + 1);
  EXPECT_EQ(value(after, load_count), value(before, load_count) + 1);
  EXPECT_EQ(value(after, "fp_cache_latency_seconds_bucket{le=+Inf,level=load,prefix=growers}"),
            value(after, load_count));
  EXPECT_GT(value(after, "fp_cache_l1_bytes{}"), 0);
  EXPECT_GT(value(after, "fp_process_resident_memory_bytes{}"), 0);
  EXPECT_GT(value(after, "fp_process_open_fds{}"), 0);
}

TEST_F(MetricsHttpTest, ConfiguredTokenIsRequired) {
  config_.metrics_token = "scrape-secret-for-tests";
  start();
  auto c = client();
  EXPECT_EQ(c.get("/metrics").result_int(), 401);
  EXPECT_EQ(c.get("/metrics", {{"Authorization", "Bearer wrong-secret-for-tests"}}).result_int(), 401);
  auto allowed = c.get("/metrics", {{"Authorization", "Bearer scrape-secret-for-tests"}});
  EXPECT_EQ(allowed.result_int(), 200);
  EXPECT_NE(allowed.body().find("# TYPE fp_process_uptime_seconds gauge"), std::string::npos);
}

}  // namespace
}  // namespace fruitpak::testing
