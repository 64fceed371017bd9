#include "app/cache_commands.hpp"

#include "app/server_app.hpp"
#include "cache/cache_admin.hpp"
#include "cache/redis_pool.hpp"
#include "cache/response_cache.hpp"
#include "util/progress_bar.hpp"
#include "util/run_sync.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <iostream>
#include <optional>

namespace fruitpak::app {
namespace {

// The shared cache as the operator commands see it: a Redis pool and a ResponseCache
// without L1 (this process serves nothing), on this deployment's cache version.
struct SharedCache {
  explicit SharedCache(const config::Config& config) {
    cache::RedisPoolOptions pool_options;
    pool_options.size = 4;
    // An operator command may wait longer than a request would.
    pool_options.command_timeout = std::chrono::milliseconds(std::max(config.redis_command_timeout_ms, 2000));
    pool.emplace(*config.redis, pool_options);
    auto options = cache_options(config);
    options.l1_bytes = 0;
    cache.emplace(options, &*pool);
  }
  std::optional<cache::RedisPool> pool;
  std::optional<cache::ResponseCache> cache;
};

// Exit code 2 with the reason when there is no shared cache to operate on.
std::optional<int> refuse_without_redis(const config::Config& config, std::string_view command) {
  if (!config.cache_enabled) {
    std::cerr << "fruitpak cache " << command << ": the cache is disabled (CACHE_ENABLED=0)\n";
    return 2;
  }
  if (!config.redis) {
    std::cerr << "fruitpak cache " << command
              << ": REDIS_URL is not set, so there is no shared cache; each server's in-process cache is its "
                 "own (see GET /api/cache/stats on a server, or restart it to empty it)\n";
    return 2;
  }
  return std::nullopt;
}

std::optional<domain::TenantId> tenant_of(const CacheCommandOptions& options) {
  if (!options.tenant) return std::nullopt;
  return domain::TenantId(*options.tenant);
}

// One field of an INFO reply ("used_memory_human:1.05M"); "?" if absent.
std::string info_field(const std::string& info, std::string_view name) {
  const auto at = info.find(std::string(name) + ":");
  if (at == std::string::npos) return "?";
  const auto begin = at + name.size() + 1;
  return info.substr(begin, info.find_first_of("\r\n", begin) - begin);
}

int report_invalidation(const Result<cache::InvalidationReport>& done, std::string_view what) {
  if (!done) {
    spdlog::error("{} failed: {}", what, done.error().detail);
    return 1;
  }
  std::cout << fmt::format("{}: {} (tenant, prefix) generation(s) bumped and published, {} Redis entr{} removed\n",
                           what, done->prefixes, done->entries, done->entries == 1 ? "y" : "ies");
  return 0;
}

}  // namespace

int run_cache_stats(const config::Config& config, const CacheCommandOptions& options) {
  if (auto refused = refuse_without_redis(config, "stats")) return *refused;
  SharedCache shared(config);
  auto usage = util::run_sync(cache::scan_namespace(*shared.pool, shared.cache->keys(), tenant_of(options), true));
  if (!usage) {
    spdlog::error("cannot read the cache at {}: {}", config.redis->redacted, usage.error().detail);
    return 1;
  }
  std::cout << fmt::format("Cache namespace {} on {}{}\n", shared.cache->keys().version_namespace(),
                           config.redis->redacted, options.tenant ? ", tenant " + *options.tenant : "");
  std::cout << fmt::format("{:<16} {:>10} {:>14} {:>8}\n", "prefix", "entries", "bytes", "tenants");
  std::uint64_t entries = 0, bytes = 0;
  for (const auto& [name, prefix] : usage->prefixes) {
    std::cout << fmt::format("{:<16} {:>10} {:>14} {:>8}\n", name, util::group_thousands(prefix.entries),
                             util::group_thousands(prefix.bytes), prefix.tenants.size());
    entries += prefix.entries;
    bytes += prefix.bytes;
  }
  std::cout << fmt::format("{:<16} {:>10} {:>14}\n", "total", util::group_thousands(entries),
                           util::group_thousands(bytes));
  std::cout << fmt::format("generation keys: {}\n", usage->generation_keys);
  // Redis's own figures, for the whole server (each master of a cluster).
  if (auto masters = util::run_sync(shared.pool->masters())) {
    for (auto* node : *masters) {
      std::vector<std::string> info{"INFO"};
      if (auto reply = util::run_sync(node->command(std::move(info)))) {
        std::cout << fmt::format("redis {}: {} used, keyspace hits {} misses {} (whole server)\n", node->url().redacted,
                                 info_field(reply->text, "used_memory_human"), info_field(reply->text, "keyspace_hits"),
                                 info_field(reply->text, "keyspace_misses"));
      }
    }
  }
  std::cout << "Per-process counters (L1 hits, misses, latency): GET /api/cache/stats or /metrics on a server.\n";
  return 0;
}

int run_cache_warm(const config::Config& config) {
  if (auto refused = refuse_without_redis(config, "warm")) return *refused;
  try {
    ServerApp app(config);  // not started: its routes run in this process, answers go to Redis
    std::optional<util::ProgressBar> bar;
    const auto started = std::chrono::steady_clock::now();
    auto report = util::run_sync(app.warm_cache([&bar](std::size_t done, std::size_t total) {
      if (!bar) bar.emplace("cache warm", "enterprises", static_cast<std::int64_t>(total));
      bar->update(static_cast<std::int64_t>(done));
    }));
    bar.reset();
    if (!report) {
      spdlog::error("cache warm failed: {}", report.error().detail);
      return 1;
    }
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
    std::cout << fmt::format("Cache warmed: {} responses for {} enterprise(s) in {:.1f} s into {}\n",
                             report->responses, report->enterprises, took.count(), config.redis->redacted);
    return 0;
  } catch (const std::exception& e) {
    spdlog::error("cache warm: {}", e.what());
    return 1;
  }
}

int run_cache_clear(const config::Config& config, const CacheCommandOptions& options) {
  if (auto refused = refuse_without_redis(config, "clear")) return *refused;
  SharedCache shared(config);
  return report_invalidation(util::run_sync(cache::invalidate_matching(*shared.cache, "*", tenant_of(options))),
                             "cache clear");
}

int run_cache_invalidate(const config::Config& config, const CacheCommandOptions& options) {
  if (auto refused = refuse_without_redis(config, "invalidate")) return *refused;
  SharedCache shared(config);
  return report_invalidation(
      util::run_sync(cache::invalidate_matching(*shared.cache, options.pattern, tenant_of(options))),
      "cache invalidate " + options.pattern);
}

}  // namespace fruitpak::app
