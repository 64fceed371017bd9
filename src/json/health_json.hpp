#pragma once
// JSON for /health and /health/ready (contract section 1.8, issue 9).

#include "domain/health.hpp"

#include <string>

namespace fruitpak::json {

std::string to_json(const domain::Liveness& liveness);
// {"status": "healthy"|"degraded"|"unhealthy", "service", "checks": {name: state},
//  "dependencies": {"database": {"state", "latency_ms", "engine", "pool": {...}},
//                   "redis": {"state", "circuit", "pool": {...}}}, "timestamp"}
// `status`, `service`, `checks` and `timestamp` are the contract's; clients read them.
std::string to_json(const domain::Readiness& readiness);

}  // namespace fruitpak::json
