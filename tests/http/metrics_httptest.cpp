// GET /metrics on both engines: the text parses with the reference Prometheus parser
// (python3-prometheus-client), carries the cache, HTTP, database and rate-limit families
// with counts that follow the requests, and wants METRICS_TOKEN when one is configured.
// Each test uses one client (one keep-alive connection): the server records a request's
// metrics before it reads the next request of that connection, so the counts are exact.

#include "support/server_fixture.hpp"

#include "cache/l2_usage.hpp"
#include "cache/redis_pool.hpp"
#include "cache/response_cache.hpp"
#include "util/run_sync.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

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

// A counter that may not exist yet (a route's series appear with its first request).
double value_or_zero(const Samples& samples, const std::string& key) {
  auto it = samples.find(key);
  return it == samples.end() ? 0 : std::stod(it->second);
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
  // L1 bytes and evictions by prefix: the growers entry is charged to growers, and the
  // split sums to the L1 total.
  EXPECT_EQ(after["# family fp_cache_bytes"], "gauge");
  EXPECT_EQ(after["# family fp_cache_l1_evictions"], "counter");
  EXPECT_GT(value(after, "fp_cache_bytes{level=l1,prefix=growers}"), 0);
  EXPECT_EQ(value(after, "fp_cache_l1_evictions_total{prefix=growers}"), 0);
  double l1_split = 0;
  for (const auto& [key, v] : after) {
    if (key.starts_with("fp_cache_bytes{level=l1,")) l1_split += std::stod(v);
  }
  EXPECT_EQ(l1_split, value(after, "fp_cache_l1_bytes{}"));
  EXPECT_GT(value(after, "fp_process_resident_memory_bytes{}"), 0);
  EXPECT_GT(value(after, "fp_process_open_fds{}"), 0);
}

// L2 bytes by prefix come from a background sample of Redis (SCAN + STRLEN of our
// namespace, INFO for Redis's own totals); with METRICS_REDIS_SAMPLE_SECONDS=0 every scrape
// starts a new sample, so a few scrapes show the entry just stored.
TEST_F(MetricsHttpTest, RedisBytesAndEntriesByPrefixAreSampled) {
  config_.metrics_redis_sample_seconds = 0;
  const auto admin = start_with_admin("metrics-redis@example.com", "Metrics Redis Co");
  ASSERT_TRUE(config_.redis) << "scripts/test provides FRUITPAK_TEST_REDIS_URL";
  auto c = client();
  auto growers = c.get("/api/growers/?limit=4", admin.auth());
  ASSERT_EQ(growers["X-Cache"], "MISS");  // now stored in Redis as well
  const std::string entries_line = "fp_cache_l2_entries{prefix=\"growers\"}";
  std::string text;
  for (int attempt = 0; attempt < 500 && text.find(entries_line) == std::string::npos; ++attempt) {
    if (attempt > 0) std::this_thread::sleep_for(std::chrono::milliseconds(20));  // poll, bounded: 10 s
    text = c.get("/metrics").body();
  }
  ASSERT_NE(text.find(entries_line), std::string::npos) << "no Redis sample with the growers entry";
  auto samples = parse_with_reference_parser(text);
  EXPECT_EQ(samples["# family fp_cache_l2_entries"], "gauge");
  EXPECT_EQ(samples["# family fp_redis_evicted_keys"], "counter");
  EXPECT_EQ(samples["# family fp_redis_used_memory_bytes"], "gauge");
  EXPECT_GE(value(samples, "fp_cache_l2_entries{prefix=growers}"), 1);
  // The stored value is the body plus a small trailer: at least the body's size.
  EXPECT_GE(value(samples, "fp_cache_bytes{level=l2,prefix=growers}"), static_cast<double>(growers.body().size()));
  EXPECT_LT(value(samples, "fp_cache_l2_sample_age_seconds{}"), 30);  // taken after the growers request
  EXPECT_GT(value(samples, "fp_redis_used_memory_bytes{}"), 0);
  // Against Redis itself, asked now: the counter cannot be ahead of Redis's own figure, and
  // the events flag follows its notify-keyspace-events (class E and type e or A).
  cache::RedisPool redis(*config_.redis);
  std::vector<std::string> info{"INFO", "stats"};
  auto stats = util::run_sync(redis.command(std::move(info)));
  ASSERT_TRUE(stats);
  const auto evicted_at = stats->text.find("evicted_keys:");
  ASSERT_NE(evicted_at, std::string::npos);
  EXPECT_LE(value(samples, "fp_redis_evicted_keys_total{}"), std::stod(stats->text.substr(evicted_at + 13)));
  std::vector<std::string> config_get{"CONFIG", "GET", "notify-keyspace-events"};
  auto flags = util::run_sync(redis.command(std::move(config_get)));
  ASSERT_TRUE(flags);
  ASSERT_EQ(flags->elements.size(), 2u);
  const std::string& f = flags->elements[1].text;
  const bool publishes = f.find('E') != std::string::npos &&
                         (f.find('e') != std::string::npos || f.find('A') != std::string::npos);
  EXPECT_EQ(samples["# family fp_redis_eviction_events_enabled"], "gauge");
  EXPECT_EQ(value(samples, "fp_redis_eviction_events_enabled{}"), publishes ? 1 : 0);
}

