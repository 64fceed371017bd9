#include "api/health_api.hpp"

#include "http/errors.hpp"
#include "http/router.hpp"
#include "json/health_json.hpp"
#include "services/health_service.hpp"

namespace fruitpak::api {

void register_health_routes(http::Router& router, services::HealthService& health) {
  router.add(http::Method::get, "/health", [&health](http::Request&) -> net::awaitable<http::Response> {
    http::Response res{http::Status::ok, 11};
    http::set_json(res, json::to_json(health.liveness()));
    co_return res;
  });
  router.add(http::Method::get, "/health/ready", [&health](http::Request&) -> net::awaitable<http::Response> {
    const auto report = co_await health.readiness();
    http::Response res{report.is_ready() ? http::Status::ok : http::Status::service_unavailable, 11};
    http::set_json(res, json::to_json(report));
    co_return res;
  });
}

}  // namespace fruitpak::api
