#pragma once
// The generation of each (tenant, prefix) as this instance knows it. A write bumps it; a
// cached entry is valid only if it was loaded under the current generation (it carries the
// generation its loader started with), so invalidation is O(1) and a reader that raced a
// write can never store the pre-write body where later readers accept it (issue 6, 5).
//
// Generations are microsecond timestamps made strictly increasing (max(old + 1, now)), so
// they keep growing even if Redis forgets its copy (restart without persistence). Safe for
// concurrent use.

#include "domain/account.hpp"

#include <cstdint>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace fruitpak::cache {

class Generations {
 public:
  // 0 when nothing was written or learnt yet.
  std::uint64_t current(const domain::TenantId& tenant, std::string_view prefix) const;

  // Learns a generation seen elsewhere (Redis, another instance); keeps the larger one.
  void observe(const domain::TenantId& tenant, std::string_view prefix, std::uint64_t generation);

  // A local write: the next generation, max(current + 1, now in microseconds).
  std::uint64_t bump(const domain::TenantId& tenant, std::string_view prefix);

  // Forgets everything (after a Redis reconnect: generations may have moved meanwhile).
  void clear();

  // The value a bump would choose after `current`: what Redis stores as well.
  static std::uint64_t next_after(std::uint64_t current);

 private:
  static std::string slot(const domain::TenantId& tenant, std::string_view prefix);
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, std::uint64_t> values_;
};

}  // namespace fruitpak::cache
