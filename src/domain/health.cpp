#include "domain/health.hpp"

namespace fruitpak::domain {

ReadinessStatus Readiness::status() const {
  auto status = ReadinessStatus::kHealthy;
  for (const auto& c : checks) {
    if (!c.state.starts_with("error")) continue;
    if (c.is_required) return ReadinessStatus::kUnhealthy;
    status = ReadinessStatus::kDegraded;
  }
  return status;
}

}  // namespace fruitpak::domain
