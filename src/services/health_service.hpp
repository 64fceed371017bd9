#pragma once
// Liveness and readiness of this instance. Readiness checks the database (SELECT 1) and,
// when configured, Redis (PING on a fresh connection), each within a short deadline.
// Safe for concurrent use.

#include "config/config.hpp"
#include "domain/health.hpp"
#include "util/asio.hpp"

#include <chrono>
#include <optional>

namespace fruitpak::db {
class Database;
}

namespace fruitpak::services {

class HealthService {
 public:
  HealthService(std::string environment, db::Database& db, std::optional<config::RedisUrl> redis);

  domain::Liveness liveness() const;
  net::awaitable<domain::Readiness> readiness();

 private:
  net::awaitable<std::string> check_database();
  net::awaitable<std::string> check_redis();

  std::string environment_;
  db::Database& db_;
  std::optional<config::RedisUrl> redis_;
  std::chrono::milliseconds timeout_{2000};
};

}  // namespace fruitpak::services
