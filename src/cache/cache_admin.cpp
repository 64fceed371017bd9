#include "cache/cache_admin.hpp"

#include "cache/redis_pool.hpp"
#include "cache/response_cache.hpp"

#include <fnmatch.h>

namespace fruitpak::cache {
namespace {

// SCAN's page size hint: large enough to cross a big namespace in few round trips, small
// enough that one reply stays a few hundred kilobytes.
constexpr const char* kScanCount = "1000";

}  // namespace

namespace {

// One node's part of scan_namespace: SCAN its keyspace, STRLEN of the entries if asked.
net::awaitable<Result<void>> scan_node(RedisNodePool& node, const KeyBuilder& keys, const std::string& match,
                                       bool measure, NamespaceUsage& usage) {
  std::string cursor = "0";
  do {
    std::vector<std::string> scan{"SCAN", cursor, "MATCH", match, "COUNT", kScanCount};
    auto page = co_await node.command(std::move(scan));
    if (!page) co_return page.error();
    if (page->elements.size() != 2) co_return make_error(Errc::kUnavailable, "unexpected SCAN reply from Redis");
    cursor = page->elements[0].text;
    std::vector<std::pair<std::string, KeyParts>> entries;
    for (const auto& key : page->elements[1].elements) {
      auto parts = keys.parse(key.text);
      if (!parts) continue;
      usage.pairs.emplace(parts->tenant, parts->prefix);
      auto& prefix = usage.prefixes[parts->prefix];
      prefix.tenants.insert(parts->tenant);
      if (parts->generation) {
        ++usage.generation_keys;
      } else {
        ++prefix.entries;
        if (measure) entries.emplace_back(key.text, std::move(*parts));
      }
    }
    if (entries.empty()) continue;
    std::vector<std::vector<std::string>> lengths;
    lengths.reserve(entries.size());
    for (const auto& [key, parts] : entries) lengths.push_back({"STRLEN", key});
    auto sizes = co_await node.pipeline(std::move(lengths));
    if (!sizes) co_return sizes.error();
    for (std::size_t i = 0; i < entries.size() && i < sizes->size(); ++i) {
      if ((*sizes)[i].type == RedisReply::Type::kInteger) {
        usage.prefixes[entries[i].second.prefix].bytes += static_cast<std::uint64_t>((*sizes)[i].integer);
      }
    }
  } while (cursor != "0");
  co_return Result<void>{};
}

}  // namespace

net::awaitable<Result<NamespaceUsage>> scan_namespace(RedisPool& redis, const KeyBuilder& keys,
                                                      std::optional<domain::TenantId> tenant, bool measure) {
  NamespaceUsage usage;
  const std::string match = (tenant ? keys.tenant_namespace(*tenant) : keys.version_namespace() + "{t") + "*";
  auto masters = co_await redis.masters();
  if (!masters) co_return masters.error();
  for (auto* node : *masters) {
    auto scanned = co_await scan_node(*node, keys, match, measure, usage);
    if (!scanned) co_return scanned.error();
  }
  co_return usage;
}

net::awaitable<Result<InvalidationReport>> invalidate_matching(ResponseCache& cache, std::string prefix_pattern,
                                                               std::optional<domain::TenantId> tenant) {
  if (!cache.l2()) co_return make_error(Errc::kInvalidInput, "no Redis configured (REDIS_URL)");
  if (prefix_pattern.ends_with(":*")) prefix_pattern.resize(prefix_pattern.size() - 2);
  if (prefix_pattern.empty()) co_return make_error(Errc::kInvalidInput, "empty prefix pattern");
  auto usage = co_await scan_namespace(*cache.l2(), cache.keys(), tenant, false);
  if (!usage) co_return usage.error();
  InvalidationReport report;
  for (const auto& [tenant_id, prefix] : usage->pairs) {
    if (::fnmatch(prefix_pattern.c_str(), prefix.c_str(), 0) != 0) continue;
    report.entries += co_await cache.invalidate(domain::TenantId(tenant_id), prefix);
    ++report.prefixes;
  }
  co_return report;
}

}  // namespace fruitpak::cache
