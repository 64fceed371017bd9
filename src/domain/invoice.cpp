#include "domain/invoice.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>

namespace fruitpak::domain {
namespace {

// Products of quantities, prices and rates exceed 64 bits before they are divided back.
__extension__ typedef __int128 Wide;

// numerator / denominator rounded half up. Requires: numerator >= 0, denominator > 0.
Cents divide_half_up(Wide numerator, Wide denominator) {
  return static_cast<Cents>((numerator * 2 + denominator) / (denominator * 2));
}

}  // namespace

std::optional<std::int64_t> scaled_exactly(double value, int places) {
  const double scaled = value * std::pow(10.0, places);
  const double nearest = std::round(scaled);
  // A double holds about 16 significant digits: anything closer than that is the same number.
  if (std::fabs(scaled - nearest) > 1e-9 * std::max(1.0, std::fabs(scaled))) return std::nullopt;
  return static_cast<std::int64_t>(nearest);
}

std::string format_cents(Cents cents) {
  const Cents magnitude = cents < 0 ? -cents : cents;
  return fmt::format("{}{}.{:02}", cents < 0 ? "-" : "", magnitude / 100, magnitude % 100);
}

Cents line_amount(std::int64_t quantity_milli, std::int64_t unit_price_e4) {
  // thousandths x ten-thousandths = 10^-7; cents are 10^-2.
  const Wide amount = (static_cast<Wide>(quantity_milli) * unit_price_e4 * 2 + 100'000) / 200'000;
  constexpr Cents kMax = std::numeric_limits<Cents>::max();
  return amount > kMax ? kMax : static_cast<Cents>(amount);
}

Cents tax_of(Cents subtotal, std::int64_t rate_e4) {
  // rate_e4 / 10^4 percent = rate_e4 / 10^6 of the subtotal.
  return divide_half_up(static_cast<Wide>(subtotal) * rate_e4, 1'000'000);
}

InvoiceLine make_line(std::string description, std::int64_t quantity_milli, std::optional<std::string> unit,
                      std::int64_t unit_price_e4) {
  return InvoiceLine{.description = std::move(description),
                     .quantity_milli = quantity_milli,
                     .unit = std::move(unit),
                     .unit_price_e4 = unit_price_e4,
                     .amount = line_amount(quantity_milli, unit_price_e4)};
}

InvoiceTotals invoice_totals(const std::vector<InvoiceLine>& lines, std::int64_t rate_e4) {
  InvoiceTotals t;
  for (const auto& line : lines) t.subtotal += line.amount;
  t.tax = tax_of(t.subtotal, rate_e4);
  t.total = t.subtotal + t.tax;
  return t;
}

std::int64_t rate_e4_of(double tax_rate_pct) { return static_cast<std::int64_t>(std::llround(tax_rate_pct * 10'000.0)); }

std::string invoice_number(std::string_view year, std::int64_t number) {
  return fmt::format("{}-{}-{:04}", kInvoicePrefix, year, number);
}

std::string credit_number(std::string_view year, std::int64_t number) {
  return fmt::format("{}-{}-{:03}", kCreditPrefix, year, number);
}

void recompute(ClientInvoice& invoice) {
  const auto totals = invoice_totals(invoice.line_items, rate_e4_of(invoice.tax_rate_pct));
  invoice.subtotal = totals.subtotal;
  invoice.tax_amount = totals.tax;
  invoice.total_amount = totals.total;
  invoice.balance_due = invoice.total_amount - invoice.amount_paid - invoice.credited_amount;
}

std::optional<std::string> edit_refusal(const ClientInvoice& invoice) {
  if (invoice.status != "draft") return "Only draft invoices can be edited";
  return std::nullopt;
}

std::optional<std::string> issue_refusal(const ClientInvoice& invoice) {
  if (invoice.status != "draft") return "Only draft invoices can be issued; this one is " + invoice.status;
  return std::nullopt;
}

std::optional<std::string> cancel_refusal(const ClientInvoice& invoice) {
  if (invoice.status != "draft" && invoice.status != "issued") {
    return "Only draft or issued invoices can be cancelled; this one is " + invoice.status;
  }
  if (invoice.amount_paid > 0) return "An invoice with payments recorded cannot be cancelled";
  if (invoice.credited_amount > 0) return "An invoice with applied credits cannot be cancelled";
  return std::nullopt;
}

std::optional<std::string> payment_refusal(const ClientInvoice& invoice, Cents amount) {
  if (invoice.status != "issued" && invoice.status != "partially_paid") {
    return "Payments can only be recorded against issued or partially paid invoices; this one is " + invoice.status;
  }
  if (amount > invoice.balance_due) {
    return "Payment of " + format_cents(amount) + " exceeds the balance due of " + format_cents(invoice.balance_due);
  }
  return std::nullopt;
}

std::optional<std::string> invoice_delete_refusal(const ClientInvoice& invoice) {
  if (invoice.status != "draft" && invoice.status != "cancelled") {
    return "Only draft or cancelled invoices can be deleted; this one is " + invoice.status;
  }
  return std::nullopt;
}

std::optional<std::string> credit_issue_refusal(const Credit& credit) {
  if (credit.status != "draft") return "Only draft credits can be issued; this one is " + credit.status;
  return std::nullopt;
}

std::optional<std::string> credit_cancel_refusal(const Credit& credit) {
  if (credit.status != "draft" && credit.status != "issued") {
    return "Only draft or issued credits can be cancelled; this one is " + credit.status;
  }
  return std::nullopt;
}

std::optional<std::string> credit_delete_refusal(const Credit& credit) {
  if (credit.status != "draft" && credit.status != "cancelled") {
    return "Only draft or cancelled credits can be deleted; this one is " + credit.status;
  }
  return std::nullopt;
}

std::optional<std::string> credit_apply_refusal(const Credit& credit, const ClientInvoice* invoice) {
  if (credit.status != "issued") return "Only issued credits can be applied; this one is " + credit.status;
  if (!invoice) return std::nullopt;
  if (invoice->status != "issued" && invoice->status != "partially_paid") {
    return "Credits can only be applied to issued or partially paid invoices; invoice " + invoice->invoice_number +
           " is " + invoice->status;
  }
  if (credit.total_amount > invoice->balance_due) {
    return "Credit of " + format_cents(credit.total_amount) + " exceeds the balance due of " +
           format_cents(invoice->balance_due) + " on invoice " + invoice->invoice_number;
  }
  return std::nullopt;
}

void pay(ClientInvoice& invoice, Cents amount, const std::string& paid_date) {
  invoice.amount_paid += amount;
  invoice.balance_due -= amount;
  if (invoice.balance_due == 0) {
    invoice.status = "paid";
    invoice.paid_date = paid_date;
  } else {
    invoice.status = "partially_paid";
  }
}

void credit(ClientInvoice& invoice, Cents amount, const std::string& today) {
  invoice.credited_amount += amount;
  invoice.balance_due -= amount;
  if (invoice.balance_due != 0) return;
  if (invoice.amount_paid == 0) {
    invoice.status = "credited";
    return;
  }
  invoice.status = "paid";
  if (!invoice.paid_date) invoice.paid_date = today;
}

}  // namespace fruitpak::domain
