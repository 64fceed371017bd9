#include "cache/redis_node_pool.hpp"

#include <boost/asio/cancellation_type.hpp>
#include <boost/asio/this_coro.hpp>

#include <spdlog/spdlog.h>

#include <utility>

namespace fruitpak::cache {
namespace {

bool has_empty_command(const std::vector<std::vector<std::string>>& commands) {
  for (const auto& args : commands) {
    if (args.empty()) return true;
  }
  return false;
}

// A write to a node that was demoted to replica (a Sentinel failover): the connection is
// to the wrong node. It is dropped like a broken one, so the next connect asks the
// sentinels again and reaches the new master.
bool is_readonly(const RedisReply& reply) { return reply.is_error() && reply.text.starts_with("READONLY"); }

bool any_readonly(const std::vector<RedisReply>& replies) {
  for (const auto& reply : replies) {
    if (is_readonly(reply)) return true;
  }
  return false;
}

Error readonly_error() {
  return make_error(Errc::kUnavailable, "redis: READONLY, the node is no longer the master (failover)");
}

}  // namespace

// One call's hold on the pool: the breaker's admission, the connection slot (if it got
// one) and the connection. The call reports its outcome once; a lease destroyed without
// a report (no slot was free, or the caller's coroutine was destroyed mid-call) counts as
// abandoned for the breaker and never returns a connection that may be mid-command.
class RedisNodePool::Lease {
 public:
  explicit Lease(RedisNodePool& pool) : pool_(&pool) {}
  Lease(Lease&& other) noexcept
      : pool_(std::exchange(other.pool_, nullptr)),
        connection_(std::move(other.connection_)),
        holds_slot_(std::exchange(other.holds_slot_, false)) {}
  Lease& operator=(Lease&&) = delete;
  ~Lease() { finish(Outcome::kAbandoned, nullptr); }

  // The slot counted in open_ that this call may fill with a new connection.
  void hold_slot() { holds_slot_ = true; }
  void hold(std::unique_ptr<RedisConnection> connection) {
    holds_slot_ = true;
    connection_ = std::move(connection);
  }
  bool has_connection() const { return connection_ != nullptr; }
  RedisConnection& connection() { return *connection_; }

  // The connection goes back to the pool, detached from this io_context.
  void succeeded() { finish(Outcome::kSuccess, nullptr); }
  // The connection is dropped. A cancelled call says nothing about Redis: it is abandoned,
  // not a breaker failure.
  void failed(const Error& error, bool is_cancelled) {
    finish(is_cancelled ? Outcome::kAbandoned : Outcome::kFailure, &error);
  }

 private:
  enum class Outcome { kSuccess, kFailure, kAbandoned };

  void finish(Outcome outcome, const Error* error) {
    RedisNodePool* pool = std::exchange(pool_, nullptr);
    if (!pool) return;
    if (holds_slot_) {
      if (outcome == Outcome::kSuccess && connection_) {
        connection_->detach();
      } else {
        connection_.reset();
      }
      pool->release(std::move(connection_));
    }
    switch (outcome) {
      case Outcome::kSuccess: pool->note_success(); break;
      case Outcome::kFailure: pool->note_failure(*error); break;
      case Outcome::kAbandoned: pool->breaker_.record_abandoned(); break;
    }
  }

  RedisNodePool* pool_;
  std::unique_ptr<RedisConnection> connection_;
  bool holds_slot_ = false;
};

RedisNodePool::RedisNodePool(config::RedisUrl url, RedisPoolOptions options, CircuitBreaker::Clock clock)
    : url_(std::move(url)), options_(options), breaker_(options.breaker, std::move(clock)) {
  idle_.reserve(options_.size);  // release() never allocates under the lock
}

RedisNodePool::~RedisNodePool() = default;

net::awaitable<Result<RedisReply>> RedisNodePool::command(std::vector<std::string> args) {
  if (args.empty()) co_return make_error(Errc::kInternal, "redis: empty command");
  auto lease = co_await acquire();
  if (!lease) co_return lease.error();
  auto reply = co_await lease->connection().command(std::move(args), options_.command_timeout);
  if (reply && is_readonly(*reply)) {
    auto error = readonly_error();
    lease->failed(error, false);
    co_return error;
  }
  if (reply) {
    lease->succeeded();
    co_return std::move(reply);
  }
  auto cancellation = co_await net::this_coro::cancellation_state;
  lease->failed(reply.error(), cancellation.cancelled() != net::cancellation_type::none);
  co_return std::move(reply);
}

net::awaitable<Result<std::vector<RedisReply>>> RedisNodePool::pipeline(
    std::vector<std::vector<std::string>> commands) {
  if (commands.empty()) co_return std::vector<RedisReply>();
  if (has_empty_command(commands)) co_return make_error(Errc::kInternal, "redis: empty command in pipeline");
  auto lease = co_await acquire();
  if (!lease) co_return lease.error();
  auto replies = co_await lease->connection().pipeline(std::move(commands), options_.command_timeout);
  if (replies && any_readonly(*replies)) {
    auto error = readonly_error();
    lease->failed(error, false);
    co_return error;
  }
  if (replies) {
    lease->succeeded();
    co_return std::move(replies);
  }
  auto cancellation = co_await net::this_coro::cancellation_state;
  lease->failed(replies.error(), cancellation.cancelled() != net::cancellation_type::none);
  co_return std::move(replies);
}

// The breaker first, so that an open circuit costs no lock and no I/O. Then an idle
// connection, or a new one while fewer than `size` are open, or kUnavailable at once.
net::awaitable<Result<RedisNodePool::Lease>> RedisNodePool::acquire() {
  if (!breaker_.allow()) co_return make_error(Errc::kUnavailable, "redis circuit open");
  Lease lease(*this);  // from here on the admission is reported, whatever happens
  bool is_exhausted = false;
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      lease.hold(std::move(idle_.back()));
      idle_.pop_back();
    } else if (open_ < options_.size) {
      ++open_;
      lease.hold_slot();
    } else {
      is_exhausted = true;
    }
  }
  if (is_exhausted) {
    exhausted_total_.fetch_add(1, std::memory_order_relaxed);
    co_return make_error(Errc::kUnavailable, "redis pool exhausted");
  }
  if (lease.has_connection()) co_return std::move(lease);
  co_return co_await open_connection(std::move(lease));
}

