#pragma once
// /api/pallets (contract 11.4; issue 7 point 2): build pallets from lots, create empty
// ones, list, read, edit and delete them, allocate lots to them and take allocations off.


namespace fruitpak::http {
class Router;
}
namespace fruitpak::services {
class PalletService;
}

namespace fruitpak::api {

class Guard;

// The routes share ownership of `pallets` (server_app keeps no member for it).
void register_pallet_routes(http::Router& router, Guard& guard, services::PalletService& pallets);

}  // namespace fruitpak::api
