#pragma once
// Client invoices and credit notes of one tenant (issue 7 point 4, D14). Soft-deleted rows
// are invisible to every function here. Money travels as cents and is stored as the
// contract's DOUBLE columns; line items as a JSON array of
// {description, quantity, unit, unit_price, amount}.

#include "db/runner.hpp"
#include "domain/account.hpp"
#include "domain/invoice.hpp"
#include "domain/page.hpp"

#include <optional>
#include <string>

namespace fruitpak::db::invoices {

// What an invoice needs of an export.
struct ExportRef {
  std::string id;
  std::string status;
  std::string client_name;
  std::optional<std::string> currency;
  std::string booking_ref;
};

// The tenant's live export `id`, or nullopt.
[[nodiscard]] net::awaitable<Result<std::optional<ExportRef>>> find_export(Runner run, domain::TenantId tenant,
                                                                           std::string id);

[[nodiscard]] net::awaitable<Result<void>> insert(Runner run, domain::TenantId tenant, domain::ClientInvoice invoice);

// The invoice with its booking_ref and applied credits. One statement.
[[nodiscard]] net::awaitable<Result<std::optional<domain::ClientInvoice>>> find(Runner run, domain::TenantId tenant,
                                                                                std::string id);

// find() after taking the invoice's row lock (an UPDATE of updated_at to `now`) for the rest
// of the transaction: concurrent payments and credits against one invoice serialise.
[[nodiscard]] net::awaitable<Result<std::optional<domain::ClientInvoice>>> lock(Runner run, domain::TenantId tenant,
                                                                                std::string id, std::string now);

// The invoice and the credits against it (oldest first). One statement.
[[nodiscard]] net::awaitable<Result<std::optional<domain::InvoiceDetail>>> detail(Runner run, domain::TenantId tenant,
                                                                                  std::string id);

// Newest first (created_at, id, descending), filtered. One statement, plus a count when the
// page lies past the end.
[[nodiscard]] net::awaitable<Result<domain::Page<domain::ClientInvoice>>> list(Runner run, domain::TenantId tenant,
                                                                               domain::InvoiceFilter filter,
                                                                               domain::PageRequest page);

// Writes every column but id, invoice_number, created_at and created_by. kNotFound if the
// row vanished.
[[nodiscard]] net::awaitable<Result<void>> update(Runner run, domain::TenantId tenant, domain::ClientInvoice invoice);

// False if there was no live row to delete.
[[nodiscard]] net::awaitable<Result<bool>> soft_delete(Runner run, domain::TenantId tenant, std::string id,
                                                       std::string now);

}  // namespace fruitpak::db::invoices

namespace fruitpak::db::credits {

[[nodiscard]] net::awaitable<Result<void>> insert(Runner run, domain::TenantId tenant, domain::Credit credit);

// The credit with its invoice's number. One statement.
[[nodiscard]] net::awaitable<Result<std::optional<domain::Credit>>> find(Runner run, domain::TenantId tenant,
                                                                         std::string id);

// find() after taking the credit's row lock (see invoices::lock).
[[nodiscard]] net::awaitable<Result<std::optional<domain::Credit>>> lock(Runner run, domain::TenantId tenant,
                                                                         std::string id, std::string now);

// Newest first, filtered. One statement, plus a count when the page lies past the end.
[[nodiscard]] net::awaitable<Result<domain::Page<domain::Credit>>> list(Runner run, domain::TenantId tenant,
                                                                        domain::CreditFilter filter,
                                                                        domain::PageRequest page);

// Writes status, applied_date, approved_by, approved_at, notes and updated_at. kNotFound if
// the row vanished.
[[nodiscard]] net::awaitable<Result<void>> update_status(Runner run, domain::TenantId tenant, domain::Credit credit);

[[nodiscard]] net::awaitable<Result<bool>> soft_delete(Runner run, domain::TenantId tenant, std::string id,
                                                       std::string now);

// Which of the credit's links (export_id, grower_payment_id) names no live row of this
// tenant: the first such field name, or nullopt. One statement when any is set.
[[nodiscard]] net::awaitable<Result<std::optional<std::string>>> missing_link(Runner run, domain::TenantId tenant,
                                                                              const domain::Credit& credit);

}  // namespace fruitpak::db::credits
