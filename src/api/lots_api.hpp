#pragma once
// /api/lots (contract 11.3; issue 7 point 1): pack lots from a batch, list, read, edit and
// delete them.

namespace fruitpak::http {
class Router;
}
namespace fruitpak::services {
class LotService;
}

namespace fruitpak::api {

class Guard;

void register_lot_routes(http::Router& router, Guard& guard, services::LotService& lots);

}  // namespace fruitpak::api
