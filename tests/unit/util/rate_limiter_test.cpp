#include "util/rate_limiter.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <string>
#include <thread>
#include <vector>

namespace fruitpak::util {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using TimePoint = std::chrono::system_clock::time_point;

// 2026-02-12T14:03:20Z; whole seconds so that expected epochs are easy to read.
const TimePoint kT0{seconds(1770905000)};
constexpr std::int64_t kT0Epoch = 1770905000;

TEST(RateLimiterTest, LoginLimitAllowsFiveThenRefusesTheSixth) {
  RateLimiter limiter({5, seconds(60)});
  for (int i = 0; i < 5; ++i) {
    auto d = limiter.check("ip:10.0.0.1", kT0 + seconds(i));
    EXPECT_TRUE(d.allowed) << i;
    EXPECT_EQ(d.remaining, 4 - i);
    EXPECT_EQ(d.limit, 5);
    EXPECT_EQ(d.retry_after, 0);
  }
  auto refused = limiter.check("ip:10.0.0.1", kT0 + seconds(10));
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.remaining, 0);
  // The first request (at T0) leaves the window at T0 + 60 s, 50 s from now.
  EXPECT_EQ(refused.retry_after, 50);
  EXPECT_EQ(refused.reset_epoch, kT0Epoch + 60);
}

TEST(RateLimiterTest, RetryAfterRoundsUpAndIsAtLeastOneSecond) {
  RateLimiter limiter({1, seconds(60)});
  ASSERT_TRUE(limiter.check("k", kT0).allowed);
  auto d = limiter.check("k", kT0 + milliseconds(59'900));
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.retry_after, 1);
  d = limiter.check("k", kT0 + milliseconds(10'500));
  EXPECT_EQ(d.retry_after, 50);
}

TEST(RateLimiterTest, RefusedRequestsAreNotCounted) {
  RateLimiter limiter({2, seconds(60)});
  ASSERT_TRUE(limiter.check("k", kT0).allowed);
  ASSERT_TRUE(limiter.check("k", kT0 + seconds(30)).allowed);
  for (int i = 0; i < 10; ++i) EXPECT_FALSE(limiter.check("k", kT0 + seconds(40)).allowed);
  // Only the request at T0 leaves at T0 + 60 s: one slot, and the refusals did not use it.
  EXPECT_TRUE(limiter.check("k", kT0 + seconds(60)).allowed);
  auto d = limiter.check("k", kT0 + seconds(61));
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.retry_after, 29);  // the request at T0 + 30 s leaves at T0 + 90 s
}

TEST(RateLimiterTest, WindowSlidesRequestByRequest) {
  RateLimiter limiter({5, seconds(60)});
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(limiter.check("k", kT0 + seconds(i * 10)).allowed);
  EXPECT_FALSE(limiter.check("k", kT0 + seconds(59)).allowed);
  // At T0 + 60 s exactly the first request has left; at T0 + 61 s the second has not.
  EXPECT_TRUE(limiter.check("k", kT0 + seconds(60)).allowed);
  auto d = limiter.check("k", kT0 + seconds(61));
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.retry_after, 9);
}

TEST(RateLimiterTest, AllowsAgainAfterTheWindowHasPassed) {
  RateLimiter limiter({5, seconds(60)});
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(limiter.check("k", kT0).allowed);
  ASSERT_FALSE(limiter.check("k", kT0 + seconds(30)).allowed);
  auto d = limiter.check("k", kT0 + seconds(60));
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.remaining, 4);
  EXPECT_EQ(d.reset_epoch, kT0Epoch + 120);
}

TEST(RateLimiterTest, KeysAreIndependent) {
  RateLimiter limiter({3, seconds(300)});
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(limiter.check("ip:a", kT0).allowed);
  EXPECT_FALSE(limiter.check("ip:a", kT0).allowed);
  auto other = limiter.check("ip:b", kT0);
  EXPECT_TRUE(other.allowed);
  EXPECT_EQ(other.remaining, 2);
}

TEST(RateLimiterTest, ResetIsWhenTheOldestCountedRequestLeaves) {
  RateLimiter limiter({5, seconds(60)});
  EXPECT_EQ(limiter.check("k", kT0).reset_epoch, kT0Epoch + 60);
  EXPECT_EQ(limiter.check("k", kT0 + seconds(20)).reset_epoch, kT0Epoch + 60);
  // Fractions of a second round up: never announce a reset before it happens.
  RateLimiter other({5, seconds(60)});
  EXPECT_EQ(other.check("k", kT0 + milliseconds(300)).reset_epoch, kT0Epoch + 61);
}

TEST(RateLimiterTest, PeekDoesNotCount) {
  RateLimiter limiter({2, seconds(60)});
  auto fresh = limiter.peek("k", kT0);
  EXPECT_TRUE(fresh.allowed);
  EXPECT_EQ(fresh.remaining, 2);
  EXPECT_EQ(limiter.size(), 0u);
  ASSERT_TRUE(limiter.check("k", kT0).allowed);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(limiter.peek("k", kT0 + seconds(1)).remaining, 1);
  ASSERT_TRUE(limiter.check("k", kT0 + seconds(1)).allowed);
  auto full = limiter.peek("k", kT0 + seconds(2));
  EXPECT_FALSE(full.allowed);
  EXPECT_EQ(full.remaining, 0);
  EXPECT_EQ(full.retry_after, 58);
  EXPECT_EQ(limiter.peek("k", kT0 + seconds(60)).remaining, 1);
  EXPECT_EQ(limiter.peek("k", kT0 + seconds(61)).remaining, 2);
}

