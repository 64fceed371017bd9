#pragma once
// GET /metrics: this instance's counters in the Prometheus text format (issue 6 point 8;
// issue 9 adds HTTP, database and rate-limit families). When METRICS_TOKEN is set, the
// scraper must send "Authorization: Bearer <METRICS_TOKEN>"; otherwise the endpoint is open,
// for a scraper on a private network.

#include <string>

namespace fruitpak::http {
class Router;
class HttpMetrics;
}  // namespace fruitpak::http
namespace fruitpak::cache {
class ResponseCache;
class L2UsageSampler;
class L2EvictionCounter;
struct L2Usage;
}
namespace fruitpak::db {
class Database;
}

namespace fruitpak::api {

class Guard;

// Where the figures come from. Each may be null: its families are then absent (a null
// `cache` is CACHE_ENABLED=0). The sources must outlive the route.
struct MetricsSources {
  const cache::ResponseCache* cache = nullptr;
  const db::Database* database = nullptr;
  const Guard* guard = nullptr;
  const http::HttpMetrics* http = nullptr;
  cache::L2UsageSampler* l2_usage = nullptr;  // Redis bytes by prefix, sampled (with a Redis cache)
  const cache::L2EvictionCounter* l2_evictions = nullptr;  // Redis evictions by prefix
};

void register_metrics_route(http::Router& router, MetricsSources sources, std::string metrics_token);

// The exposition text itself (also used by tests); `l2_usage` is the latest Redis sample.
std::string metrics_text(const MetricsSources& sources, const cache::L2Usage* l2_usage = nullptr);

}  // namespace fruitpak::api
