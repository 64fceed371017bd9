// Operator tools over the real Redis of scripts/test: SCAN-based stats, pattern
// invalidation and clear touch only this version's namespace (other versions, the
// original system's keys and other applications' keys stay), bump generations so that
// instances stop serving L1 copies, and a second cache object sees an L2 entry another
// one stored.

#include "cache/cache_admin.hpp"
#include "cache/redis_pool.hpp"
#include "cache/response_cache.hpp"
#include "support/test_env.hpp"
#include "util/crypto.hpp"
#include "util/run_sync.hpp"

#include <gtest/gtest.h>

namespace fruitpak::cache {
namespace {

using namespace std::chrono_literals;

const domain::TenantId kTenantA("aaaaaaaa-0000-4000-8000-00000000000a");
const domain::TenantId kTenantB("bbbbbbbb-0000-4000-8000-00000000000b");

net::awaitable<bool> completed(net::awaitable<void> work) {
  co_await std::move(work);
  co_return true;
}

class CacheAdminTest : public ::testing::Test {
 protected:
  void SetUp() override {
    RedisPoolOptions options;
    options.command_timeout = 2000ms;
    options.connect_timeout = 2000ms;
    pool_.emplace(fruitpak::testing::test_redis_url(), options);
    other_pool_.emplace(fruitpak::testing::test_redis_url(), options);
    version_ = "t" + util::random_hex(6);  // a namespace of this test's own
    cache_ = make_cache(*pool_, version_);
    // Neighbours that must survive: another deployment's version, the original system's
    // keys, another application's key.
    foreign_ = {KeyBuilder("other" + version_).key(kTenantA, "growers", "list_growers", {}),
                "growers:list_growers:" + version_, "someapp:" + version_ + ":growers"};
    for (const auto& key : foreign_) ASSERT_TRUE(run({"SET", key, "keep", "EX", "60"}));
  }
  void TearDown() override {
    for (const auto& key : foreign_) (void)run({"DEL", key});
    if (cache_) (void)util::run_sync(invalidate_matching(*cache_, "*", std::nullopt));
  }

  static std::unique_ptr<ResponseCache> make_cache(RedisPool& pool, const std::string& version) {
    CacheOptions options;
    options.version = version;
    auto cache = std::make_unique<ResponseCache>(options, &pool);
    for (const char* prefix : {"growers", "packhouses"}) {
      cache->declare(CachePolicy{60s, prefix, std::string("list_") + prefix, {domain::Change::kGrower}});
    }
    return cache;
  }

  Result<RedisReply> run(std::vector<std::string> args) { return util::run_sync(pool_->command(std::move(args))); }

  // Serves (tenant, prefix) through `cache` with a loader that answers `body`.
  CacheServed serve(ResponseCache& cache, const domain::TenantId& tenant, const std::string& prefix,
                    std::string body) {
    const CachePolicy policy{60s, prefix, "list_" + prefix, {domain::Change::kGrower}};
    Loader load = [body]() -> net::awaitable<Loaded> {
      co_return Loaded{Loaded::Kind::kCacheable, body, "application/json"};
    };
    return util::run_sync(cache.serve(tenant, policy, CacheArgs{{"limit", "50"}}, load));
  }

  bool exists(const std::string& key) {
    auto reply = run({"EXISTS", key});
    return reply && reply->integer == 1;
  }
  std::string entry_key(const domain::TenantId& tenant, const std::string& prefix) {
    return cache_->keys().key(tenant, prefix, "list_" + prefix, {{"limit", "50"}});
  }

