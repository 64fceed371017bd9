#pragma once
// /api/payments/grower (contract 2.7, 11.11): record a grower payment, list them.

namespace fruitpak::http {
class Router;
}
namespace fruitpak::services {
class PaymentService;
}

namespace fruitpak::api {

class Guard;

void register_payment_routes(http::Router& router, Guard& guard, services::PaymentService& payments);

}  // namespace fruitpak::api
