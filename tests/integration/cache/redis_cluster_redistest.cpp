// RedisPool and the response cache against the three-master Redis Cluster of scripts/test
// (FRUITPAK_TEST_REDIS_CLUSTER_URL, one seed per master): commands reach the node that
// serves their key, a tenant's keys share one slot, invalidation finds them, and a slot
// migrated by hand (CLUSTER SETSLOT + MIGRATE, what redis-cli --cluster reshard does) is
// followed through ASK while it moves and MOVED after it moved. Each migration is undone
// at the end of its test, so the cluster is left as it was found.

#include "app/cache_commands.hpp"
#include "app/check_config_command.hpp"
#include "cache/redis_connection.hpp"
#include "cache/redis_pool.hpp"
#include "cache/response_cache.hpp"
#include "support/test_env.hpp"
#include "util/crypto.hpp"
#include "util/run_sync.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <set>
#include <sstream>

namespace fruitpak::cache {
namespace {

using namespace std::chrono_literals;

config::RedisUrl cluster_url() {
  auto text = fruitpak::testing::env("FRUITPAK_TEST_REDIS_CLUSTER_URL");
  if (!text) throw std::runtime_error("FRUITPAK_TEST_REDIS_CLUSTER_URL is not set; run the suite through scripts/test");
  auto parsed = config::parse_redis_url(*text);
  if (auto* problem = std::get_if<std::string>(&parsed)) throw std::runtime_error(*problem);
  return std::get<config::RedisUrl>(parsed);
}

RedisPoolOptions relaxed() {
  RedisPoolOptions options;
  options.command_timeout = 2000ms;
  options.connect_timeout = 2000ms;
  return options;
}

// One node of the cluster, spoken to directly (no routing): set-up and checks.
class Node {
 public:
  Node(const config::RedisUrl& cluster, config::RedisEndpoint endpoint)
      : endpoint_(std::move(endpoint)), url_(cluster_node_url(cluster, endpoint_)) {}

  Result<RedisReply> run(std::vector<std::string> args) const {
    return util::run_sync([](config::RedisUrl url, std::vector<std::string> args) -> net::awaitable<Result<RedisReply>> {
      auto connection = co_await RedisConnection::connect(url, 2000ms);
      if (!connection) co_return connection.error();
      co_return co_await connection->command(std::move(args), 5000ms);
    }(url_, std::move(args)));
  }
  std::string text(std::vector<std::string> args) const {
    auto reply = run(std::move(args));
    EXPECT_TRUE(reply && !reply->is_error()) << (reply ? reply->text : reply.error().detail);
    return reply ? reply->text : "";
  }
  // Whether this node itself holds the key (EXISTS is never redirected to another node:
  // a key of a slot served elsewhere is a MOVED error, i.e. not held). A node importing a
  // slot answers for it only after ASKING, hence that first.
  bool holds(const std::string& key) const {
    auto replies = util::run_sync(
        [](config::RedisUrl url, std::string key) -> net::awaitable<Result<std::vector<RedisReply>>> {
          auto connection = co_await RedisConnection::connect(url, 2000ms);
          if (!connection) co_return connection.error();
          std::vector<std::vector<std::string>> commands{{"ASKING"}, {"EXISTS", std::move(key)}};
          co_return co_await connection->pipeline(std::move(commands), 5000ms);
        }(url_, key));
    return replies && replies->size() == 2 && (*replies)[1].type == RedisReply::Type::kInteger &&
           (*replies)[1].integer == 1;
  }
  std::string id() const { return text({"CLUSTER", "MYID"}); }
  const config::RedisEndpoint& endpoint() const { return endpoint_; }

 private:
  config::RedisEndpoint endpoint_;
  config::RedisUrl url_;
};

class RedisClusterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    url_ = cluster_url();
    ASSERT_GE(url_.cluster_nodes.size(), 3u) << "scripts/test starts three masters";
    for (const auto& endpoint : url_.cluster_nodes) nodes_.emplace_back(url_, endpoint);
    pool_.emplace(url_, relaxed());
    tag_ = util::random_hex(8);
  }

