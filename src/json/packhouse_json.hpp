#pragma once
// PackhouseOut and GrowerOut (contract 2.0; the grower shape is 11.2's GrowerOutH, a
// superset). Every key always present.

#include "domain/packhouse.hpp"

#include <boost/json/object.hpp>

namespace fruitpak::json {

boost::json::object to_json(const domain::Packhouse& packhouse);
boost::json::object to_json(const domain::Grower& grower);

}  // namespace fruitpak::json
