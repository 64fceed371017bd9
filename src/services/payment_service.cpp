#include "services/payment_service.hpp"

#include "db/code_counter.hpp"
#include "db/database.hpp"
#include "db/grower_repository.hpp"
#include "db/payment_repository.hpp"
#include "util/clock.hpp"
#include "util/crypto.hpp"

#include <set>

namespace fruitpak::services {
namespace {

// "2026-02-12T14:03:22.123456" -> "20260212": the day of a PAY- reference.
std::string code_day(std::string_view iso_timestamp) {
  return std::string(iso_timestamp.substr(0, 4)) + std::string(iso_timestamp.substr(5, 2)) +
         std::string(iso_timestamp.substr(8, 2));
}

// The listed ids that are not among `found`, in the order the client sent them.
std::string missing_ids(const std::vector<std::string>& listed, const std::vector<domain::CoveredBatch>& found) {
  std::set<std::string_view> found_ids;
  for (const auto& b : found) found_ids.insert(b.id);
  std::string out;
  for (const auto& id : listed) {
    if (found_ids.contains(id)) continue;
    if (!out.empty()) out += ", ";
    out += id;
  }
  return out;
}

// The batches the payment covers: the listed ones, all of which must be live batches of the
// grower, or with none listed every live, non-rejected batch of the grower.
net::awaitable<Result<std::vector<domain::CoveredBatch>>> covered_batches(db::Runner run,
                                                                          const domain::TenantId& tenant,
                                                                          const domain::GrowerPaymentRequest& request) {
  if (request.batch_ids.empty()) {
    co_return co_await db::payments::payable_grower_batches(run, tenant, request.grower_id);
  }
  auto found = co_await db::payments::find_grower_batches(run, tenant, request.grower_id, request.batch_ids);
  if (!found) co_return found.error();
  if (found->size() != request.batch_ids.size()) {
    co_return client_error(Errc::kUnprocessable, "Batches not found or don't belong to this grower: " +
                                                     missing_ids(request.batch_ids, *found));
  }
  co_return std::move(*found);
}

// The payment row of contract 2.7's create rules, before it has its reference.
domain::GrowerPayment new_payment(const domain::GrowerPaymentRequest& request, const domain::Grower& grower,
                                  const std::vector<domain::CoveredBatch>& covered, const std::string& now) {
  domain::GrowerPayment p;
  p.id = util::uuid4();
  p.grower_id = grower.id;
  p.grower_name = grower.name;
  p.grower_code = grower.grower_code;
  p.packhouse_id = grower.packhouse_id;
  if (request.batch_ids.empty()) {
    for (const auto& b : covered) p.batch_ids.push_back(b.id);
  } else {
    p.batch_ids = request.batch_ids;
  }
  p.currency = request.currency;
  p.gross_amount = request.amount;
  p.net_amount = request.amount;
  p.total_deductions = 0;
  p.total_kg = domain::total_kg_of(covered);
  p.rate_per_kg = domain::rate_per_kg_of(request.amount, p.total_kg);
  p.payment_type = request.payment_type;
  p.paid_date = request.payment_date;
  p.status = "paid";
  p.notes = request.notes;
  p.created_at = now;
  p.updated_at = now;
  return p;
}

}  // namespace

net::awaitable<Result<domain::GrowerPayment>> PaymentService::create_grower_payment(
    domain::TenantId tenant, domain::GrowerPaymentRequest request, util::QueryCounter* counter) {
  auto work = [&](db::Lease& tx) -> net::awaitable<Result<domain::GrowerPayment>> {
    db::Runner run(tx);
    auto grower = co_await db::growers::find(run, tenant, request.grower_id);
    if (!grower) co_return grower.error();
    if (!*grower) co_return client_error(Errc::kNotFound, "Grower not found");
    auto covered = co_await covered_batches(run, tenant, request);
    if (!covered) co_return covered.error();
    const std::string now = util::iso_utc_now();
    domain::GrowerPayment payment = new_payment(request, **grower, *covered, now);
    // D12: the counter row serialises concurrent creates of the tenant, so references are
    // unique without retries.
    const std::string day = code_day(now);
    auto number = co_await db::codes::next(run, tenant, std::string(domain::kPaymentRefPrefix), day);
    if (!number) co_return number.error();
    payment.payment_ref = db::codes::format_code(domain::kPaymentRefPrefix, day, *number);
    auto inserted = co_await db::payments::insert(run, tenant, payment);
    if (!inserted) co_return inserted.error();
    // TODO(issue 8): run the full reconciliation here, in this transaction, as contract 2.7
    // requires; the engine does not exist yet.
    co_return payment;
  };
  co_return co_await db_.transaction(work, counter);
}

net::awaitable<Result<domain::Page<domain::GrowerPayment>>> PaymentService::list_grower_payments(
    domain::TenantId tenant, std::optional<std::string> grower_id, domain::PageRequest page,
    util::QueryCounter* counter) {
  co_return co_await db::payments::list(db::Runner(db_, counter), std::move(tenant), std::move(grower_id), page);
}

}  // namespace fruitpak::services
