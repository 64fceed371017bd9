#include "api/metrics_api.hpp"

#include "api/guard.hpp"
#include "api/openapi_schema.hpp"

#include "cache/circuit_breaker.hpp"
#include "cache/l1_store.hpp"
#include "cache/l2_usage.hpp"
#include "cache/redis_pool.hpp"
#include "cache/response_cache.hpp"
#include "db/database.hpp"
#include "http/errors.hpp"
#include "http/http_metrics.hpp"
#include "http/router.hpp"
#include "util/crypto.hpp"
#include "util/process_stats.hpp"
#include "util/prometheus_text.hpp"

#include <boost/asio/this_coro.hpp>
#include <boost/beast/http/field.hpp>

#include <algorithm>
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

constexpr std::string_view kCacheBytesHelp =
    "Bytes held by the cache by level (l1: in process; l2: our entries in Redis, sampled) and cache prefix.";

// The Redis side, sampled by cache::L2UsageSampler (fp_cache_bytes' family is written by
// the caller): our entries by prefix, and INFO's figures for the whole Redis instance.
void redis_usage_metrics(util::PrometheusText& out, const cache::L2Usage& usage) {
  for (const auto& [prefix, p] : usage.prefixes) {
    out.sample("fp_cache_bytes", {{"level", "l2"}, {"prefix", prefix}}, static_cast<double>(p.bytes));
  }
  out.family("fp_cache_l2_entries", "gauge", "Cached responses in Redis by cache prefix (sampled).");
  for (const auto& [prefix, p] : usage.prefixes) {
    out.sample("fp_cache_l2_entries", {{"prefix", prefix}}, static_cast<double>(p.entries));
  }
  out.family("fp_cache_l2_sample_age_seconds", "gauge",
             "Age of the Redis sample behind the l2 cache bytes, fp_cache_l2_entries and fp_redis_* memory and key counts.");
  out.sample("fp_cache_l2_sample_age_seconds", {},
             std::chrono::duration<double>(std::chrono::steady_clock::now() - usage.taken).count());
  out.family("fp_redis_used_memory_bytes", "gauge", "Memory Redis uses (INFO used_memory; the whole instance).");
  out.sample("fp_redis_used_memory_bytes", {}, static_cast<double>(usage.used_memory));
  out.family("fp_redis_maxmemory_bytes", "gauge", "Redis's memory limit (INFO maxmemory; 0: none).");
  out.sample("fp_redis_maxmemory_bytes", {}, static_cast<double>(usage.maxmemory));
  out.family("fp_redis_evicted_keys_total", "counter",
             "Keys Redis evicted to stay under maxmemory (INFO evicted_keys; the whole instance, since Redis started).");
  out.sample("fp_redis_evicted_keys_total", {}, static_cast<double>(usage.evicted_keys));
  out.family("fp_redis_expired_keys_total", "counter",
             "Keys Redis removed at their expiry (INFO expired_keys; the whole instance, since Redis started).");
  out.sample("fp_redis_expired_keys_total", {}, static_cast<double>(usage.expired_keys));
  if (usage.eviction_events) {
    out.family("fp_redis_eviction_events_enabled", "gauge",
               "1 when Redis publishes evicted keys' names (notify-keyspace-events has E and e), so "
               "fp_cache_l2_evictions_total counts; 0 when not.");
    out.sample("fp_redis_eviction_events_enabled", {}, *usage.eviction_events ? 1 : 0);
  }
}

