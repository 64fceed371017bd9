#pragma once
// GET /health and GET /health/ready (contract section 1.8, decision D4): ready (200) unless
// the database check fails (503); Redis down answers 200 "degraded".

namespace fruitpak::http {
class Router;
}
namespace fruitpak::services {
class HealthService;
}

namespace fruitpak::api {

void register_health_routes(http::Router& router, services::HealthService& health);

}  // namespace fruitpak::api