// Evictions by prefix come from Redis's evicted-key events. The suite's Redis is shared,
// so the test does not fill it up: it publishes the events Redis would send on
// __keyevent@<db>__:evicted (a foreign key, a generation key, then a response key of ours)
// and reads the count off /metrics. Messages on one channel arrive in order, so once the
// growers eviction shows, the two before it have been handled (and must not count).
TEST_F(MetricsHttpTest, RedisEvictionEventsCountOurResponseKeysByPrefix) {
  const auto admin = start_with_admin("metrics-evictions@example.com", "Metrics Evictions Co");
  ASSERT_TRUE(config_.redis) << "scripts/test provides FRUITPAK_TEST_REDIS_URL";
  auto c = client();
  const auto& keys = app().response_cache()->keys();
  const std::string channel = cache::L2EvictionCounter::channel(config_.redis->db);
  const domain::TenantId tenant("metrics-evictions");
  const std::string ours = keys.key(tenant, "growers", "list_growers", {});
  const std::string generation = keys.generation_key(tenant, "growers");
  cache::RedisPool publisher(*config_.redis);
  auto publish = [&](const std::string& key) {
    std::vector<std::string> command{"PUBLISH", channel, key};
    return util::run_sync(publisher.command(std::move(command)));
  };
  const std::string line = "fp_cache_l2_evictions_total{prefix=\"growers\"} ";
  auto growers_evictions = [&] {
    const std::string text = c.get("/metrics").body();
    const auto at = text.find(line);
    return at == std::string::npos ? -1.0 : std::stod(text.substr(at + line.size()));
  };
  EXPECT_EQ(growers_evictions(), 0);  // declared prefixes are there from the start
  // The server subscribes in the background after start: publish until it has the message.
  double seen = 0;
  for (int attempt = 0; attempt < 200 && seen == 0; ++attempt) {
    if (attempt > 0) std::this_thread::sleep_for(std::chrono::milliseconds(50));  // poll, bounded: 10 s
    ASSERT_TRUE(publish("someone-else:session:42"));
    ASSERT_TRUE(publish(generation));
    ASSERT_TRUE(publish(ours));
    for (int read = 0; read < 5 && seen == 0; ++read) seen = growers_evictions();
  }
  ASSERT_GE(seen, 1) << "the growers eviction never reached /metrics";
  auto samples = parse_with_reference_parser(c.get("/metrics").body());
  EXPECT_EQ(samples["# family fp_cache_l2_evictions"], "counter");
  double counted = 0;
  for (const auto& [key, v] : samples) {
    if (key.starts_with("fp_cache_l2_evictions_total{")) counted += std::stod(v);
  }
  EXPECT_EQ(counted, value(samples, "fp_cache_l2_evictions_total{prefix=growers}"));  // nothing else counted
}

TEST_F(MetricsHttpTest, HttpRequestsCountByRouteTemplateMethodAndStatusClass) {
  const auto admin = start_with_admin("metrics-http@example.com", "Metrics HTTP Co");
  auto c = client();
  auto before = parse_with_reference_parser(c.get("/metrics").body());
  for (int i = 0; i < 3; ++i) ASSERT_EQ(c.get("/api/growers/?limit=" + std::to_string(i + 1), admin.auth()).result_int(), 200);
  ASSERT_EQ(c.get("/api/growers/", {}).result_int(), 401);                     // no token
  ASSERT_EQ(c.get("/api/growers/00000000-0000-0000-0000-000000000000", admin.auth()).result_int() / 100, 4);
  ASSERT_EQ(c.get("/no/such/route/" + std::to_string(std::rand())).result_int(), 404);  // client-chosen path
  ASSERT_EQ(c.request(boost::beast::http::verb::delete_, "/api/growers/").result_int(), 405);
  auto after = parse_with_reference_parser(c.get("/metrics").body());

  EXPECT_EQ(after["# family fp_http_requests"], "counter");
  EXPECT_EQ(after["# family fp_http_request_duration_seconds"], "histogram");
  const auto delta = [&](const std::string& key) { return value_or_zero(after, key) - value_or_zero(before, key); };
  EXPECT_EQ(delta("fp_http_requests_total{method=GET,route=/api/growers/,status_class=2xx}"), 3);
  EXPECT_EQ(delta("fp_http_requests_total{method=GET,route=/api/growers/,status_class=4xx}"), 1);
  EXPECT_EQ(delta("fp_http_requests_total{method=GET,route=/api/growers/,status_class=5xx}"), 0);
  EXPECT_EQ(delta("fp_http_request_duration_seconds_count{method=GET,route=/api/growers/}"), 4);
  EXPECT_EQ(value(after, "fp_http_request_duration_seconds_bucket{le=+Inf,method=GET,route=/api/growers/}"),
            value(after, "fp_http_request_duration_seconds_count{method=GET,route=/api/growers/}"));
  EXPECT_GT(value(after, "fp_http_request_duration_seconds_sum{method=GET,route=/api/growers/}"), 0);
  // A path parameter is counted under its template, never under the id the client sent.
  EXPECT_EQ(delta("fp_http_requests_total{method=GET,route=/api/growers/{grower_id},status_class=4xx}"), 1);
  // 404 before routing and 405 count as "unmatched": the series stay bounded.
  EXPECT_EQ(delta("fp_http_requests_total{method=GET,route=unmatched,status_class=4xx}"), 1);
  EXPECT_EQ(delta("fp_http_requests_total{method=DELETE,route=unmatched,status_class=4xx}"), 1);
  // The first scrape itself was counted once it was answered.
  EXPECT_EQ(delta("fp_http_requests_total{method=GET,route=/metrics,status_class=2xx}"), 1);
  for (const auto& [key, unused] : after) EXPECT_EQ(key.find("/no/such/route"), std::string::npos) << key;
}

