#include "cache/l1_store.hpp"

#include <algorithm>
#include <cassert>
#include <functional>
#include <list>
#include <mutex>
#include <unordered_map>
#include <utility>
#include <vector>

namespace fruitpak::cache {
namespace {

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept {
    return std::hash<std::string_view>{}(s);
  }
};

// Most recently used first. The views point at map keys, which stay put when a map
// rehashes (node-based container), so a list node costs no copy of the key.
using LruList = std::list<std::string_view>;

struct TenantUsage {
  std::size_t bytes = 0;
  LruList lru;  // this tenant's keys in this shard
};

using TenantMap = std::unordered_map<std::string, TenantUsage, StringHash, std::equal_to<>>;

// Per cache prefix in one shard. Records are never removed (eviction counts are totals);
// there are as many as the routes declare prefixes, so the map stays small.
struct PrefixUsage {
  std::size_t entries = 0;
  std::size_t bytes = 0;
  std::uint64_t evictions = 0;
};

using PrefixMap = std::unordered_map<std::string, PrefixUsage, StringHash, std::equal_to<>>;

struct Slot {
  CachedResponsePtr response;
  std::size_t charge = 0;  // response->bytes() + key size, fixed at insertion
  // Map nodes have stable addresses; the tenant record lives while it has entries.
  TenantMap::value_type* tenant = nullptr;
  PrefixUsage* prefix = nullptr;  // a node of the shard's PrefixMap: stable, never erased
  LruList::iterator lru_position;
  LruList::iterator tenant_position;
};

using SlotMap = std::unordered_map<std::string, Slot, StringHash, std::equal_to<>>;

}  // namespace

// alignas: shards are locked by different threads; keep their mutexes off one cache line.
struct alignas(64) L1Store::Shard {
  mutable std::mutex mutex;
  SlotMap slots;
  LruList lru;
  TenantMap tenants;
  PrefixMap prefixes;
  std::size_t bytes = 0;
  std::uint64_t evictions = 0;
  std::uint64_t rejected = 0;

  // Unlinks one entry and returns its response, so that the caller can release it after
  // unlocking: the last reference may free a large body.
  CachedResponsePtr remove(SlotMap::iterator it) {
    Slot& slot = it->second;
    TenantUsage& usage = slot.tenant->second;
    usage.bytes -= slot.charge;
    usage.lru.erase(slot.tenant_position);
    // A tenant record lives only while it has entries here, so tenants come and go freely.
    if (usage.lru.empty()) tenants.erase(tenants.find(slot.tenant->first));
    lru.erase(slot.lru_position);
    slot.prefix->bytes -= slot.charge;
    --slot.prefix->entries;
    bytes -= slot.charge;
    CachedResponsePtr response = std::move(slot.response);
    slots.erase(it);
    return response;
  }

  // Evicts the least recently used key of `order` (the shard's list or one tenant's).
  // Requires: !order.empty().
  CachedResponsePtr evict_last(const LruList& order) {
    auto it = slots.find(order.back());
    assert(it != slots.end());
    ++evictions;
    ++it->second.prefix->evictions;
    return remove(it);
  }

  // Evicts until an entry of `charge` bytes for `tenant` fits both budgets: the tenant's
  // own least recently used entries first, then the shard's. Requires: charge <=
  // tenant_budget <= shard_budget, so both loops end.
  void make_room(std::string_view tenant, std::size_t charge, std::size_t tenant_budget,
                 std::size_t shard_budget, std::vector<CachedResponsePtr>& released) {
    // Looked up again after each eviction: evicting a tenant's last entry drops its record.
    for (auto t = tenants.find(tenant);
         t != tenants.end() && t->second.bytes + charge > tenant_budget;
         t = tenants.find(tenant)) {
      released.push_back(evict_last(t->second.lru));
    }
    while (bytes + charge > shard_budget) released.push_back(evict_last(lru));
  }
};

L1Store::L1Store(L1Options options)
    : shard_count_(std::max<std::size_t>(1, options.shards)),
      shard_budget_(options.max_bytes / shard_count_),
      tenant_budget_(static_cast<std::size_t>(static_cast<double>(shard_budget_) *
                                              std::clamp(options.tenant_share, 0.0, 1.0))),
      shards_(std::make_unique<Shard[]>(shard_count_)) {
  assert(options.shards >= 1);
  tenant_budget_ = std::min(tenant_budget_, shard_budget_);
}

L1Store::~L1Store() = default;

L1Store::Shard& L1Store::shard_for(std::string_view key) const {
  return shards_[StringHash{}(key) % shard_count_];
}

CachedResponsePtr L1Store::get(std::string_view key) {
  Shard& shard = shard_for(key);
  std::lock_guard lock(shard.mutex);
  auto it = shard.slots.find(key);
  if (it == shard.slots.end()) return nullptr;
  Slot& slot = it->second;
  // splice relinks the existing nodes: no allocation on a hit.
  shard.lru.splice(shard.lru.begin(), shard.lru, slot.lru_position);
  LruList& tenant_lru = slot.tenant->second.lru;
  tenant_lru.splice(tenant_lru.begin(), tenant_lru, slot.tenant_position);
  return slot.response;
}

