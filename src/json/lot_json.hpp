#pragma once
// LotSummary and LotOut of section 11.2 (the lot list and batch detail's lots; a lot).

#include "domain/lot.hpp"

#include <boost/json/object.hpp>

namespace fruitpak::json {

boost::json::object to_json(const domain::LotSummary& lot);
boost::json::object to_json(const domain::Lot& lot);

}  // namespace fruitpak::json
