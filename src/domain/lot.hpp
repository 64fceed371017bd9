#pragma once
// Lots packed from a batch (contract 3.3 and 11.2). The lot endpoints come with issue 7;
// batch detail already shows a batch's lots in the LotSummary shape.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace fruitpak::domain {

struct LotSummary {
  std::string id;
  std::string lot_code;
  std::string batch_id;
  std::string fruit_type;
  std::optional<std::string> variety;
  std::optional<std::string> grade;
  std::optional<std::string> size;
  std::optional<std::string> box_size_id;
  std::int64_t carton_count = 0;
  std::optional<double> weight_kg;
  double waste_kg = 0;
  std::optional<std::string> waste_reason;
  std::optional<std::string> notes;
  std::int64_t palletized_boxes = 0;  // sum of the lot's active pallet allocations
  std::string status;
  std::optional<std::string> pack_date;  // YYYY-MM-DD
  std::string created_at;
};

// The quantity fields that cannot change while boxes of the lot sit on pallets (11.3).
inline std::vector<std::string> lot_locked_fields(const LotSummary& lot) {
  if (lot.palletized_boxes <= 0) return {};
  return {"carton_count", "weight_kg", "grade", "size", "box_size_id"};
}

}  // namespace fruitpak::domain
