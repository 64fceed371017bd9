#pragma once
// BatchOut, BatchSummary, BatchHistoryOut, BatchDetailOut and GRNResponse (contract 2.0).
// intake_date is a date typed datetime in the original's DTOs: it reads "YYYY-MM-DDT00:00:00".

#include "domain/batch.hpp"

#include <boost/json/object.hpp>

#include <optional>
#include <string_view>

namespace fruitpak::json {

boost::json::object to_json(const domain::Batch& batch);
boost::json::object to_json(const domain::BatchSummary& summary);
boost::json::object to_json(const domain::BatchHistoryEntry& entry);
boost::json::object to_json(const domain::BatchDetail& detail);
boost::json::object to_json(const domain::GrnReceipt& receipt);

// The batch list page: the {"items","total","limit","offset"} envelope plus "next_cursor"
// (null when nothing follows) and "has_more" of keyset paging (D9).
boost::json::object to_json(const domain::BatchListing& listing);

// The opaque keyset cursor of the batch list: base64url of "<created_at>|<id>". Decoding
// returns nothing for text we did not produce.
std::string encode_cursor(const domain::BatchKey& key);
std::optional<domain::BatchKey> decode_cursor(std::string_view cursor);

// The compact JSON a batch's QR code encodes (contract 2.6).
std::string qr_payload(const domain::BatchDetail& detail);

}  // namespace fruitpak::json
