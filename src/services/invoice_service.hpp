#pragma once
// Client invoices and credit notes of a tenant (issue 7 point 4, D14): create, list, read,
// edit drafts, move along the status machines of domain/invoice.hpp, record payments and
// apply credits, soft delete. Safe for concurrent use; every write is one transaction, and
// a write that moves an invoice or credit along holds its row lock while it decides.

#include "domain/account.hpp"
#include "domain/invoice.hpp"
#include "domain/page.hpp"
#include "util/asio.hpp"
#include "util/query_counter.hpp"
#include "util/result.hpp"

#include <functional>
#include <optional>
#include <string>

namespace fruitpak::db {
class Database;
}

namespace fruitpak::services {

// A new invoice as the api layer read it: `values` holds the body's fields; what the body
// left out is taken from the export (client_name, currency) or defaulted (currency USD,
// issue_date today).
struct InvoiceDraft {
  domain::ClientInvoice values;
  bool client_name_sent = false;
  bool currency_sent = false;
  bool issue_date_sent = false;
};

// A change to a draft invoice, applied to the stored row by the api layer's reader.
using InvoicePatch = std::function<void(domain::ClientInvoice&)>;

class InvoiceService {
 public:
  explicit InvoiceService(db::Database& db) : db_(db) {}

  // Stores a draft numbered INV-<issue year>-<NNNN>, totals computed from its lines.
  // kUnprocessable "Export not found" for an export_id naming no live export of this
  // tenant; kStateConflict "Cannot invoice a cancelled export"; kUnprocessable when the due
  // date is before the issue date.
  [[nodiscard]] net::awaitable<Result<domain::ClientInvoice>> create(domain::TenantId tenant, InvoiceDraft draft,
                                                                     std::string user_id,
                                                                     util::QueryCounter* counter);

  // kNotFound "Invoice not found" for unknown, deleted and other tenants' ids alike.
  [[nodiscard]] net::awaitable<Result<domain::InvoiceDetail>> get(domain::TenantId tenant, std::string id,
                                                                  util::QueryCounter* counter);

  [[nodiscard]] net::awaitable<Result<domain::Page<domain::ClientInvoice>>> list(domain::TenantId tenant,
                                                                                 domain::InvoiceFilter filter,
                                                                                 domain::PageRequest page,
                                                                                 util::QueryCounter* counter);

  // Applies `patch` to a draft and recomputes its totals. kStateConflict "Only draft
  // invoices can be edited"; the export and date rules of create().
  [[nodiscard]] net::awaitable<Result<domain::ClientInvoice>> update(domain::TenantId tenant, std::string id,
                                                                     InvoicePatch patch,
                                                                     util::QueryCounter* counter);

  // draft -> issued; kStateConflict otherwise.
  [[nodiscard]] net::awaitable<Result<domain::ClientInvoice>> issue(domain::TenantId tenant, std::string id,
                                                                    util::QueryCounter* counter);

  // draft, or issued with nothing paid or credited -> cancelled; kStateConflict otherwise.
  [[nodiscard]] net::awaitable<Result<domain::ClientInvoice>> cancel(domain::TenantId tenant, std::string id,
                                                                     util::QueryCounter* counter);

  // A payment of `amount` cents (> 0) on `paid_date` (YYYY-MM-DD, default today) against an
  // issued or partially paid invoice, at most its balance due: partially_paid, or paid at a
  // zero balance. kStateConflict otherwise.
  [[nodiscard]] net::awaitable<Result<domain::ClientInvoice>> pay(domain::TenantId tenant, std::string id,
                                                                  domain::Cents amount,
                                                                  std::optional<std::string> paid_date,
                                                                  util::QueryCounter* counter);

  // Soft delete of a draft or cancelled invoice; kStateConflict otherwise.
  [[nodiscard]] net::awaitable<Result<void>> remove(domain::TenantId tenant, std::string id,
                                                    util::QueryCounter* counter);

 private:
  db::Database& db_;
};

// A new credit as the api layer read it (`values.total_amount` is the sum of its lines when
// it has lines).
struct CreditDraft {
  domain::Credit values;
  bool currency_sent = false;
  bool issue_date_sent = false;
};

class CreditService {
 public:
  explicit CreditService(db::Database& db) : db_(db) {}

  // Stores a draft numbered CN-<issue year>-<NNN>. An invoice_id must name a live invoice of
  // this tenant (kUnprocessable "Invoice not found"); the currency then defaults to and
  // must equal the invoice's, and the export defaults to the invoice's. kUnprocessable
  // "Export not found" / "Grower payment not found" for other links naming no row.
  [[nodiscard]] net::awaitable<Result<domain::Credit>> create(domain::TenantId tenant, CreditDraft draft,
                                                              std::string user_id, util::QueryCounter* counter);

  // kNotFound "Credit not found" for unknown, deleted and other tenants' ids alike.
  [[nodiscard]] net::awaitable<Result<domain::Credit>> get(domain::TenantId tenant, std::string id,
                                                           util::QueryCounter* counter);

  [[nodiscard]] net::awaitable<Result<domain::Page<domain::Credit>>> list(domain::TenantId tenant,
                                                                          domain::CreditFilter filter,
                                                                          domain::PageRequest page,
                                                                          util::QueryCounter* counter);

  // draft -> issued, approved by `user_id` now.
  [[nodiscard]] net::awaitable<Result<domain::Credit>> issue(domain::TenantId tenant, std::string id,
                                                             std::string user_id, util::QueryCounter* counter);

  // issued -> applied today. Against an invoice: the invoice must be issued or partially
  // paid with a balance due of at least the credit's total; its balance drops by the total
  // (see domain::credit). kStateConflict otherwise, nothing written.
  [[nodiscard]] net::awaitable<Result<domain::Credit>> apply(domain::TenantId tenant, std::string id,
                                                             util::QueryCounter* counter);

  // draft or issued -> cancelled.
  [[nodiscard]] net::awaitable<Result<domain::Credit>> cancel(domain::TenantId tenant, std::string id,
                                                              util::QueryCounter* counter);

  // Soft delete of a draft or cancelled credit; kStateConflict otherwise.
  [[nodiscard]] net::awaitable<Result<void>> remove(domain::TenantId tenant, std::string id,
                                                    util::QueryCounter* counter);

 private:
  db::Database& db_;
};

}  // namespace fruitpak::services