  Result<RedisReply> run(std::vector<std::string> args) { return util::run_sync(pool_->command(std::move(args))); }

  // The node that serves `key`'s slot now, asked of the cluster itself.
  const Node& owner_of(const std::string& key) {
    for (const auto& node : nodes_) {
      auto slots = node.run({"CLUSTER", "SLOTS"});
      if (!slots) continue;
      auto ranges = parse_cluster_slots(*slots, node.endpoint().host);
      if (!ranges) continue;
      for (const auto& range : *ranges) {
        if (key_slot(key) < range.first || key_slot(key) > range.last) continue;
        for (const auto& candidate : nodes_) {
          if (candidate.endpoint().port == range.master.port) return candidate;
        }
      }
    }
    throw std::runtime_error("no node serves the slot of " + key);
  }
  const Node& other_than(const Node& node) {
    for (const auto& candidate : nodes_) {
      if (candidate.endpoint().port != node.endpoint().port) return candidate;
    }
    throw std::runtime_error("a single-node cluster");
  }

  // Steps of a slot migration, as `redis-cli --cluster reshard` takes them.
  void start_migration(std::uint16_t slot, const Node& from, const Node& to) {
    const auto s = std::to_string(slot);
    ASSERT_EQ(to.text({"CLUSTER", "SETSLOT", s, "IMPORTING", from.id()}), "OK");
    ASSERT_EQ(from.text({"CLUSTER", "SETSLOT", s, "MIGRATING", to.id()}), "OK");
  }
  void migrate_key(const std::string& key, const Node& from, const Node& to) {
    ASSERT_EQ(from.text({"MIGRATE", to.endpoint().host, std::to_string(to.endpoint().port), key, "0", "5000"}), "OK");
  }
  void finish_migration(std::uint16_t slot, const Node& to) {
    const auto s = std::to_string(slot);
    const auto id = to.id();
    ASSERT_EQ(to.text({"CLUSTER", "SETSLOT", s, "NODE", id}), "OK");
    for (const auto& node : nodes_) {
      if (node.endpoint().port != to.endpoint().port) {
        ASSERT_EQ(node.text({"CLUSTER", "SETSLOT", s, "NODE", id}), "OK");
      }
    }
  }
  // Moves the slot and every key in it, in one go (set-up and clean-up).
  void move_slot(std::uint16_t slot, const Node& from, const Node& to) {
    start_migration(slot, from, to);
    auto keys = from.run({"CLUSTER", "GETKEYSINSLOT", std::to_string(slot), "1000"});
    ASSERT_TRUE(keys);
    for (const auto& key : keys->elements) migrate_key(key.text, from, to);
    finish_migration(slot, to);
  }

  config::RedisUrl url_;
  std::vector<Node> nodes_;
  std::optional<RedisPool> pool_;
  std::string tag_;  // this test's own keys
};

TEST_F(RedisClusterTest, CommandsReachTheNodeOfTheirSlot) {
  std::set<int> ports;
  for (int i = 0; i < 30; ++i) {
    const std::string key = "it:" + tag_ + ":" + std::to_string(i);
    ASSERT_TRUE(run({"SET", key, "v" + std::to_string(i), "EX", "60"}));
    const Node& owner = owner_of(key);
    EXPECT_TRUE(owner.holds(key)) << key;
    ports.insert(owner.endpoint().port);
    auto got = run({"GET", key});
    ASSERT_TRUE(got) << got.error().detail;
    EXPECT_EQ(got->text, "v" + std::to_string(i));
  }
  EXPECT_EQ(ports.size(), 3u) << "30 random keys spread over the three masters";

  auto masters = util::run_sync(pool_->masters());
  ASSERT_TRUE(masters);
  EXPECT_EQ(masters->size(), 3u);
  const auto stats = pool_->stats();
  EXPECT_EQ(stats.breaker_state, BreakerState::kClosed);
  EXPECT_GE(stats.open, 3u) << "a connection to each master";
  EXPECT_EQ(stats.slot_maps_total, 1u) << "learnt once, at the first command";
  EXPECT_EQ(stats.moved_total + stats.ask_total, 0u) << "a fresh slot map needs no redirect";
}

