// RedisPool against the private Redis of scripts/test (FRUITPAK_TEST_REDIS_URL): round
// trips, pipelining, concurrency without queueing, timeouts, and the circuit breaker
// across a real outage (the server is stopped and started again).

#include "cache/redis_pool.hpp"
#include "support/test_env.hpp"
#include "util/run_sync.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <random>
#include <stdexcept>
#include <thread>

namespace fruitpak::cache {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

using fruitpak::testing::test_redis_url;

// Generous limits: an ASan build on a busy machine must not turn a slow round trip into a
// failure. Tests about timeouts set their own.
RedisPoolOptions relaxed_options() {
  RedisPoolOptions options;
  options.command_timeout = milliseconds(2000);
  options.connect_timeout = milliseconds(2000);
  return options;
}

Result<RedisReply> run(RedisPool& pool, std::vector<std::string> args) {
  return util::run_sync(pool.command(std::move(args)));
}

// Pings until a call succeeds or `deadline` passes, pausing `pause` between calls: how a
// test waits out an open period, which it cannot shorten.
net::awaitable<Result<RedisReply>> ping_until_ok(RedisPool& pool, Clock::time_point deadline, milliseconds pause) {
  net::steady_timer timer(co_await net::this_coro::executor);
  for (;;) {
    std::vector<std::string> ping{"PING"};
    auto reply = co_await pool.command(std::move(ping));
    if (reply || Clock::now() >= deadline) co_return reply;
    timer.expires_after(pause);
    co_await timer.async_wait(use_tuple);
  }
}

class RedisPoolTest : public ::testing::Test {
 protected:
  ~RedisPoolTest() override {
    // Each test owns its keys; delete them with a fresh pool (the test's may be broken).
    if (keys_.empty()) return;
    RedisPool cleanup(url_, relaxed_options());
    std::vector<std::string> del{"DEL"};
    del.insert(del.end(), keys_.begin(), keys_.end());
    auto deleted = run(cleanup, std::move(del));
    EXPECT_TRUE(deleted) << deleted.error().detail;
  }

  // A key private to this test run, deleted afterwards.
  std::string key(const std::string& name) {
    keys_.push_back(prefix_ + name);
    return keys_.back();
  }

  const config::RedisUrl url_ = test_redis_url();

 private:
  static std::string random_prefix() {
    std::random_device rd;
    return "fp:test:redis_pool:" + std::to_string(std::uniform_int_distribution<std::uint64_t>()(rd)) + ":";
  }
  const std::string prefix_ = random_prefix();
  std::vector<std::string> keys_;
};

TEST_F(RedisPoolTest, SetGetExpireRoundTrip) {
  RedisPool pool(url_, relaxed_options());
  const auto k = key("greeting");

  auto set = run(pool, {"SET", k, "hello"});
  ASSERT_TRUE(set) << set.error().detail;
  EXPECT_EQ(set->type, RedisReply::Type::kStatus);
  EXPECT_EQ(set->text, "OK");

  auto get = run(pool, {"GET", k});
  ASSERT_TRUE(get) << get.error().detail;
  EXPECT_EQ(get->type, RedisReply::Type::kString);
  EXPECT_EQ(get->text, "hello");

  auto expire = run(pool, {"EXPIRE", k, "100"});
  ASSERT_TRUE(expire) << expire.error().detail;
  EXPECT_EQ(expire->type, RedisReply::Type::kInteger);
  EXPECT_EQ(expire->integer, 1);

  auto ttl = run(pool, {"TTL", k});
  ASSERT_TRUE(ttl) << ttl.error().detail;
  EXPECT_GT(ttl->integer, 0);
  EXPECT_LE(ttl->integer, 100);

  auto missing = run(pool, {"GET", key("missing")});
  ASSERT_TRUE(missing) << missing.error().detail;
  EXPECT_EQ(missing->type, RedisReply::Type::kNil);

  // One connection served every call, one after the other.
  const auto stats = pool.stats();
  EXPECT_EQ(stats.open, 1u);
  EXPECT_EQ(stats.idle, 1u);
  EXPECT_EQ(stats.in_use, 0u);
  EXPECT_EQ(stats.breaker_state, BreakerState::kClosed);
}

TEST_F(RedisPoolTest, ErrorReplyIsAValueNotABreakerFailure) {
  auto options = relaxed_options();
  options.breaker.failure_threshold = 1;
  RedisPool pool(url_, options);
  const auto k = key("string");
  ASSERT_TRUE(run(pool, {"SET", k, "x"}));

  auto wrong = run(pool, {"LPUSH", k, "y"});
  ASSERT_TRUE(wrong) << wrong.error().detail;
  EXPECT_TRUE(wrong->is_error());
  EXPECT_EQ(wrong->text.rfind("WRONGTYPE", 0), 0u) << wrong->text;

  const auto stats = pool.stats();
  EXPECT_EQ(stats.breaker_state, BreakerState::kClosed);
  EXPECT_EQ(stats.failures_total, 0u);
  EXPECT_EQ(stats.idle, 1u);  // the connection was kept
}

TEST_F(RedisPoolTest, EmptyCommandIsAnInternalErrorWithoutIo) {
  auto options = relaxed_options();
  options.breaker.failure_threshold = 1;
  RedisPool pool(url_, options);
  auto reply = run(pool, {});
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().code, Errc::kInternal);
  std::vector<std::vector<std::string>> commands{{"PING"}, {}};
  auto replies = util::run_sync(pool.pipeline(std::move(commands)));
  ASSERT_FALSE(replies);
  EXPECT_EQ(replies.error().code, Errc::kInternal);
  EXPECT_EQ(pool.stats().open, 0u);
  EXPECT_EQ(pool.stats().breaker_state, BreakerState::kClosed);
}

