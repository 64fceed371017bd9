#include "cache/l1_store.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <string>
#include <thread>
#include <vector>

namespace fruitpak::cache {
namespace {

// Keys of one fixed width, so that equal bodies give equal charges.
std::string key_for(std::string_view tenant, int i, std::string_view prefix = "growers") {
  std::string n = std::to_string(i);
  n.insert(0, 4 - std::min<std::size_t>(4, n.size()), '0');
  return "fp:1:{t" + std::string(tenant) + "}:" + std::string(prefix) + ":list:" + n;
}

CachedResponsePtr response(std::size_t body_bytes, std::string etag = "\"e\"") {
  auto r = std::make_shared<CachedResponse>();
  r->body = std::string(body_bytes, 'x');
  r->etag = std::move(etag);
  r->content_type = "application/json";
  return r;
}

constexpr std::size_t kBody = 1000;

// What the store charges for response(kBody) under a key_for() key.
std::size_t unit_charge() { return response(kBody)->bytes() + key_for("a", 0).size(); }

// One shard, so that LRU order and budgets are exact.
L1Options one_shard(std::size_t entries, double tenant_share) {
  return {.max_bytes = entries * unit_charge(), .tenant_share = tenant_share, .shards = 1};
}

TEST(L1StoreTest, GetAfterPutReturnsTheSamePointer) {
  L1Store store;
  auto entry = response(kBody);
  ASSERT_TRUE(store.put(key_for("a", 1), "a", entry));
  EXPECT_EQ(store.get(key_for("a", 1)).get(), entry.get());
  EXPECT_EQ(store.get(key_for("a", 2)), nullptr);
  EXPECT_EQ(store.stats().entries, 1u);
}

TEST(L1StoreTest, BytesCountStringCapacitiesAndKey) {
  L1Store store;
  auto entry = response(5000);
  const std::string key = key_for("a", 1);
  EXPECT_GE(entry->bytes(), 5000u + CachedResponse::kOverheadBytes);
  ASSERT_TRUE(store.put(key, "a", entry));
  EXPECT_EQ(store.stats().bytes, entry->bytes() + key.size());
  EXPECT_EQ(store.tenant_bytes("a"), entry->bytes() + key.size());
}

TEST(L1StoreTest, ByteBudgetHoldsAfterManyPuts) {
  const L1Options options{.max_bytes = 64 << 10, .tenant_share = 0.5, .shards = 4};
  L1Store store(options);
  for (int i = 0; i < 2000; ++i) {
    const std::string tenant = std::to_string(i % 7);
    store.put(key_for(tenant, i), tenant, response(100 + static_cast<std::size_t>(i % 13) * 300));
    ASSERT_LE(store.stats().bytes, options.max_bytes) << i;
  }
  const L1Stats stats = store.stats();
  EXPECT_GT(stats.evictions, 0u);
  EXPECT_LT(stats.entries, 2000u);
  EXPECT_EQ(stats.entries + stats.evictions, 2000u);
}

TEST(L1StoreTest, LeastRecentlyUsedIsEvictedAndTouchingSavesIt) {
  L1Store store(one_shard(4, 1.0));
  std::vector<CachedResponsePtr> entries;
  for (int i = 0; i < 4; ++i) {
    entries.push_back(response(kBody));
    ASSERT_TRUE(store.put(key_for("a", i), "a", entries.back()));
  }
  ASSERT_NE(store.get(key_for("a", 0)), nullptr);  // 0 becomes most recent; 1 is oldest

  ASSERT_TRUE(store.put(key_for("a", 4), "a", response(kBody)));

  EXPECT_EQ(store.get(key_for("a", 1)), nullptr);
  for (int i : {0, 2, 3, 4}) EXPECT_NE(store.get(key_for("a", i)), nullptr) << i;
  EXPECT_EQ(store.stats().evictions, 1u);
  // A reader holding an evicted entry keeps a valid response.
  EXPECT_EQ(entries[1].use_count(), 1);
  EXPECT_EQ(entries[1]->body.size(), kBody);
}

TEST(L1StoreTest, ReplacingAKeyAdjustsBytes) {
  L1Store store;
  const std::string key = key_for("a", 1);
  auto small = response(100);
  auto large = response(20'000);
  ASSERT_TRUE(store.put(key, "a", small));
  ASSERT_TRUE(store.put(key, "a", large));
  EXPECT_EQ(store.stats().entries, 1u);
  EXPECT_EQ(store.stats().bytes, large->bytes() + key.size());
  EXPECT_EQ(store.get(key).get(), large.get());

  ASSERT_TRUE(store.put(key, "a", small));
  EXPECT_EQ(store.stats().bytes, small->bytes() + key.size());
  EXPECT_EQ(store.tenant_bytes("a"), small->bytes() + key.size());
  EXPECT_EQ(store.stats().evictions, 0u);  // a replacement is not an eviction
}

TEST(L1StoreTest, BusyTenantEvictsOnlyItsOwnEntries) {
  L1Store store(one_shard(10, 0.5));  // each tenant may hold 5 entries
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(store.put(key_for("b", i), "b", response(kBody)));

  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(store.put(key_for("a", i), "a", response(kBody)));
    ASSERT_LE(store.tenant_bytes("a"), 5 * unit_charge()) << i;
  }

  for (int i = 0; i < 3; ++i) EXPECT_NE(store.get(key_for("b", i)), nullptr) << i;
  EXPECT_EQ(store.tenant_bytes("b"), 3 * unit_charge());
  EXPECT_EQ(store.tenant_bytes("a"), 5 * unit_charge());
  for (int i = 15; i < 20; ++i) EXPECT_NE(store.get(key_for("a", i)), nullptr) << i;
  EXPECT_EQ(store.get(key_for("a", 14)), nullptr);
  EXPECT_EQ(store.stats().evictions, 15u);
}

TEST(L1StoreTest, FullShardEvictsTheLeastRecentlyUsedOfAnyTenant) {
  L1Store store(one_shard(10, 0.5));
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(store.put(key_for("a", i), "a", response(kBody)));
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(store.put(key_for("b", i), "b", response(kBody)));

  ASSERT_TRUE(store.put(key_for("c", 0), "c", response(kBody)));

  EXPECT_EQ(store.get(key_for("a", 0)), nullptr);
  EXPECT_EQ(store.tenant_bytes("a"), 4 * unit_charge());
  EXPECT_EQ(store.tenant_bytes("b"), 5 * unit_charge());
  EXPECT_EQ(store.stats().bytes, 10 * unit_charge());
}

TEST(L1StoreTest, EntryLargerThanTheTenantShareIsRejected) {
  L1Store store(one_shard(10, 0.25));  // tenant share: 2.5 entries of kBody
  const std::string key = key_for("a", 1);
  ASSERT_TRUE(store.put(key, "a", response(kBody)));

  EXPECT_FALSE(store.put(key, "a", response(4 * kBody)));

  // The refused replacement also drops the older value: it must not outlive it.
  EXPECT_EQ(store.get(key), nullptr);
  const L1Stats stats = store.stats();
  EXPECT_EQ(stats.rejected, 1u);
  EXPECT_EQ(stats.entries, 0u);
  EXPECT_EQ(stats.bytes, 0u);
  EXPECT_EQ(store.tenant_bytes("a"), 0u);
}

TEST(L1StoreTest, ErasePrefixRemovesExactlyTheMatchingKeys) {
  L1Store store;
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(store.put(key_for("1", i, "growers"), "1", response(kBody)));
    ASSERT_TRUE(store.put(key_for("1", i, "batches"), "1", response(kBody)));
    ASSERT_TRUE(store.put(key_for("12", i, "growers"), "12", response(kBody)));
  }