TEST_F(RedisClusterTest, PipelineSplitsByNodeAndKeepsTheOrder) {
  std::vector<std::vector<std::string>> sets, gets;
  for (int i = 0; i < 12; ++i) {
    const std::string key = "pl:" + tag_ + ":" + std::to_string(i);
    sets.push_back({"SET", key, std::to_string(i * i), "EX", "60"});
    gets.push_back({"GET", key});
  }
  ASSERT_TRUE(util::run_sync(pool_->pipeline(sets)));
  auto replies = util::run_sync(pool_->pipeline(gets));
  ASSERT_TRUE(replies) << replies.error().detail;
  ASSERT_EQ(replies->size(), 12u);
  for (int i = 0; i < 12; ++i) EXPECT_EQ((*replies)[static_cast<std::size_t>(i)].text, std::to_string(i * i)) << i;
}

TEST_F(RedisClusterTest, ResponseCacheKeepsATenantOnOneNodeAndInvalidatesIt) {
  CacheOptions options;
  options.version = "c" + tag_;
  options.l1_bytes = 0;  // every hit is a Redis hit
  ResponseCache cache(options, &*pool_);
  const CachePolicy growers{60s, "growers", "list_growers", {domain::Change::kGrower}};
  const CachePolicy batches{60s, "batches", "list_batches", {domain::Change::kGrower}};
  cache.declare(growers);
  cache.declare(batches);
  const domain::TenantId tenant("tenant-" + tag_);
  int loads = 0;
  Loader load = [&loads]() -> net::awaitable<Loaded> {
    ++loads;
    co_return Loaded{Loaded::Kind::kCacheable, "[" + std::to_string(loads) + "]", "application/json"};
  };
  for (const auto* policy : {&growers, &batches}) {
    EXPECT_EQ(util::run_sync(cache.serve(tenant, *policy, {}, load)).outcome, CacheOutcome::kMiss);
    auto hit = util::run_sync(cache.serve(tenant, *policy, {}, load));
    EXPECT_EQ(hit.outcome, CacheOutcome::kHitL2);
  }
  EXPECT_EQ(loads, 2);

  const auto growers_key = cache.keys().key(tenant, "growers", "list_growers", {});
  const Node& owner = owner_of(growers_key);
  EXPECT_TRUE(owner.holds(growers_key));
  EXPECT_TRUE(owner.holds(cache.keys().key(tenant, "batches", "list_batches", {})));

  const auto removed = util::run_sync(cache.invalidate(tenant, ""));
  EXPECT_EQ(removed, 2u) << "both entries found on their node and unlinked";
  EXPECT_FALSE(owner.holds(growers_key));
  EXPECT_TRUE(owner.holds(cache.keys().generation_key(tenant, "growers"))) << "the bump lives with the entries";
  EXPECT_EQ(util::run_sync(cache.serve(tenant, growers, {}, load)).outcome, CacheOutcome::kMiss);
  EXPECT_EQ(loads, 3);
}

