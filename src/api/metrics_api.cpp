#include "api/metrics_api.hpp"

#include "cache/circuit_breaker.hpp"
#include "cache/l1_store.hpp"
#include "cache/redis_pool.hpp"
#include "cache/response_cache.hpp"
#include "http/errors.hpp"
#include "http/router.hpp"
#include "util/crypto.hpp"
#include "util/process_stats.hpp"
#include "util/prometheus_text.hpp"

#include <boost/beast/http/field.hpp>

#include <chrono>

namespace fruitpak::api {
namespace {

const auto kProcessStarted = std::chrono::steady_clock::now();

void process_metrics(util::PrometheusText& out) {
  out.family("fp_process_uptime_seconds", "gauge", "Seconds since this process started.");
  out.sample("fp_process_uptime_seconds", {},
             std::chrono::duration<double>(std::chrono::steady_clock::now() - kProcessStarted).count());
  out.family("fp_process_resident_memory_bytes", "gauge", "Resident set size of this process.");
  out.sample("fp_process_resident_memory_bytes", {}, static_cast<double>(util::resident_bytes()));
  out.family("fp_process_open_fds", "gauge", "Open file descriptors of this process.");
  out.sample("fp_process_open_fds", {}, static_cast<double>(util::open_fds()));
}

void cache_metrics(util::PrometheusText& out, const cache::ResponseCache& cache) {
  const auto& prefixes = cache.counters();
  out.family("fp_cache_requests_total", "counter",
             "Cached-route requests by prefix and result (hit_l1, hit_l2, miss, stale, bypass).");
  for (const auto& [prefix, c] : prefixes) {
    const std::pair<std::string_view, const std::atomic<std::uint64_t>*> results[] = {
        {"hit_l1", &c->l1_hits}, {"hit_l2", &c->l2_hits}, {"miss", &c->misses},
        {"stale", &c->stale},    {"bypass", &c->bypass}};
    for (const auto& [result, counter] : results) {
      out.sample("fp_cache_requests_total", {{"prefix", prefix}, {"result", result}},
                 static_cast<double>(counter->load()));
    }
  }
  out.family("fp_cache_l2_errors_total", "counter", "Redis lookups that failed or were skipped by the circuit breaker.");
  for (const auto& [prefix, c] : prefixes) {
    out.sample("fp_cache_l2_errors_total", {{"prefix", prefix}}, static_cast<double>(c->l2_errors.load()));
  }
  out.family("fp_cache_latency_seconds", "histogram",
             "Cache latency by prefix and level: l1_hit (whole lookup), l2_round_trip, load (the route's handler).");
  for (const auto& [prefix, c] : prefixes) {
    out.histogram("fp_cache_latency_seconds", {{"prefix", prefix}, {"level", "l1_hit"}}, c->l1_latency.snapshot());
    out.histogram("fp_cache_latency_seconds", {{"prefix", prefix}, {"level", "l2_round_trip"}},
                  c->l2_latency.snapshot());
    out.histogram("fp_cache_latency_seconds", {{"prefix", prefix}, {"level", "load"}}, c->load_latency.snapshot());
  }
  if (const auto* l1 = cache.l1()) {
    const auto s = l1->stats();
    out.family("fp_cache_l1_entries", "gauge", "Entries in the in-process cache.");
    out.sample("fp_cache_l1_entries", {}, static_cast<double>(s.entries));
    out.family("fp_cache_l1_bytes", "gauge", "Bytes held by the in-process cache.");
    out.sample("fp_cache_l1_bytes", {}, static_cast<double>(s.bytes));
    out.family("fp_cache_l1_max_bytes", "gauge", "Byte budget of the in-process cache (CACHE_L1_BYTES).");
    out.sample("fp_cache_l1_max_bytes", {}, static_cast<double>(cache.options().l1_bytes));
    out.family("fp_cache_l1_evictions_total", "counter", "Entries evicted from the in-process cache to stay in budget.");
    out.sample("fp_cache_l1_evictions_total", {}, static_cast<double>(s.evictions));
    out.family("fp_cache_l1_rejected_total", "counter",
               "Entries not admitted to the in-process cache (larger than a tenant's share).");
    out.sample("fp_cache_l1_rejected_total", {}, static_cast<double>(s.rejected));
  }
  if (const auto* l2 = cache.l2()) {
    const auto s = l2->stats();
    out.family("fp_redis_circuit_state", "gauge", "1 for the Redis circuit breaker's current state.");
    for (auto state : {cache::BreakerState::kClosed, cache::BreakerState::kOpen, cache::BreakerState::kHalfOpen}) {
      out.sample("fp_redis_circuit_state", {{"state", cache::to_string(state)}}, s.breaker_state == state ? 1 : 0);
    }
    out.family("fp_redis_connections", "gauge", "Redis connections of the pool by state.");
    out.sample("fp_redis_connections", {{"state", "idle"}}, static_cast<double>(s.idle));
    out.sample("fp_redis_connections", {{"state", "in_use"}}, static_cast<double>(s.in_use));
    const std::pair<std::string_view, std::uint64_t> totals[] = {
        {"fp_redis_circuit_opened_total", s.opened_total},  {"fp_redis_rejected_total", s.rejected_total},
        {"fp_redis_pool_exhausted_total", s.exhausted_total}, {"fp_redis_failures_total", s.failures_total},
        {"fp_redis_reconnects_total", s.reconnects_total}};
    const std::string_view help[] = {"Times the Redis circuit breaker opened.",
                                     "Redis commands skipped while the circuit was open.",
                                     "Redis commands skipped because every pooled connection was busy.",
                                     "Redis commands that failed (error, timeout, lost connection).",
                                     "Redis connections re-established."};
    for (std::size_t i = 0; i < std::size(totals); ++i) {
      out.family(totals[i].first, "counter", help[i]);
      out.sample(totals[i].first, {}, static_cast<double>(totals[i].second));
    }
  }
}

}  // namespace

std::string metrics_text(const cache::ResponseCache* cache) {
  util::PrometheusText out;
  process_metrics(out);
  if (cache) cache_metrics(out, *cache);
  return out.take();
}

void register_metrics_route(http::Router& router, const cache::ResponseCache* cache, std::string metrics_token) {
  router.add(http::Method::get, "/metrics",
             [cache, token = std::move(metrics_token)](http::Request& req) -> net::awaitable<http::Response> {
               if (!token.empty() && !util::constant_time_equal(req.bearer_token(), token)) {
                 auto refused = http::error_response(http::Status::unauthorized, "Not authenticated");
                 refused.set(http::beast_http::field::www_authenticate, "Bearer");
                 co_return refused;
               }
               http::Response res{http::Status::ok, 11};
               res.set(http::beast_http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
               res.set(http::beast_http::field::cache_control, "no-store");
               res.body() = metrics_text(cache);
               res.prepare_payload();
               co_return res;
             });
}

}  // namespace fruitpak::api
