#pragma once
// ContainerSummary and ContainerDetail of section 11.2 (the container list and write
// answers; a container with its pallets, traceability and temperature readings), and a
// temperature reading.

#include "domain/container.hpp"

#include <boost/json/object.hpp>

namespace fruitpak::json {

boost::json::object to_json(const domain::Container& container);
boost::json::object to_json(const domain::ContainerDetail& detail);
boost::json::object to_json(const domain::TemperatureReading& reading);

}  // namespace fruitpak::json
