#include "domain/health.hpp"

#include <algorithm>

namespace fruitpak::domain {

bool Readiness::is_healthy() const {
  return std::none_of(checks.begin(), checks.end(),
                      [](const ReadinessCheck& c) { return c.state.starts_with("error"); });
}

}  // namespace fruitpak::domain
