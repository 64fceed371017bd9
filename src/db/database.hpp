#pragma once
// The one database interface the services use, whatever the engine. Owns the pool.
// Safe for concurrent use; one instance per process.

#include "config/config.hpp"
#include "db/pool.hpp"
#include "util/blocking_pool.hpp"

#include <memory>
#include <type_traits>

namespace fruitpak::db {

enum class Engine { kSqlite, kPostgres };

namespace detail {
template <class A> struct awaitable_value;
template <class T> struct awaitable_value<net::awaitable<T>> { using type = T; };
}  // namespace detail

class Database {
 public:
  Database(Engine engine, std::unique_ptr<Pool> pool) : engine_(engine), pool_(std::move(pool)) {}

  Engine engine() const { return engine_; }
  PoolStats pool_stats() const { return pool_->stats(); }
  const util::LatencyHistogram& query_latency() const { return pool_->query_latency(); }

  [[nodiscard]] net::awaitable<Result<Lease>> acquire(util::QueryCounter* counter = nullptr) {
    return pool_->acquire(counter);
  }

  // One statement on a pooled connection.
  [[nodiscard]] net::awaitable<Result<Rows>> execute(std::string_view sql, Params params = {},
                                                     util::QueryCounter* counter = nullptr);

  // Runs `work(Lease&) -> awaitable<Result<T>>` inside a transaction: commits if it returns
  // a value, rolls back if it returns an error. If it throws, the connection is discarded
  // (the server rolls back), never reused. SQLite write transactions start IMMEDIATE so two
  // writers never deadlock on lock upgrade.
  template <class Work>
  auto transaction(Work work, util::QueryCounter* counter = nullptr)
      -> std::invoke_result_t<Work&, Lease&> {
    using R = typename detail::awaitable_value<std::invoke_result_t<Work&, Lease&>>::type;
    auto lease = co_await acquire(counter);
    if (!lease) co_return R(lease.error());
    auto begun = co_await lease->execute(begin_statement());
    if (!begun) co_return R(begun.error());
    R result = co_await work(*lease);
    if (!result) {
      (void)co_await lease->execute("ROLLBACK");
      co_return result;
    }
    auto committed = co_await lease->execute("COMMIT");
    if (!committed) co_return R(committed.error());
    co_return result;
  }

 private:
  const char* begin_statement() const {
    return engine_ == Engine::kSqlite ? "BEGIN IMMEDIATE" : "BEGIN";
  }

  Engine engine_;
  std::unique_ptr<Pool> pool_;
};

// Builds the engine that DATABASE_URL names. Opens no connection yet (the first acquire
// does); the `blocking` pool must outlive the Database.
std::unique_ptr<Database> open_database(const config::Config& config, util::BlockingPool& blocking);

}  // namespace fruitpak::db
