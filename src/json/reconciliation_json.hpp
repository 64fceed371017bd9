#pragma once
// Reconciliation DTOs (contract 2.0: AlertOut, RunSummary, DashboardSummary).

#include "domain/reconciliation.hpp"

#include <boost/json/object.hpp>

namespace fruitpak::json {

boost::json::object to_json(const domain::Alert& a);
boost::json::object to_json(const domain::RunSummary& s);
boost::json::object to_json(const domain::Dashboard& d);

}  // namespace fruitpak::json
