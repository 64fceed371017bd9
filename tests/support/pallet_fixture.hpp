#pragma once
// Lots to build pallets from, and pallets built from them, through the API.

#include "support/batch_fixture.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <cstdint>
#include <string>

namespace fruitpak::testing {

// Packs one lot of `cartons` boxes (grade "Class 1") from a new GRN of `setup`; returns its
// LotOut. `extra` keys (size, box_size_id, ...) are added to the lot item.
boost::json::object pack_lot(HttpClient& c, const Account& owner, const IntakeSetup& setup, std::int64_t cartons,
                             const boost::json::object& extra = {});

// POST /api/pallets/from-lots with the given assignments ([{lot_id, box_count}, ...]).
HttpResponse post_pallets_from_lots(HttpClient& c, const Account& owner, const std::string& packhouse_id,
                                    const boost::json::array& assignments, std::int64_t capacity = 240);

// A pallet of `owner` holding 10 boxes of a new lot; returns its PalletDetail.
boost::json::object create_loaded_pallet(HttpClient& c, const Account& owner);

}  // namespace fruitpak::testing
