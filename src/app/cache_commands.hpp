#pragma once
// `fruitpak cache stats | warm | clear | invalidate PATTERN` (issue 6 point 8): operator
// tools for the shared (Redis) cache. Each returns the process exit code: 0 ok, 1 runtime
// failure (Redis or the database unreachable), 2 not applicable to this configuration.
// L1 lives in each server process; these commands reach it through generations published
// on Redis (clear, invalidate) or not at all (stats: see GET /api/cache/stats, /metrics).

#include "config/config.hpp"

#include <optional>
#include <string>

namespace fruitpak::app {

struct CacheCommandOptions {
  std::optional<std::string> tenant;  // --tenant: one enterprise id
  std::string pattern;                // invalidate: prefix glob ("growers", "grower*", "growers:*")
};

int run_cache_stats(const config::Config& config, const CacheCommandOptions& options);
int run_cache_warm(const config::Config& config);
int run_cache_clear(const config::Config& config, const CacheCommandOptions& options);
int run_cache_invalidate(const config::Config& config, const CacheCommandOptions& options);

}  // namespace fruitpak::app