TEST(RateLimiterTest, BigLimitAllowsExactlyTheLimitForAFreshKey) {
  RateLimiter limiter({500, seconds(60)});
  for (int i = 0; i < 500; ++i) {
    auto d = limiter.check("user:1", kT0 + milliseconds(i));
    ASSERT_TRUE(d.allowed) << i;
    ASSERT_EQ(d.remaining, 499 - i);
  }
  auto refused = limiter.check("user:1", kT0 + seconds(1));
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.remaining, 0);
  // The burst is treated as spread over its window: the first slot frees 60 s / 500 = 120 ms
  // after the window rolls over at T0 + 60 s.
  EXPECT_EQ(refused.retry_after, 60);  // ceil(60.12 - 1)
  EXPECT_EQ(refused.reset_epoch, kT0Epoch + 61);
  EXPECT_GE(refused.reset_epoch, kT0Epoch + 60);
}

TEST(RateLimiterTest, BigLimitRecoversGradually) {
  RateLimiter limiter({500, seconds(60)});
  for (int i = 0; i < 500; ++i) ASSERT_TRUE(limiter.check("user:1", kT0).allowed);
  EXPECT_FALSE(limiter.check("user:1", kT0 + seconds(59)).allowed);
  EXPECT_FALSE(limiter.check("user:1", kT0 + milliseconds(60'100)).allowed);
  // Half way through the next window half of the old burst still counts.
  auto half = limiter.peek("user:1", kT0 + seconds(90));
  EXPECT_EQ(half.remaining, 250);
  int allowed = 0;
  while (limiter.check("user:1", kT0 + seconds(90)).allowed) ++allowed;
  EXPECT_EQ(allowed, 250);
  // Both the burst and the 250 are forgotten two windows after the first one started.
  EXPECT_EQ(limiter.peek("user:1", kT0 + seconds(180)).remaining, 500);
}

TEST(RateLimiterTest, BigLimitRefusalRetryAfterIsWhenASlotFrees) {
  RateLimiter limiter({100, seconds(60)});
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(limiter.check("ip:x", kT0).allowed);
  auto next_window = limiter.check("ip:x", kT0 + seconds(70));
  // Previous window (100) weighted (60 - 10) / 60 -> 83.3: allowed again.
  EXPECT_TRUE(next_window.allowed);
  EXPECT_EQ(next_window.remaining, 15);  // floor(100 - 83.3 - 1)
  for (int i = 0; i < 15; ++i) ASSERT_TRUE(limiter.check("ip:x", kT0 + seconds(70)).allowed);
  auto d = limiter.check("ip:x", kT0 + seconds(70));
  ASSERT_FALSE(d.allowed);
  // 100 * (60 - e) / 60 + 16 <= 99  <=>  e >= 10.2 s: 0.2 s from now, announced as 1 s.
  EXPECT_EQ(d.retry_after, 1);
  EXPECT_TRUE(limiter.check("ip:x", kT0 + milliseconds(70'200)).allowed);
}

TEST(RateLimiterTest, MemoryStaysBounded) {
  RateLimiter limiter({5, seconds(60)}, 160);
  for (int i = 0; i < 5000; ++i) {
    limiter.check("ip:" + std::to_string(i), kT0 + milliseconds(i));
    ASSERT_LE(limiter.size(), 160u);
  }
  EXPECT_GT(limiter.size(), 100u);
}

TEST(RateLimiterTest, ExpiredKeysAreDroppedWhenAShardFills) {
  RateLimiter limiter({5, seconds(60)}, 160);
  for (int i = 0; i < 1000; ++i) limiter.check("old:" + std::to_string(i), kT0);
  const std::size_t full = limiter.size();
  // One minute later every old key is expired; new keys push them out.
  for (int i = 0; i < 16; ++i) limiter.check("new:" + std::to_string(i), kT0 + seconds(61));
  EXPECT_LT(limiter.size(), full);
}

TEST(RateLimiterTest, RecentlyUsedKeysSurviveEviction) {
  RateLimiter limiter({5, seconds(60)}, 64);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(limiter.check("hot", kT0).allowed);
  for (int i = 0; i < 2000; ++i) {
    limiter.check("cold:" + std::to_string(i), kT0 + milliseconds(i));
    EXPECT_FALSE(limiter.check("hot", kT0 + milliseconds(i)).allowed);
  }
  // Had "hot" been evicted it would have come back with a clean slate.
  EXPECT_EQ(limiter.peek("hot", kT0 + seconds(2)).remaining, 0);
}

// Runs `per_thread` checks of one key from each of 4 threads released together, and returns
// how many were allowed.
int allowed_under_contention(RateLimiter& limiter, int per_thread) {
  constexpr int kThreads = 4;
  std::latch start(kThreads);
  std::atomic<int> allowed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      start.arrive_and_wait();
      for (int i = 0; i < per_thread; ++i) {
        if (limiter.check("user:shared", kT0 + milliseconds(i)).allowed) ++allowed;
        limiter.check("user:other" + std::to_string(i % 8), kT0);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  return allowed.load();
}

TEST(RateLimiterTest, ConcurrentChecksNeverExceedTheSmallLimit) {
  RateLimiter limiter({5, seconds(60)});
  EXPECT_EQ(allowed_under_contention(limiter, 200), 5);
}

TEST(RateLimiterTest, ConcurrentChecksNeverExceedTheBigLimit) {
  RateLimiter limiter({500, seconds(60)});
  EXPECT_EQ(allowed_under_contention(limiter, 400), 500);
}

}  // namespace
}  // namespace fruitpak::util
