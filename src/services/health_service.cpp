#include "services/health_service.hpp"

#include "cache/redis_connection.hpp"
#include "db/database.hpp"
#include "util/clock.hpp"

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <spdlog/spdlog.h>

namespace fruitpak::services {
namespace {

// Checks answer "ok" or "error: <kind>"; the cause goes to the log, never to the client.
std::string state_of(const Error& e, const char* what) {
  spdlog::warn("readiness: {} check failed: {}", what, e.detail);
  return "error: " + std::string(to_string(e.code));
}

}  // namespace

HealthService::HealthService(std::string environment, db::Database& db,
                             std::optional<config::RedisUrl> redis)
    : environment_(std::move(environment)), db_(db), redis_(std::move(redis)) {}

domain::Liveness HealthService::liveness() const {
  return domain::Liveness{"FruitPAK", environment_, util::iso_utc_now()};
}

net::awaitable<domain::Readiness> HealthService::readiness() {
  domain::Readiness report;
  report.checks.push_back({"service", "ok"});
  // Each co_await is a statement of its own: GCC 12 miscompiles co_await inside ?: and
  // inside braced initialisers.
  std::string database = co_await check_database();
  std::string redis = "not configured";
  if (redis_) redis = co_await check_redis();
  report.checks.push_back({"database", std::move(database)});
  report.checks.push_back({"redis", std::move(redis)});
  report.timestamp = util::iso_utc_now();
  co_return report;
}

net::awaitable<std::string> HealthService::check_database() {
  using namespace boost::asio::experimental::awaitable_operators;
  net::steady_timer timer(co_await net::this_coro::executor, timeout_);
  auto outcome = co_await (db_.execute("SELECT 1") || timer.async_wait(use_tuple));
  if (outcome.index() == 1) co_return state_of(make_error(Errc::kTimeout, "SELECT 1 timed out"), "database");
  auto& rows = std::get<0>(outcome);
  if (!rows) co_return state_of(rows.error(), "database");
  co_return "ok";
}

net::awaitable<std::string> HealthService::check_redis() {
  auto connection = co_await cache::RedisConnection::connect(*redis_, timeout_);
  if (!connection) co_return state_of(connection.error(), "redis");
  std::vector<std::string> ping{"PING"};
  auto reply = co_await connection->command(std::move(ping), timeout_);
  if (!reply) co_return state_of(reply.error(), "redis");
  if (reply->is_error()) co_return state_of(make_error(Errc::kUnavailable, reply->text), "redis");
  co_return "ok";
}

}  // namespace fruitpak::services