TEST_F(RedisClusterTest, FollowsAskWhileASlotMigratesAndMovedAfterwards) {
  const std::string kept = "{" + tag_ + "}:kept";
  const std::string moved = "{" + tag_ + "}:moved";
  const std::string added = "{" + tag_ + "}:added";
  const std::uint16_t slot = key_slot(kept);
  ASSERT_TRUE(run({"SET", kept, "k", "EX", "60"}));
  ASSERT_TRUE(run({"SET", moved, "m", "EX", "60"}));
  const Node& from = owner_of(kept);
  const Node& to = other_than(from);

  start_migration(slot, from, to);
  migrate_key(moved, from, to);
  // The pool still believes `from` serves the slot: `moved` comes back as ASK, `kept` not.
  auto got_moved = run({"GET", moved});
  ASSERT_TRUE(got_moved) << got_moved.error().detail;
  EXPECT_EQ(got_moved->text, "m");
  EXPECT_EQ(pool_->stats().ask_total, 1u);
  auto got_kept = run({"GET", kept});
  ASSERT_TRUE(got_kept) << got_kept.error().detail;
  EXPECT_EQ(got_kept->text, "k");
  // A new key of a migrating slot belongs on the importing node.
  ASSERT_TRUE(run({"SET", added, "a", "EX", "60"}));
  EXPECT_TRUE(to.holds(added));
  EXPECT_FALSE(from.holds(added));
  // One pipeline over both nodes of the migration, answers in order.
  std::vector<std::vector<std::string>> both{{"GET", kept}, {"GET", moved}, {"GET", added}};
  auto replies = util::run_sync(pool_->pipeline(both));
  ASSERT_TRUE(replies) << replies.error().detail;
  ASSERT_EQ(replies->size(), 3u);
  EXPECT_EQ((*replies)[0].text, "k");
  EXPECT_EQ((*replies)[1].text, "m");
  EXPECT_EQ((*replies)[2].text, "a");

  migrate_key(kept, from, to);
  finish_migration(slot, to);
  // Now `from` answers MOVED: the pool follows it and then goes to `to` directly.
  got_kept = run({"GET", kept});
  ASSERT_TRUE(got_kept) << got_kept.error().detail;
  EXPECT_EQ(got_kept->text, "k");
  EXPECT_EQ(pool_->stats().moved_total, 1u);
  EXPECT_TRUE(to.holds(kept));
  ASSERT_TRUE(run({"SET", kept, "k2", "EX", "60"}));
  EXPECT_EQ(to.text({"GET", kept}), "k2");
  EXPECT_EQ(pool_->stats().moved_total, 1u) << "the MOVED updated the slot: no second redirect";

  move_slot(slot, to, from);  // as it was
  got_kept = run({"GET", kept});
  ASSERT_TRUE(got_kept) << got_kept.error().detail;
  EXPECT_EQ(got_kept->text, "k2");
  EXPECT_TRUE(from.holds(kept));
}

TEST_F(RedisClusterTest, SecondPoolLearnsTheMapFromAnySeed) {
  // Seeds in another order, the first one not a cluster node at all (a closed port): the
  // pool asks the next.
  config::RedisUrl url = url_;
  std::rotate(url.cluster_nodes.begin(), url.cluster_nodes.begin() + 1, url.cluster_nodes.end());
  url.cluster_nodes.insert(url.cluster_nodes.begin(), config::RedisEndpoint{"127.0.0.1", 1});
  RedisPool pool(url, relaxed());
  const std::string key = "seed:" + tag_;
  std::vector<std::string> set{"SET", key, "s", "EX", "60"};
  auto stored = util::run_sync(pool.command(set));
  ASSERT_TRUE(stored) << stored.error().detail;
  EXPECT_TRUE(owner_of(key).holds(key));
}

TEST_F(RedisClusterTest, UnreachableSeedsOrANonClusterRedisFailFastWithAClearError) {
  config::RedisUrl dead = url_;
  dead.cluster_nodes = {{"127.0.0.1", 1}, {"127.0.0.1", 2}};
  RedisPool nowhere(dead, relaxed());
  std::vector<std::string> get{"GET", "k"};
  auto first = util::run_sync(nowhere.command(get));
  ASSERT_FALSE(first);
  EXPECT_EQ(first.error().code, Errc::kUnavailable);
  EXPECT_NE(first.error().detail.find("slot map unknown"), std::string::npos) << first.error().detail;

  // A plain Redis named as a cluster seed: CLUSTER SLOTS is refused, nothing is routed.
  config::RedisUrl plain = fruitpak::testing::test_redis_url();
  plain.cluster_nodes = {{plain.host, plain.port}};
  RedisPool not_a_cluster(plain, relaxed());
  auto refused = util::run_sync(not_a_cluster.command(get));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::kUnavailable);
  auto masters = util::run_sync(not_a_cluster.masters());
  EXPECT_FALSE(masters);
}

