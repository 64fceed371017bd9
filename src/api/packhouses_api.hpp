#pragma once
// /api/packhouses (contract 2.4).

namespace fruitpak::http {
class Router;
}
namespace fruitpak::services {
class PackhouseService;
}

namespace fruitpak::api {

class Guard;

void register_packhouse_routes(http::Router& router, Guard& guard, services::PackhouseService& packhouses);

}  // namespace fruitpak::api
