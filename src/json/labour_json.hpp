#pragma once
// LabourCostOut (issue 7, D14): every column of a labour cost but the tenant and the
// deletion flag; every key always present, absent values as null.

#include "domain/labour.hpp"

#include <boost/json/object.hpp>

namespace fruitpak::json {

boost::json::object to_json(const domain::LabourCost& cost);

}  // namespace fruitpak::json
