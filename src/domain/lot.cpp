#include "domain/lot.hpp"

#include <cstdio>

namespace fruitpak::domain {

void apply(const LotUpdate& update, Lot& lot) {
  const Lot& v = update.values;
  for (const auto& key : update.sent) {
    if (key == "grade") lot.grade = v.grade;
    if (key == "size") lot.size = v.size;
    if (key == "product_config_id") lot.product_config_id = v.product_config_id;
    if (key == "pack_spec_id") lot.pack_spec_id = v.pack_spec_id;
    if (key == "box_size_id") lot.box_size_id = v.box_size_id;
    if (key == "target_market") lot.target_market = v.target_market;
    if (key == "carton_count") lot.carton_count = v.carton_count;
    if (key == "weight_kg") lot.weight_kg = v.weight_kg;
    if (key == "pack_date") lot.pack_date = v.pack_date;
    if (key == "quality_data") lot.quality_data_json = v.quality_data_json;
    if (key == "status") lot.status = v.status;
    if (key == "waste_kg") lot.waste_kg = v.waste_kg;
    if (key == "waste_reason") lot.waste_reason = v.waste_reason;
    if (key == "notes") lot.notes = v.notes;
  }
}

std::string lot_code(std::string_view batch_code, std::int64_t number) {
  char digits[24];
  std::snprintf(digits, sizeof digits, "%02lld", static_cast<long long>(number));
  return std::string(batch_code) + "-L" + digits;
}

std::string lot_lock_message(std::string_view field, const std::vector<PalletAllocation>& allocations) {
  std::int64_t boxes = 0;
  for (const auto& a : allocations) boxes += a.box_count;
  std::string message = "Cannot edit " + std::string(field) + ": " + std::to_string(boxes) + " boxes allocated to " +
                        (allocations.empty() ? std::string("a pallet") : allocations.front().pallet_number);
  if (allocations.size() > 1) message += " (+" + std::to_string(allocations.size() - 1) + " more)";
  return message + ". Remove pallet allocations first.";
}

}  // namespace fruitpak::domain
