#pragma once
// Redis Cluster, client side (hiredis has none): which slot a key hashes to, which node
// serves it, and what to do when a node says the slot lives elsewhere. The slot map comes
// from CLUSTER SLOTS, asked of a known master or a seed of the redis+cluster:// URL; a
// MOVED reply moves that slot at once and asks for a fresh map; an ASK reply (a slot
// being migrated) sends that one command, preceded by ASKING, to the importing node.
//
// Cache keys carry a hash tag per tenant ({t<tenant>}, cache/cache_key.hpp), so one
// tenant's generation keys and entries share a slot: a lookup's pipeline and an
// invalidation's SCAN + UNLINK stay on one node.

#include "cache/redis_connection.hpp"
#include "cache/redis_node_pool.hpp"
#include "config/config.hpp"
#include "util/asio.hpp"
#include "util/log_throttle.hpp"
#include "util/result.hpp"

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fruitpak::cache {

inline constexpr std::size_t kClusterSlots = 16384;

// The slot of `key`: CRC16 (XMODEM) of the key, or of its hash tag (the text between the
// first '{' and the next '}', when that is not empty), modulo 16384.
std::uint16_t key_slot(std::string_view key);

// The key a command is routed by: args[1] for single-key commands, the first key of
// EVAL/EVALSHA; nullopt for commands about no key (PING, PUBLISH, SCAN, INFO, CONFIG, ...),
// which any master may answer.
std::optional<std::string_view> routing_key(const std::vector<std::string>& args);

// A "MOVED <slot> <host>:<port>" or "ASK <slot> <host>:<port>" error reply.
struct Redirect {
  bool ask = false;  // ASK: this command only, after ASKING; MOVED: the slot moved for good
  std::uint16_t slot = 0;
  config::RedisEndpoint to;
};
std::optional<Redirect> parse_redirect(const RedisReply& reply);

// One range of a CLUSTER SLOTS reply: [first, last, [host, port, id, ...], replicas...].
struct SlotRange {
  std::uint16_t first = 0;
  std::uint16_t last = 0;
  config::RedisEndpoint master;
};
// The master ranges of a CLUSTER SLOTS reply. A master announced with an empty host
// (Redis's "unknown endpoint") gets `asked_host`, the host the question went to.
// kUnavailable for an error reply or a malformed one.
Result<std::vector<SlotRange>> parse_cluster_slots(const RedisReply& reply, const std::string& asked_host);

// CLUSTER SLOTS of the first seed of `cluster` that answers, parsed: for
// `serve --check-config`. kUnavailable if no seed answers or the node is no cluster node.
[[nodiscard]] net::awaitable<Result<std::vector<SlotRange>>> fetch_slot_map(const config::RedisUrl& cluster,
                                                                          std::chrono::milliseconds timeout);

// How many of the 16384 slots `ranges` assign to a master.
std::size_t served_slots(const std::vector<SlotRange>& ranges);

// The URL of one node of the cluster `cluster` names: its credentials, database 0.
config::RedisUrl cluster_node_url(const config::RedisUrl& cluster, const config::RedisEndpoint& node);

// Routes commands to the node pools of a cluster. Safe for concurrent use from coroutines
// on any number of io_contexts. Node pools are made on first use of a node (seed, master
// in a slot map, target of a redirect) and kept for the life of this object, so the
// pointers handed out by masters() stay valid.
//
// The slot map is learnt on first use and refreshed after a MOVED or a failed node (a
// failover may have moved its slots): at most one refresh at a time and one per
// kRefreshInterval, so a dead cluster costs no more than the node pools' breakers allow.
// A call that finds no slot map fails with kUnavailable at once rather than wait.
class RedisCluster {
 public:
  static constexpr auto kRefreshInterval = std::chrono::milliseconds(250);
  static constexpr int kMaxRedirects = 5;

  RedisCluster(config::RedisUrl url, RedisPoolOptions options, CircuitBreaker::Clock clock);
  RedisCluster(const RedisCluster&) = delete;
  RedisCluster& operator=(const RedisCluster&) = delete;
  ~RedisCluster();

  // The commands, each on the node that serves its key (commands to one node go as one
  // pipeline), replies in order. Redirects are followed up to kMaxRedirects times. A failure
  // of any node fails the whole call (as a single node's pipeline would).
  [[nodiscard]] net::awaitable<Result<std::vector<RedisReply>>> execute(
      std::vector<std::vector<std::string>> commands);

  // Every master of the slot map, in slot order, for commands about one node's own
  // keyspace (SCAN, INFO, CONFIG GET). kUnavailable if no slot map can be had.
  [[nodiscard]] net::awaitable<Result<std::vector<RedisNodePool*>>> masters();

  void on_reconnect(std::function<void()> hook);
  // The node pools' figures summed; the worst breaker state of any node.
  RedisPoolStats stats() const;

 private:
  struct Node {
    config::RedisEndpoint endpoint;
    std::unique_ptr<RedisNodePool> pool;
  };
  // Where a command goes: a node, with ASKING before it for an ASK redirect.
  struct Target {
    Node* node = nullptr;
    bool asking = false;
    bool operator==(const Target&) const = default;
  };
  Node& node(const config::RedisEndpoint& endpoint);
  net::awaitable<bool> ensure_slot_map();
  net::awaitable<void> refresh();
  Node* route(const std::vector<std::string>& args) const;
  net::awaitable<Result<void>> send(const std::vector<std::vector<std::string>>& commands,
                                    const std::vector<std::size_t>& indices, Target target,
                                    std::vector<RedisReply>& replies);

  const config::RedisUrl url_;
  const RedisPoolOptions options_;
  const CircuitBreaker::Clock clock_;

  mutable std::mutex mutex_;  // guards the five below
  std::map<std::string, std::unique_ptr<Node>> nodes_;  // by "host:port"
  std::vector<Node*> masters_;
  std::vector<std::function<void()>> reconnect_hooks_;
  std::optional<std::chrono::steady_clock::time_point> last_refresh_;
  bool refreshing_ = false;

  // The slot map, read without a lock: one atomic pointer per slot, null while the slot is
  // not served. A MOVED updates one slot; a refresh rewrites them all.
  std::unique_ptr<std::array<std::atomic<Node*>, kClusterSlots>> owners_;
  std::atomic<bool> has_slot_map_{false};
  std::atomic<std::uint64_t> moved_total_{0};
  std::atomic<std::uint64_t> ask_total_{0};
  std::atomic<std::uint64_t> slot_maps_total_{0};
  util::LogThrottle refresh_warnings_{std::chrono::seconds(10)};
};

}  // namespace fruitpak::cache
