#pragma once
// Liveness and readiness as the contract gives them (section 1.8, decision D4).

#include <string>
#include <vector>

namespace fruitpak::domain {

struct Liveness {
  std::string service = "FruitPAK";
  std::string environment;
  std::string timestamp;  // naive UTC ISO
};

struct ReadinessCheck {
  std::string name;   // "service", "database", "redis"
  std::string state;  // "ok", "error: unavailable", "not configured"
};

struct Readiness {
  std::vector<ReadinessCheck> checks;
  std::string timestamp;

  // Healthy when no check reports an error.
  bool is_healthy() const;
};

}  // namespace fruitpak::domain
