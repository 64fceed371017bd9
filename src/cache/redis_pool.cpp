#include "cache/redis_pool.hpp"

#include <utility>

namespace fruitpak::cache {

RedisPool::RedisPool(config::RedisUrl url, RedisPoolOptions options, CircuitBreaker::Clock clock) : options_(options) {
  if (url.cluster_nodes.empty()) {
    node_ = std::make_unique<RedisNodePool>(std::move(url), options, std::move(clock));
  } else {
    cluster_ = std::make_unique<RedisCluster>(std::move(url), options, std::move(clock));
  }
}

RedisPool::~RedisPool() = default;

net::awaitable<Result<RedisReply>> RedisPool::command(std::vector<std::string> args) {
  if (node_) co_return co_await node_->command(std::move(args));
  std::vector<std::vector<std::string>> one;
  one.push_back(std::move(args));
  auto replies = co_await cluster_->execute(std::move(one));
  if (!replies) co_return replies.error();
  co_return std::move(replies->front());
}

net::awaitable<Result<std::vector<RedisReply>>> RedisPool::pipeline(std::vector<std::vector<std::string>> commands) {
  if (node_) co_return co_await node_->pipeline(std::move(commands));
  co_return co_await cluster_->execute(std::move(commands));
}

net::awaitable<Result<std::vector<RedisNodePool*>>> RedisPool::masters() {
  if (node_) {
    std::vector<RedisNodePool*> one(1, node_.get());
    co_return one;
  }
  co_return co_await cluster_->masters();
}

void RedisPool::on_reconnect(std::function<void()> hook) {
  if (node_) {
    node_->on_reconnect(std::move(hook));
  } else {
    cluster_->on_reconnect(std::move(hook));
  }
}

RedisPoolStats RedisPool::stats() const { return node_ ? node_->stats() : cluster_->stats(); }

}  // namespace fruitpak::cache
