#include "cache/circuit_breaker.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <thread>
#include <vector>

namespace fruitpak::cache {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// A clock the test moves by hand; the breaker reads it only under its own lock, and the
// tests move it between calls on the same thread.
struct FakeClock {
  std::chrono::steady_clock::time_point now{seconds(1000)};
  CircuitBreaker::Clock source() {
    return [this] { return now; };
  }
};

class CircuitBreakerTest : public ::testing::Test {
 protected:
  void fail_times(CircuitBreaker& breaker, int n) {
    for (int i = 0; i < n; ++i) {
      ASSERT_TRUE(breaker.allow()) << "failure " << i;
      breaker.record_failure();
    }
  }

  FakeClock clock_;
};

TEST_F(CircuitBreakerTest, StaysClosedBelowTheThreshold) {
  CircuitBreaker breaker({}, clock_.source());
  fail_times(breaker, 4);
  EXPECT_EQ(breaker.state(), BreakerState::kClosed);
  EXPECT_TRUE(breaker.allow());
  EXPECT_EQ(breaker.stats().consecutive_failures, 4);
  EXPECT_EQ(breaker.stats().opened_total, 0u);
}

TEST_F(CircuitBreakerTest, OpensAfterThresholdConsecutiveFailures) {
  CircuitBreaker breaker({}, clock_.source());
  for (int i = 0; i < 4; ++i) EXPECT_FALSE(breaker.record_failure()) << i;
  EXPECT_TRUE(breaker.record_failure());  // the fifth opens it
  EXPECT_EQ(breaker.state(), BreakerState::kOpen);
  EXPECT_FALSE(breaker.allow());
  EXPECT_FALSE(breaker.allow());
  const auto stats = breaker.stats();
  EXPECT_EQ(stats.opened_total, 1u);
  EXPECT_EQ(stats.rejected_total, 2u);
}

TEST_F(CircuitBreakerTest, ThresholdIsConfigurable) {
  CircuitBreaker breaker({.failure_threshold = 1}, clock_.source());
  EXPECT_TRUE(breaker.record_failure());
  EXPECT_EQ(breaker.state(), BreakerState::kOpen);
}

TEST_F(CircuitBreakerTest, SuccessResetsTheConsecutiveFailureCount) {
  CircuitBreaker breaker({}, clock_.source());
  fail_times(breaker, 4);
  EXPECT_FALSE(breaker.record_success());  // closed stays closed: not a recovery
  fail_times(breaker, 4);
  EXPECT_EQ(breaker.state(), BreakerState::kClosed);
  EXPECT_TRUE(breaker.record_failure());  // the fifth since the success
  EXPECT_EQ(breaker.state(), BreakerState::kOpen);
}

TEST_F(CircuitBreakerTest, RefusesUntilTheOpenPeriodEnds) {
  CircuitBreaker breaker({}, clock_.source());
  fail_times(breaker, 5);
  clock_.now += milliseconds(4999);
  EXPECT_FALSE(breaker.allow());
  EXPECT_EQ(breaker.state(), BreakerState::kOpen);
  clock_.now += milliseconds(1);
  EXPECT_TRUE(breaker.allow());
  EXPECT_EQ(breaker.state(), BreakerState::kHalfOpen);
}

TEST_F(CircuitBreakerTest, HalfOpenLetsExactlyOneProbeThrough) {
  CircuitBreaker breaker({}, clock_.source());
  fail_times(breaker, 5);
  clock_.now += seconds(5);
  EXPECT_TRUE(breaker.allow());
  for (int i = 0; i < 10; ++i) EXPECT_FALSE(breaker.allow()) << i;
  clock_.now += seconds(60);  // time alone does not admit a second probe
  EXPECT_FALSE(breaker.allow());
  EXPECT_EQ(breaker.stats().rejected_total, 11u);
}

TEST_F(CircuitBreakerTest, ProbeSuccessClosesAndResetsTheBackOff) {
  CircuitBreaker breaker({}, clock_.source());
  fail_times(breaker, 5);
  clock_.now += seconds(5);
  ASSERT_TRUE(breaker.allow());
  breaker.record_failure();  // probe failed: 10 s now
  clock_.now += seconds(10);
  ASSERT_TRUE(breaker.allow());
  EXPECT_TRUE(breaker.record_success());
  EXPECT_EQ(breaker.state(), BreakerState::kClosed);
  EXPECT_TRUE(breaker.allow());
  EXPECT_EQ(breaker.stats().consecutive_failures, 0);

  fail_times(breaker, 5);  // a new outage starts again at 5 s
  EXPECT_EQ(breaker.stats().open_for, seconds(5));
  clock_.now += seconds(5);
  EXPECT_TRUE(breaker.allow());
}

TEST_F(CircuitBreakerTest, FailedProbeReopensWithDoublingPeriodUpToTheCap) {
  CircuitBreaker breaker({}, clock_.source());
  fail_times(breaker, 5);
  const std::vector<seconds> periods{seconds(5),  seconds(10), seconds(20), seconds(40),
                                     seconds(60), seconds(60), seconds(60)};
  for (std::size_t i = 0; i + 1 < periods.size(); ++i) {
    clock_.now += periods[i] - milliseconds(1);
    EXPECT_FALSE(breaker.allow()) << "period " << i;
    clock_.now += milliseconds(1);
    ASSERT_TRUE(breaker.allow()) << "period " << i;
    EXPECT_TRUE(breaker.record_failure());
    EXPECT_EQ(breaker.state(), BreakerState::kOpen);
    EXPECT_EQ(breaker.stats().open_for, periods[i + 1]);
  }
  EXPECT_EQ(breaker.stats().opened_total, periods.size());
}

TEST_F(CircuitBreakerTest, BackOffFollowsTheOptions) {
  CircuitBreaker breaker({.failure_threshold = 2, .open_for = milliseconds(200), .max_open_for = milliseconds(300)},
                         clock_.source());
  fail_times(breaker, 2);
  clock_.now += milliseconds(200);
  ASSERT_TRUE(breaker.allow());
  breaker.record_failure();
  EXPECT_EQ(breaker.stats().open_for, milliseconds(300));  // 400 capped
}

TEST_F(CircuitBreakerTest, AbandonedProbeLetsTheNextCallerProbe) {
  CircuitBreaker breaker({}, clock_.source());
  fail_times(breaker, 5);
  clock_.now += seconds(5);
  ASSERT_TRUE(breaker.allow());
  EXPECT_FALSE(breaker.allow());
  breaker.record_abandoned();
  EXPECT_EQ(breaker.state(), BreakerState::kHalfOpen);
  EXPECT_TRUE(breaker.allow());
  EXPECT_FALSE(breaker.allow());
}

TEST_F(CircuitBreakerTest, OutcomesOfCallsAdmittedBeforeOpeningChangeNothing) {
  CircuitBreaker breaker({}, clock_.source());
  fail_times(breaker, 5);
  EXPECT_FALSE(breaker.record_success());
  EXPECT_FALSE(breaker.record_failure());
  breaker.record_abandoned();
  EXPECT_EQ(breaker.state(), BreakerState::kOpen);
  EXPECT_EQ(breaker.stats().opened_total, 1u);
  EXPECT_EQ(breaker.stats().open_for, seconds(5));
  clock_.now += seconds(5);
  EXPECT_TRUE(breaker.allow());  // the open period was not extended
}

TEST_F(CircuitBreakerTest, ShouldWarnOncePerOpenPeriod) {
  CircuitBreaker breaker({}, clock_.source());
  EXPECT_FALSE(breaker.should_warn());  // closed
  fail_times(breaker, 4);
  EXPECT_FALSE(breaker.should_warn());  // failing, not open yet
  breaker.record_failure();
  EXPECT_TRUE(breaker.should_warn());
  EXPECT_FALSE(breaker.should_warn());
  EXPECT_FALSE(breaker.should_warn());

  clock_.now += seconds(5);
  ASSERT_TRUE(breaker.allow());
  EXPECT_FALSE(breaker.should_warn());  // half-open: still the same period
  breaker.record_failure();             // the probe failed: a new period
  EXPECT_TRUE(breaker.should_warn());
  EXPECT_FALSE(breaker.should_warn());

  clock_.now += seconds(10);
  ASSERT_TRUE(breaker.allow());
  breaker.record_success();
  EXPECT_FALSE(breaker.should_warn());  // closed again
  fail_times(breaker, 5);
  EXPECT_TRUE(breaker.should_warn());  // the next outage warns again
}

TEST_F(CircuitBreakerTest, ConcurrentCallersGetOneProbeAndEveryRefusalIsCounted) {
  CircuitBreaker breaker({}, clock_.source());
  fail_times(breaker, 5);
  clock_.now += seconds(5);  // before the threads start: the clock is not synchronised

  constexpr int kThreads = 8;
  constexpr int kCallsPerThread = 1000;
  std::atomic<int> allowed{0};
  std::latch start(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      start.arrive_and_wait();
      for (int i = 0; i < kCallsPerThread; ++i) {
        if (breaker.allow()) allowed.fetch_add(1);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(allowed.load(), 1);
  EXPECT_EQ(breaker.stats().rejected_total, static_cast<std::uint64_t>(kThreads * kCallsPerThread - 1));
  EXPECT_TRUE(breaker.record_success());
  EXPECT_EQ(breaker.state(), BreakerState::kClosed);
}

TEST(CircuitBreakerStateTest, NamesForLogs) {
  EXPECT_EQ(to_string(BreakerState::kClosed), "closed");
  EXPECT_EQ(to_string(BreakerState::kOpen), "open");
  EXPECT_EQ(to_string(BreakerState::kHalfOpen), "half-open");
}

}  // namespace
}  // namespace fruitpak::cache
