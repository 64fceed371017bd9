#include "db/pool.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>

namespace fruitpak::db {

// A coroutine parked in acquire(). release() hands it a connection (or the right to open
// one) under the pool mutex and then cancels its timer on the timer's own executor.
struct Pool::Waiter {
  explicit Waiter(net::any_io_executor executor) : timer(std::move(executor)) {}
  net::steady_timer timer;
  std::unique_ptr<Connection> handed;
  bool may_open = false;
};

Lease& Lease::operator=(Lease&& other) noexcept {
  if (this != &other) {
    give_back();
    pool_ = other.pool_;
    connection_ = std::move(other.connection_);
    counter_ = other.counter_;
  }
  return *this;
}

Lease::~Lease() { give_back(); }

void Lease::give_back() {
  if (connection_ && pool_) pool_->release(std::move(connection_));
}

net::awaitable<Result<Rows>> Lease::execute(std::string_view sql, Params params) {
  if (counter_) ++counter_->count;
  const auto started = std::chrono::steady_clock::now();
  auto result = co_await connection_->execute(sql, params);
  if (pool_) pool_->query_latency_.observe(std::chrono::steady_clock::now() - started);
  co_return std::move(result);
}

net::awaitable<Result<void>> Lease::execute_script(std::string_view sql) {
  if (counter_) ++counter_->count;
  const auto started = std::chrono::steady_clock::now();
  auto result = co_await connection_->execute_script(sql);
  if (pool_) pool_->query_latency_.observe(std::chrono::steady_clock::now() - started);
  co_return std::move(result);
}

net::awaitable<Result<std::int64_t>> Lease::bulk_insert(const BulkRows& rows) {
  if (counter_) ++counter_->count;
  const auto started = std::chrono::steady_clock::now();
  auto result = co_await connection_->bulk_insert(rows);
  if (pool_) pool_->query_latency_.observe(std::chrono::steady_clock::now() - started);
  co_return std::move(result);
}

Pool::Pool(Connector connect, PoolOptions options)
    : connect_(std::move(connect)), options_(options) {}

Pool::~Pool() = default;

PoolStats Pool::stats() const {
  std::lock_guard lock(mutex_);
  return PoolStats{open_,
                   idle_.size(),
                   waiters_.size(),
                   options_.max_size,
                   waits_total_.load(std::memory_order_relaxed),
                   timeouts_total_.load(std::memory_order_relaxed)};
}

net::awaitable<Result<Lease>> Pool::open_new(util::QueryCounter* counter) {
  auto connection = co_await connect_();
  if (!connection) {
    std::shared_ptr<Waiter> next;
    {
      std::lock_guard lock(mutex_);
      --open_;
      // The slot we reserved is free again: let the next waiter try to open one.
      if (!waiters_.empty()) {
        next = waiters_.front();
        waiters_.pop_front();
        next->may_open = true;
        ++open_;
      }
    }
    if (next) net::post(next->timer.get_executor(), [next] { next->timer.cancel(); });
    co_return connection.error();
  }
  co_return Lease(this, std::move(*connection), counter);
}

net::awaitable<Result<Lease>> Pool::acquire(util::QueryCounter* counter) {
  std::vector<std::unique_ptr<Connection>> dead;  // destroyed outside the lock
  std::shared_ptr<Waiter> waiter;
  {
    std::unique_lock lock(mutex_);
    while (!idle_.empty()) {
      auto connection = std::move(idle_.back());
      idle_.pop_back();
      if (connection->is_reusable()) {
        lock.unlock();
        dead.clear();
        co_return Lease(this, std::move(connection), counter);
      }
      --open_;
      dead.push_back(std::move(connection));
    }
    if (open_ < options_.max_size) {
      ++open_;
      lock.unlock();
      dead.clear();
      co_return co_await open_new(counter);
    }
    waiter = std::make_shared<Waiter>(co_await net::this_coro::executor);
    waiter->timer.expires_after(options_.acquire_timeout);
    waiters_.push_back(waiter);
    waits_total_.fetch_add(1, std::memory_order_relaxed);
  }
  dead.clear();

  co_await waiter->timer.async_wait(use_tuple);  // expiry or cancel: the state says which

  std::unique_lock lock(mutex_);
  if (waiter->handed) {
    auto connection = std::move(waiter->handed);
    lock.unlock();
    co_return Lease(this, std::move(connection), counter);
  }
  if (waiter->may_open) {
    lock.unlock();
    co_return co_await open_new(counter);
  }
  waiters_.remove(waiter);
  timeouts_total_.fetch_add(1, std::memory_order_relaxed);
  co_return make_error(Errc::kTimeout, "database pool exhausted: no connection within " +
                                           std::to_string(options_.acquire_timeout.count()) +
                                           " ms");
}

void Pool::release(std::unique_ptr<Connection> connection) {
  const bool reusable = connection->is_reusable();
  std::shared_ptr<Waiter> next;
  {
    std::lock_guard lock(mutex_);
    if (!waiters_.empty()) {
      next = waiters_.front();
      waiters_.pop_front();
      if (reusable) {
        next->handed = std::move(connection);
      } else {
        next->may_open = true;  // the slot passes on; open_ is unchanged
      }
    } else if (reusable) {
      idle_.push_back(std::move(connection));
    } else {
      --open_;
    }
  }
  if (next) net::post(next->timer.get_executor(), [next] { next->timer.cancel(); });
  // A broken connection (if any) is destroyed here, outside the lock.
}

}  // namespace fruitpak::db
