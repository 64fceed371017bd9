#include "json/invoice_json.hpp"

#include "json/values.hpp"

namespace fruitpak::json {
namespace {

boost::json::value money(domain::Cents cents) { return domain::from_cents(cents); }

// A value counted in 1/scale, or null.
boost::json::value scaled(const std::optional<std::int64_t>& value, double scale) {
  if (!value) return nullptr;
  return static_cast<double>(*value) / scale;
}

}  // namespace

boost::json::array to_json(const std::vector<domain::InvoiceLine>& lines) {
  boost::json::array out;
  out.reserve(lines.size());
  for (const auto& l : lines) {
    out.emplace_back(boost::json::object{{"description", l.description},
                                         {"quantity", scaled(l.quantity_milli, 1e3)},
                                         {"unit", nullable(l.unit)},
                                         {"unit_price", scaled(l.unit_price_e4, 1e4)},
                                         {"amount", money(l.amount)}});
  }
  return out;
}

boost::json::object to_json(const domain::ClientInvoice& i) {
  return boost::json::object{{"id", i.id},
                             {"invoice_number", i.invoice_number},
                             {"client_name", i.client_name},
                             {"client_ref", nullable(i.client_ref)},
                             {"export_id", nullable(i.export_id)},
                             {"booking_ref", nullable(i.booking_ref)},
                             {"currency", i.currency},
                             {"line_items", to_json(i.line_items)},
                             {"subtotal", money(i.subtotal)},
                             {"tax_rate_pct", i.tax_rate_pct},
                             {"tax_amount", money(i.tax_amount)},
                             {"total_amount", money(i.total_amount)},
                             {"amount_paid", money(i.amount_paid)},
                             {"credited_amount", money(i.credited_amount)},
                             {"balance_due", money(i.balance_due)},
                             {"issue_date", i.issue_date},
                             {"due_date", nullable(i.due_date)},
                             {"paid_date", nullable(i.paid_date)},
                             {"payment_terms", nullable(i.payment_terms)},
                             {"incoterm", nullable(i.incoterm)},
                             {"status", i.status},
                             {"notes", nullable(i.notes)},
                             {"created_by", nullable(i.created_by)},
                             {"created_at", i.created_at},
                             {"updated_at", i.updated_at}};
}

boost::json::object to_json(const domain::InvoiceDetail& d) {
  auto out = to_json(d.invoice);
  boost::json::array credits;
  credits.reserve(d.credits.size());
  for (const auto& c : d.credits) {
    credits.emplace_back(boost::json::object{{"id", c.id},
                                             {"credit_number", c.credit_number},
                                             {"status", c.status},
                                             {"total_amount", money(c.total_amount)}});
  }
  out["credits"] = std::move(credits);
  return out;
}

boost::json::object to_json(const domain::Credit& c) {
  boost::json::value lines = nullptr;
  if (c.line_items) lines = to_json(*c.line_items);
  return boost::json::object{{"id", c.id},
                             {"credit_number", c.credit_number},
                             {"credit_type", c.credit_type},
                             {"reason", c.reason},
                             {"reason_detail", nullable(c.reason_detail)},
                             {"invoice_id", nullable(c.invoice_id)},
                             {"invoice_number", nullable(c.invoice_number)},
                             {"grower_payment_id", nullable(c.grower_payment_id)},
                             {"export_id", nullable(c.export_id)},
                             {"currency", c.currency},
                             {"line_items", std::move(lines)},
                             {"total_amount", money(c.total_amount)},
                             {"issue_date", c.issue_date},
                             {"applied_date", nullable(c.applied_date)},
                             {"status", c.status},
                             {"approved_by", nullable(c.approved_by)},
                             {"approved_at", nullable(c.approved_at)},
                             {"notes", nullable(c.notes)},
                             {"created_by", nullable(c.created_by)},
                             {"created_at", c.created_at},
                             {"updated_at", c.updated_at}};
}

}  // namespace fruitpak::json
