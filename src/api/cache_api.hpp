#pragma once
// The response cache for operators (issue 6 point 8, issue 9 point 3: the /dashboard page
// reads and drives these). Administrators only (permission enterprise.manage):
//
//   GET  /api/cache/stats       this instance's cache counters (every tenant's traffic: the
//                               cache is shared), its HTTP request count and latency, uptime
//   POST /api/cache/invalidate  {"prefix": "growers"}: the caller's tenant's entries of one
//                               declared prefix are dropped (422 for an undeclared prefix)
//   POST /api/cache/clear       every prefix of the caller's tenant
//
// Invalidation is ResponseCache::invalidate: a new generation (published to the other
// instances through Redis), the L1 entries erased and the Redis keys unlinked. Both answer
// {"invalidated": N}, N the entries removed here and in Redis.

namespace fruitpak::http {
class Router;
class HttpMetrics;
}  // namespace fruitpak::http
namespace fruitpak::cache {
class ResponseCache;
}

namespace fruitpak::api {

class Guard;

// `cache` may be null (CACHE_ENABLED=0): stats then say so, clear removes nothing and every
// prefix is unknown. `http` may be null: the stats then have no "http" section. Both must
// outlive the routes.
void register_cache_routes(http::Router& router, Guard& guard, cache::ResponseCache* cache,
                           const http::HttpMetrics* http);

}  // namespace fruitpak::api
