#pragma once
// Grower payments of a tenant: record a payment, list them (contract 2.7; 11.11's
// grower_code and packhouse_id). Safe for concurrent use.

#include "domain/account.hpp"
#include "domain/page.hpp"
#include "domain/payment.hpp"
#include "util/asio.hpp"
#include "util/query_counter.hpp"
#include "util/result.hpp"

#include <optional>
#include <string>

namespace fruitpak::db {
class Database;
}

namespace fruitpak::services {

class PaymentService {
 public:
  explicit PaymentService(db::Database& db) : db_(db) {}

  // Records a payment with status "paid", paid on request.payment_date, under a new
  // PAY-<UTC YYYYMMDD>-NNN reference, in one transaction. It covers the listed batches, or
  // with none listed every live, non-rejected batch of the grower; total_kg and rate_per_kg
  // follow from their weights. Errors: kNotFound "Grower not found" (unknown, soft-deleted
  // or another tenant's); kUnprocessable "Batches not found or don't belong to this grower:
  // <ids>" for listed ids that are not live batches of the grower.
  [[nodiscard]] net::awaitable<Result<domain::GrowerPayment>> create_grower_payment(
      domain::TenantId tenant, domain::GrowerPaymentRequest request, util::QueryCounter* counter);

  // Live payments, newest first; only the grower's with `grower_id`. A constant number of
  // statements whatever the page size.
  [[nodiscard]] net::awaitable<Result<domain::Page<domain::GrowerPayment>>> list_grower_payments(
      domain::TenantId tenant, std::optional<std::string> grower_id, domain::PageRequest page,
      util::QueryCounter* counter);

 private:
  db::Database& db_;
};

}  // namespace fruitpak::services
