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

}  // namespace fruitpak::json
