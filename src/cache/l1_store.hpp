#pragma once
// L1: the in-process response cache (DESIGN.md, "The cache"). A sharded, byte-budgeted LRU
// of ready-to-send responses with per-tenant fairness. Freshness (fresh_until/stale_until)
// is the caller's decision; the store only bounds memory.

#include "cache/cached_response.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

namespace fruitpak::cache {

struct L1Options {
  std::size_t max_bytes = 64 << 20;  // across all shards
  double tenant_share = 0.25;        // of each shard's budget; clamped to [0, 1]
  std::size_t shards = 16;           // Requires: >= 1
};

struct L1Stats {
  std::size_t entries = 0;
  std::size_t bytes = 0;         // sum of entry charges: bytes() + key size
  std::uint64_t evictions = 0;   // entries pushed out by the byte budget or the tenant share
  std::uint64_t rejected = 0;    // puts refused because the entry exceeds the tenant share
};

// The part of L1Stats that belongs to one cache prefix ("growers", ...): what /metrics
// exports as fp_cache_bytes{level="l1",prefix} and fp_cache_l1_evictions_total{prefix}.
struct L1PrefixStats {
  std::size_t entries = 0;
  std::size_t bytes = 0;
  std::uint64_t evictions = 0;
};

// In-process cache of ready responses keyed by the cache key
// (`fp:{version}:t{tenant}:{prefix}:{function}:{md5}`).
//
// Memory: keys are spread over `shards` shards by hash; each shard holds at most
// max_bytes / shards bytes of charges (entry bytes() + key size), so stats().bytes never
// exceeds max_bytes. Within a shard one tenant holds at most tenant_share of the shard
// budget: a tenant that would pass it first evicts its own least recently used entries, so
// one busy tenant cannot push the others out. Beyond that, the shard evicts its least
// recently used entries whatever their tenant.
//
// Plain LRU on purpose: it is simple and its behaviour is easy to predict. W-TinyLFU would
// resist one-off scans better; revisit if the hit ratio under benchmarks says so.
//
// Safe for concurrent use from many threads; one instance per process. Each call locks one
// shard (erase_prefix, clear, stats and tenant_bytes lock each shard in turn, so their view
// of the whole store is not one atomic snapshot). get() does not allocate.
class L1Store {
 public:
  explicit L1Store(L1Options options = {});
  ~L1Store();
  L1Store(const L1Store&) = delete;
  L1Store& operator=(const L1Store&) = delete;

  // The entry stored under `key`, or nullptr. Marks it most recently used. Returns a shared
  // pointer only: the body is never copied, and the entry stays valid for the caller even
  // if it is evicted meanwhile.
  CachedResponsePtr get(std::string_view key);

  // Stores `entry` under `key` for `tenant`, replacing any entry of the same key, then evicts
  // (the tenant's own entries first, then the shard's) until everything fits. Returns false,
  // and counts a rejection, when the entry alone exceeds the tenant's share of a shard; any
  // older entry under `key` is dropped then too, so a stale value never outlives a refused
  // replacement. Requires: entry != nullptr. `tenant` must be the tenant named in `key`, and
  // `prefix` the cache prefix named there (the store does not parse keys); the entry's
  // bytes and, later, its eviction are counted under that prefix ("" when not given).
  bool put(std::string key, std::string_view tenant, CachedResponsePtr entry, std::string_view prefix = {});

  // Removes `key` if present; returns whether it was.
  bool erase(std::string_view key);

  // Removes every key starting with `key_prefix` and returns how many. Walks the whole store:
  // meant for operator invalidation and tenant clear, not the request path.
  std::size_t erase_prefix(std::string_view key_prefix);

  // Removes everything. The eviction and rejection counters are kept.
  void clear();

  L1Stats stats() const;

  // stats() split by the prefix given to put(): every prefix ever stored, also once its
  // entries are gone (evictions are totals since start). The sums over prefixes equal
  // stats()' entries, bytes and evictions (up to concurrent changes between shards).
  std::map<std::string, L1PrefixStats, std::less<>> prefix_stats() const;

  // Bytes currently charged to `tenant` across all shards (for tests and metrics).
  std::size_t tenant_bytes(std::string_view tenant) const;

 private:
  struct Shard;
  Shard& shard_for(std::string_view key) const;

  std::size_t shard_count_;
  std::size_t shard_budget_;   // bytes per shard
  std::size_t tenant_budget_;  // bytes per tenant per shard
  std::unique_ptr<Shard[]> shards_;
};

}  // namespace fruitpak::cache
