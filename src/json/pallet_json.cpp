#include "json/pallet_json.hpp"

#include "json/values.hpp"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

namespace fruitpak::json {
namespace {

boost::json::object line_json(const domain::PalletLine& l) {
  return boost::json::object{{"id", l.id},
                             {"pallet_id", l.pallet_id},
                             {"lot_id", l.lot_id},
                             {"box_count", l.box_count},
                             {"size", nullable(l.size)},
                             {"lot_code", nullable(l.lot_code)},
                             {"grade", nullable(l.grade)},
                             {"box_size_name", nullable(l.box_size_name)}};
}

}  // namespace

boost::json::object pallet_summary_json(const domain::Pallet& p) {
  return boost::json::object{{"id", p.id},
                             {"pallet_number", p.pallet_number},
                             {"pallet_type_name", nullable(p.pallet_type_name)},
                             {"capacity_boxes", p.capacity_boxes},
                             {"current_boxes", p.current_boxes},
                             {"fruit_type", nullable(p.fruit_type)},
                             {"grade", nullable(p.grade)},
                             {"size", nullable(p.size)},
                             {"box_size_id", nullable(p.box_size_id)},
                             {"box_size_name", nullable(p.box_size_name)},
                             {"net_weight_kg", nullable(p.net_weight_kg)},
                             {"status", p.status},
                             {"notes", nullable(p.notes)},
                             {"lot_codes", strings(p.lot_codes())},
                             {"batch_codes", strings(p.batch_codes())},
                             {"locked_fields", strings(domain::pallet_locked_fields(p.container_id))},
                             {"created_at", p.created_at}};
}

boost::json::object pallet_detail_json(const domain::Pallet& p) {
  auto out = pallet_summary_json(p);
  boost::json::array lines;
  lines.reserve(p.lines.size());
  for (const auto& l : p.lines) lines.emplace_back(line_json(l));
  out["gross_weight_kg"] = nullable(p.gross_weight_kg);
  out["variety"] = nullable(p.variety);
  out["target_market"] = nullable(p.target_market);
  out["packhouse_id"] = p.packhouse_id;
  out["cold_store_room"] = nullable(p.cold_store_room);
  out["cold_store_position"] = nullable(p.cold_store_position);
  out["qr_code_url"] = nullable(p.qr_code_url);
  out["palletized_by"] = nullable(p.palletized_by);
  out["updated_at"] = p.updated_at;
  out["container_id"] = nullable(p.container_id);
  out["pallet_lots"] = std::move(lines);
  return out;
}

boost::json::object to_json(const domain::Deallocation& d) {
  return boost::json::object{{"pallet_id", d.pallet_id},
                             {"pallet_lot_id", d.pallet_lot_id},
                             {"boxes_returned", d.boxes_returned},
                             {"pallet_status", d.pallet_status},
                             {"pallet_current_boxes", d.pallet_current_boxes}};
}

boost::json::object to_json(const domain::BoxSizeOption& b) {
  return boost::json::object{{"id", b.id},
                             {"name", b.name},
                             {"size_code", nullable(b.size_code)},
                             {"fruit_count", nullable(b.fruit_count)},
                             {"weight_kg", b.weight_kg},
                             {"cost_per_unit", nullable(b.cost_per_unit)}};
}

boost::json::object to_json(const domain::PalletType& t) {
  return boost::json::object{
      {"id", t.id}, {"name", t.name}, {"capacity_boxes", t.capacity_boxes}, {"notes", nullable(t.notes)}};
}

std::string pallet_qr_payload(const domain::Pallet& p) {
  constexpr std::size_t kMaxLots = 10;
  auto codes = p.lot_codes();
  if (codes.size() > kMaxLots) codes.resize(kMaxLots);
  return boost::json::serialize(boost::json::object{{"type", "pallet"},
                                                    {"pallet_id", p.id},
                                                    {"number", p.pallet_number},
                                                    {"fruit_type", nullable(p.fruit_type)},
                                                    {"grade", nullable(p.grade)},
                                                    {"boxes", p.current_boxes},
                                                    {"lots", strings(codes)}});
}

}  // namespace fruitpak::json
