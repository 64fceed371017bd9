#include "services/invoice_service.hpp"

#include "db/code_counter.hpp"
#include "db/database.hpp"
#include "db/invoice_repository.hpp"
#include "util/clock.hpp"
#include "util/crypto.hpp"

namespace fruitpak::services {
namespace {

constexpr std::string_view kInvoiceNotFound = "Invoice not found";
constexpr std::string_view kCreditNotFound = "Credit not found";

std::string today() { return util::iso_utc_now().substr(0, 10); }

Error conflict(std::string message) { return client_error(Errc::kStateConflict, std::move(message)); }

// The export rules of create() and update(): the export must be the tenant's and live
// (422), and not cancelled (409).
net::awaitable<Result<db::invoices::ExportRef>> invoiceable_export(db::Runner run, const domain::TenantId& tenant,
                                                                   std::string id) {
  auto found = co_await db::invoices::find_export(run, tenant, std::move(id));
  if (!found) co_return found.error();
  if (!*found) co_return client_error(Errc::kUnprocessable, "Export not found");
  if ((*found)->status == "cancelled") co_return conflict("Cannot invoice a cancelled export");
  co_return std::move(**found);
}

std::optional<Error> date_refusal(const domain::ClientInvoice& invoice) {
  if (invoice.due_date && *invoice.due_date < invoice.issue_date) {
    return client_error(Errc::kUnprocessable, "due_date must not be before issue_date");
  }
  return std::nullopt;
}

// Runs `change` on the locked invoice `id`: it returns the refusal (409) or mutates the
// invoice, which is then written.
template <class Change>
net::awaitable<Result<domain::ClientInvoice>> change_invoice(db::Database& db, const domain::TenantId& tenant,
                                                             const std::string& id, util::QueryCounter* counter,
                                                             Change change) {
  auto work = [&](db::Lease& tx) -> net::awaitable<Result<domain::ClientInvoice>> {
    db::Runner run(tx);
    const std::string now = util::iso_utc_now();
    auto found = co_await db::invoices::lock(run, tenant, id, now);
    if (!found) co_return found.error();
    if (!*found) co_return client_error(Errc::kNotFound, std::string(kInvoiceNotFound));
    domain::ClientInvoice invoice = std::move(**found);
    if (auto refused = change(invoice)) co_return conflict(std::move(*refused));
    invoice.updated_at = now;
    auto updated = co_await db::invoices::update(run, tenant, invoice);
    if (!updated) co_return updated.error();
    co_return invoice;
  };
  co_return co_await db.transaction(work, counter);
}

// The same for credits (status, dates and approval only).
template <class Change>
net::awaitable<Result<domain::Credit>> change_credit(db::Database& db, const domain::TenantId& tenant,
                                                     const std::string& id, util::QueryCounter* counter,
                                                     Change change) {
  auto work = [&](db::Lease& tx) -> net::awaitable<Result<domain::Credit>> {
    db::Runner run(tx);
    const std::string now = util::iso_utc_now();
    auto found = co_await db::credits::lock(run, tenant, id, now);
    if (!found) co_return found.error();
    if (!*found) co_return client_error(Errc::kNotFound, std::string(kCreditNotFound));
    domain::Credit credit = std::move(**found);
    if (auto refused = change(credit, now)) co_return conflict(std::move(*refused));
    credit.updated_at = now;
    auto updated = co_await db::credits::update_status(run, tenant, credit);
    if (!updated) co_return updated.error();
    co_return credit;
  };
  co_return co_await db.transaction(work, counter);
}

}  // namespace

net::awaitable<Result<domain::ClientInvoice>> InvoiceService::create(domain::TenantId tenant, InvoiceDraft draft,
                                                                     std::string user_id,
                                                                     util::QueryCounter* counter) {
  auto work = [&](db::Lease& tx) -> net::awaitable<Result<domain::ClientInvoice>> {
    db::Runner run(tx);
    domain::ClientInvoice invoice = draft.values;
    if (invoice.export_id) {
      auto exported = co_await invoiceable_export(run, tenant, *invoice.export_id);
      if (!exported) co_return exported.error();
      if (!draft.client_name_sent) invoice.client_name = exported->client_name;
      if (!draft.currency_sent && exported->currency) invoice.currency = *exported->currency;
      invoice.booking_ref = exported->booking_ref;
    }
    if (!draft.issue_date_sent) invoice.issue_date = today();
    if (auto refused = date_refusal(invoice)) co_return *refused;
    const std::string year = invoice.issue_date.substr(0, 4);
    auto number = co_await db::codes::next(run, tenant, std::string(domain::kInvoicePrefix), year);
    if (!number) co_return number.error();
    invoice.id = util::uuid4();
    invoice.invoice_number = domain::invoice_number(year, *number);
    invoice.status = "draft";
    invoice.amount_paid = 0;
    invoice.credited_amount = 0;
    invoice.paid_date.reset();
    domain::recompute(invoice);
    invoice.created_by = user_id;
    invoice.created_at = util::iso_utc_now();
    invoice.updated_at = invoice.created_at;
    auto inserted = co_await db::invoices::insert(run, tenant, invoice);
    if (!inserted) co_return inserted.error();
    co_return invoice;
  };
  co_return co_await db_.transaction(work, counter);
}

net::awaitable<Result<domain::InvoiceDetail>> InvoiceService::get(domain::TenantId tenant, std::string id,
                                                                  util::QueryCounter* counter) {
  auto found = co_await db::invoices::detail(db::Runner(db_, counter), std::move(tenant), std::move(id));
  if (!found) co_return found.error();
  if (!*found) co_return client_error(Errc::kNotFound, std::string(kInvoiceNotFound));
  co_return std::move(**found);
}

net::awaitable<Result<domain::Page<domain::ClientInvoice>>> InvoiceService::list(domain::TenantId tenant,
                                                                                 domain::InvoiceFilter filter,
                                                                                 domain::PageRequest page,
                                                                                 util::QueryCounter* counter) {
  co_return co_await db::invoices::list(db::Runner(db_, counter), std::move(tenant), std::move(filter), page);
}

net::awaitable<Result<domain::ClientInvoice>> InvoiceService::update(domain::TenantId tenant, std::string id,
                                                                     InvoicePatch patch,
                                                                     util::QueryCounter* counter) {
  auto work = [&](db::Lease& tx) -> net::awaitable<Result<domain::ClientInvoice>> {
    db::Runner run(tx);
    const std::string now = util::iso_utc_now();
    auto found = co_await db::invoices::lock(run, tenant, id, now);
    if (!found) co_return found.error();
    if (!*found) co_return client_error(Errc::kNotFound, std::string(kInvoiceNotFound));
    const domain::ClientInvoice before = std::move(**found);
    if (auto refused = domain::edit_refusal(before)) co_return conflict(std::move(*refused));
    domain::ClientInvoice after = before;
    patch(after);
    if (after.export_id != before.export_id) {
      after.booking_ref.reset();
      if (after.export_id) {
        auto exported = co_await invoiceable_export(run, tenant, *after.export_id);
        if (!exported) co_return exported.error();
        after.booking_ref = exported->booking_ref;
      }
    }
    if (auto refused = date_refusal(after)) co_return *refused;
    domain::recompute(after);
    after.updated_at = now;
    auto updated = co_await db::invoices::update(run, tenant, after);
    if (!updated) co_return updated.error();
    co_return after;
  };
  co_return co_await db_.transaction(work, counter);
}

net::awaitable<Result<domain::ClientInvoice>> InvoiceService::issue(domain::TenantId tenant, std::string id,
                                                                    util::QueryCounter* counter) {
  auto change = [](domain::ClientInvoice& invoice) -> std::optional<std::string> {
    if (auto refused = domain::issue_refusal(invoice)) return refused;
    invoice.status = "issued";
    return std::nullopt;
  };
  co_return co_await change_invoice(db_, tenant, id, counter, change);
}

net::awaitable<Result<domain::ClientInvoice>> InvoiceService::cancel(domain::TenantId tenant, std::string id,
                                                                     util::QueryCounter* counter) {
  auto change = [](domain::ClientInvoice& invoice) -> std::optional<std::string> {
    if (auto refused = domain::cancel_refusal(invoice)) return refused;
    invoice.status = "cancelled";
    return std::nullopt;
  };
  co_return co_await change_invoice(db_, tenant, id, counter, change);
}

net::awaitable<Result<domain::ClientInvoice>> InvoiceService::pay(domain::TenantId tenant, std::string id,
                                                                  domain::Cents amount,
                                                                  std::optional<std::string> paid_date,
                                                                  util::QueryCounter* counter) {
  const std::string day = paid_date.value_or(today());
  auto change = [amount, &day](domain::ClientInvoice& invoice) -> std::optional<std::string> {
    if (auto refused = domain::payment_refusal(invoice, amount)) return refused;
    domain::pay(invoice, amount, day);
    return std::nullopt;
  };
  co_return co_await change_invoice(db_, tenant, id, counter, change);
}

net::awaitable<Result<void>> InvoiceService::remove(domain::TenantId tenant, std::string id,
                                                    util::QueryCounter* counter) {
  auto work = [&](db::Lease& tx) -> net::awaitable<Result<int>> {
    db::Runner run(tx);
    const std::string now = util::iso_utc_now();
    auto found = co_await db::invoices::lock(run, tenant, id, now);
    if (!found) co_return found.error();
    if (!*found) co_return client_error(Errc::kNotFound, std::string(kInvoiceNotFound));
    if (auto refused = domain::invoice_delete_refusal(**found)) co_return conflict(std::move(*refused));
    auto deleted = co_await db::invoices::soft_delete(run, tenant, id, now);
    if (!deleted) co_return deleted.error();
    co_return 1;
  };
  auto removed = co_await db_.transaction(work, counter);
  if (!removed) co_return removed.error();
  co_return Result<void>{};
}

net::awaitable<Result<domain::Credit>> CreditService::create(domain::TenantId tenant, CreditDraft draft,
                                                             std::string user_id, util::QueryCounter* counter) {
  auto work = [&](db::Lease& tx) -> net::awaitable<Result<domain::Credit>> {
    db::Runner run(tx);
    domain::Credit credit = draft.values;
    if (credit.invoice_id) {
      auto invoice = co_await db::invoices::find(run, tenant, *credit.invoice_id);
      if (!invoice) co_return invoice.error();
      if (!*invoice) co_return client_error(Errc::kUnprocessable, std::string(kInvoiceNotFound));
      if (!draft.currency_sent) {
        credit.currency = (*invoice)->currency;
      } else if (credit.currency != (*invoice)->currency) {
        co_return client_error(Errc::kUnprocessable, "Credit currency " + credit.currency +
                                                         " differs from the invoice's currency " +
                                                         (*invoice)->currency);
      }
      if (!credit.export_id) credit.export_id = (*invoice)->export_id;
      credit.invoice_number = (*invoice)->invoice_number;
    }
    auto missing = co_await db::credits::missing_link(run, tenant, credit);
    if (!missing) co_return missing.error();
    if (*missing) {
      co_return client_error(Errc::kUnprocessable,
                             **missing == "export_id" ? "Export not found" : "Grower payment not found");
    }
    if (!draft.issue_date_sent) credit.issue_date = today();
    const std::string year = credit.issue_date.substr(0, 4);
    auto number = co_await db::codes::next(run, tenant, std::string(domain::kCreditPrefix), year);
    if (!number) co_return number.error();
    credit.id = util::uuid4();
    credit.credit_number = domain::credit_number(year, *number);
    credit.status = "draft";
    credit.created_by = user_id;
    credit.created_at = util::iso_utc_now();
    credit.updated_at = credit.created_at;
    auto inserted = co_await db::credits::insert(run, tenant, credit);
    if (!inserted) co_return inserted.error();
    co_return credit;
  };
  co_return co_await db_.transaction(work, counter);
}

net::awaitable<Result<domain::Credit>> CreditService::get(domain::TenantId tenant, std::string id,
                                                          util::QueryCounter* counter) {
  auto found = co_await db::credits::find(db::Runner(db_, counter), std::move(tenant), std::move(id));
  if (!found) co_return found.error();
  if (!*found) co_return client_error(Errc::kNotFound, std::string(kCreditNotFound));
  co_return std::move(**found);
}

net::awaitable<Result<domain::Page<domain::Credit>>> CreditService::list(domain::TenantId tenant,
                                                                         domain::CreditFilter filter,
                                                                         domain::PageRequest page,
                                                                         util::QueryCounter* counter) {
  co_return co_await db::credits::list(db::Runner(db_, counter), std::move(tenant), std::move(filter), page);
}

net::awaitable<Result<domain::Credit>> CreditService::issue(domain::TenantId tenant, std::string id,
                                                            std::string user_id, util::QueryCounter* counter) {
  auto change = [&user_id](domain::Credit& credit, const std::string& now) -> std::optional<std::string> {
    if (auto refused = domain::credit_issue_refusal(credit)) return refused;
    credit.status = "issued";
    credit.approved_by = user_id;
    credit.approved_at = now;
    return std::nullopt;
  };
  co_return co_await change_credit(db_, tenant, id, counter, change);
}

net::awaitable<Result<domain::Credit>> CreditService::cancel(domain::TenantId tenant, std::string id,
                                                             util::QueryCounter* counter) {
  auto change = [](domain::Credit& credit, const std::string&) -> std::optional<std::string> {
    if (auto refused = domain::credit_cancel_refusal(credit)) return refused;
    credit.status = "cancelled";
    return std::nullopt;
  };
  co_return co_await change_credit(db_, tenant, id, counter, change);
}

net::awaitable<Result<domain::Credit>> CreditService::apply(domain::TenantId tenant, std::string id,
                                                            util::QueryCounter* counter) {
  auto work = [&](db::Lease& tx) -> net::awaitable<Result<domain::Credit>> {
    db::Runner run(tx);
    const std::string now = util::iso_utc_now();
    const std::string day = now.substr(0, 10);
    auto found = co_await db::credits::lock(run, tenant, id, now);
    if (!found) co_return found.error();
    if (!*found) co_return client_error(Errc::kNotFound, std::string(kCreditNotFound));
    domain::Credit credit = std::move(**found);
    std::optional<domain::ClientInvoice> invoice;
    if (credit.invoice_id && credit.status == "issued") {
      auto locked = co_await db::invoices::lock(run, tenant, *credit.invoice_id, now);
      if (!locked) co_return locked.error();
      // A deleted invoice can hold no issued credit: deleting needs draft or cancelled, and
      // credits are only applied to issued ones. Answer it as a conflict all the same.
      if (!*locked) co_return conflict("The credit's invoice no longer exists");
      invoice = std::move(**locked);
    }
    if (auto refused = domain::credit_apply_refusal(credit, invoice ? &*invoice : nullptr)) {
      co_return conflict(std::move(*refused));
    }
    credit.status = "applied";
    credit.applied_date = day;
    credit.updated_at = now;
    auto updated = co_await db::credits::update_status(run, tenant, credit);
    if (!updated) co_return updated.error();
    if (invoice) {
      domain::credit(*invoice, credit.total_amount, day);
      invoice->updated_at = now;
      auto written = co_await db::invoices::update(run, tenant, *invoice);
      if (!written) co_return written.error();
    }
    co_return credit;
  };
  co_return co_await db_.transaction(work, counter);
}

net::awaitable<Result<void>> CreditService::remove(domain::TenantId tenant, std::string id,
                                                   util::QueryCounter* counter) {
  auto work = [&](db::Lease& tx) -> net::awaitable<Result<int>> {
    db::Runner run(tx);
    const std::string now = util::iso_utc_now();
    auto found = co_await db::credits::lock(run, tenant, id, now);
    if (!found) co_return found.error();
    if (!*found) co_return client_error(Errc::kNotFound, std::string(kCreditNotFound));
    if (auto refused = domain::credit_delete_refusal(**found)) co_return conflict(std::move(*refused));
    auto deleted = co_await db::credits::soft_delete(run, tenant, id, now);
    if (!deleted) co_return deleted.error();
    co_return 1;
  };
  auto removed = co_await db_.transaction(work, counter);
  if (!removed) co_return removed.error();
  co_return Result<void>{};
}

}  // namespace fruitpak::services
