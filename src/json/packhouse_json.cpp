#include "json/packhouse_json.hpp"

#include "json/values.hpp"

#include <boost/json/parse.hpp>

namespace fruitpak::json {
boost::json::object to_json(const domain::Packhouse& p) {
  return boost::json::object{{"id", p.id},
                             {"name", p.name},
                             {"location", nullable(p.location)},
                             {"capacity_tons_per_day", nullable(p.capacity_tons_per_day)},
                             {"cold_rooms", nullable(p.cold_rooms)}};
}

boost::json::object to_json(const domain::Grower& g) {
  return boost::json::object{{"id", g.id},
                             {"name", g.name},
                             {"grower_code", nullable(g.grower_code)},
                             {"contact_person", nullable(g.contact_person)},
                             {"email", nullable(g.email)},
                             {"phone", nullable(g.phone)},
                             {"region", nullable(g.region)},
                             {"total_hectares", nullable(g.total_hectares)},
                             {"estimated_volume_tons", nullable(g.estimated_volume_tons)},
                             {"globalg_ap_certified", g.globalg_ap_certified},
                             {"globalg_ap_number", nullable(g.globalg_ap_number)},
                             {"fields", embedded(g.fields_json)},
                             {"notes", nullable(g.notes)},
                             {"packhouse_id", nullable(g.packhouse_id)}};
}

}  // namespace fruitpak::json
