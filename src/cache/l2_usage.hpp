#pragma once
// What Redis holds for this deployment, for /metrics (issue 9 point 1: cache bytes by level
// and prefix). Redis keeps no accounting per key prefix, so the sampler walks our namespace
// (scan_namespace: SCAN + STRLEN, the same walk as `fruitpak cache stats`) and reads Redis's
// own memory and eviction totals (INFO). Redis evicts by its own policy and does not report
// which keys went, so evictions are Redis-wide, not per prefix.
//
// Evictions by prefix come from Redis itself when it is configured to say which keys it
// evicts (L2EvictionCounter below).
//
// Sampling is on demand: latest() returns the last sample at once and, when it is older
// than the interval, starts one refresh in the background. A scrape never waits on Redis,
// and a large namespace is walked at most once per interval, only while someone scrapes.

#include "cache/cache_admin.hpp"
#include "cache/cache_key.hpp"
#include "util/asio.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace fruitpak::cache {

class RedisPool;

struct L2Usage {
  std::map<std::string, NamespaceUsage::Prefix> prefixes;  // response entries and bytes by prefix
  // From INFO, for the whole Redis (other applications' keys included).
  std::uint64_t used_memory = 0;   // used_memory
  std::uint64_t maxmemory = 0;     // maxmemory (0: no limit)
  std::uint64_t evicted_keys = 0;  // evicted_keys since Redis started
  std::uint64_t expired_keys = 0;  // expired_keys since Redis started
  // Whether Redis publishes the names of evicted keys (notify-keyspace-events has E and e,
  // or A-style "Ex..."); nullopt when CONFIG GET is refused (managed Redis).
  std::optional<bool> eviction_events;
  std::chrono::steady_clock::time_point taken;
};

class L2UsageSampler {
 public:
  // `redis` must outlive every refresh started (the pool lives as long as the server).
  L2UsageSampler(RedisPool& redis, KeyBuilder keys, std::chrono::seconds interval);

  // The latest sample (null until the first refresh finished); starts a refresh on
  // `executor` when none runs and the last one started at least `interval` ago. A failed
  // refresh keeps the previous sample (its age shows it). Thread-safe.
  std::shared_ptr<const L2Usage> latest(const net::any_io_executor& executor);

 private:
  struct State;
  static net::awaitable<void> refresh(std::shared_ptr<State> state);
  std::shared_ptr<State> state_;  // shared with the refresh in flight
};

// Evictions of our keys by prefix. With notify-keyspace-events including "Ee" (for example
// `CONFIG SET notify-keyspace-events Ee`; the server never changes Redis's configuration),
// Redis publishes each evicted key's name on __keyevent@<db>__:evicted; the server
// subscribes there and counts the keys of its namespace under their prefix. Without that
// setting the counts stay at zero, and L2Usage::eviction_events says so. Thread-safe.
class L2EvictionCounter {
 public:
  explicit L2EvictionCounter(KeyBuilder keys) : keys_(std::move(keys)) {}

  static std::string channel(int db) { return "__keyevent@" + std::to_string(db) + "__:evicted"; }

  // One evicted key (the message's payload); other applications' keys are not counted.
  void evicted(std::string_view key);

  std::map<std::string, std::uint64_t> by_prefix() const;

 private:
  const KeyBuilder keys_;
  mutable std::mutex mutex_;
  std::map<std::string, std::uint64_t> counts_;
};

// Whether a notify-keyspace-events value makes Redis publish evicted keys' names: the
// keyevent class (E) and the evicted type (e, or A for all types).
bool publishes_evictions(std::string_view flags);

// The unsigned integer field `name` of an INFO reply ("name:value" lines); nullopt when
// absent or not a number. Exposed for tests.
std::optional<std::uint64_t> info_field(std::string_view info, std::string_view name);

}  // namespace fruitpak::cache