net::awaitable<Result<RedisNodePool::Lease>> RedisNodePool::open_connection(Lease lease) {
  auto connected = co_await RedisConnection::connect(url_, options_.connect_timeout);
  if (!connected) {
    auto cancellation = co_await net::this_coro::cancellation_state;
    lease.failed(connected.error(), cancellation.cancelled() != net::cancellation_type::none);
    co_return connected.error();
  }
  lease.hold(std::make_unique<RedisConnection>(std::move(*connected)));
  co_return std::move(lease);
}

// Takes back a leased connection, or frees its slot when `connection` is null or closed.
// A dropped connection is destroyed after the lock is released (the parameter outlives
// the guard).
void RedisNodePool::release(std::unique_ptr<RedisConnection> connection) {
  std::lock_guard lock(mutex_);
  if (connection && connection->is_open()) {
    idle_.push_back(std::move(connection));
    return;
  }
  --open_;
}

void RedisNodePool::drop_idle() {
  std::vector<std::unique_ptr<RedisConnection>> dropped;
  {
    std::lock_guard lock(mutex_);
    dropped.swap(idle_);
    open_ -= dropped.size();
    idle_.reserve(options_.size);
  }
}

void RedisNodePool::note_success() {
  if (!breaker_.record_success()) return;
  reconnects_total_.fetch_add(1, std::memory_order_relaxed);
  spdlog::info("redis {} reachable again: L2 cache resumed", url_.redacted);
  std::vector<std::function<void()>> hooks;
  {
    std::lock_guard lock(mutex_);
    hooks = reconnect_hooks_;
  }
  for (const auto& hook : hooks) hook();
}

void RedisNodePool::note_failure(const Error& error) {
  failures_total_.fetch_add(1, std::memory_order_relaxed);
  const bool opened = breaker_.record_failure();
  // A connection that saw a reset or an end of stream usually means the server went away
  // or restarted, and then every idle connection is dead too: drop them now rather than
  // fail one call per stale connection. The same once the circuit opens, so that the
  // probe starts on a fresh connection.
  if (opened || error.code == Errc::kUnavailable) drop_idle();
  if (breaker_.should_warn()) {
    spdlog::warn("redis {} unavailable ({}): L2 cache bypassed for {} ms", url_.redacted, error.detail,
                 breaker_.stats().open_for.count());
  } else {
    spdlog::debug("redis call failed: {}", error.detail);
  }
}

void RedisNodePool::on_reconnect(std::function<void()> hook) {
  std::lock_guard lock(mutex_);
  reconnect_hooks_.push_back(std::move(hook));
}

RedisPoolStats RedisNodePool::stats() const {
  RedisPoolStats out;
  {
    std::lock_guard lock(mutex_);
    out.open = open_;
    out.idle = idle_.size();
  }
  out.in_use = out.open - out.idle;
  out.max_open = options_.size;
  const auto breaker = breaker_.stats();
  out.breaker_state = breaker.state;
  out.opened_total = breaker.opened_total;
  out.rejected_total = breaker.rejected_total;
  out.exhausted_total = exhausted_total_.load(std::memory_order_relaxed);
  out.failures_total = failures_total_.load(std::memory_order_relaxed);
  out.reconnects_total = reconnects_total_.load(std::memory_order_relaxed);
  return out;
}

}  // namespace fruitpak::cache
