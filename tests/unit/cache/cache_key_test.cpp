// Cache keys: tenant in every key, the version in front, and the original's md5 over
// Python's json.dumps of the arguments (expected digests computed with Python's hashlib
// and json, not with our code).

#include "cache/cache_key.hpp"
#include "cache/generations.hpp"
#include "cache/response_cache.hpp"

#include <gtest/gtest.h>

namespace fruitpak::cache {
namespace {

const domain::TenantId kTenantA("0b9c2c3e-aaaa-4aaa-8aaa-000000000001");
const domain::TenantId kTenantB("0b9c2c3e-bbbb-4bbb-8bbb-000000000002");

TEST(CacheKeyTest, HashMatchesPythonJsonDumpsWithSortedKeys) {
  EXPECT_EQ(args_hash({{"offset", "0"}, {"limit", "50"}}), "331e51c544862ff3379c4abc46d3e8aa");
  EXPECT_EQ(args_hash({{"status", "received"}, {"grower_id", "g-1"}, {"limit", "10"}}),
            "8f8cbc36166fc3ce105ebad1db0e9040");
  EXPECT_EQ(args_hash({{"q", "a\"b\\c"}}), "d7a81e373b026bec30b295352648534e");
  EXPECT_EQ(args_hash({}), "default");
}

TEST(CacheKeyTest, KeyCarriesVersionTenantPrefixAndFunction) {
  KeyBuilder keys("v7");
  const auto key = keys.key(kTenantA, "growers", "list_growers", {{"limit", "50"}, {"offset", "0"}});
  EXPECT_EQ(key, "fp:v7:{t" + kTenantA.value() + "}:growers:list_growers:331e51c544862ff3379c4abc46d3e8aa");
  EXPECT_TRUE(key.starts_with(keys.prefix_namespace(kTenantA, "growers")));
  EXPECT_TRUE(key.starts_with(keys.tenant_namespace(kTenantA)));
  EXPECT_TRUE(key.starts_with(keys.version_namespace()));
}

TEST(CacheKeyTest, TenantsVersionsAndArgumentsNeverShareKeys) {
  KeyBuilder v1("v1"), v2("v2");
  const CacheArgs args{{"limit", "50"}};
  EXPECT_NE(v1.key(kTenantA, "growers", "list_growers", args), v1.key(kTenantB, "growers", "list_growers", args));
  EXPECT_NE(v1.key(kTenantA, "growers", "list_growers", args), v2.key(kTenantA, "growers", "list_growers", args));
  EXPECT_NE(v1.key(kTenantA, "growers", "list_growers", args),
            v1.key(kTenantA, "growers", "list_growers", {{"limit", "51"}}));
  // Non-ASCII values are escaped byte by byte: distinct and stable.
  EXPECT_NE(args_hash({{"q", "é"}}), args_hash({{"q", "e"}}));
  EXPECT_EQ(args_hash({{"q", "é"}}), args_hash({{"q", "é"}}));
}

TEST(CacheKeyTest, GenerationKeysStayOutsideEveryPrefixNamespace) {
  KeyBuilder keys("v1");
  const auto gen = keys.generation_key(kTenantA, "growers");
  EXPECT_FALSE(gen.starts_with(keys.prefix_namespace(kTenantA, "growers")));
  EXPECT_TRUE(gen.starts_with(keys.tenant_namespace(kTenantA)));
}

TEST(CacheKeyTest, ParseRecoversTenantAndPrefixOfOurKeysOnly) {
  KeyBuilder keys("v1");
  const auto entry = keys.parse(keys.key(kTenantA, "growers", "list_growers", {{"limit", "5"}}));
  ASSERT_TRUE(entry.has_value());
  EXPECT_EQ(entry->tenant, kTenantA.value());
  EXPECT_EQ(entry->prefix, "growers");
  EXPECT_FALSE(entry->generation);
  const auto gen = keys.parse(keys.generation_key(kTenantB, "batches"));
  ASSERT_TRUE(gen.has_value());
  EXPECT_EQ(gen->tenant, kTenantB.value());
  EXPECT_EQ(gen->prefix, "batches");
  EXPECT_TRUE(gen->generation);
  EXPECT_FALSE(keys.parse(KeyBuilder("v2").key(kTenantA, "growers", "list_growers", {})).has_value());
  EXPECT_FALSE(keys.parse("growers:list_growers:default").has_value());  // the original's keys
  EXPECT_FALSE(keys.parse("fp:v1:invalidations").has_value());
  EXPECT_FALSE(keys.parse("fp:v1:{t}:growers:x").has_value());
  EXPECT_FALSE(keys.parse("fp:v1:tT1:growers:x").has_value());  // this system's keys before hash tags
  EXPECT_FALSE(keys.parse("fp:v1:{tT1:growers:x").has_value());
}

TEST(GenerationsTest, BumpsIncreaseAndObserveKeepsTheLarger) {
  Generations gens;
  EXPECT_EQ(gens.current(kTenantA, "growers"), 0u);
  const auto first = gens.bump(kTenantA, "growers");
  const auto second = gens.bump(kTenantA, "growers");
  EXPECT_GT(second, first);
  EXPECT_EQ(gens.current(kTenantB, "growers"), 0u);  // per tenant
  EXPECT_EQ(gens.current(kTenantA, "batches"), 0u);  // per prefix
  gens.observe(kTenantA, "growers", first);           // older news changes nothing
  EXPECT_EQ(gens.current(kTenantA, "growers"), second);
  gens.observe(kTenantA, "growers", second + 100);
  EXPECT_EQ(gens.current(kTenantA, "growers"), second + 100);
  EXPECT_GT(gens.bump(kTenantA, "growers"), second + 100);
  gens.clear();
  EXPECT_EQ(gens.current(kTenantA, "growers"), 0u);
}

TEST(CacheEntryCodecTest, RoundTripsBinaryBodiesAndRefusesDamage) {
  CachedResponse entry;
  entry.body = std::string("{\"a\":1}\n\0binary", 15);
  entry.gzip_body = std::string("\x1f\x8b\x08\0zz", 6);
  entry.etag = "\"abc\"";
  entry.content_type = "application/json";
  entry.generation = 1234567890123ULL;
  const auto now = std::chrono::system_clock::now();
  const auto text = encode_entry(entry, now + std::chrono::seconds(60), now + std::chrono::seconds(360));
  auto decoded = decode_entry(text);
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->body, entry.body);
  EXPECT_EQ(decoded->gzip_body, entry.gzip_body);
  EXPECT_EQ(decoded->etag, entry.etag);
  EXPECT_EQ(decoded->content_type, entry.content_type);
  EXPECT_EQ(decoded->generation, entry.generation);
  const auto steady_now = std::chrono::steady_clock::now();
  EXPECT_GT(decoded->fresh_until, steady_now + std::chrono::seconds(55));
  EXPECT_LT(decoded->fresh_until, steady_now + std::chrono::seconds(65));
  EXPECT_GT(decoded->stale_until, decoded->fresh_until);

  EXPECT_FALSE(decode_entry(text.substr(0, text.size() - 1)));  // truncated trailer
  EXPECT_FALSE(decode_entry(text.substr(1)));                   // a byte of the bodies lost
  auto renamed = text;
  renamed[renamed.rfind('\n') + 3] = '1';                        // another format's trailer
  EXPECT_FALSE(decode_entry(renamed));
  EXPECT_FALSE(decode_entry("FP1 1 2 3 0 0 0 0\n"));              // the previous format
  EXPECT_FALSE(decode_entry("garbage"));
  EXPECT_FALSE(decode_entry("\nFP2 1 2 3 99999999999999999999 0 0 0"));  // sizes beyond the value
}

}  // namespace
}  // namespace fruitpak::cache
