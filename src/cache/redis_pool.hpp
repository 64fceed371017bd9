#pragma once
// The L2 cache's way to Redis, whatever the deployment: one node (redis://, or the
// master a redis+sentinel:// URL's sentinels name), or a Redis Cluster (redis+cluster://),
// whose commands go to the node that serves their key's slot (cache/redis_cluster.hpp).
// Each node's connections are a RedisNodePool behind its own circuit breaker, so every
// failure is a value the cache treats as a miss, and a call never waits longer than one
// command timeout per node it reaches (plus, in a cluster, at most kMaxRedirects hops).

#include "cache/redis_cluster.hpp"
#include "cache/redis_node_pool.hpp"
#include "config/config.hpp"
#include "util/asio.hpp"
#include "util/result.hpp"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace fruitpak::cache {

// Safe for concurrent use from coroutines on any number of io_contexts; one per process.
// Requires: no call is in progress when the pool is destroyed.
class RedisPool {
 public:
  RedisPool(config::RedisUrl url, RedisPoolOptions options = {},
            CircuitBreaker::Clock clock = [] { return std::chrono::steady_clock::now(); });
  RedisPool(const RedisPool&) = delete;
  RedisPool& operator=(const RedisPool&) = delete;
  ~RedisPool();

  // One command and its reply; errors as RedisNodePool::command. In a cluster, the
  // command goes to the node serving its key (a keyless one to any master).
  [[nodiscard]] net::awaitable<Result<RedisReply>> command(std::vector<std::string> args);

  // Every command in one write per node, one reply per command in order. Errors as
  // RedisNodePool::pipeline; an empty `commands` succeeds without I/O.
  [[nodiscard]] net::awaitable<Result<std::vector<RedisReply>>> pipeline(
      std::vector<std::vector<std::string>> commands);

  // The node pools to send per-node commands to (SCAN, INFO, CONFIG GET): the one node,
  // or every master of a cluster. kUnavailable if a cluster's slot map cannot be had.
  [[nodiscard]] net::awaitable<Result<std::vector<RedisNodePool*>>> masters();

  // `hook` runs each time a node's pool succeeds again after its circuit was open (see
  // RedisNodePool::on_reconnect), for nodes known now and later.
  void on_reconnect(std::function<void()> hook);

  // The node pools' figures, summed over a cluster's nodes (the worst breaker state).
  RedisPoolStats stats() const;
  // Per node: a cluster has up to options().size connections to each node it knows.
  const RedisPoolOptions& options() const { return options_; }
  bool is_cluster() const { return cluster_ != nullptr; }

 private:
  const RedisPoolOptions options_;
  std::unique_ptr<RedisNodePool> node_;    // exactly one of the two
  std::unique_ptr<RedisCluster> cluster_;
};

}  // namespace fruitpak::cache
