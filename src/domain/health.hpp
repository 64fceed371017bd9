#pragma once
// Liveness and readiness as the contract gives them (section 1.8, decision D4), plus the
// per-dependency detail of issue 9 (pool figures, the Redis circuit breaker).

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace fruitpak::domain {

struct Liveness {
  std::string service = "FruitPAK";
  std::string environment;
  std::string timestamp;  // naive UTC ISO
};

struct ReadinessCheck {
  std::string name;   // "service", "database", "redis"
  std::string state;  // "ok", "error: unavailable", "not configured"
  // A required check that fails makes the instance not ready (503). An optional one (Redis:
  // the cache falls back to the database, revocations to polling) only degrades it.
  bool is_required = true;
};

enum class DependencyState { kOk, kError, kNotConfigured };
enum class CircuitState { kClosed, kOpen, kHalfOpen };

struct DatabasePoolFigures {
  std::size_t open = 0;     // idle + in use (being opened included)
  std::size_t idle = 0;
  std::size_t in_use = 0;
  std::size_t waiting = 0;  // coroutines waiting for a connection
  std::size_t max = 0;
};

struct DatabaseReadiness {
  DependencyState state = DependencyState::kOk;
  std::string error;        // the error kind ("unavailable", "timeout") when state is kError
  double latency_ms = 0;    // of the SELECT 1 (the deadline when it timed out)
  std::string engine;       // "sqlite" or "postgresql"
  DatabasePoolFigures pool;
};

struct RedisPoolFigures {
  std::size_t open = 0;     // idle + in use (connecting included)
  std::size_t idle = 0;
  std::size_t in_use = 0;
  std::size_t max = 0;
};

struct RedisReadiness {
  DependencyState state = DependencyState::kNotConfigured;
  std::string error;        // the error kind when state is kError
  // The cache's connection pool and its circuit breaker; absent when the cache does not
  // use Redis (REDIS_URL unset, or CACHE_ENABLED=0).
  std::optional<CircuitState> circuit;
  std::optional<RedisPoolFigures> pool;
};

enum class ReadinessStatus {
  kHealthy,    // every check ok (or not configured)
  kDegraded,   // every required check ok, an optional one failing: still ready (200)
  kUnhealthy,  // a required check failing: not ready (503)
};

struct Readiness {
  std::vector<ReadinessCheck> checks;
  DatabaseReadiness database;
  RedisReadiness redis;
  std::string timestamp;

  ReadinessStatus status() const;
  // Ready to take traffic: no required check reports an error.
  bool is_ready() const { return status() != ReadinessStatus::kUnhealthy; }
};

}  // namespace fruitpak::domain
