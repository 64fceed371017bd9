#pragma once
// Client invoices and credit notes (issue 7 point 4; our own resource per D14, on the
// contract's `client_invoices` and `credits` tables): the money rules and the status
// machines. Money is computed in integer cents and becomes the stored DOUBLE only at the
// edge; quantities are counted in thousandths, unit prices in ten-thousandths (a price per
// kg may have fractions of a cent), tax rates in ten-thousandths of a percent, so every
// rule below is exact integer arithmetic rounded half up to the cent.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/money.hpp"

namespace fruitpak::domain {

inline constexpr std::string_view kInvoicePrefix = "INV";  // INV-<YYYY>-<NNNN>
inline constexpr std::string_view kCreditPrefix = "CN";    // CN-<YYYY>-<NNN>

// Section 3.5's enumerations.
inline bool is_invoice_status(std::string_view s) {
  return s == "draft" || s == "issued" || s == "partially_paid" || s == "paid" || s == "cancelled" ||
         s == "credited";
}
inline bool is_credit_type(std::string_view t) {
  return t == "client_credit" || t == "grower_credit" || t == "adjustment";
}
inline bool is_credit_reason(std::string_view r) {
  return r == "quality_claim" || r == "short_delivery" || r == "price_adjustment" || r == "reject_return" ||
         r == "other";
}
inline bool is_credit_status(std::string_view s) {
  return s == "draft" || s == "issued" || s == "applied" || s == "cancelled";
}

// `value` x 10^places as an integer when it has at most `places` decimals (within the
// precision of a double); nullopt otherwise. Requires: 0 <= places <= 6, |value| <= 1e12.
std::optional<std::int64_t> scaled_exactly(double value, int places);

// "17392.60", "-0.05": cents as a decimal with two places, for messages.
std::string format_cents(Cents cents);

// quantity x unit price, rounded half up to the cent: 3 x 0.335 = 1.005 -> 1.01; the
// largest Cents when that does not fit. Requires: quantity_milli >= 0, unit_price_e4 >= 0.
Cents line_amount(std::int64_t quantity_milli, std::int64_t unit_price_e4);

// rate % of `subtotal`, rounded half up to the cent: 15 % of 0.05 = 0.0075 -> 0.01.
// rate_e4 is the percentage in ten-thousandths (15 % = 150000). Requires: both >= 0.
Cents tax_of(Cents subtotal, std::int64_t rate_e4);

// One line of an invoice or credit. Lines stored before our API (demo data) may lack the
// quantity or unit price: they are then absent, and the amount counts as stored.
struct InvoiceLine {
  std::string description;
  std::optional<std::int64_t> quantity_milli;
  std::optional<std::string> unit;
  std::optional<std::int64_t> unit_price_e4;  // ten-thousandths
  Cents amount = 0;
};

// A line as the client sends it: its amount is quantity x unit price.
InvoiceLine make_line(std::string description, std::int64_t quantity_milli, std::optional<std::string> unit,
                      std::int64_t unit_price_e4);

struct InvoiceTotals {
  Cents subtotal = 0;
  Cents tax = 0;
  Cents total = 0;
};

// subtotal = sum of the line amounts, tax = tax_of(subtotal), total = subtotal + tax.
InvoiceTotals invoice_totals(const std::vector<InvoiceLine>& lines, std::int64_t rate_e4);

// The tax rate of a stored invoice in ten-thousandths of a percent.
std::int64_t rate_e4_of(double tax_rate_pct);

// "INV-2026-0007" and "CN-2026-007" (numbers grow past the padding).
std::string invoice_number(std::string_view year, std::int64_t number);
std::string credit_number(std::string_view year, std::int64_t number);

// ClientInvoiceOut: the row plus the export's booking_ref and the applied credits.
struct ClientInvoice {
  std::string id;
  std::string invoice_number;
  std::string client_name;
  std::optional<std::string> client_ref;
  std::optional<std::string> export_id;
  std::string currency = "USD";
  std::vector<InvoiceLine> line_items;
  Cents subtotal = 0;
  double tax_rate_pct = 0;
  Cents tax_amount = 0;
  Cents total_amount = 0;
  Cents amount_paid = 0;
  Cents balance_due = 0;
  std::string issue_date;  // YYYY-MM-DD
  std::optional<std::string> due_date;
  std::optional<std::string> paid_date;
  std::optional<std::string> payment_terms;
  std::optional<std::string> incoterm;
  std::string status = "draft";
  std::optional<std::string> notes;
  std::optional<std::string> created_by;
  std::string created_at;
  std::string updated_at;
  // Not columns of the invoice.
  std::optional<std::string> booking_ref;
  Cents credited_amount = 0;  // the invoice's applied credits
};

// Sets subtotal, tax, total and balance due from the lines, the rate, the payments and the
// applied credits.
void recompute(ClientInvoice& invoice);

// A credit note as the invoice detail lists it.
struct CreditSummary {
  std::string id;
  std::string credit_number;
  std::string status;
  Cents total_amount = 0;
};

struct InvoiceDetail {
  ClientInvoice invoice;
  std::vector<CreditSummary> credits;
};

struct InvoiceFilter {
  std::optional<std::string> status;
  std::optional<std::string> export_id;
  std::optional<std::string> client;     // substring of client_name, any case
  std::optional<std::string> date_from;  // issue_date, inclusive
  std::optional<std::string> date_to;
};

struct Credit {
  std::string id;
  std::string credit_number;
  std::string credit_type;
  std::string reason;
  std::optional<std::string> reason_detail;
  std::optional<std::string> invoice_id;
  std::optional<std::string> grower_payment_id;
  std::optional<std::string> export_id;
  std::string currency;
  std::optional<std::vector<InvoiceLine>> line_items;
  Cents total_amount = 0;
  std::string issue_date;  // YYYY-MM-DD
  std::optional<std::string> applied_date;
  std::string status = "draft";
  std::optional<std::string> approved_by;
  std::optional<std::string> approved_at;
  std::optional<std::string> notes;
  std::optional<std::string> created_by;
  std::string created_at;
  std::string updated_at;
  // Not a column: the invoice's number.
  std::optional<std::string> invoice_number;
};

struct CreditFilter {
  std::optional<std::string> status;
  std::optional<std::string> credit_type;
  std::optional<std::string> invoice_id;
};

// The status machines. Each returns the refusal (409) of a move, or nullopt when allowed.
std::optional<std::string> edit_refusal(const ClientInvoice& invoice);
std::optional<std::string> issue_refusal(const ClientInvoice& invoice);
std::optional<std::string> cancel_refusal(const ClientInvoice& invoice);
std::optional<std::string> payment_refusal(const ClientInvoice& invoice, Cents amount);
std::optional<std::string> invoice_delete_refusal(const ClientInvoice& invoice);
std::optional<std::string> credit_issue_refusal(const Credit& credit);
std::optional<std::string> credit_cancel_refusal(const Credit& credit);
std::optional<std::string> credit_delete_refusal(const Credit& credit);
// Applying `credit` against `invoice` (null: a credit against no invoice).
std::optional<std::string> credit_apply_refusal(const Credit& credit, const ClientInvoice* invoice);

// Records a payment allowed by payment_refusal: amount_paid and balance grow and shrink,
// status becomes paid (paid_date set) at a zero balance, else partially_paid.
void pay(ClientInvoice& invoice, Cents amount, const std::string& paid_date);

// Applies a credit allowed by credit_apply_refusal to its invoice: the balance drops by its
// total; at zero the invoice is credited, or paid (paid_date `today` unless set) when
// payments cover part of it.
void credit(ClientInvoice& invoice, Cents amount, const std::string& today);

}  // namespace fruitpak::domain