void cache_metrics(util::PrometheusText& out, const cache::ResponseCache& cache, const cache::L2Usage* l2_usage,
                   const cache::L2EvictionCounter* l2_evictions) {
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
    // By prefix: the store counts each entry's charge and eviction under the prefix of the
    // route that stored it. sum(fp_cache_bytes{level="l1"}) is fp_cache_l1_bytes.
    const auto by_prefix = l1->prefix_stats();
    out.family("fp_cache_l1_evictions_total", "counter",
               "Entries evicted from the in-process cache to stay in budget, by cache prefix.");
    for (const auto& [prefix, p] : by_prefix) {
      out.sample("fp_cache_l1_evictions_total", {{"prefix", prefix}}, static_cast<double>(p.evictions));
    }
    out.family("fp_cache_l1_rejected_total", "counter",
               "Entries not admitted to the in-process cache (larger than a tenant's share).");
    out.sample("fp_cache_l1_rejected_total", {}, static_cast<double>(s.rejected));
    out.family("fp_cache_bytes", "gauge", kCacheBytesHelp);
    for (const auto& [prefix, p] : by_prefix) {
      out.sample("fp_cache_bytes", {{"level", "l1"}, {"prefix", prefix}}, static_cast<double>(p.bytes));
    }
  }
  // L2 bytes by prefix continue fp_cache_bytes (the family is declared once).
  if (l2_usage) {
    if (!cache.l1()) out.family("fp_cache_bytes", "gauge", kCacheBytesHelp);
    redis_usage_metrics(out, *l2_usage);
  }
  if (l2_evictions) {
    out.family("fp_cache_l2_evictions_total", "counter",
               "Our entries Redis evicted, by cache prefix (from its evicted-key events: needs "
               "notify-keyspace-events with E and e; see fp_redis_eviction_events_enabled).");
    // Every declared prefix from the start (zeros included), so rate() works from the first eviction.
    auto counts = l2_evictions->by_prefix();
    for (const auto& [prefix, c] : prefixes) counts.try_emplace(prefix, 0);
    for (const auto& [prefix, count] : counts) {
      out.sample("fp_cache_l2_evictions_total", {{"prefix", prefix}}, static_cast<double>(count));
    }
  }
  if (const auto* l2 = cache.l2()) {
    const auto s = l2->stats();
    out.family("fp_redis_circuit_state", "gauge", "1 for the Redis circuit breaker's current state (a cluster: the worst node's).");
    for (auto state : {cache::BreakerState::kClosed, cache::BreakerState::kOpen, cache::BreakerState::kHalfOpen}) {
      out.sample("fp_redis_circuit_state", {{"state", cache::to_string(state)}}, s.breaker_state == state ? 1 : 0);
    }
    out.family("fp_redis_pool_max_connections", "gauge", "Maximum Redis connections of the pool (REDIS_POOL_SIZE; per node of a cluster, summed).");
    out.sample("fp_redis_pool_max_connections", {}, static_cast<double>(s.max_open));
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
    if (l2->is_cluster()) {
      out.family("fp_redis_cluster_redirects_total", "counter",
                 "Redis Cluster redirects followed: MOVED (a slot moved for good) and ASK (a slot being migrated).");
      out.sample("fp_redis_cluster_redirects_total", {{"kind", "moved"}}, static_cast<double>(s.moved_total));
      out.sample("fp_redis_cluster_redirects_total", {{"kind", "ask"}}, static_cast<double>(s.ask_total));
      out.family("fp_redis_cluster_slot_maps_total", "counter", "Redis Cluster slot maps learnt from CLUSTER SLOTS.");
      out.sample("fp_redis_cluster_slot_maps_total", {}, static_cast<double>(s.slot_maps_total));
    }
  }
}

// Requests by route template (or "unmatched"), method and status class, and their latency
// from the request's arrival to its response written. Every status class is written for a
// seen route, zeros included, so rate() works from the first error on.
void http_metrics(util::PrometheusText& out, const http::HttpMetrics& http) {
  out.family("fp_http_requests_total", "counter",
             "HTTP requests answered, by route template (\"unmatched\" when no route matched), method and status class.");
  http.for_each([&](const std::string& route, const std::string& method, const http::HttpMetrics::Entry& e) {
    for (std::size_t i = 0; i < http::HttpMetrics::kStatusClasses.size(); ++i) {
      out.sample("fp_http_requests_total",
                 {{"route", route}, {"method", method}, {"status_class", http::HttpMetrics::kStatusClasses[i]}},
                 static_cast<double>(e.by_class[i].load(std::memory_order_relaxed)));
    }
  });
  out.family("fp_http_request_duration_seconds", "histogram",
             "HTTP request latency from the request read to the response written, by route template and method.");
  http.for_each([&](const std::string& route, const std::string& method, const http::HttpMetrics::Entry& e) {
    out.histogram("fp_http_request_duration_seconds", {{"route", route}, {"method", method}}, e.latency.snapshot());
  });
}

