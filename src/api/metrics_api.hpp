#pragma once
// GET /metrics: this instance's counters in the Prometheus text format (issue 6 point 8;
// issue 9 adds HTTP, database and rate-limit families). When METRICS_TOKEN is set, the
// scraper must send "Authorization: Bearer <METRICS_TOKEN>"; otherwise the endpoint is open,
// for a scraper on a private network.

#include <string>

namespace fruitpak::http {
class Router;
}
namespace fruitpak::cache {
class ResponseCache;
}

namespace fruitpak::api {

// `cache` may be null (CACHE_ENABLED=0): the cache families are then absent.
void register_metrics_route(http::Router& router, const cache::ResponseCache* cache, std::string metrics_token);

// The exposition text itself (also used by tests).
std::string metrics_text(const cache::ResponseCache* cache);

}  // namespace fruitpak::api
