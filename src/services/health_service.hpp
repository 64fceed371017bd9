#pragma once
// Liveness and readiness of this instance. Readiness checks the database (SELECT 1) and,
// when configured, Redis (PING on a fresh connection), each within a short deadline, and
// reports the database pool and the cache's Redis pool and circuit breaker as they are.
// Only the database decides readiness: Redis down degrades the instance (the cache falls
// back to the database, revocations to polling) but leaves it ready.
// Safe for concurrent use.

#include "config/config.hpp"
#include "domain/health.hpp"
#include "util/asio.hpp"

#include <chrono>
#include <optional>

namespace fruitpak::db {
class Database;
}
namespace fruitpak::cache {
class RedisPool;
}

namespace fruitpak::services {

class HealthService {
 public:
  // `redis_pool` is the cache's pool, null when the cache does not use Redis; it must
  // outlive the service. Keeps ENVIRONMENT and REDIS_URL of `config`, nothing else.
  HealthService(const config::Config& config, db::Database& db, const cache::RedisPool* redis_pool);

  domain::Liveness liveness() const;
  net::awaitable<domain::Readiness> readiness();

 private:
  net::awaitable<domain::DatabaseReadiness> check_database();
  net::awaitable<domain::RedisReadiness> check_redis();

  std::string environment_;
  db::Database& db_;
  std::optional<config::RedisUrl> redis_;
  const cache::RedisPool* redis_pool_;
  std::chrono::milliseconds timeout_{2000};
};

}  // namespace fruitpak::services