  EXPECT_EQ(store.erase_prefix("fp:1:{t1}:growers:"), 20u);
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(store.get(key_for("1", i, "growers")), nullptr) << i;
    EXPECT_NE(store.get(key_for("1", i, "batches")), nullptr) << i;
    EXPECT_NE(store.get(key_for("12", i, "growers")), nullptr) << i;
  }

  EXPECT_EQ(store.erase_prefix("fp:1:{t1}:"), 20u);  // tenant clear; "{t12}" does not match
  EXPECT_EQ(store.stats().entries, 20u);
  EXPECT_EQ(store.tenant_bytes("1"), 0u);
  EXPECT_EQ(store.stats().bytes, store.tenant_bytes("12"));

  EXPECT_TRUE(store.erase(key_for("12", 3)));
  EXPECT_FALSE(store.erase(key_for("12", 3)));
  EXPECT_EQ(store.stats().entries, 19u);
}

// /metrics exports L1 bytes and evictions by cache prefix: the split must follow the
// prefix each entry was put under, through puts, evictions, replacements, erases and clear.
TEST(L1StoreTest, BytesAndEvictionsAreSplitByPrefix) {
  L1Store store(one_shard(4, 1.0));
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(store.put(key_for("a", i, "growers"), "a", response(kBody), "growers"));
  ASSERT_TRUE(store.put(key_for("a", 0, "batches"), "a", response(kBody), "batches"));
  auto split = store.prefix_stats();
  ASSERT_EQ(split.size(), 2u);
  EXPECT_EQ(split.at("growers").bytes, 3 * unit_charge());
  EXPECT_EQ(split.at("growers").entries, 3u);
  EXPECT_EQ(split.at("batches").bytes, unit_charge());
  EXPECT_EQ(split.at("growers").evictions + split.at("batches").evictions, 0u);

  // Full: two more batches entries push out the two least recently used growers entries.
  ASSERT_TRUE(store.put(key_for("a", 1, "batches"), "a", response(kBody), "batches"));
  ASSERT_TRUE(store.put(key_for("a", 2, "batches"), "a", response(kBody), "batches"));
  split = store.prefix_stats();
  EXPECT_EQ(split.at("growers").evictions, 2u);
  EXPECT_EQ(split.at("batches").evictions, 0u);
  EXPECT_EQ(split.at("growers").bytes, unit_charge());
  EXPECT_EQ(split.at("batches").bytes, 3 * unit_charge());
  EXPECT_EQ(split.at("growers").bytes + split.at("batches").bytes, store.stats().bytes);
  EXPECT_EQ(split.at("growers").evictions + split.at("batches").evictions, store.stats().evictions);

  // A replacement moves nothing between prefixes and is no eviction; an erase frees bytes.
  ASSERT_TRUE(store.put(key_for("a", 2, "batches"), "a", response(kBody / 2), "batches"));
  EXPECT_TRUE(store.erase(key_for("a", 2, "growers")));
  split = store.prefix_stats();
  EXPECT_EQ(split.at("batches").bytes, 2 * unit_charge() + response(kBody / 2)->bytes() + key_for("a", 2, "batches").size());
  EXPECT_EQ(split.at("growers").bytes, 0u);
  EXPECT_EQ(split.at("growers").entries, 0u);
  EXPECT_EQ(split.at("growers").evictions, 2u);  // kept: a total since start

  store.clear();
  split = store.prefix_stats();
  EXPECT_EQ(split.at("batches").bytes, 0u);
  EXPECT_EQ(split.at("batches").entries, 0u);
  EXPECT_EQ(split.at("growers").evictions, 2u);
}

