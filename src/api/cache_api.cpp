#include "api/cache_api.hpp"

#include "api/guard.hpp"
#include "api/input.hpp"
#include "api/json_input.hpp"
#include "api/openapi_schema.hpp"
#include "api/respond.hpp"
#include "cache/circuit_breaker.hpp"
#include "cache/l1_store.hpp"
#include "cache/redis_pool.hpp"
#include "cache/response_cache.hpp"
#include "http/errors.hpp"
#include "http/http_metrics.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <spdlog/spdlog.h>

#include <array>
#include <chrono>
#include <map>
#include <string>

namespace fruitpak::api {
namespace {

namespace bj = boost::json;

// Static initialisation runs before main(): close enough to the process start for an uptime.
const auto kProcessStarted = std::chrono::steady_clock::now();

// The dashboard's own polls are left out of the HTTP figures, so that an open dashboard does
// not show itself as traffic.
constexpr std::string_view kStatsPath = "/api/cache/stats";

double ms(double micros) { return micros / 1000.0; }

bj::object latency_json(const util::LatencyHistogram::Snapshot& s) {
  return bj::object{{"count", s.count},
                    {"mean_ms", s.count ? ms(static_cast<double>(s.sum_micros) / static_cast<double>(s.count)) : 0.0},
                    {"p50_ms", ms(s.quantile_micros(0.50))},
                    {"p99_ms", ms(s.quantile_micros(0.99))}};
}

bj::object latency_json(const util::LatencyHistogram& histogram) { return latency_json(histogram.snapshot()); }

bj::object prefix_json(const cache::PrefixCounters& c, const cache::L1PrefixStats* l1) {
  const auto l1_hits = c.l1_hits.load(), l2 = c.l2_hits.load(), misses = c.misses.load(), stale = c.stale.load();
  const auto served = l1_hits + l2 + misses + stale + c.bypass.load();
  return bj::object{{"l1_hits", l1_hits},
                    {"l2_hits", l2},
                    {"misses", misses},
                    {"stale", stale},
                    {"bypass", c.bypass.load()},
                    {"l2_errors", c.l2_errors.load()},
                    {"hit_ratio", served ? static_cast<double>(l1_hits + l2) / static_cast<double>(served) : 0.0},
                    // What this prefix holds in L1 now, and how often the budget pushed it out.
                    {"l1_entries", l1 ? l1->entries : 0},
                    {"l1_bytes", l1 ? l1->bytes : 0},
                    {"l1_evictions", l1 ? l1->evictions : 0},
                    {"latency", bj::object{{"l1_hit", latency_json(c.l1_latency)},
                                           {"l2_round_trip", latency_json(c.l2_latency)},
                                           {"load", latency_json(c.load_latency)}}}};
}

// Every answered request but the stats polls: totals by status class and one latency
// histogram merged over the routes. The per-bucket counts (not cumulative) and their upper
// bounds let a client compute quantiles over its own window from two polls.
bj::object http_json(const http::HttpMetrics& http) {
  std::array<std::uint64_t, http::HttpMetrics::kStatusClasses.size()> by_class{};
  util::LatencyHistogram::Snapshot merged;
  http.for_each([&](const std::string& route, const std::string&, const http::HttpMetrics::Entry& e) {
    if (route == kStatsPath) return;
    for (std::size_t i = 0; i < by_class.size(); ++i) by_class[i] += e.by_class[i].load(std::memory_order_relaxed);
    const auto s = e.latency.snapshot();
    for (std::size_t i = 0; i < merged.counts.size(); ++i) merged.counts[i] += s.counts[i];
    merged.count += s.count;
    merged.sum_micros += s.sum_micros;
  });
  std::uint64_t total = 0;
  bj::object classes;
  for (std::size_t i = 0; i < by_class.size(); ++i) {
    classes[http::HttpMetrics::kStatusClasses[i]] = by_class[i];
    total += by_class[i];
  }
  bj::array bounds, buckets;
  for (auto bound : util::LatencyHistogram::kBoundsMicros) bounds.emplace_back(ms(static_cast<double>(bound)));
  for (auto count : merged.counts) buckets.emplace_back(count);
  auto latency = latency_json(merged);
  latency["bounds_ms"] = std::move(bounds);  // the last bucket (+Inf) has no bound
  latency["buckets"] = std::move(buckets);
  return bj::object{{"requests_total", total}, {"by_status_class", std::move(classes)}, {"latency", std::move(latency)}};
}

bj::object stats_json(const cache::ResponseCache* cache, const http::HttpMetrics* http, const Caller& caller) {
  bj::object out{{"enabled", cache != nullptr},
                 {"uptime_s", std::chrono::duration<double>(std::chrono::steady_clock::now() - kProcessStarted).count()}};
  if (http) out["http"] = http_json(*http);
  if (!cache) return out;
  out["version"] = cache->keys().version();
  std::map<std::string, cache::L1PrefixStats, std::less<>> l1_prefixes;
  if (const auto* l1 = cache->l1()) {
    const auto s = l1->stats();
    l1_prefixes = l1->prefix_stats();
    out["l1"] = bj::object{{"entries", s.entries},
                           {"bytes", s.bytes},
                           {"max_bytes", cache->options().l1_bytes},
                           {"tenant_bytes", l1->tenant_bytes(caller.tenant().value())},
                           {"evictions", s.evictions},
                           {"rejected", s.rejected}};
  } else {
    out["l1"] = nullptr;
  }
  if (const auto* l2 = cache->l2()) {
    const auto s = l2->stats();
    out["l2"] = bj::object{{"circuit", std::string(cache::to_string(s.breaker_state))},
                           {"connections_open", s.open},
                           {"connections_idle", s.idle},
                           {"connections_in_use", s.in_use},
                           {"circuit_opened_total", s.opened_total},
                           {"rejected_total", s.rejected_total},
                           {"exhausted_total", s.exhausted_total},
                           {"failures_total", s.failures_total},
                           {"reconnects_total", s.reconnects_total}};
  } else {
    out["l2"] = nullptr;
  }
  bj::object prefixes;
  for (const auto& [name, counters] : cache->counters()) {
    const auto l1 = l1_prefixes.find(name);
    prefixes[name] = prefix_json(*counters, l1 == l1_prefixes.end() ? nullptr : &l1->second);
  }
  out["prefixes"] = std::move(prefixes);
  return out;
}

// The declared prefixes as pydantic words an enum's choices: "'a', 'b' or 'c'".
std::string choices(const cache::ResponseCache* cache) {
  std::string text;
  if (!cache) return text;
  const auto& counters = cache->counters();
  std::size_t i = 0;
  for (const auto& [name, unused] : counters) {
    if (i > 0) text += i + 1 == counters.size() ? " or " : ", ";
    text += "'" + name + "'";
    ++i;
  }
  return text;
}

net::awaitable<http::Response> invalidated(cache::ResponseCache* cache, const Caller& caller, std::string prefix) {
  std::size_t removed = 0;
  if (cache) removed = co_await cache->invalidate(caller.tenant(), prefix);
  spdlog::info("cache: user {} invalidated {} of tenant {} ({} entries removed)", caller.principal->user_id,
               prefix.empty() ? std::string("every prefix") : "prefix " + prefix, caller.tenant().value(), removed);
  co_return json_response(http::Status::ok, bj::object{{"invalidated", removed}});
}

// The JSON schemas of this file's routes (OpenAPI components, api/openapi_schema.hpp); they
// follow stats_json and prefix_json above key for key.
void declare_cache_schemas(http::Router& router) {
  router.add_schema("CacheLatency", oas::record({{"count", oas::integer(0)},
                                                 {"mean_ms", oas::number(0)},
                                                 {"p50_ms", oas::number(0)},
                                                 {"p99_ms", oas::number(0)}}));
  router.add_schema("CachePrefixStats",
                    oas::record({{"l1_hits", oas::integer(0)},
                                 {"l2_hits", oas::integer(0)},
                                 {"misses", oas::integer(0)},
                                 {"stale", oas::integer(0)},
                                 {"bypass", oas::integer(0)},
                                 {"l2_errors", oas::integer(0)},
                                 {"hit_ratio", oas::number(0, 1)},
                                 {"l1_entries", oas::integer(0)},
                                 {"l1_bytes", oas::integer(0)},
                                 {"l1_evictions", oas::integer(0)},
                                 {"latency", oas::record({{"l1_hit", oas::ref("CacheLatency")},
                                                          {"l2_round_trip", oas::ref("CacheLatency")},
                                                          {"load", oas::ref("CacheLatency")}})}}));
  auto http_latency = oas::record({{"count", oas::integer(0)},
                                   {"mean_ms", oas::number(0)},
                                   {"p50_ms", oas::number(0)},
                                   {"p99_ms", oas::number(0)},
                                   {"bounds_ms", oas::array(oas::number(0))},
                                   {"buckets", oas::array(oas::integer(0))}});
  router.add_schema("CacheHttpStats",
                    oas::record({{"requests_total", oas::integer(0)},
                                 {"by_status_class", oas::record({{"1xx", oas::integer(0)},
                                                                  {"2xx", oas::integer(0)},
                                                                  {"3xx", oas::integer(0)},
                                                                  {"4xx", oas::integer(0)},
                                                                  {"5xx", oas::integer(0)}})},
                                 {"latency", std::move(http_latency)}}));
  auto l1 = oas::record({{"entries", oas::integer(0)},
                         {"bytes", oas::integer(0)},
                         {"max_bytes", oas::integer(0)},
                         {"tenant_bytes", oas::integer(0)},
                         {"evictions", oas::integer(0)},
                         {"rejected", oas::integer(0)}});
  auto l2 = oas::record({{"circuit", oas::one_of({"closed", "open", "half_open"})},
                         {"connections_open", oas::integer(0)},
                         {"connections_idle", oas::integer(0)},
                         {"connections_in_use", oas::integer(0)},
                         {"circuit_opened_total", oas::integer(0)},
                         {"rejected_total", oas::integer(0)},
                         {"exhausted_total", oas::integer(0)},
                         {"failures_total", oas::integer(0)},
                         {"reconnects_total", oas::integer(0)}});
  bj::object by_prefix{{"type", "object"}, {"additionalProperties", oas::ref("CachePrefixStats")}};
  // Without a cache (CACHE_ENABLED=0) only enabled, uptime_s and http are sent; http is
  // absent only when the routes were registered without HTTP metrics (tests).
  router.add_schema("CacheStats", oas::record({{"enabled", oas::boolean()},
                                               {"uptime_s", oas::number(0)},
                                               {"http", oas::ref("CacheHttpStats")},
                                               {"version", oas::str()},
                                               {"l1", oas::nullable(std::move(l1))},
                                               {"l2", oas::nullable(std::move(l2))},
                                               {"prefixes", std::move(by_prefix)}},
                                              {"http", "version", "l1", "l2", "prefixes"}));
  router.add_schema("CacheInvalidate", oas::input({{"prefix", oas::str(100, 1)}}, {"prefix"}));
  router.add_schema("CacheInvalidated", oas::record({{"invalidated", oas::integer(0)}}));
}

}  // namespace

void register_cache_routes(http::Router& router, Guard& guard, cache::ResponseCache* cache,
                           const http::HttpMetrics* http) {
  declare_cache_schemas(router);
  guard.add(router,
            {.method = http::Method::get, .path = std::string(kStatsPath), .permissions = {"enterprise.manage"},
             .summary = "Response cache counters, HTTP requests and latency of this instance (administrators)",
             .responses = {{200, "CacheStats"}}},
            [cache, http](http::Request&, const Caller& caller) -> net::awaitable<http::Response> {
              co_return json_response(http::Status::ok, stats_json(cache, http, caller));
            });
  guard.add(router,
            {.method = http::Method::post, .path = "/api/cache/invalidate", .permissions = {"enterprise.manage"},
             .summary = "Drop the caller's tenant's cached responses of one prefix (administrators)",
             .body = "CacheInvalidate", .responses = {{200, "CacheInvalidated"}}},
            [cache](http::Request& req, const Caller& caller) -> net::awaitable<http::Response> {
              auto body = read_json_object(req);
              if (!body) co_return body.error();
              BodyReader in(*body);
              auto prefix = in.required_string("prefix", 100);
              if (in.ok() && (!cache || !cache->counters().contains(prefix))) {
                const auto known = choices(cache);
                in.add_error(in.loc_of("prefix"),
                             known.empty() ? "Input should be a cached prefix (the cache is disabled)"
                                           : "Input should be " + known,
                             "enum");
              }
              if (!in.ok()) co_return http::validation_error_response(in.errors());
              co_return co_await invalidated(cache, caller, std::move(prefix));
            });
  guard.add(router,
            {.method = http::Method::post, .path = "/api/cache/clear", .permissions = {"enterprise.manage"},
             .summary = "Drop every cached response of the caller's tenant (administrators)",
             .responses = {{200, "CacheInvalidated"}}},
            [cache](http::Request&, const Caller& caller) -> net::awaitable<http::Response> {
              co_return co_await invalidated(cache, caller, std::string());
            });
}

}  // namespace fruitpak::api
