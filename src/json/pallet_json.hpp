#pragma once
// PalletSummary, PalletDetail (with PalletLotOut) and the deallocation result of section
// 11.2/11.4 (the pallet list and writes; a pallet).

#include "domain/pallet.hpp"

#include <boost/json/object.hpp>

#include <string>

namespace fruitpak::json {

boost::json::object pallet_summary_json(const domain::Pallet& pallet);
// The summary plus the detail fields, `pallet_lots` and our `container_id`.
boost::json::object pallet_detail_json(const domain::Pallet& pallet);
boost::json::object to_json(const domain::Deallocation& result);
boost::json::object to_json(const domain::BoxSizeOption& box);
boost::json::object to_json(const domain::PalletType& type);

// The compact JSON a pallet's QR code carries (11.4): type, pallet_id, number, fruit_type,
// grade, boxes and at most 10 lot codes.
std::string pallet_qr_payload(const domain::Pallet& pallet);

}  // namespace fruitpak::json