TEST_F(RedisPoolTest, PipelineOfHundredCommandsRepliesInOrder) {
  RedisPool pool(url_, relaxed_options());
  const auto list = key("list");
  std::vector<std::vector<std::string>> commands;
  for (int i = 0; i < 100; ++i) commands.push_back({"RPUSH", list, "v" + std::to_string(i)});

  auto replies = util::run_sync(pool.pipeline(std::move(commands)));
  ASSERT_TRUE(replies) << replies.error().detail;
  ASSERT_EQ(replies->size(), 100u);
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ((*replies)[i].type, RedisReply::Type::kInteger) << i;
    EXPECT_EQ((*replies)[i].integer, i + 1) << i;  // each RPUSH answers the new length
  }

  auto range = run(pool, {"LRANGE", list, "0", "-1"});
  ASSERT_TRUE(range) << range.error().detail;
  ASSERT_EQ(range->elements.size(), 100u);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(range->elements[i].text, "v" + std::to_string(i));
  EXPECT_EQ(pool.stats().open, 1u);
}

TEST_F(RedisPoolTest, PipelineKeepsAnErrorReplyInItsSlot) {
  RedisPool pool(url_, relaxed_options());
  const auto k = key("string");
  std::vector<std::vector<std::string>> commands{{"SET", k, "x"}, {"LPUSH", k, "y"}, {"GET", k}};
  auto replies = util::run_sync(pool.pipeline(std::move(commands)));
  ASSERT_TRUE(replies) << replies.error().detail;
  ASSERT_EQ(replies->size(), 3u);
  EXPECT_EQ((*replies)[0].text, "OK");
  EXPECT_TRUE((*replies)[1].is_error());
  EXPECT_EQ((*replies)[2].text, "x");
  EXPECT_EQ(pool.stats().failures_total, 0u);
}

TEST_F(RedisPoolTest, EmptyPipelineSucceedsWithoutIo) {
  RedisPool pool(url_, relaxed_options());
  auto replies = util::run_sync(pool.pipeline({}));
  ASSERT_TRUE(replies) << replies.error().detail;
  EXPECT_TRUE(replies->empty());
  EXPECT_EQ(pool.stats().open, 0u);
}

// Each run_sync runs on its own io_context, destroyed when it returns: the idle
// connection must belong to none of them (ASan reports a socket outliving its context).
TEST_F(RedisPoolTest, IdleConnectionsOutliveTheIoContextsThatUsedThem) {
  RedisPool pool(url_, relaxed_options());
  const auto k = key("counter");
  for (int i = 1; i <= 5; ++i) {
    auto reply = run(pool, {"INCR", k});
    ASSERT_TRUE(reply) << reply.error().detail;
    EXPECT_EQ(reply->integer, i);
    EXPECT_EQ(pool.stats().open, 1u);
  }
}

