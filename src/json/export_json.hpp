#pragma once
// ExportOut (issue 7 point 4, D14): every column of an export but the tenant, the documents
// and the deletion flag, every key always present (absent values as null); the detail adds
// its live containers and invoices.

#include "domain/export.hpp"

#include <boost/json/object.hpp>

namespace fruitpak::json {

boost::json::object to_json(const domain::Export& booking);

// to_json(detail.booking) plus "containers" [{id, container_number, status, pallet_count,
// total_cartons, gross_weight_kg}] and "invoices" [{id, invoice_number, status, currency,
// total_amount, balance_due}].
boost::json::object to_json(const domain::ExportDetail& detail);

}  // namespace fruitpak::json
