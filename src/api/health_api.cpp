#include "api/health_api.hpp"

#include "api/openapi_schema.hpp"
#include "http/errors.hpp"
#include "http/router.hpp"
#include "json/health_json.hpp"
#include "services/health_service.hpp"

#include <boost/json/object.hpp>

namespace fruitpak::api {

namespace {

namespace bj = boost::json;

// The JSON schemas of this file's routes (OpenAPI components, api/openapi_schema.hpp).
void declare_health_schemas(http::Router& router) {
  const auto state = oas::one_of({"ok", "error", "not_configured"});
  router.add_schema("Liveness", oas::record({{"status", oas::one_of({"ok"})},
                                             {"service", oas::str()},
                                             {"timestamp", oas::str()},
                                             {"environment", oas::str()}}));
  router.add_schema(
      "Readiness",
      oas::record(
          {{"status", oas::one_of({"healthy", "degraded", "unhealthy"})},
           {"service", oas::str()},
           {"checks", bj::object{{"type", "object"}, {"additionalProperties", oas::str()},
                                 {"description", "Each check's state: \"ok\", \"error: ...\", \"not configured\""}}},
           {"dependencies",
            oas::record({{"database", oas::record({{"state", state},
                                                   {"latency_ms", oas::number(0)},
                                                   {"engine", oas::str()},
                                                   {"error", oas::str()},
                                                   {"pool", oas::record({{"open", oas::integer(0)},
                                                                         {"idle", oas::integer(0)},
                                                                         {"in_use", oas::integer(0)},
                                                                         {"waiting", oas::integer(0)},
                                                                         {"max", oas::integer(0)}})}},
                                                  {"error"})},
                         {"redis", oas::record({{"state", state},
                                                {"error", oas::str()},
                                                {"circuit", oas::one_of({"closed", "open", "half_open"})},
                                                {"pool", oas::record({{"open", oas::integer(0)},
                                                                      {"idle", oas::integer(0)},
                                                                      {"in_use", oas::integer(0)},
                                                                      {"max", oas::integer(0)}})}},
                                               {"error", "circuit", "pool"})}})},
           {"timestamp", oas::str()}}));
}

http::RouteInfo health_info(std::string summary, std::vector<http::ResponseDoc> responses) {
  http::RouteInfo info;
  info.summary = std::move(summary);
  info.responses = std::move(responses);
  return info;
}

}  // namespace

void register_health_routes(http::Router& router, services::HealthService& health) {
  declare_health_schemas(router);
  router.add(http::Method::get, "/health", [&health](http::Request&) -> net::awaitable<http::Response> {
    http::Response res{http::Status::ok, 11};
    http::set_json(res, json::to_json(health.liveness()));
    co_return res;
  }, health_info("Liveness: the process answers", {{200, "Liveness"}}));
  router.add(http::Method::get, "/health/ready", [&health](http::Request&) -> net::awaitable<http::Response> {
    const auto report = co_await health.readiness();
    http::Response res{report.is_ready() ? http::Status::ok : http::Status::service_unavailable, 11};
    http::set_json(res, json::to_json(report));
    co_return res;
  }, health_info("Readiness: each dependency's state and the Redis circuit breaker",
                 {{200, "Readiness", "Ready"}, {503, "Readiness", "Not ready (a required dependency failed)"}}));
}

}  // namespace fruitpak::api