TEST_F(RedisPoolTest, TimeoutDropsTheConnectionAndCountsAsAFailure) {
  auto options = relaxed_options();
  options.command_timeout = milliseconds(100);
  RedisPool pool(url_, options);
  // BLPOP on an empty list holds the reply back for 2 s, well past the timeout.
  const auto start = Clock::now();
  auto blocked = run(pool, {"BLPOP", key("empty"), "2"});
  const auto elapsed = Clock::now() - start;
  ASSERT_FALSE(blocked);
  EXPECT_EQ(blocked.error().code, Errc::kTimeout) << blocked.error().detail;
  EXPECT_LT(elapsed, milliseconds(1500));

  auto stats = pool.stats();
  EXPECT_EQ(stats.open, 0u);  // dropped: its reply may still arrive
  EXPECT_EQ(stats.failures_total, 1u);
  EXPECT_EQ(stats.breaker_state, BreakerState::kClosed);  // 1 of 5

  auto after = run(pool, {"PING"});  // a new connection
  ASSERT_TRUE(after) << after.error().detail;
  EXPECT_EQ(after->text, "PONG");
}

TEST_F(RedisPoolTest, CancelledCallDropsItsConnectionWithoutABreakerFailure) {
  using namespace boost::asio::experimental::awaitable_operators;
  auto options = relaxed_options();
  options.breaker.failure_threshold = 1;
  RedisPool pool(url_, options);
  const auto list = key("empty");
  auto race = [&]() -> net::awaitable<bool> {
    net::steady_timer timer(co_await net::this_coro::executor, milliseconds(100));
    std::vector<std::string> blpop{"BLPOP", list, "2"};
    auto winner = co_await (pool.command(std::move(blpop)) || timer.async_wait(use_tuple));
    co_return winner.index() == 1;
  };
  EXPECT_TRUE(util::run_sync(race()));

  const auto stats = pool.stats();
  EXPECT_EQ(stats.open, 0u);  // mid-command: never reused
  EXPECT_EQ(stats.failures_total, 0u);
  EXPECT_EQ(stats.breaker_state, BreakerState::kClosed);
  auto after = run(pool, {"PING"});
  ASSERT_TRUE(after) << after.error().detail;
}

struct CallOutcome {
  bool is_done = false;
  bool is_ok = false;
  Error error;
  Clock::duration elapsed{};
};

// Five INCRs one after the other, each outcome recorded in its own slot.
net::awaitable<void> incr_five_times(RedisPool* pool, std::string key, CallOutcome* outcomes) {
  for (int i = 0; i < 5; ++i) {
    const auto start = Clock::now();
    std::vector<std::string> incr{"INCR", key};
    auto reply = co_await pool->command(std::move(incr));
    outcomes[i].elapsed = Clock::now() - start;
    outcomes[i].is_done = true;
    outcomes[i].is_ok = static_cast<bool>(reply);
    if (!reply) outcomes[i].error = reply.error();
  }
}

TEST_F(RedisPoolTest, ConcurrentCallersOnTwoThreadsSucceedOrFailFast) {
  auto options = relaxed_options();
  options.size = 8;
  RedisPool pool(url_, options);
  const auto counter = key("counter");
  constexpr int kCoroutinesPerThread = 100;
  constexpr int kCallsPerCoroutine = 5;
  constexpr int kCalls = 2 * kCoroutinesPerThread * kCallsPerCoroutine;
  std::vector<CallOutcome> outcomes(kCalls);
  std::atomic<int> exceptions{0};

  net::io_context first{1};
  net::io_context second{1};
  for (int c = 0; c < 2 * kCoroutinesPerThread; ++c) {
    auto& context = c < kCoroutinesPerThread ? first : second;
    net::co_spawn(context, incr_five_times(&pool, counter, &outcomes[c * kCallsPerCoroutine]),
                  [&exceptions](std::exception_ptr e) {
                    if (e) exceptions.fetch_add(1);
                  });
  }
  // A bound instead of run(): a call that hangs shows up as "not done" below.
  std::thread other([&second] { second.run_for(std::chrono::seconds(30)); });
  first.run_for(std::chrono::seconds(30));
  other.join();

  EXPECT_EQ(exceptions.load(), 0);
  int ok = 0;
  int exhausted = 0;
  for (const auto& outcome : outcomes) {
    ASSERT_TRUE(outcome.is_done) << "a call never completed";
    if (outcome.is_ok) {
      ++ok;
      continue;
    }
    EXPECT_EQ(outcome.error.code, Errc::kUnavailable) << outcome.error.detail;
    EXPECT_EQ(outcome.error.detail, "redis pool exhausted");
    EXPECT_LT(outcome.elapsed, milliseconds(100)) << "an exhausted pool must answer at once";
    ++exhausted;
  }
  EXPECT_EQ(ok + exhausted, kCalls);
  EXPECT_GE(ok, 8);  // at least the first round on every connection

  const auto stats = pool.stats();
  EXPECT_LE(stats.open, 8u);
  EXPECT_EQ(stats.in_use, 0u);
  EXPECT_EQ(stats.exhausted_total, static_cast<std::uint64_t>(exhausted));
  EXPECT_EQ(stats.failures_total, 0u);
  EXPECT_EQ(stats.breaker_state, BreakerState::kClosed);

  // Every successful INCR was applied exactly once.
  auto total = run(pool, {"GET", counter});
  ASSERT_TRUE(total) << total.error().detail;
  EXPECT_EQ(total->text, std::to_string(ok));
}

