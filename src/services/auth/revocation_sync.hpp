#pragma once
// Keeps every instance's RevocationRegistry current. A revocation made here is stored in
// the database by the caller, added to the local registry, and announced on the Redis
// channel "fp:revocations" so other instances see it within a second. As a fallback for
// missed messages (or no Redis at all), the database is polled for recent revocations.
// Redis being down never fails a request: announcements are best effort and logged.
// Safe for concurrent use.

#include "config/config.hpp"
#include "services/auth/revocation_registry.hpp"
#include "util/asio.hpp"
#include "util/log_throttle.hpp"
#include "util/result.hpp"

#include <atomic>
#include <chrono>
#include <optional>
#include <string>

namespace fruitpak::db {
class Database;
}

namespace fruitpak::services::auth {

class RevocationSync {
 public:
  static constexpr const char* kChannel = "fp:revocations";  // visible to other instances

  RevocationSync(db::Database& db, RevocationRegistry& registry, std::optional<config::RedisUrl> redis,
                 std::chrono::milliseconds poll_interval);

  // Loads every revoked session that has not expired. A start-up step.
  [[nodiscard]] net::awaitable<Result<std::size_t>> load();

  // Starts the poll loop and, with Redis, the listener, on `executor`.
  void start(net::any_io_executor executor);

  // A session revoked by this instance: into the registry now, to other instances soon.
  void revoked(const std::string& session_id, std::int64_t expires_epoch);

  RevocationRegistry& registry() { return registry_; }

 private:
  net::awaitable<void> poll_loop();
  net::awaitable<void> listen_loop();
  net::awaitable<void> publish(std::string message);
  void warn_redis(const std::string& what);

  db::Database& db_;
  RevocationRegistry& registry_;
  std::optional<config::RedisUrl> redis_;
  std::chrono::milliseconds poll_interval_;
  std::optional<net::any_io_executor> executor_;
  util::LogThrottle redis_warnings_{std::chrono::seconds(30)};  // one warning per 30 s, not per attempt
};

}  // namespace fruitpak::services::auth
