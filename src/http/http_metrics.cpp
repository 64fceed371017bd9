#include "http/http_metrics.hpp"

#include <mutex>

namespace fruitpak::http {

std::size_t HttpMetrics::class_index(unsigned status) {
  if (status < 100 || status > 599) return 4;
  return status / 100 - 1;
}

void HttpMetrics::observe(std::string_view route, std::string_view method, unsigned status,
                          std::chrono::steady_clock::duration elapsed) {
  if (route.empty()) route = kUnmatched;
  const KeyLess::View key{route, method};
  Entry* entry = nullptr;
  {
    std::shared_lock lock(mutex_);
    if (auto it = entries_.find(key); it != entries_.end()) entry = it->second.get();
  }
  if (!entry) {
    std::unique_lock lock(mutex_);
    auto& slot = entries_[std::pair<std::string, std::string>(route, method)];
    if (!slot) slot = std::make_unique<Entry>();
    entry = slot.get();  // entries are never removed: the pointer stays valid
  }
  entry->by_class[class_index(status)].fetch_add(1, std::memory_order_relaxed);
  entry->latency.observe(elapsed);
}

void HttpMetrics::for_each(const std::function<void(const std::string&, const std::string&, const Entry&)>& visit) const {
  std::shared_lock lock(mutex_);
  for (const auto& [key, entry] : entries_) visit(key.first, key.second, *entry);
}

}  // namespace fruitpak::http
