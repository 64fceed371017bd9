#pragma once
// /api/containers (contract 11.5; issue 7 point 3): create containers (empty or from
// pallets), load and unload pallets, move them along their steps and back, record
// temperature readings, list, read with traceability, edit and delete them.


namespace fruitpak::http {
class Router;
}
namespace fruitpak::services {
class ContainerService;
}

namespace fruitpak::api {

class Guard;

// The routes share ownership of `containers` (server_app keeps no member for it).
void register_container_routes(http::Router& router, Guard& guard,
                               services::ContainerService& containers);

}  // namespace fruitpak::api
