// ResponseCache without Redis: TTL jitter stays within +-10 % and actually varies, the
// stale window follows the fresh one, and a 5xx load is never stored.

#include "cache/response_cache.hpp"
#include "util/run_sync.hpp"

#include <gtest/gtest.h>

#include <set>

namespace fruitpak::cache {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

const domain::TenantId kTenant("cccccccc-0000-4000-8000-00000000000c");

ResponseCache local_cache() {
  CacheOptions options;
  options.version = "unit";
  options.failsafe = 300s;
  return ResponseCache(options, nullptr);
}

CacheServed serve(ResponseCache& cache, const CachePolicy& policy, const std::string& key_arg, Loaded::Kind kind) {
  Loader load = [kind]() -> net::awaitable<Loaded> { co_return Loaded{kind, "{\"x\":1}", "application/json"}; };
  return util::run_sync(cache.serve(kTenant, policy, CacheArgs{{"k", key_arg}}, load));
}

TEST(ResponseCacheTest, TtlJitterStaysWithinTenPercentAndVaries) {
  auto cache = local_cache();
  const CachePolicy policy{100s, "growers", "list_growers", {domain::Change::kGrower}};
  cache.declare(policy);
  std::set<Clock::rep> lifetimes;
  for (int i = 0; i < 200; ++i) {
    const auto before = Clock::now();
    auto served = serve(cache, policy, std::to_string(i), Loaded::Kind::kCacheable);
    const auto after = Clock::now();
    ASSERT_EQ(served.outcome, CacheOutcome::kMiss);
    EXPECT_GE(served.entry->fresh_until, before + 90s);
    EXPECT_LE(served.entry->fresh_until, after + 110s);
    EXPECT_EQ(served.entry->stale_until - served.entry->fresh_until, Clock::duration(300s));  // fail-safe window
    lifetimes.insert(std::chrono::duration_cast<std::chrono::milliseconds>(served.entry->fresh_until - before).count());
  }
  EXPECT_GT(lifetimes.size(), 100u);  // jittered, not one synchronized expiry
}

TEST(ResponseCacheTest, FailedLoadsAreNeverStored) {
  auto cache = local_cache();
  const CachePolicy policy{60s, "batches", "list_batches", {domain::Change::kBatch}};
  cache.declare(policy);
  EXPECT_EQ(serve(cache, policy, "a", Loaded::Kind::kFailed).outcome, CacheOutcome::kBypass);
  EXPECT_EQ(serve(cache, policy, "a", Loaded::Kind::kNotCacheable).outcome, CacheOutcome::kBypass);
  EXPECT_EQ(serve(cache, policy, "a", Loaded::Kind::kCacheable).outcome, CacheOutcome::kMiss);
  EXPECT_EQ(serve(cache, policy, "a", Loaded::Kind::kFailed).outcome, CacheOutcome::kHitL1);
}

}  // namespace
}  // namespace fruitpak::cache
