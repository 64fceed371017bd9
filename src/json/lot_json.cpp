#include "json/lot_json.hpp"

#include "json/values.hpp"

namespace fruitpak::json {

boost::json::object to_json(const domain::LotSummary& l) {
  return boost::json::object{{"id", l.id},
                             {"lot_code", l.lot_code},
                             {"batch_id", l.batch_id},
                             {"fruit_type", l.fruit_type},
                             {"variety", nullable(l.variety)},
                             {"grade", nullable(l.grade)},
                             {"size", nullable(l.size)},
                             {"box_size_id", nullable(l.box_size_id)},
                             {"carton_count", l.carton_count},
                             {"weight_kg", nullable(l.weight_kg)},
                             {"waste_kg", l.waste_kg},
                             {"waste_reason", nullable(l.waste_reason)},
                             {"notes", nullable(l.notes)},
                             {"palletized_boxes", l.palletized_boxes},
                             {"locked_fields", strings(domain::lot_locked_fields(l))},
                             {"status", l.status},
                             {"pack_date", nullable(l.pack_date)},
                             {"created_at", l.created_at}};
}

boost::json::object to_json(const domain::Lot& l) {
  return boost::json::object{{"id", l.id},
                             {"lot_code", l.lot_code},
                             {"batch_id", l.batch_id},
                             {"grower_id", l.grower_id},
                             {"packhouse_id", l.packhouse_id},
                             {"pack_line_id", nullable(l.pack_line_id)},
                             {"fruit_type", l.fruit_type},
                             {"variety", nullable(l.variety)},
                             {"grade", nullable(l.grade)},
                             {"size", nullable(l.size)},
                             {"product_config_id", nullable(l.product_config_id)},
                             {"pack_spec_id", nullable(l.pack_spec_id)},
                             {"box_size_id", nullable(l.box_size_id)},
                             {"box_size_name", nullable(l.box_size_name)},
                             {"box_weight_kg", nullable(l.box_weight_kg)},
                             {"target_market", nullable(l.target_market)},
                             {"carton_count", l.carton_count},
                             {"weight_kg", nullable(l.weight_kg)},
                             {"waste_kg", l.waste_kg},
                             {"waste_reason", nullable(l.waste_reason)},
                             {"pack_date", nullable(l.pack_date)},
                             {"intake_date", l.intake_date},
                             {"quality_data", embedded(l.quality_data_json)},
                             {"status", l.status},
                             {"notes", nullable(l.notes)},
                             {"packed_by", nullable(l.packed_by)},
                             {"created_at", l.created_at},
                             {"updated_at", l.updated_at},
                             {"locked_fields", strings(domain::lot_locked_fields(l.palletized_boxes))},
                             {"batch_code", nullable(l.batch_code)},
                             {"grower_name", nullable(l.grower_name)},
                             {"grower_code", nullable(l.grower_code)}};
}

}  // namespace fruitpak::json
