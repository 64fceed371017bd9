#pragma once
// /api/exports (issue 7 point 4; our own resource per D14): book, list, read, change and
// delete exports, and attach containers to them or detach them.


namespace fruitpak::http {
class Router;
}
namespace fruitpak::services {
class ExportService;
}

namespace fruitpak::api {

class Guard;

// The routes share ownership of the service.
void register_export_routes(http::Router& router, Guard& guard, services::ExportService& exports);

}  // namespace fruitpak::api
