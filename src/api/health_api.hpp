#pragma once
// GET /health and GET /health/ready (contract section 1.8, decision D4).

namespace fruitpak::http {
class Router;
}
namespace fruitpak::services {
class HealthService;
}

namespace fruitpak::api {

void register_health_routes(http::Router& router, services::HealthService& health);

}  // namespace fruitpak::api
