#include "json/container_json.hpp"

#include "json/values.hpp"

namespace fruitpak::json {
namespace {

namespace bj = boost::json;

bj::object pallet_json(const domain::ContainerPallet& p) {
  return bj::object{{"id", p.id},
                    {"pallet_number", p.pallet_number},
                    {"current_boxes", p.current_boxes},
                    {"fruit_type", nullable(p.fruit_type)},
                    {"grade", nullable(p.grade)},
                    {"size", nullable(p.size)},
                    {"box_size_name", nullable(p.box_size_name)},
                    {"status", p.status}};
}

bj::object trace_json(const domain::PalletTrace& t) {
  bj::array lots;
  for (const auto& l : t.lots) {
    lots.emplace_back(bj::object{{"lot_code", l.lot_code},
                                 {"grade", nullable(l.grade)},
                                 {"size", nullable(l.size)},
                                 {"box_count", l.box_count},
                                 {"box_size_name", nullable(l.box_size_name)}});
  }
  bj::array batches;
  for (const auto& b : t.batches) {
    batches.emplace_back(bj::object{{"batch_code", b.batch_code},
                                    {"grower_name", nullable(b.grower_name)},
                                    {"grower_code", nullable(b.grower_code)},
                                    {"fruit_type", b.fruit_type},
                                    {"intake_date", nullable(b.intake_date)}});
  }
  return bj::object{{"pallet_number", t.pallet_number},
                    {"current_boxes", t.current_boxes},
                    {"lots", std::move(lots)},
                    {"batches", std::move(batches)}};
}

}  // namespace

bj::object to_json(const domain::Container& c) {
  return bj::object{{"id", c.id},
                    {"container_number", c.container_number},
                    {"container_type", c.container_type},
                    {"capacity_pallets", c.capacity_pallets},
                    {"pallet_count", c.pallet_count},
                    {"total_cartons", c.total_cartons},
                    {"gross_weight_kg", nullable(c.gross_weight_kg)},
                    {"client_id", nullable(c.client_id)},
                    {"customer_name", nullable(c.customer_name)},
                    {"destination", nullable(c.destination)},
                    {"shipping_container_number", nullable(c.shipping_container_number)},
                    {"transporter_id", nullable(c.transporter_id)},
                    {"transporter_name", nullable(c.transporter_name)},
                    {"shipping_agent_id", nullable(c.shipping_agent_id)},
                    {"shipping_agent_name", nullable(c.shipping_agent_name)},
                    {"shipping_line_id", nullable(c.shipping_line_id)},
                    {"shipping_line_name", nullable(c.shipping_line_name)},
                    {"vessel_name", nullable(c.vessel_name)},
                    {"voyage_number", nullable(c.voyage_number)},
                    {"etd", nullable(c.etd)},
                    {"eta", nullable(c.eta)},
                    {"is_overdue", c.is_overdue},
                    {"status", c.status},
                    {"pallet_numbers", strings(c.pallet_numbers)},
                    {"lot_codes", strings(c.lot_codes)},
                    {"batch_codes", strings(c.batch_codes)},
                    {"locked_fields", bj::array()},
                    {"created_at", c.created_at}};
}

bj::object to_json(const domain::ContainerDetail& d) {
  const auto& c = d.container;
  bj::object out = to_json(c);
  out["export_date"] = nullable(c.export_date);
  out["seal_number"] = nullable(c.seal_number);
  out["sealed_at"] = nullable(c.sealed_at);
  out["sealed_by"] = nullable(c.sealed_by);
  out["packhouse_id"] = nullable(c.packhouse_id);
  out["transport_config_id"] = nullable(c.transport_config_id);
  out["temp_setpoint_c"] = nullable(c.temp_setpoint_c);
  out["dispatched_at"] = nullable(c.dispatched_at);
  out["arrived_at"] = nullable(c.arrived_at);
  out["delivered_at"] = nullable(c.delivered_at);
  out["qr_code_url"] = nullable(c.qr_code_url);
  out["notes"] = nullable(c.notes);
  out["updated_at"] = c.updated_at;
  bj::array pallets;
  for (const auto& p : d.pallets) pallets.emplace_back(pallet_json(p));
  out["pallets"] = std::move(pallets);
  bj::array traceability;
  for (const auto& t : d.traceability) traceability.emplace_back(trace_json(t));
  out["traceability"] = std::move(traceability);
  out["capacity_warnings"] = bj::array();
  // Our additions: the export the container ships under, whether the tallies were entered
  // by hand, and the temperature readings.
  out["export_id"] = nullable(c.export_id);
  out["counts_manual"] = c.counts_manual;
  bj::value readings = embedded(c.temp_readings_json);
  out["temp_readings"] = readings.is_array() ? std::move(readings) : bj::value(bj::array());
  return out;
}

bj::object to_json(const domain::TemperatureReading& r) {
  return bj::object{{"temp_c", r.temp_c},
                    {"recorded_at", r.recorded_at},
                    {"location", nullable(r.location)},
                    {"notes", nullable(r.notes)},
                    {"recorded_by", r.recorded_by}};
}

}  // namespace fruitpak::json
