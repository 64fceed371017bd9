// Redis Cluster routing without a cluster: key slots, routing keys, redirect replies and
// CLUSTER SLOTS replies. The slot values were read from Redis 7 itself
// (`redis-cli CLUSTER KEYSLOT <key>` on a cluster-enabled node), the hash-tag rules are
// those of the Redis Cluster specification.

#include "cache/cache_key.hpp"
#include "cache/redis_cluster.hpp"

#include <gtest/gtest.h>

namespace fruitpak::cache {
namespace {

TEST(KeySlot, MatchesRedis) {
  EXPECT_EQ(key_slot("123456789"), 12739);  // CRC16/XMODEM check value 0x31C3
  EXPECT_EQ(key_slot("foo"), 12182);
  EXPECT_EQ(key_slot("somekey"), 11058);
  EXPECT_EQ(key_slot(""), 0);
}

TEST(KeySlot, HashesOnlyTheFirstNonEmptyTag) {
  EXPECT_EQ(key_slot("{user1000}.following"), 3443);
  EXPECT_EQ(key_slot("{user1000}.followers"), 3443);
  EXPECT_EQ(key_slot("foo{}{bar}"), 8363);     // an empty tag: the whole key
  EXPECT_EQ(key_slot("foo{{bar}}zap"), 4015);  // the tag is "{bar"
  EXPECT_EQ(key_slot("foo{bar}{zap}"), 5061);  // the first tag only: "bar"
  EXPECT_EQ(key_slot("foo{bar}{zap}"), key_slot("bar"));
}

TEST(KeySlot, ATenantsKeysShareOneSlot) {
  KeyBuilder keys("v1");
  const domain::TenantId tenant("7f3a");
  const auto slot = key_slot(keys.generation_key(tenant, "growers"));
  EXPECT_EQ(slot, 11470);  // CLUSTER KEYSLOT fp:v1:{t7f3a}:growers:list_growers:default
  EXPECT_EQ(key_slot(keys.key(tenant, "growers", "list_growers", {})), slot);
  EXPECT_EQ(key_slot(keys.key(tenant, "batches", "list_batches", {{"limit", "50"}})), slot);
  EXPECT_EQ(key_slot(keys.generation_key(tenant, "batches")), slot);
  EXPECT_NE(key_slot(keys.key(domain::TenantId("7f3b"), "growers", "list_growers", {})), slot);
}

TEST(RoutingKey, SingleKeyCommandsEvalAndKeyless) {
  using Args = std::vector<std::string>;
  EXPECT_EQ(routing_key(Args{"GET", "k"}), "k");
  EXPECT_EQ(routing_key(Args{"set", "k", "v", "PX", "10"}), "k");
  EXPECT_EQ(routing_key(Args{"UNLINK", "a", "b"}), "a");
  EXPECT_EQ(routing_key(Args{"EVAL", "return 1", "1", "gen", "5"}), "gen");
  EXPECT_EQ(routing_key(Args{"evalsha", "abc", "2", "k1", "k2"}), "k1");
  EXPECT_EQ(routing_key(Args{"EVAL", "return 1", "0"}), std::nullopt);
  EXPECT_EQ(routing_key(Args{"EVAL", "return 1", "x", "k"}), std::nullopt);
  EXPECT_EQ(routing_key(Args{"PUBLISH", "fp:v1:invalidations", "m"}), std::nullopt);
  EXPECT_EQ(routing_key(Args{"scan", "0", "MATCH", "fp:*"}), std::nullopt);
  EXPECT_EQ(routing_key(Args{"INFO", "memory"}), std::nullopt);
  EXPECT_EQ(routing_key(Args{"CLUSTER", "SLOTS"}), std::nullopt);
  EXPECT_EQ(routing_key(Args{"PING"}), std::nullopt);
  EXPECT_EQ(routing_key(Args{}), std::nullopt);
}

RedisReply error_reply(std::string text) {
  RedisReply reply;
  reply.type = RedisReply::Type::kError;
  reply.text = std::move(text);
  return reply;
}

TEST(ParseRedirect, MovedAndAsk) {
  const auto moved = parse_redirect(error_reply("MOVED 3999 127.0.0.1:6381"));
  ASSERT_TRUE(moved.has_value());
  EXPECT_FALSE(moved->ask);
  EXPECT_EQ(moved->slot, 3999);
  EXPECT_EQ(moved->to.host, "127.0.0.1");
  EXPECT_EQ(moved->to.port, 6381);

  const auto ask = parse_redirect(error_reply("ASK 16383 redis-b.internal:7002"));
  ASSERT_TRUE(ask.has_value());
  EXPECT_TRUE(ask->ask);
  EXPECT_EQ(ask->slot, 16383);
  EXPECT_EQ(ask->to.host, "redis-b.internal");
  EXPECT_EQ(ask->to.port, 7002);

  const auto v6 = parse_redirect(error_reply("MOVED 1 [::1]:7000"));
  ASSERT_TRUE(v6.has_value());
  EXPECT_EQ(v6->to.host, "::1");
  const auto bare_v6 = parse_redirect(error_reply("MOVED 1 ::1:7000"));
  ASSERT_TRUE(bare_v6.has_value());
  EXPECT_EQ(bare_v6->to.host, "::1");
  EXPECT_EQ(bare_v6->to.port, 7000);
}

TEST(ParseRedirect, OtherRepliesAreNoRedirect) {
  EXPECT_FALSE(parse_redirect(error_reply("CLUSTERDOWN The cluster is down")).has_value());
  EXPECT_FALSE(parse_redirect(error_reply("TRYAGAIN Multiple keys request during rehashing of slot")).has_value());
  EXPECT_FALSE(parse_redirect(error_reply("MOVED 16384 h:1")).has_value());  // no such slot
  EXPECT_FALSE(parse_redirect(error_reply("MOVED 12 h")).has_value());
  EXPECT_FALSE(parse_redirect(error_reply("MOVED 12 h:0")).has_value());
  EXPECT_FALSE(parse_redirect(error_reply("MOVED x h:1")).has_value());
  RedisReply text;
  text.type = RedisReply::Type::kString;
  text.text = "MOVED 1 h:1";  // a cached value that happens to read like one
  EXPECT_FALSE(parse_redirect(text).has_value());
}

RedisReply integer(long long value) {
  RedisReply reply;
  reply.type = RedisReply::Type::kInteger;
  reply.integer = value;
  return reply;
}

RedisReply string(std::string text) {
  RedisReply reply;
  reply.type = RedisReply::Type::kString;
  reply.text = std::move(text);
  return reply;
}

RedisReply array(std::vector<RedisReply> elements) {
  RedisReply reply;
  reply.type = RedisReply::Type::kArray;
  reply.elements = std::move(elements);
  return reply;
}

RedisReply range(long long first, long long last, std::string host, long long port) {
  return array({integer(first), integer(last), array({string(std::move(host)), integer(port), string("id")}),
                array({string("10.0.0.9"), integer(7100), string("replica-id")})});
}

TEST(ParseClusterSlots, MastersOfEachRange) {
  const auto reply = array({range(0, 5460, "10.0.0.1", 7000), range(5461, 10922, "", 7001),
                            range(10923, 16383, "10.0.0.3", 7002)});
  const auto ranges = parse_cluster_slots(reply, "seed.example");
  ASSERT_TRUE(ranges.has_value()) << ranges.error().detail;
  ASSERT_EQ(ranges->size(), 3u);
  EXPECT_EQ((*ranges)[0].first, 0);
  EXPECT_EQ((*ranges)[0].last, 5460);
  EXPECT_EQ((*ranges)[0].master.host, "10.0.0.1");
  EXPECT_EQ((*ranges)[0].master.port, 7000);
  EXPECT_EQ((*ranges)[1].master.host, "seed.example");  // "unknown endpoint": the node asked
  EXPECT_EQ((*ranges)[2].last, 16383);
  EXPECT_EQ((*ranges)[2].master.port, 7002);
}

TEST(ParseClusterSlots, RefusesErrorsAndMalformedReplies) {
  EXPECT_FALSE(parse_cluster_slots(error_reply("ERR This instance has cluster support disabled"), "h").has_value());
  EXPECT_FALSE(parse_cluster_slots(array({}), "h").has_value());  // no slot assigned yet
  EXPECT_FALSE(parse_cluster_slots(array({range(5, 4, "h", 1)}), "h").has_value());
  EXPECT_FALSE(parse_cluster_slots(array({range(0, 16384, "h", 1)}), "h").has_value());
  EXPECT_FALSE(parse_cluster_slots(array({range(0, 1, "h", 0)}), "h").has_value());
  EXPECT_FALSE(parse_cluster_slots(array({array({integer(0), integer(1)})}), "h").has_value());
  EXPECT_FALSE(parse_cluster_slots(string("0 16383"), "h").has_value());
}

TEST(ClusterNodeUrl, KeepsCredentialsAndRedactsThem) {
  config::RedisUrl cluster;
  cluster.username = "app";
  cluster.password = "s3cret";
  cluster.cluster_nodes = {{"10.0.0.1", 7000}, {"10.0.0.2", 7001}};
  const auto node = cluster_node_url(cluster, {"::1", 7005});
  EXPECT_TRUE(node.cluster_nodes.empty());
  EXPECT_EQ(node.host, "::1");
  EXPECT_EQ(node.port, 7005);
  EXPECT_EQ(node.db, 0);
  EXPECT_EQ(node.password, "s3cret");
  EXPECT_EQ(node.redacted, "redis://app:***@[::1]:7005");
}

}  // namespace
}  // namespace fruitpak::cache
