#pragma once
// A bounded pool of connections shared by every I/O thread. acquire() waits at most the
// acquire timeout for a free connection and then fails with kTimeout. Connections that are
// broken or left inside a transaction are destroyed on return, never reused.
// Safe for concurrent use from any executor; one instance per Database.

#include "db/connection.hpp"
#include "util/histogram.hpp"
#include "util/query_counter.hpp"

#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <vector>

namespace fruitpak::db {

class Pool;

// Exclusive use of one connection; returns it to the pool when destroyed. Move-only.
class Lease {
 public:
  Lease(Pool* pool, std::unique_ptr<Connection> connection, util::QueryCounter* counter)
      : pool_(pool), connection_(std::move(connection)), counter_(counter) {}
  Lease(Lease&& other) noexcept = default;
  Lease& operator=(Lease&& other) noexcept;
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  ~Lease();

  [[nodiscard]] net::awaitable<Result<Rows>> execute(std::string_view sql, Params params = {});
  [[nodiscard]] net::awaitable<Result<void>> execute_script(std::string_view sql);
  [[nodiscard]] net::awaitable<Result<std::int64_t>> bulk_insert(const BulkRows& rows);

 private:
  void give_back();
  Pool* pool_;
  std::unique_ptr<Connection> connection_;
  util::QueryCounter* counter_;
};

struct PoolOptions {
  std::size_t max_size = 20;
  std::chrono::milliseconds acquire_timeout{5000};
};

struct PoolStats {
  std::size_t open = 0;     // idle + leased + being opened
  std::size_t idle = 0;
  std::size_t waiting = 0;  // coroutines waiting for a connection
  std::size_t max_size = 0;            // the configured maximum (DB_POOL_SIZE)
  std::uint64_t waits_total = 0;       // acquires that had to wait for a connection
  std::uint64_t timeouts_total = 0;    // acquires that gave up after the acquire timeout
};

class Pool {
 public:
  using Connector = std::function<net::awaitable<Result<std::unique_ptr<Connection>>>()>;

  Pool(Connector connect, PoolOptions options);
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;
  ~Pool();

  // Returns kTimeout when no connection frees up within the acquire timeout, or the
  // connector's error (kUnavailable) when a new connection cannot be opened.
  [[nodiscard]] net::awaitable<Result<Lease>> acquire(util::QueryCounter* counter = nullptr);

  PoolStats stats() const;
  // Latency of every statement run through a Lease (Database::execute included), from the
  // call to its result: the engine's time plus the driver's, not the wait for a connection.
  const util::LatencyHistogram& query_latency() const { return query_latency_; }

 private:
  friend class Lease;
  struct Waiter;

  void release(std::unique_ptr<Connection> connection);
  net::awaitable<Result<Lease>> open_new(util::QueryCounter* counter);

  Connector connect_;
  PoolOptions options_;
  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<Connection>> idle_;
  std::size_t open_ = 0;
  std::list<std::shared_ptr<Waiter>> waiters_;
  std::atomic<std::uint64_t> waits_total_{0};
  std::atomic<std::uint64_t> timeouts_total_{0};
  util::LatencyHistogram query_latency_;
};

}  // namespace fruitpak::db
