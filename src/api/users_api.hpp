#pragma once
// /api/admin/users (issue 7 point 6, contract 11.13): an administrator lists the
// enterprise's users, changes one, deactivates and reactivates.

namespace fruitpak::http {
class Router;
}
namespace fruitpak::services {
class UserAdminService;
}

namespace fruitpak::api {

class Guard;

void register_user_admin_routes(http::Router& router, Guard& guard, services::UserAdminService& users);

}  // namespace fruitpak::api
