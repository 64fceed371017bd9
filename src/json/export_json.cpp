#include "json/export_json.hpp"

#include "json/values.hpp"

namespace fruitpak::json {
namespace {

boost::json::value money(const std::optional<std::int64_t>& cents) {
  if (!cents) return nullptr;
  return domain::from_cents(*cents);
}

boost::json::object to_json(const domain::ExportContainer& c) {
  return boost::json::object{{"id", c.id},
                             {"container_number", c.container_number},
                             {"status", c.status},
                             {"pallet_count", c.pallet_count},
                             {"total_cartons", c.total_cartons},
                             {"gross_weight_kg", nullable(c.gross_weight_kg)}};
}

boost::json::object to_json(const domain::ExportInvoice& i) {
  return boost::json::object{{"id", i.id},
                             {"invoice_number", i.invoice_number},
                             {"status", i.status},
                             {"currency", i.currency},
                             {"total_amount", i.total_amount},
                             {"balance_due", i.balance_due}};
}

}  // namespace

boost::json::object to_json(const domain::Export& e) {
  return boost::json::object{{"id", e.id},
                             {"booking_ref", e.booking_ref},
                             {"client_name", e.client_name},
                             {"client_ref", nullable(e.client_ref)},
                             {"target_market", nullable(e.target_market)},
                             {"destination_country", nullable(e.destination_country)},
                             {"destination_port", nullable(e.destination_port)},
                             {"shipping_line", nullable(e.shipping_line)},
                             {"vessel_name", nullable(e.vessel_name)},
                             {"voyage_number", nullable(e.voyage_number)},
                             {"port_of_loading", nullable(e.port_of_loading)},
                             {"etd", nullable(e.etd)},
                             {"eta", nullable(e.eta)},
                             {"actual_departure", nullable(e.actual_departure)},
                             {"actual_arrival", nullable(e.actual_arrival)},
                             {"container_count", e.container_count},
                             {"total_pallets", e.total_pallets},
                             {"total_cartons", e.total_cartons},
                             {"total_weight_kg", nullable(e.total_weight_kg)},
                             {"ppecb_cert_number", nullable(e.ppecb_cert_number)},
                             {"phyto_cert_number", nullable(e.phyto_cert_number)},
                             {"bill_of_lading", nullable(e.bill_of_lading)},
                             {"currency", nullable(e.currency)},
                             {"total_value", money(e.total_value_cents)},
                             {"incoterm", nullable(e.incoterm)},
                             {"shipping_line_id", nullable(e.shipping_line_id)},
                             {"transporter_id", nullable(e.transporter_id)},
                             {"shipping_agent_id", nullable(e.shipping_agent_id)},
                             {"shipping_schedule_id", nullable(e.shipping_schedule_id)},
                             {"status", e.status},
                             {"notes", nullable(e.notes)},
                             {"created_by", nullable(e.created_by)},
                             {"created_at", e.created_at},
                             {"updated_at", e.updated_at}};
}

boost::json::object to_json(const domain::ExportDetail& detail) {
  auto out = to_json(detail.booking);
  boost::json::array containers;
  containers.reserve(detail.containers.size());
  for (const auto& c : detail.containers) containers.emplace_back(to_json(c));
  boost::json::array invoices;
  invoices.reserve(detail.invoices.size());
  for (const auto& i : detail.invoices) invoices.emplace_back(to_json(i));
  out["containers"] = std::move(containers);
  out["invoices"] = std::move(invoices);
  return out;
}

}  // namespace fruitpak::json