TEST_F(MetricsHttpTest, DatabasePoolAndQueryLatencyAreExported) {
  const auto admin = start_with_admin("metrics-db@example.com", "Metrics DB Co");
  auto c = client();
  auto before = parse_with_reference_parser(c.get("/metrics").body());
  ASSERT_EQ(c.get("/api/auth/me", admin.auth()).result_int(), 200);  // reads the user from the database
  auto after = parse_with_reference_parser(c.get("/metrics").body());

  EXPECT_EQ(after["# family fp_db_pool_max_connections"], "gauge");
  EXPECT_EQ(after["# family fp_db_pool_connections"], "gauge");
  EXPECT_EQ(after["# family fp_db_pool_waiting"], "gauge");
  EXPECT_EQ(after["# family fp_db_pool_waits"], "counter");
  EXPECT_EQ(after["# family fp_db_pool_timeouts"], "counter");
  EXPECT_EQ(after["# family fp_db_query_duration_seconds"], "histogram");
  EXPECT_EQ(value(after, "fp_db_pool_max_connections{}"), is_pg() ? config_.db_pool_size : 1);  // SQLite: one
  EXPECT_GE(value(after, "fp_db_pool_connections{state=idle}") + value(after, "fp_db_pool_connections{state=in_use}"), 1);
  EXPECT_LE(value(after, "fp_db_pool_connections{state=idle}") + value(after, "fp_db_pool_connections{state=in_use}"),
            value(after, "fp_db_pool_max_connections{}"));
  EXPECT_GE(value(after, "fp_db_pool_waiting{}"), 0);
  EXPECT_GE(value(after, "fp_db_pool_waits_total{}"), 0);
  EXPECT_EQ(value(after, "fp_db_pool_timeouts_total{}"), 0);
  const std::string count = "fp_db_query_duration_seconds_count{}";
  EXPECT_GT(value(after, count), value(before, count));
  EXPECT_EQ(value(after, "fp_db_query_duration_seconds_bucket{le=+Inf}"), value(after, count));
  EXPECT_EQ(after["# family fp_rate_limit_rejections"], "counter");
  if (config_.redis) {
    EXPECT_EQ(value(after, "fp_redis_pool_max_connections{}"), config_.redis_pool_size);
  }
}

TEST_F(MetricsHttpTest, RateLimitRejectionsAreCountedByClass) {
  config_.rate_limit_anonymous_per_minute = 2;
  start();
  auto c = client();
  auto before = parse_with_reference_parser(c.get("/metrics").body());  // /metrics is not rate limited
  int refused = 0;
  for (int i = 0; i < 5; ++i) {
    const int status = c.get("/api/growers/").result_int();  // anonymous: limited, then 401
    EXPECT_TRUE(status == 401 || status == 429) << status;
    refused += status == 429;
  }
  EXPECT_EQ(refused, 3);
  auto after = parse_with_reference_parser(c.get("/metrics").body());
  const std::string standard = "fp_rate_limit_rejections_total{class=standard}";
  EXPECT_EQ(value(after, standard) - value(before, standard), 3);
  EXPECT_EQ(value(after, "fp_rate_limit_rejections_total{class=login}"), 0);
  EXPECT_EQ(value(after, "fp_rate_limit_rejections_total{class=register}"), 0);
  EXPECT_EQ(value_or_zero(after, "fp_http_requests_total{method=GET,route=/api/growers/,status_class=4xx}"), 5);
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