// Entries put without a prefix are counted under "", so the split still sums to the total.
TEST(L1StoreTest, EntriesWithoutAPrefixCountUnderTheEmptyPrefix) {
  L1Store store;
  ASSERT_TRUE(store.put(key_for("a", 1), "a", response(kBody)));
  const auto split = store.prefix_stats();
  ASSERT_EQ(split.size(), 1u);
  EXPECT_EQ(split.at("").bytes, store.stats().bytes);
}

TEST(L1StoreTest, ConcurrentPutAndGetKeepTheBudget) {
  const L1Options options{.max_bytes = 128 << 10, .tenant_share = 0.25, .shards = 4};
  L1Store store(options);
  constexpr int kThreads = 4;
  constexpr int kOpsPerThread = 5000;
  constexpr int kTenants = 8;
  std::atomic<int> wrong_values{0};
  std::latch start(kThreads);

  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      start.arrive_and_wait();
      for (int i = 0; i < kOpsPerThread; ++i) {
        const int n = (i * 7919 + t * 104729) % 600;
        const std::string tenant = std::to_string(n % kTenants);
        const std::string key = key_for(tenant, n);
        if (i % 3 == 0) {
          // Each key always maps to the same value, so a reader can check what it got.
          store.put(key, tenant, response(200 + static_cast<std::size_t>(n % 9) * 250, key));
        } else if (i % 50 == 1) {
          store.erase(key);
        } else if (auto got = store.get(key); got && got->etag != key) {
          ++wrong_values;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();

  EXPECT_EQ(wrong_values.load(), 0);
  const L1Stats stats = store.stats();
  EXPECT_LE(stats.bytes, options.max_bytes);
  EXPECT_GT(stats.entries, 0u);
  std::size_t per_tenant = 0;
  for (int tenant = 0; tenant < kTenants; ++tenant) {
    per_tenant += store.tenant_bytes(std::to_string(tenant));
  }
  EXPECT_EQ(per_tenant, stats.bytes);
}

TEST(L1StoreTest, ClearReturnsAccountingToZero) {
  L1Store store;
  for (int i = 0; i < 50; ++i) {
    const std::string tenant = std::to_string(i % 3);
    ASSERT_TRUE(store.put(key_for(tenant, i), tenant, response(kBody)));
  }
  ASSERT_GT(store.stats().bytes, 0u);

  store.clear();

  const L1Stats stats = store.stats();
  EXPECT_EQ(stats.entries, 0u);
  EXPECT_EQ(stats.bytes, 0u);
  for (const char* tenant : {"0", "1", "2"}) EXPECT_EQ(store.tenant_bytes(tenant), 0u);
  EXPECT_EQ(store.get(key_for("0", 0)), nullptr);
  EXPECT_TRUE(store.put(key_for("0", 0), "0", response(kBody)));  // still usable
  EXPECT_EQ(store.stats().bytes, unit_charge());
}

}  // namespace
}  // namespace fruitpak::cache
