#pragma once
// /api/labour-costs (issue 7, D14): record, list, read, change and delete labour costs.

namespace fruitpak::http {
class Router;
}
namespace fruitpak::services {
class LabourService;
}

namespace fruitpak::api {

class Guard;

void register_labour_routes(http::Router& router, Guard& guard, services::LabourService& labour);

}  // namespace fruitpak::api
