#pragma once
// LotSummary of section 11.2 (batch detail's lots; the lot list of issue 7).

#include "domain/lot.hpp"

#include <boost/json/object.hpp>

namespace fruitpak::json {

boost::json::object to_json(const domain::LotSummary& lot);

}  // namespace fruitpak::json
