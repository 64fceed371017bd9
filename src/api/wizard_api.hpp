#pragma once
// /api/wizard (contract 2.9, section 6): progress, the eight step saves, completion.

namespace fruitpak::http {
class Router;
}
namespace fruitpak::services {
class WizardService;
}

namespace fruitpak::api {

class Guard;

void register_wizard_routes(http::Router& router, Guard& guard, services::WizardService& wizard);

}  // namespace fruitpak::api
