#pragma once
// /api/client-invoices and /api/credits (issue 7 point 4, D14): client invoices against
// exports with their payments, and credit notes against invoices, each with its status
// machine (domain/invoice.hpp).


namespace fruitpak::http {
class Router;
}
namespace fruitpak::services {
class InvoiceService;
class CreditService;
}  // namespace fruitpak::services

namespace fruitpak::api {

class Guard;

// The routes share ownership of the services (stateless but for the database reference),
// so the application need not hold them.
void register_invoice_routes(http::Router& router, Guard& guard, services::InvoiceService& invoices,
                             services::CreditService& credits);

}  // namespace fruitpak::api