// `fruitpak cache stats` and `cache clear` on a cluster: the namespace of every master.
TEST_F(RedisClusterTest, CacheCommandsCoverEveryMaster) {
  config::Config config;
  config.redis = url_;
  config.cache_version = "s" + tag_;
  CacheOptions options;
  options.version = config.cache_version;
  options.l1_bytes = 0;
  ResponseCache cache(options, &*pool_);
  const CachePolicy growers{60s, "growers", "list_growers", {domain::Change::kGrower}};
  cache.declare(growers);
  Loader load = []() -> net::awaitable<Loaded> { co_return Loaded{Loaded::Kind::kCacheable, "[1]", "application/json"}; };
  std::set<int> ports;
  int tenants = 0;
  for (int i = 0; ports.size() < 3 && i < 200; ++i, ++tenants) {  // until every master holds an entry
    const domain::TenantId tenant("t" + std::to_string(i) + "-" + tag_);
    ASSERT_EQ(util::run_sync(cache.serve(tenant, growers, {}, load)).outcome, CacheOutcome::kMiss);
    ports.insert(owner_of(cache.keys().key(tenant, "growers", "list_growers", {})).endpoint().port);
  }
  ASSERT_EQ(ports.size(), 3u);

  ::testing::internal::CaptureStdout();
  EXPECT_EQ(app::run_cache_stats(config, {}), 0);
  const std::string stats = ::testing::internal::GetCapturedStdout();
  EXPECT_NE(stats.find(fmt::format("{:<16} {:>10} ", "growers", tenants)), std::string::npos)
      << "every master's entries counted\n" << stats;
  for (const auto& endpoint : url_.cluster_nodes) {
    EXPECT_NE(stats.find("redis redis://127.0.0.1:" + std::to_string(endpoint.port) + ": "), std::string::npos) << stats;
  }

  ::testing::internal::CaptureStdout();
  EXPECT_EQ(app::run_cache_clear(config, {}), 0);
  const std::string cleared = ::testing::internal::GetCapturedStdout();
  EXPECT_NE(cleared.find(fmt::format("{} Redis entries removed", tenants)), std::string::npos) << cleared;
}

// `serve --check-config` with a cluster URL: the slot coverage and the masters, or why not.
std::string check_config_output(const std::string& redis_url) {
  config::Sources sources;
  sources.flags = {{"REDIS_URL", redis_url}, {"DATABASE_URL", "sqlite:///nonexistent-dir-" + util::random_hex(6) + "/x.db"}};
  std::ostringstream out;
  (void)app::run_check_config(config::load(sources), out);
  return out.str();
}

TEST_F(RedisClusterTest, CheckConfigReportsSlotCoverage) {
  const auto text = *fruitpak::testing::env("FRUITPAK_TEST_REDIS_CLUSTER_URL");
  const auto out = check_config_output(text);
  EXPECT_NE(out.find("redis    ok    "), std::string::npos) << out;
  EXPECT_NE(out.find("cluster  ok    16384 of 16384 slots served by 3 master(s): "), std::string::npos) << out;
  for (const auto& endpoint : url_.cluster_nodes) {
    EXPECT_NE(out.find("127.0.0.1:" + std::to_string(endpoint.port)), std::string::npos) << out;
  }

  const auto plain = fruitpak::testing::test_redis_url();
  const auto refused = check_config_output("redis+cluster://" + plain.host + ":" + std::to_string(plain.port));
  EXPECT_NE(refused.find("cluster  FAIL  unavailable: CLUSTER SLOTS answered ERR"), std::string::npos) << refused;
}

}  // namespace
}  // namespace fruitpak::cache
