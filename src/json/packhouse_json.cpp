#include "json/packhouse_json.hpp"

#include <boost/json/parse.hpp>

namespace fruitpak::json {
namespace {

template <class T>
boost::json::value nullable(const std::optional<T>& v) {
  if (!v) return nullptr;
  return boost::json::value(*v);
}

boost::json::value embedded_json(const std::optional<std::string>& text) {
  if (!text) return nullptr;
  boost::system::error_code ec;
  auto value = boost::json::parse(*text, ec);
  if (ec) return nullptr;
  return value;
}

}  // namespace

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
                             {"fields", embedded_json(g.fields_json)},
                             {"notes", nullable(g.notes)},
                             {"packhouse_id", nullable(g.packhouse_id)}};
}

}  // namespace fruitpak::json
