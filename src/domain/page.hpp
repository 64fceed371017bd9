#pragma once
// Offset pagination of the contract (section 1.5, decision D9).

#include <cstdint>
#include <vector>

namespace fruitpak::domain {

inline constexpr int kDefaultPageLimit = 50;
inline constexpr int kMaxPageLimit = 100;

// Requires: 1 <= limit <= kMaxPageLimit, offset >= 0 (validated by the api layer).
struct PageRequest {
  int limit = kDefaultPageLimit;
  std::int64_t offset = 0;
};

template <class T>
struct Page {
  std::vector<T> items;
  std::int64_t total = 0;
  int limit = kDefaultPageLimit;
  std::int64_t offset = 0;
};

}  // namespace fruitpak::domain
