#pragma once
// GrowerPaymentOut (contract 2.0, with 11.11's grower_code). Every key always present.

#include "domain/payment.hpp"

#include <boost/json/object.hpp>

namespace fruitpak::json {

boost::json::object to_json(const domain::GrowerPayment& payment);

}  // namespace fruitpak::json
