#pragma once
// BatchOut, BatchSummary, BatchHistoryOut, BatchDetailOut and GRNResponse (contract 2.0).
// intake_date is a date typed datetime in the original's DTOs: it reads "YYYY-MM-DDT00:00:00".

#include "domain/batch.hpp"

#include <boost/json/object.hpp>

namespace fruitpak::json {

boost::json::object to_json(const domain::Batch& batch);
boost::json::object to_json(const domain::BatchSummary& summary);
boost::json::object to_json(const domain::BatchHistoryEntry& entry);
boost::json::object to_json(const domain::BatchDetail& detail);
boost::json::object to_json(const domain::GrnReceipt& receipt);

// The compact JSON a batch's QR code encodes (contract 2.6).
std::string qr_payload(const domain::BatchDetail& detail);

}  // namespace fruitpak::json
