#pragma once
// One Redis node's connections: a bounded pool of RedisConnections behind a circuit
// breaker. The cache reaches Redis through RedisPool (cache/redis_pool.hpp), which holds
// one of these, or one per master of a Redis Cluster. Every failure is a value the cache
// treats as a miss; nothing here waits longer than one command timeout, so a cache call
// never makes a request slower than the database would.

#include "cache/circuit_breaker.hpp"
#include "cache/redis_connection.hpp"
#include "config/config.hpp"
#include "util/asio.hpp"
#include "util/result.hpp"

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace fruitpak::cache {

struct RedisPoolOptions {
  std::size_t size = 50;                            // at most this many connections; Requires: >= 1
  std::chrono::milliseconds command_timeout{50};    // one command or one whole pipeline
  std::chrono::milliseconds connect_timeout{200};   // resolve + connect (+ AUTH/SELECT)
  // Back-off 1 s, doubling up to 4 s: a Redis that returns is probed, and the L2 cache
  // used again, within 4 s however long it was away (issue 10, drill 1 promises the hit
  // ratio back within 5 s; the breaker's own 60 s cap meant up to a minute of bypassed
  // cache after a long outage). A probe of a dead Redis costs one connect attempt and one
  // warning per period.
  CircuitBreakerOptions breaker{.failure_threshold = 5,
                                .open_for = std::chrono::milliseconds(1000),
                                .max_open_for = std::chrono::milliseconds(4000)};
};

struct RedisPoolStats {
  std::size_t open = 0;     // idle + in use (connecting included)
  std::size_t idle = 0;
  std::size_t in_use = 0;
  std::size_t max_open = 0;  // the pool's size (a cluster: summed over the nodes it knows)
  BreakerState breaker_state = BreakerState::kClosed;
  std::uint64_t opened_total = 0;      // the breaker opened (re-openings included)
  std::uint64_t rejected_total = 0;    // calls refused because the circuit was open
  std::uint64_t exhausted_total = 0;   // calls refused because every connection was busy
  std::uint64_t failures_total = 0;    // I/O failures and timeouts, connecting included
  std::uint64_t reconnects_total = 0;  // the circuit closed again (on_reconnect hooks ran)
  // Redis Cluster only (RedisCluster::stats): redirects followed and slot maps learnt.
  std::uint64_t moved_total = 0;
  std::uint64_t ask_total = 0;
  std::uint64_t slot_maps_total = 0;
};

// Safe for concurrent use from coroutines on any number of io_contexts; one instance per
// node and process. Connections are opened lazily, up to `size`, and reused; one coroutine uses a
// connection at a time. Idle connections are detached from every io_context (see
// RedisConnection::detach), so the pool may outlive the io_contexts that called it.
// Requires: no call is in progress when the pool is destroyed.
//
// Every call fails fast, with kUnavailable and no I/O, when
//   - the circuit is open ("redis circuit open"), or
//   - every connection is in use ("redis pool exhausted": a caller never queues).
// An I/O failure or timeout drops the connection and counts as a breaker failure; a
// Redis error reply (WRONGTYPE ...) is a value and counts as a success, except READONLY
// (the node was demoted by a Sentinel failover), which is kUnavailable and handled like a
// broken connection, so that the next connect finds the new master.
//
// With a redis+sentinel:// URL every new connection asks the sentinels where the master is
// (RedisConnection::connect), so following a failover is just reconnecting.
class RedisNodePool {
 public:
  RedisNodePool(config::RedisUrl url, RedisPoolOptions options = {},
            CircuitBreaker::Clock clock = [] { return std::chrono::steady_clock::now(); });
  RedisNodePool(const RedisNodePool&) = delete;
  RedisNodePool& operator=(const RedisNodePool&) = delete;
  ~RedisNodePool();

  // One command and its reply. Errors: kUnavailable (circuit open, pool exhausted, I/O
  // failure, cannot connect), kTimeout (no reply within command_timeout), kInternal
  // (empty `args`, a bug in the caller; not a breaker failure).
  [[nodiscard]] net::awaitable<Result<RedisReply>> command(std::vector<std::string> args);

  // Every command in one write, one reply per command in order, within one
  // command_timeout. Errors as for command(); an empty `commands` succeeds without I/O.
  [[nodiscard]] net::awaitable<Result<std::vector<RedisReply>>> pipeline(
      std::vector<std::vector<std::string>> commands);

  // `hook` runs once each time the pool succeeds again after its circuit was open: the
  // cache drops L1 there, since invalidations published meanwhile may have been missed.
  // It runs on the I/O thread of the call that succeeded, so it must be quick and must
  // neither block nor throw. Safe to call at any time; register hooks before first use so
  // that none misses a recovery.
  void on_reconnect(std::function<void()> hook);

  RedisPoolStats stats() const;
  const RedisPoolOptions& options() const { return options_; }
  const config::RedisUrl& url() const { return url_; }

 private:
  class Lease;
  net::awaitable<Result<Lease>> acquire();
  net::awaitable<Result<Lease>> open_connection(Lease lease);
  void release(std::unique_ptr<RedisConnection> connection);
  void drop_idle();
  void note_success();
  void note_failure(const Error& error);

  const config::RedisUrl url_;
  const RedisPoolOptions options_;
  CircuitBreaker breaker_;
  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<RedisConnection>> idle_;  // guarded by mutex_; a stack
  std::size_t open_ = 0;                                // guarded by mutex_
  std::vector<std::function<void()>> reconnect_hooks_;  // guarded by mutex_
  std::atomic<std::uint64_t> exhausted_total_{0};
  std::atomic<std::uint64_t> failures_total_{0};
  std::atomic<std::uint64_t> reconnects_total_{0};
};

}  // namespace fruitpak::cache
