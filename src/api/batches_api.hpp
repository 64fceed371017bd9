#pragma once
// /api/batches: GRN intake, list, detail, QR, update (contract 2.6).

namespace fruitpak::http {
class Router;
}
namespace fruitpak::services {
class BatchService;
}

namespace fruitpak::api {

class Guard;

void register_batch_routes(http::Router& router, Guard& guard, services::BatchService& batches);

}  // namespace fruitpak::api
