#pragma once
// /api/growers (contract 2.5, 11.9; create and soft delete per D14).

namespace fruitpak::http {
class Router;
}
namespace fruitpak::services {
class GrowerService;
}

namespace fruitpak::api {

class Guard;

void register_grower_routes(http::Router& router, Guard& guard, services::GrowerService& growers);

}  // namespace fruitpak::api