bool L1Store::put(std::string key, std::string_view tenant, CachedResponsePtr entry, std::string_view prefix) {
  assert(entry != nullptr);
  if (!entry) return false;
  const std::size_t charge = entry->bytes() + key.size();
  Shard& shard = shard_for(key);
  // Released after the lock: dropping the last reference may free large bodies.
  std::vector<CachedResponsePtr> released;
  std::lock_guard lock(shard.mutex);

  if (auto old = shard.slots.find(key); old != shard.slots.end()) {
    released.push_back(shard.remove(old));
  }
  if (charge > tenant_budget_) {
    ++shard.rejected;
    return false;
  }

  shard.make_room(tenant, charge, tenant_budget_, shard_budget_, released);

  auto usage_it = shard.tenants.find(tenant);
  if (usage_it == shard.tenants.end()) {
    usage_it = shard.tenants.emplace(std::string(tenant), TenantUsage{}).first;
  }
  TenantUsage& usage = usage_it->second;
  auto prefix_it = shard.prefixes.find(prefix);
  if (prefix_it == shard.prefixes.end()) {
    prefix_it = shard.prefixes.emplace(std::string(prefix), PrefixUsage{}).first;
  }
  // The key is absent here: an older entry under it was removed above.
  auto it = shard.slots.emplace(std::move(key), Slot{}).first;
  const std::string_view stored_key = it->first;
  Slot& slot = it->second;
  slot.response = std::move(entry);
  slot.charge = charge;
  slot.tenant = &*usage_it;
  slot.prefix = &prefix_it->second;
  slot.lru_position = shard.lru.insert(shard.lru.begin(), stored_key);
  slot.tenant_position = usage.lru.insert(usage.lru.begin(), stored_key);
  usage.bytes += charge;
  slot.prefix->bytes += charge;
  ++slot.prefix->entries;
  shard.bytes += charge;
  return true;
}

bool L1Store::erase(std::string_view key) {
  Shard& shard = shard_for(key);
  CachedResponsePtr released;
  std::lock_guard lock(shard.mutex);
  auto it = shard.slots.find(key);
  if (it == shard.slots.end()) return false;
  released = shard.remove(it);
  return true;
}

std::size_t L1Store::erase_prefix(std::string_view key_prefix) {
  std::size_t removed = 0;
  for (std::size_t i = 0; i < shard_count_; ++i) {
    Shard& shard = shards_[i];
    std::vector<CachedResponsePtr> released;
    std::lock_guard lock(shard.mutex);
    for (auto it = shard.slots.begin(); it != shard.slots.end();) {
      auto next = std::next(it);  // remove() invalidates `it` only
      if (std::string_view(it->first).starts_with(key_prefix)) {
        released.push_back(shard.remove(it));
        ++removed;
      }
      it = next;
    }
  }
  return removed;
}

void L1Store::clear() {
  for (std::size_t i = 0; i < shard_count_; ++i) {
    Shard& shard = shards_[i];
    // Swapped out under the lock and destroyed after it: the last references may free
    // large bodies.
    SlotMap slots;
    LruList lru;
    TenantMap tenants;
    std::lock_guard lock(shard.mutex);
    slots.swap(shard.slots);
    lru.swap(shard.lru);
    tenants.swap(shard.tenants);
    for (auto& [name, usage] : shard.prefixes) usage.entries = usage.bytes = 0;
    shard.bytes = 0;
  }
}

L1Stats L1Store::stats() const {
  L1Stats total;
  for (std::size_t i = 0; i < shard_count_; ++i) {
    const Shard& shard = shards_[i];
    std::lock_guard lock(shard.mutex);
    total.entries += shard.slots.size();
    total.bytes += shard.bytes;
    total.evictions += shard.evictions;
    total.rejected += shard.rejected;
  }
  return total;
}

std::map<std::string, L1PrefixStats, std::less<>> L1Store::prefix_stats() const {
  std::map<std::string, L1PrefixStats, std::less<>> total;
  for (std::size_t i = 0; i < shard_count_; ++i) {
    const Shard& shard = shards_[i];
    std::lock_guard lock(shard.mutex);
    for (const auto& [name, usage] : shard.prefixes) {
      auto& sum = total[name];
      sum.entries += usage.entries;
      sum.bytes += usage.bytes;
      sum.evictions += usage.evictions;
    }
  }
  return total;
}

std::size_t L1Store::tenant_bytes(std::string_view tenant) const {
  std::size_t bytes = 0;
  for (std::size_t i = 0; i < shard_count_; ++i) {
    const Shard& shard = shards_[i];
    std::lock_guard lock(shard.mutex);
    if (auto it = shard.tenants.find(tenant); it != shard.tenants.end()) bytes += it->second.bytes;
  }
  return bytes;
}

}  // namespace fruitpak::cache
