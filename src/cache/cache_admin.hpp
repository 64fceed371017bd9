#pragma once
// Operator tools over this deployment's Redis namespace (`fruitpak cache stats | clear |
// invalidate`, issue 6 point 8). They only ever touch keys of the form
// fp:{version}:t{tenant}:... (SCAN with MATCH, then UNLINK; never KEYS, never FLUSHDB), so
// other applications, other versions (blue/green) and the original system's keys in the
// same Redis are left alone. Invalidation goes through ResponseCache::invalidate, which
// bumps the (tenant, prefix) generation and publishes it: every running instance stops
// serving the affected L1 entries within a second, not only Redis forgets them.

#include "cache/cache_key.hpp"
#include "util/asio.hpp"
#include "util/result.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>

namespace fruitpak::cache {

class RedisPool;
class ResponseCache;

// What this version's namespace holds, per prefix.
struct NamespaceUsage {
  struct Prefix {
    std::uint64_t entries = 0;           // cached responses
    std::uint64_t bytes = 0;             // their stored size (STRLEN)
    std::set<std::string> tenants;       // with an entry or a generation
  };
  std::map<std::string, Prefix> prefixes;
  std::uint64_t generation_keys = 0;
  // Every (tenant, prefix) with an entry or a generation key.
  std::set<std::pair<std::string, std::string>> pairs;
};

// SCANs the namespace (one tenant's if given); with `measure`, also the entries' sizes.
[[nodiscard]] net::awaitable<Result<NamespaceUsage>> scan_namespace(RedisPool& redis, const KeyBuilder& keys,
                                                                    std::optional<domain::TenantId> tenant,
                                                                    bool measure);

struct InvalidationReport {
  std::size_t prefixes = 0;  // (tenant, prefix) pairs invalidated
  std::size_t entries = 0;   // Redis entries unlinked
};

// Invalidates every (tenant, prefix) of the namespace whose prefix matches the glob
// `prefix_pattern` (fnmatch: "growers", "grower*", "*"; the original's "growers:*" form is
// accepted and means the prefix "growers"), in one tenant if given. `cache` must have an L2.
[[nodiscard]] net::awaitable<Result<InvalidationReport>> invalidate_matching(ResponseCache& cache,
                                                                             std::string prefix_pattern,
                                                                             std::optional<domain::TenantId> tenant);

}  // namespace fruitpak::cache
