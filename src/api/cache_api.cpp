#include "api/cache_api.hpp"

#include "api/guard.hpp"
#include "api/respond.hpp"
#include "cache/circuit_breaker.hpp"
#include "cache/l1_store.hpp"
#include "cache/redis_pool.hpp"
#include "cache/response_cache.hpp"

#include <boost/json/object.hpp>

namespace fruitpak::api {
namespace {

namespace bj = boost::json;

bj::object latency_json(const util::LatencyHistogram& histogram) {
  const auto s = histogram.snapshot();
  const auto ms = [](double micros) { return micros / 1000.0; };
  return bj::object{{"count", s.count},
                    {"mean_ms", s.count ? ms(static_cast<double>(s.sum_micros) / static_cast<double>(s.count)) : 0.0},
                    {"p50_ms", ms(s.quantile_micros(0.50))},
                    {"p99_ms", ms(s.quantile_micros(0.99))}};
}

bj::object prefix_json(const cache::PrefixCounters& c) {
  const auto l1 = c.l1_hits.load(), l2 = c.l2_hits.load(), misses = c.misses.load(), stale = c.stale.load();
  const auto served = l1 + l2 + misses + stale + c.bypass.load();
  return bj::object{{"l1_hits", l1},
                    {"l2_hits", l2},
                    {"misses", misses},
                    {"stale", stale},
                    {"bypass", c.bypass.load()},
                    {"l2_errors", c.l2_errors.load()},
                    {"hit_ratio", served ? static_cast<double>(l1 + l2) / static_cast<double>(served) : 0.0},
                    {"latency", bj::object{{"l1_hit", latency_json(c.l1_latency)},
                                           {"l2_round_trip", latency_json(c.l2_latency)},
                                           {"load", latency_json(c.load_latency)}}}};
}

bj::object stats_json(const cache::ResponseCache* cache) {
  if (!cache) return bj::object{{"enabled", false}};
  bj::object out{{"enabled", true}, {"version", cache->keys().version()}};
  if (const auto* l1 = cache->l1()) {
    const auto s = l1->stats();
    out["l1"] = bj::object{{"entries", s.entries},
                           {"bytes", s.bytes},
                           {"max_bytes", cache->options().l1_bytes},
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
  for (const auto& [name, counters] : cache->counters()) prefixes[name] = prefix_json(*counters);
  out["prefixes"] = std::move(prefixes);
  return out;
}

}  // namespace

void register_cache_routes(http::Router& router, Guard& guard, const cache::ResponseCache* cache) {
  guard.add(router,
            {.method = http::Method::get, .path = "/api/cache/stats", .permissions = {"enterprise.manage"},
             .summary = "Response cache counters of this instance (administrators)"},
            [cache](http::Request&, const Caller&) -> net::awaitable<http::Response> {
              co_return json_response(http::Status::ok, stats_json(cache));
            });
}

}  // namespace fruitpak::api