void database_metrics(util::PrometheusText& out, const db::Database& database) {
  const auto s = database.pool_stats();
  out.family("fp_db_pool_max_connections", "gauge", "Maximum database connections of the pool (DB_POOL_SIZE).");
  out.sample("fp_db_pool_max_connections", {}, static_cast<double>(s.max_size));
  out.family("fp_db_pool_connections", "gauge", "Database connections of the pool by state (in_use includes those being opened).");
  out.sample("fp_db_pool_connections", {{"state", "idle"}}, static_cast<double>(s.idle));
  out.sample("fp_db_pool_connections", {{"state", "in_use"}}, static_cast<double>(s.open - std::min(s.open, s.idle)));
  out.family("fp_db_pool_waiting", "gauge", "Requests waiting now for a database connection.");
  out.sample("fp_db_pool_waiting", {}, static_cast<double>(s.waiting));
  out.family("fp_db_pool_waits_total", "counter", "Connection acquires that had to wait because the pool was full.");
  out.sample("fp_db_pool_waits_total", {}, static_cast<double>(s.waits_total));
  out.family("fp_db_pool_timeouts_total", "counter",
             "Connection acquires that gave up after DB_ACQUIRE_TIMEOUT (answered 503).");
  out.sample("fp_db_pool_timeouts_total", {}, static_cast<double>(s.timeouts_total));
  out.family("fp_db_query_duration_seconds", "histogram",
             "Database statement latency (engine and driver, not the wait for a connection).");
  out.histogram("fp_db_query_duration_seconds", {}, database.query_latency().snapshot());
}

void rate_limit_metrics(util::PrometheusText& out, const Guard& guard) {
  const auto r = guard.rate_rejections();
  out.family("fp_rate_limit_rejections_total", "counter",
             "Requests refused with 429 by rate class (standard: per user or anonymous per IP; login and register: per IP).");
  out.sample("fp_rate_limit_rejections_total", {{"class", "standard"}}, static_cast<double>(r.standard));
  out.sample("fp_rate_limit_rejections_total", {{"class", "login"}}, static_cast<double>(r.login));
  out.sample("fp_rate_limit_rejections_total", {{"class", "register"}}, static_cast<double>(r.registration));
}

}  // namespace

std::string metrics_text(const MetricsSources& sources, const cache::L2Usage* l2_usage) {
  util::PrometheusText out;
  process_metrics(out);
  if (sources.http) http_metrics(out, *sources.http);
  if (sources.database) database_metrics(out, *sources.database);
  if (sources.guard) rate_limit_metrics(out, *sources.guard);
  if (sources.cache) cache_metrics(out, *sources.cache, l2_usage, sources.l2_evictions);
  return out.take();
}

namespace {

// The route's documentation (OpenAPI): open, or METRICS_TOKEN as a bearer token.
http::RouteInfo metrics_info() {
  http::RouteInfo info;
  info.summary = "Prometheus metrics of this instance";
  info.auth_scheme = "metricsToken";
  info.responses = {{200, oas::str(), "The Prometheus text exposition format", "text/plain; version=0.0.4; charset=utf-8"}};
  info.errors = {401};
  return info;
}

}  // namespace

void register_metrics_route(http::Router& router, MetricsSources sources, std::string metrics_token) {
  router.add(http::Method::get, "/metrics",
             [sources, token = std::move(metrics_token)](http::Request& req) -> net::awaitable<http::Response> {
               if (!token.empty() && !util::constant_time_equal(req.bearer_token(), token)) {
                 auto refused = http::error_response(http::Status::unauthorized, "Not authenticated");
                 refused.set(http::beast_http::field::www_authenticate, "Bearer");
                 co_return refused;
               }
               http::Response res{http::Status::ok, 11};
               res.set(http::beast_http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
               res.set(http::beast_http::field::cache_control, "no-store");
               std::shared_ptr<const cache::L2Usage> l2_usage;
               if (sources.l2_usage) {
                 const auto executor = co_await net::this_coro::executor;
                 l2_usage = sources.l2_usage->latest(executor);
               }
               res.body() = metrics_text(sources, l2_usage.get());
               res.prepare_payload();
               co_return res;
             },
             metrics_info());
}

}  // namespace fruitpak::api