  std::optional<RedisPool> pool_, other_pool_;
  std::string version_;
  std::unique_ptr<ResponseCache> cache_;
  std::vector<std::string> foreign_;
};

TEST_F(CacheAdminTest, SecondCacheObjectHitsL2AndHonoursTheBumpedGeneration) {
  ASSERT_EQ(serve(*cache_, kTenantA, "growers", "[1]").outcome, CacheOutcome::kMiss);
  auto other = make_cache(*other_pool_, version_);
  auto second = serve(*other, kTenantA, "growers", "[never loaded]");
  ASSERT_EQ(second.outcome, CacheOutcome::kHitL2);
  EXPECT_EQ(second.entry->body, "[1]");
  EXPECT_EQ(serve(*other, kTenantA, "growers", "[never loaded]").outcome, CacheOutcome::kHitL1);

  // A write on the first object: the second learns the generation from Redis on its next
  // L2 round trip (here: after its L1 copy was dropped, as a published message would).
  util::run_sync(completed(cache_->changed(kTenantA, {domain::Change::kGrower})));
  auto gen = run({"GET", cache_->keys().generation_key(kTenantA, "growers")});
  ASSERT_TRUE(gen && gen->type == RedisReply::Type::kString);
  other->apply_published(kTenantA.value() + "\ngrowers\n" + gen->text);
  auto after = serve(*other, kTenantA, "growers", "[2]");
  EXPECT_EQ(after.outcome, CacheOutcome::kMiss);
  EXPECT_EQ(after.entry->body, "[2]");
}

TEST_F(CacheAdminTest, ScanCountsEntriesBytesAndTenantsPerPrefixInOurNamespaceOnly) {
  serve(*cache_, kTenantA, "growers", std::string(2000, 'a'));
  serve(*cache_, kTenantB, "growers", "[]");
  serve(*cache_, kTenantA, "packhouses", "[]");
  auto usage = util::run_sync(scan_namespace(*pool_, cache_->keys(), std::nullopt, true));
  ASSERT_TRUE(usage) << usage.error().detail;
  ASSERT_EQ(usage->prefixes.size(), 2u);
  EXPECT_EQ(usage->prefixes.at("growers").entries, 2u);
  EXPECT_EQ(usage->prefixes.at("growers").tenants.size(), 2u);
  EXPECT_GT(usage->prefixes.at("growers").bytes, 2000u);
  EXPECT_EQ(usage->prefixes.at("packhouses").entries, 1u);

  auto only_b = util::run_sync(scan_namespace(*pool_, cache_->keys(), kTenantB, true));
  ASSERT_TRUE(only_b);
  EXPECT_EQ(only_b->prefixes.size(), 1u);
  EXPECT_EQ(only_b->prefixes.at("growers").entries, 1u);
}

TEST_F(CacheAdminTest, PatternInvalidationRemovesMatchingPrefixesAndLeavesEverythingElse) {
  serve(*cache_, kTenantA, "growers", "[a]");
  serve(*cache_, kTenantB, "growers", "[b]");
  serve(*cache_, kTenantA, "packhouses", "[p]");
  ASSERT_TRUE(exists(entry_key(kTenantA, "growers")));

  auto done = util::run_sync(invalidate_matching(*cache_, "growers:*", std::nullopt));  // the original's form
  ASSERT_TRUE(done) << done.error().detail;
  EXPECT_EQ(done->prefixes, 2u);
  EXPECT_EQ(done->entries, 2u + 2u);  // in Redis and in this object's L1, for both tenants
  EXPECT_FALSE(exists(entry_key(kTenantA, "growers")));
  EXPECT_FALSE(exists(entry_key(kTenantB, "growers")));
  EXPECT_TRUE(exists(entry_key(kTenantA, "packhouses")));
  for (const auto& key : foreign_) EXPECT_TRUE(exists(key)) << key;
  // Generations stay (they must never go back) and moved on.
  EXPECT_TRUE(exists(cache_->keys().generation_key(kTenantA, "growers")));
  EXPECT_EQ(serve(*cache_, kTenantA, "growers", "[a2]").outcome, CacheOutcome::kMiss);
  EXPECT_EQ(serve(*cache_, kTenantA, "packhouses", "[p2]").outcome, CacheOutcome::kHitL1);
}

TEST_F(CacheAdminTest, ClearOfOneTenantLeavesOtherTenantsAndNamespaces) {
  serve(*cache_, kTenantA, "growers", "[a]");
  serve(*cache_, kTenantA, "packhouses", "[a]");
  serve(*cache_, kTenantB, "growers", "[b]");
  auto done = util::run_sync(invalidate_matching(*cache_, "*", kTenantA));
  ASSERT_TRUE(done);
  EXPECT_EQ(done->prefixes, 2u);
  EXPECT_FALSE(exists(entry_key(kTenantA, "growers")));
  EXPECT_FALSE(exists(entry_key(kTenantA, "packhouses")));
  EXPECT_TRUE(exists(entry_key(kTenantB, "growers")));
  for (const auto& key : foreign_) EXPECT_TRUE(exists(key)) << key;
}

TEST_F(CacheAdminTest, InvalidationWithoutRedisOrPatternIsRefused) {
  CacheOptions options;
  options.version = version_;
  ResponseCache local_only(options, nullptr);
  EXPECT_FALSE(util::run_sync(invalidate_matching(local_only, "*", std::nullopt)));
  EXPECT_FALSE(util::run_sync(invalidate_matching(*cache_, ":*", std::nullopt)));
}

}  // namespace
}  // namespace fruitpak::cache
