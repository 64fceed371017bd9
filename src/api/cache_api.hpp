#pragma once
// GET /api/cache/stats (issue 6 point 8): the response cache's counters for operators.
// Administrators only (permission enterprise.manage). The figures are this instance's.

namespace fruitpak::http {
class Router;
}
namespace fruitpak::cache {
class ResponseCache;
}

namespace fruitpak::api {

class Guard;

// `cache` may be null (CACHE_ENABLED=0): the endpoint then says so.
void register_cache_routes(http::Router& router, Guard& guard, const cache::ResponseCache* cache);

}  // namespace fruitpak::api
