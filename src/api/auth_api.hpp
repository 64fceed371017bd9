#pragma once
// /api/auth/* and /api/enterprises/* (contract 2.2, 2.3).

namespace fruitpak::http {
class Router;
}
namespace fruitpak::services::auth {
class AuthService;
}

namespace fruitpak::api {

class Guard;

void register_auth_routes(http::Router& router, Guard& guard, services::auth::AuthService& auth);
void register_enterprise_routes(http::Router& router, Guard& guard, services::auth::AuthService& auth);

}  // namespace fruitpak::api
