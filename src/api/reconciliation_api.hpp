#pragma once
// /api/reconciliation (contract 2.8, issue 8): the dashboard, runs, and the alerts with
// their review (acknowledge, resolve, dismiss).

namespace fruitpak::http {
class Router;
}
namespace fruitpak::services {
class ReconciliationService;
}

namespace fruitpak::api {

class Guard;

void register_reconciliation_routes(http::Router& router, Guard& guard,
                                    services::ReconciliationService& reconciliation);

}  // namespace fruitpak::api
