#include "domain/batch.hpp"

#include <chrono>

namespace fruitpak::domain {

const std::vector<std::string>& batch_statuses() {
  static const std::vector<std::string> statuses{"received", "grading", "processing", "packing", "packed",
                                                 "complete", "completed", "rejected", "dispatched"};
  return statuses;
}

bool is_iso_date(std::string_view t) {
  if (t.size() != 10 || t[4] != '-' || t[7] != '-') return false;
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u}) {
    if (t[i] < '0' || t[i] > '9') return false;
  }
  const int y = std::stoi(std::string(t.substr(0, 4)));
  const unsigned m = static_cast<unsigned>(std::stoi(std::string(t.substr(5, 2))));
  const unsigned d = static_cast<unsigned>(std::stoi(std::string(t.substr(8, 2))));
  return y >= 1 && std::chrono::year_month_day(std::chrono::year(y), std::chrono::month(m), std::chrono::day(d)).ok();
}

}  // namespace fruitpak::domain
