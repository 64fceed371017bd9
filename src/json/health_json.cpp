#include "json/health_json.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace fruitpak::json {
namespace {

// Part of the /health/ready body that operators' probes and dashboards read.
const char* state_name(domain::DependencyState state) {
  switch (state) {
    case domain::DependencyState::kOk: return "ok";
    case domain::DependencyState::kError: return "error";
    case domain::DependencyState::kNotConfigured: return "not_configured";
  }
  return "error";
}

const char* circuit_name(domain::CircuitState state) {
  switch (state) {
    case domain::CircuitState::kClosed: return "closed";
    case domain::CircuitState::kOpen: return "open";
    case domain::CircuitState::kHalfOpen: return "half_open";
  }
  return "open";
}

const char* status_name(domain::ReadinessStatus status) {
  switch (status) {
    case domain::ReadinessStatus::kHealthy: return "healthy";
    case domain::ReadinessStatus::kDegraded: return "degraded";
    case domain::ReadinessStatus::kUnhealthy: return "unhealthy";
  }
  return "unhealthy";
}

boost::json::object database_json(const domain::DatabaseReadiness& d) {
  boost::json::object o{{"state", state_name(d.state)}, {"latency_ms", d.latency_ms}, {"engine", d.engine}};
  if (!d.error.empty()) o["error"] = d.error;
  o["pool"] = boost::json::object{{"open", d.pool.open},       {"idle", d.pool.idle}, {"in_use", d.pool.in_use},
                                  {"waiting", d.pool.waiting}, {"max", d.pool.max}};
  return o;
}

boost::json::object redis_json(const domain::RedisReadiness& r) {
  boost::json::object o{{"state", state_name(r.state)}};
  if (!r.error.empty()) o["error"] = r.error;
  if (r.circuit) o["circuit"] = circuit_name(*r.circuit);
  if (r.pool) {
    o["pool"] = boost::json::object{
        {"open", r.pool->open}, {"idle", r.pool->idle}, {"in_use", r.pool->in_use}, {"max", r.pool->max}};
  }
  return o;
}

}  // namespace

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
      {"status", status_name(readiness.status())},
      {"service", "FruitPAK"},
      {"checks", std::move(checks)},
      {"dependencies",
       boost::json::object{{"database", database_json(readiness.database)}, {"redis", redis_json(readiness.redis)}}},
      {"timestamp", readiness.timestamp}});
}

}  // namespace fruitpak::json