// Starts the test Redis again however the test ends (a no-op if it is running).
struct RedisRestarter {
  ~RedisRestarter() { fruitpak::testing::run_env_command("FRUITPAK_TEST_REDIS_START"); }
};

TEST_F(RedisPoolTest, RedisDownOpensTheCircuitAndRecoveryReconnectsOnce) {
  RedisPoolOptions options;
  options.size = 4;
  options.command_timeout = milliseconds(250);
  options.connect_timeout = milliseconds(250);
  options.breaker.failure_threshold = 3;
  options.breaker.open_for = milliseconds(1000);
  options.breaker.max_open_for = milliseconds(4000);
  RedisPool pool(url_, options);
  std::atomic<int> reconnects{0};
  pool.on_reconnect([&reconnects] { reconnects.fetch_add(1); });
  ASSERT_TRUE(run(pool, {"PING"}));

  RedisRestarter restarter;
  fruitpak::testing::run_env_command("FRUITPAK_TEST_REDIS_STOP");

  // Each call fails within its timeouts; the third failure opens the circuit.
  for (int i = 0; i < 3; ++i) {
    const auto start = Clock::now();
    auto reply = run(pool, {"PING"});
    const auto elapsed = Clock::now() - start;
    ASSERT_FALSE(reply) << "call " << i;
    EXPECT_TRUE(reply.error().code == Errc::kUnavailable || reply.error().code == Errc::kTimeout)
        << reply.error().detail;
    EXPECT_LT(elapsed, options.connect_timeout + options.command_timeout + milliseconds(250)) << i;
  }
  auto stats = pool.stats();
  ASSERT_EQ(stats.breaker_state, BreakerState::kOpen);
  EXPECT_EQ(stats.opened_total, 1u);
  EXPECT_EQ(stats.failures_total, 3u);
  EXPECT_EQ(stats.open, 0u);

  // While open: refused at once, no connection attempted (no new failure counted).
  for (int i = 0; i < 20; ++i) {
    const auto start = Clock::now();
    auto reply = run(pool, {"PING"});
    const auto elapsed = Clock::now() - start;
    ASSERT_FALSE(reply);
    EXPECT_EQ(reply.error().code, Errc::kUnavailable);
    EXPECT_EQ(reply.error().detail, "redis circuit open");
    EXPECT_LT(elapsed, milliseconds(50)) << i;
  }
  stats = pool.stats();
  EXPECT_EQ(stats.failures_total, 3u);
  EXPECT_EQ(stats.rejected_total, 20u);
  EXPECT_EQ(stats.open, 0u);

  fruitpak::testing::run_env_command("FRUITPAK_TEST_REDIS_START");
  EXPECT_EQ(reconnects.load(), 0);

  // Once the open period is over, the probe reconnects and closes the circuit.
  auto recovered = util::run_sync(ping_until_ok(pool, Clock::now() + std::chrono::seconds(15), milliseconds(20)));
  ASSERT_TRUE(recovered) << recovered.error().detail;
  EXPECT_EQ(recovered->text, "PONG");
  EXPECT_EQ(reconnects.load(), 1);
  stats = pool.stats();
  EXPECT_EQ(stats.breaker_state, BreakerState::kClosed);
  EXPECT_EQ(stats.reconnects_total, 1u);

  const auto k = key("after");
  ASSERT_TRUE(run(pool, {"SET", k, "back"}));
  auto get = run(pool, {"GET", k});
  ASSERT_TRUE(get) << get.error().detail;
  EXPECT_EQ(get->text, "back");
  EXPECT_EQ(reconnects.load(), 1);
}

}  // namespace
}  // namespace fruitpak::cache
