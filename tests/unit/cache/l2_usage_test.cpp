// info_field: reading one number out of a Redis INFO reply (sections, CRLF lines, comments);
// the eviction counter and the notify-keyspace-events flags it depends on.

#include "cache/l2_usage.hpp"

#include <gtest/gtest.h>

#include <map>

namespace fruitpak::cache {
namespace {

// Shaped like Redis 7's reply to INFO memory stats (abridged).
constexpr std::string_view kInfo =
    "# Memory\r\n"
    "used_memory:1083432\r\n"
    "used_memory_human:1.03M\r\n"
    "maxmemory:0\r\n"
    "maxmemory_policy:noeviction\r\n"
    "\r\n"
    "# Stats\r\n"
    "expired_keys:17\r\n"
    "evicted_keys:3\r\n"
    "evicted_clients:0\r\n";

TEST(InfoField, ReadsNumbersByExactName) {
  EXPECT_EQ(info_field(kInfo, "used_memory"), 1083432u);  // not used_memory_human
  EXPECT_EQ(info_field(kInfo, "maxmemory"), 0u);
  EXPECT_EQ(info_field(kInfo, "evicted_keys"), 3u);
  EXPECT_EQ(info_field(kInfo, "expired_keys"), 17u);
}

TEST(InfoField, AbsentOrNotANumberIsNullopt) {
  EXPECT_EQ(info_field(kInfo, "evicted"), std::nullopt);           // a prefix of a name only
  EXPECT_EQ(info_field(kInfo, "used_memory_human"), std::nullopt);  // "1.03M"
  EXPECT_EQ(info_field(kInfo, "maxmemory_policy"), std::nullopt);
  EXPECT_EQ(info_field(kInfo, "Memory"), std::nullopt);             // a section header
  EXPECT_EQ(info_field("", "used_memory"), std::nullopt);
  EXPECT_EQ(info_field("used_memory:12", "used_memory"), 12u);      // last line without CRLF
  EXPECT_EQ(info_field("used_memory:\r\n", "used_memory"), std::nullopt);
}

TEST(L2EvictionCounter, CountsOurResponseKeysByPrefixOnly) {
  L2EvictionCounter counter(KeyBuilder("v7"));
  counter.evicted("fp:v7:{tT1}:growers:list_growers:default");
  counter.evicted("fp:v7:{tT2}:growers:list_growers:331e51c544862ff3379c4abc46d3e8aa");
  counter.evicted("fp:v7:{tT1}:batches:list_batches:default");
  counter.evicted("fp:v7:{tT1}:gen:growers");             // a generation key, not a response
  counter.evicted("fp:v6:{tT1}:growers:list_growers:x");  // another deployment's version
  counter.evicted("session:abc");                       // another application's key
  const std::map<std::string, std::uint64_t> expected{{"batches", 1}, {"growers", 2}};
  EXPECT_EQ(counter.by_prefix(), expected);
}

TEST(PublishesEvictions, NeedsTheKeyeventClassAndTheEvictedType) {
  EXPECT_TRUE(publishes_evictions("Ee"));
  EXPECT_TRUE(publishes_evictions("KEA"));   // A: every event type, evicted included
  EXPECT_TRUE(publishes_evictions("xeE"));
  EXPECT_FALSE(publishes_evictions(""));     // Redis's default: no notifications
  EXPECT_FALSE(publishes_evictions("Ke"));   // keyspace class only: the key is in the channel name
  EXPECT_FALSE(publishes_evictions("Ex"));   // expired, not evicted
}

}  // namespace
}  // namespace fruitpak::cache
