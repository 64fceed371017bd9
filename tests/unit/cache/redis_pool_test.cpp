// RedisPool's defaults, without a Redis: the breaker back-off the L2 pool uses must bring
// a returning Redis back quickly whatever the outage's length (issue 10, drill 1:
// bench/drills/redis_kill). The pool against a real Redis is tested in
// tests/integration/cache/redis_pool_redistest.cpp.
#include "cache/redis_pool.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace fruitpak::cache {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// Regression: with the breaker's general defaults (5 s doubling to 60 s), Redis back 10 s
// after a SIGKILL was used again only ~5 s later, and after a long outage up to 60 s later.
TEST(RedisPoolOptionsTest, ReturningRedisIsProbedWithinFourSecondsAfterAnyOutage) {
  const RedisPoolOptions options;
  std::chrono::steady_clock::time_point now{seconds(1000)};
  CircuitBreaker breaker(options.breaker, [&now] { return now; });

  for (int i = 0; i < options.breaker.failure_threshold; ++i) {
    ASSERT_TRUE(breaker.allow());
    breaker.record_failure();
  }
  ASSERT_EQ(breaker.state(), BreakerState::kOpen);
  // Ten minutes of failed probes: the wait before the next probe never exceeds 4 s.
  const auto outage_end = now + std::chrono::minutes(10);
  while (now < outage_end) {
    const auto opened_at = now;
    while (!breaker.allow()) now += milliseconds(100);
    EXPECT_LE(now - opened_at, seconds(4)) << "probe came too late";
    breaker.record_failure();  // Redis still down
  }
  // Redis is back right after a failed probe (the worst moment): the next probe, within
  // 4 s, succeeds and closes the circuit.
  const auto back = now;
  while (!breaker.allow()) now += milliseconds(100);
  EXPECT_LE(now - back, seconds(4));
  EXPECT_TRUE(breaker.record_success());
  EXPECT_EQ(breaker.state(), BreakerState::kClosed);
}

TEST(RedisPoolOptionsTest, FirstProbeComesOneSecondAfterTheCircuitOpens) {
  const RedisPoolOptions options;
  std::chrono::steady_clock::time_point now{seconds(1000)};
  CircuitBreaker breaker(options.breaker, [&now] { return now; });
  for (int i = 0; i < options.breaker.failure_threshold; ++i) {
    ASSERT_TRUE(breaker.allow());
    breaker.record_failure();
  }
  now += milliseconds(999);
  EXPECT_FALSE(breaker.allow());
  now += milliseconds(1);
  EXPECT_TRUE(breaker.allow());
}

}  // namespace
}  // namespace fruitpak::cache
