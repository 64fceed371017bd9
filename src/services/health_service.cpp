#include "services/health_service.hpp"

#include "cache/redis_connection.hpp"
#include "cache/redis_pool.hpp"
#include "db/database.hpp"
#include "util/clock.hpp"

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <spdlog/spdlog.h>

#include <cmath>

namespace fruitpak::services {
namespace {

using domain::DependencyState;

// The cause goes to the log, never to the client: it may name hosts or users.
std::string error_kind(const Error& e, const char* what) {
  spdlog::warn("readiness: {} check failed: {}", what, e.detail);
  return std::string(to_string(e.code));
}

// "ok", "error: <kind>" or "not configured": the contract's per-check string.
std::string check_state(DependencyState state, const std::string& error) {
  switch (state) {
    case DependencyState::kOk: return "ok";
    case DependencyState::kError: return "error: " + error;
    case DependencyState::kNotConfigured: return "not configured";
  }
  return "error: internal";
}

domain::CircuitState circuit_of(cache::BreakerState state) {
  switch (state) {
    case cache::BreakerState::kClosed: return domain::CircuitState::kClosed;
    case cache::BreakerState::kOpen: return domain::CircuitState::kOpen;
    case cache::BreakerState::kHalfOpen: return domain::CircuitState::kHalfOpen;
  }
  return domain::CircuitState::kOpen;
}

double milliseconds_since(std::chrono::steady_clock::time_point start) {
  const std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - start;
  return std::round(took.count() * 1000.0) / 1000.0;
}

}  // namespace

HealthService::HealthService(const config::Config& config, db::Database& db, const cache::RedisPool* redis_pool)
    : environment_(config.environment), db_(db), redis_(config.redis), redis_pool_(redis_pool) {}

domain::Liveness HealthService::liveness() const {
  return domain::Liveness{"FruitPAK", environment_, util::iso_utc_now()};
}

net::awaitable<domain::Readiness> HealthService::readiness() {
  domain::Readiness report;
  // Each co_await is a statement of its own: GCC 12 miscompiles co_await inside ?: and
  // inside braced initialisers.
  report.database = co_await check_database();
  report.redis = co_await check_redis();
  report.checks.push_back({"service", "ok", true});
  report.checks.push_back({"database", check_state(report.database.state, report.database.error), true});
  report.checks.push_back({"redis", check_state(report.redis.state, report.redis.error), false});
  report.timestamp = util::iso_utc_now();
  co_return report;
}

net::awaitable<domain::DatabaseReadiness> HealthService::check_database() {
  using namespace boost::asio::experimental::awaitable_operators;
  domain::DatabaseReadiness result;
  result.engine = db_.engine() == db::Engine::kPostgres ? "postgresql" : "sqlite";
  net::steady_timer timer(co_await net::this_coro::executor, timeout_);
  const auto started = std::chrono::steady_clock::now();
  auto outcome = co_await (db_.execute("SELECT 1") || timer.async_wait(use_tuple));
  result.latency_ms = milliseconds_since(started);
  if (outcome.index() == 1) {
    result.state = DependencyState::kError;
    result.error = error_kind(make_error(Errc::kTimeout, "SELECT 1 timed out"), "database");
  } else if (auto& rows = std::get<0>(outcome); !rows) {
    result.state = DependencyState::kError;
    result.error = error_kind(rows.error(), "database");
  }
  // Read after the check, so the figures include the connection it used.
  const auto stats = db_.pool_stats();
  result.pool = {stats.open, stats.idle, stats.open > stats.idle ? stats.open - stats.idle : 0, stats.waiting,
                 stats.max_size};
  co_return result;
}

net::awaitable<domain::RedisReadiness> HealthService::check_redis() {
  domain::RedisReadiness result;
  if (!redis_) co_return result;
  // A fresh connection, not the cache's pool: the probe must neither wait behind the pool's
  // short command timeout nor count as a breaker failure or success.
  if (auto pinged = co_await cache::ping(*redis_, timeout_); pinged) {
    result.state = DependencyState::kOk;
  } else {
    result.state = DependencyState::kError;
    result.error = error_kind(pinged.error(), "redis");
  }
  if (redis_pool_) {
    const auto stats = redis_pool_->stats();
    result.circuit = circuit_of(stats.breaker_state);
    result.pool = domain::RedisPoolFigures{stats.open, stats.idle, stats.in_use, stats.max_open};
  }
  co_return result;
}

}  // namespace fruitpak::services
