#include "json/health_json.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace fruitpak::json {

std::string to_json(const domain::Liveness& liveness) {
  return boost::json::serialize(boost::json::object{{"status", "ok"},
                                                    {"service", liveness.service},
                                                    {"timestamp", liveness.timestamp},
                                                    {"environment", liveness.environment}});
}

std::string to_json(const domain::Readiness& readiness) {
  boost::json::object checks;
  for (const auto& c : readiness.checks) checks[c.name] = c.state;
  return boost::json::serialize(boost::json::object{
      {"status", readiness.is_healthy() ? "healthy" : "unhealthy"},
      {"service", "FruitPAK"},
      {"checks", std::move(checks)},
      {"timestamp", readiness.timestamp}});
}

}  // namespace fruitpak::json
