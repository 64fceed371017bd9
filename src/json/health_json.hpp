#pragma once
// JSON for /health and /health/ready (contract section 1.8).

#include "domain/health.hpp"

#include <string>

namespace fruitpak::json {

std::string to_json(const domain::Liveness& liveness);
// {"status": "healthy"|"unhealthy", "service", "checks": {name: state}, "timestamp"}
std::string to_json(const domain::Readiness& readiness);

}  // namespace fruitpak::json
