#pragma once
// The two-level response cache (DESIGN.md "The cache", issue 6): L1 in process, L2 in
// Redis when REDIS_URL is set. Read routes declare a CachePolicy; serve() answers from L1,
// then L2, then the route's loader, one load per key at a time. Writes announce their
// domain changes after commit; changed() bumps the generation of every prefix listening
// to them, in Redis too, and publishes it so other instances stop serving those entries.
// Redis failures never fail a request: they cost a miss and one warning per back-off.
// Safe for concurrent use from every I/O thread.

#include "cache/cache_key.hpp"
#include "cache/cached_response.hpp"
#include "cache/generations.hpp"
#include "cache/single_flight.hpp"
#include "domain/change.hpp"
#include "util/asio.hpp"
#include "util/histogram.hpp"

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace fruitpak::cache {

class L1Store;
class RedisPool;

// How a read route is cached; one line where the route is registered.
struct CachePolicy {
  std::chrono::seconds ttl{60};
  std::string prefix;    // e.g. "growers" (the contract's prefixes)
  std::string function;  // e.g. "list_growers": the original's function-name key part
  std::vector<domain::Change> invalidated_by;
};

struct CacheOptions {
  std::string version;                                  // CACHE_VERSION
  std::size_t l1_bytes = 64u << 20;                     // CACHE_L1_BYTES; 0 disables L1
  double l1_tenant_share = 0.25;                        // CACHE_L1_TENANT_SHARE
  std::chrono::seconds stale_while_revalidate{10};      // serve stale while one request reloads
  std::chrono::seconds failsafe{300};                   // CACHE_FAILSAFE_SECONDS
  double ttl_jitter = 0.10;                             // +-10 % against synchronized expiry
};

// What a loader produced: a cacheable 200 body, an answer not to cache (4xx, or anything
// the route returns that depends on more than the key), or a failure (5xx: the database
// is down) for which a stale entry may stand in.
struct Loaded {
  enum class Kind { kCacheable, kNotCacheable, kFailed };
  Kind kind = Kind::kNotCacheable;
  std::string body;
  std::string content_type;
};
using Loader = std::function<net::awaitable<Loaded>()>;

enum class CacheOutcome { kHitL1, kHitL2, kMiss, kStale, kBypass };
std::string_view outcome_header(CacheOutcome outcome);  // "HIT-L1", "HIT-L2", "MISS", "STALE"

struct CacheServed {
  CacheOutcome outcome = CacheOutcome::kBypass;
  CachedResponsePtr entry;  // null for kBypass: send what the loader produced
};

// Counters per prefix and level, for /api/cache/stats and /metrics. Latencies: an L1 hit
// (the whole lookup), every L2 round trip (hit or not), every load (the route's handler).
struct PrefixCounters {
  std::atomic<std::uint64_t> l1_hits{0}, l2_hits{0}, misses{0}, stale{0}, l2_errors{0}, bypass{0};
  util::LatencyHistogram l1_latency, l2_latency, load_latency;
};

class ResponseCache {
 public:
  // `l2` may be null (no Redis). The pool must outlive the cache.
  ResponseCache(CacheOptions options, RedisPool* l2);
  ~ResponseCache();

  // Records a read route's policy: which changes invalidate its prefix. Call while
  // registering routes, before serving.
  void declare(const CachePolicy& policy);

  [[nodiscard]] net::awaitable<CacheServed> serve(const domain::TenantId& tenant, const CachePolicy& policy,
                                                  const CacheArgs& args, Loader load);

  // After a committed write: every prefix declared as invalidated by one of `changes`
  // gets a new generation here, in Redis, and (published) on every other instance.
  [[nodiscard]] net::awaitable<void> changed(const domain::TenantId& tenant, std::vector<domain::Change> changes);

  // Applies a generation published by another instance ("tenant\nprefix\ngeneration").
  void apply_published(const std::string& payload);

  // Drops L1 and the known generations: after Redis came back, invalidations may have
  // been missed.
  void forget_local();

  // Operator invalidation of one tenant's prefix (or all its prefixes when empty): a new
  // generation, plus SCAN + UNLINK of its L2 keys inside our namespace.
  [[nodiscard]] net::awaitable<std::size_t> invalidate(const domain::TenantId& tenant, std::string prefix);

  const KeyBuilder& keys() const { return keys_; }
  std::string channel() const { return keys_.version_namespace() + "invalidations"; }
  const std::map<std::string, std::unique_ptr<PrefixCounters>>& counters() const { return counters_; }
  L1Store* l1() const { return l1_.get(); }
  RedisPool* l2() const { return l2_; }
  const CacheOptions& options() const { return options_; }

 private:
  struct L2Lookup;
  PrefixCounters& counters_for(const std::string& prefix);
  CachedResponsePtr make_entry(Loaded loaded, std::uint64_t generation, std::chrono::seconds ttl) const;
  net::awaitable<L2Lookup> l2_lookup(const domain::TenantId& tenant, const std::string& prefix,
                                     const std::string& key, PrefixCounters& counters);
  net::awaitable<void> l2_store(std::string key, CachedResponsePtr entry);
  net::awaitable<void> bump(const domain::TenantId& tenant, const std::string& prefix);

  CacheOptions options_;
  KeyBuilder keys_;
  std::unique_ptr<L1Store> l1_;
  RedisPool* l2_;
  Generations generations_;
  SingleFlight flights_;
  std::map<std::string, std::vector<std::string>> prefixes_by_change_;  // change name -> prefixes
  std::map<std::string, std::unique_ptr<PrefixCounters>> counters_;     // fixed after declare()
};

// The L2 value: the bodies and a small trailer, binary-safe. Exposed for tests. Decoding
// keeps `text`'s buffer as the entry's body; a value that is not a whole FP2 entry (damaged,
// or written by an older version) decodes to null, which the cache treats as a miss.
std::string encode_entry(const CachedResponse& entry, std::chrono::system_clock::time_point fresh_until,
                         std::chrono::system_clock::time_point stale_until);
CachedResponsePtr decode_entry(std::string text);

}  // namespace fruitpak::cache
