#pragma once
// ClientInvoiceOut and CreditOut (issue 7, D14): every column of an invoice or credit but
// the tenant and the deletion flag, money as numbers with two decimals, every key always
// present (absent values as null). An invoice adds the export's booking_ref and the sum of
// its applied credits; its detail adds the credits against it.

#include "domain/invoice.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

namespace fruitpak::json {

boost::json::array to_json(const std::vector<domain::InvoiceLine>& lines);
boost::json::object to_json(const domain::ClientInvoice& invoice);
boost::json::object to_json(const domain::InvoiceDetail& detail);
boost::json::object to_json(const domain::Credit& credit);

}  // namespace fruitpak::json
