#include "cache/generations.hpp"

#include <chrono>
#include <mutex>

namespace fruitpak::cache {

std::string Generations::slot(const domain::TenantId& tenant, std::string_view prefix) {
  std::string s = tenant.value();
  s += '\n';
  s += prefix;
  return s;
}

std::uint64_t Generations::current(const domain::TenantId& tenant, std::string_view prefix) const {
  const auto key = slot(tenant, prefix);
  std::shared_lock lock(mutex_);
  auto found = values_.find(key);
  return found == values_.end() ? 0 : found->second;
}

void Generations::observe(const domain::TenantId& tenant, std::string_view prefix, std::uint64_t generation) {
  auto key = slot(tenant, prefix);
  std::unique_lock lock(mutex_);
  auto& value = values_[std::move(key)];
  if (generation > value) value = generation;
}

std::uint64_t Generations::next_after(std::uint64_t current) {
  const auto now = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
  return now > current ? now : current + 1;
}

std::uint64_t Generations::bump(const domain::TenantId& tenant, std::string_view prefix) {
  auto key = slot(tenant, prefix);
  std::unique_lock lock(mutex_);
  auto& value = values_[std::move(key)];
  value = next_after(value);
  return value;
}

void Generations::clear() {
  std::unique_lock lock(mutex_);
  values_.clear();
}

}  // namespace fruitpak::cache
