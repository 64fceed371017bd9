#include "domain/pallet.hpp"

#include <algorithm>
#include <cstdio>
#include <set>

namespace fruitpak::domain {
namespace {

void add_distinct(std::vector<std::string>& out, const std::optional<std::string>& value) {
  if (value && std::find(out.begin(), out.end(), *value) == out.end()) out.push_back(*value);
}

std::string joined_sorted(const std::vector<std::string>& items) {
  const std::set<std::string> sorted(items.begin(), items.end());
  std::string out;
  for (const auto& item : sorted) {
    if (!out.empty()) out += ", ";
    out += item;
  }
  return out;
}

std::size_t distinct_count(const std::vector<std::string>& items) {
  return std::set<std::string>(items.begin(), items.end()).size();
}

}  // namespace

std::vector<std::string> Pallet::lot_codes() const {
  std::vector<std::string> out;
  for (const auto& line : lines) add_distinct(out, line.lot_code);
  return out;
}

std::vector<std::string> Pallet::batch_codes() const {
  std::vector<std::string> out;
  for (const auto& line : lines) add_distinct(out, line.batch_code);
  return out;
}

void apply(const PalletUpdate& update, Pallet& p) {
  const Pallet& v = update.values;
  if (update.has("pallet_type_name")) p.pallet_type_name = v.pallet_type_name;
  if (update.has("capacity_boxes")) p.capacity_boxes = v.capacity_boxes;
  if (update.has("fruit_type")) p.fruit_type = v.fruit_type;
  if (update.has("variety")) p.variety = v.variety;
  if (update.has("grade")) p.grade = v.grade;
  if (update.has("size")) p.size = v.size;
  if (update.has("box_size_id")) p.box_size_id = v.box_size_id;
  if (update.has("target_market")) p.target_market = v.target_market;
  if (update.has("cold_store_room")) p.cold_store_room = v.cold_store_room;
  if (update.has("cold_store_position")) p.cold_store_position = v.cold_store_position;
  if (update.has("notes")) p.notes = v.notes;
  if (update.has("net_weight_kg")) p.net_weight_kg = v.net_weight_kg;
  if (update.has("gross_weight_kg")) p.gross_weight_kg = v.gross_weight_kg;
}

std::string status_for_fill(std::string_view status, std::int64_t current_boxes, std::int64_t capacity_boxes) {
  if (status != kPalletOpen && status != kPalletClosed) return std::string(status);
  return std::string(current_boxes >= capacity_boxes ? kPalletClosed : kPalletOpen);
}

std::vector<std::vector<PalletSlice>> fill_pallets(const std::vector<LotAssignment>& assignments,
                                                   std::int64_t capacity) {
  std::vector<std::vector<PalletSlice>> pallets;
  std::int64_t room = 0;
  for (std::size_t i = 0; i < assignments.size(); ++i) {
    std::int64_t left = assignments[i].box_count;
    while (left > 0) {
      if (room == 0) {
        pallets.emplace_back();
        room = capacity;
      }
      const std::int64_t fill = std::min(left, room);
      pallets.back().push_back(PalletSlice{.assignment = i, .boxes = fill});
      room -= fill;
      left -= fill;
    }
  }
  return pallets;
}

std::string pallet_code(std::string_view day, std::int64_t number) {
  char digits[24];
  std::snprintf(digits, sizeof digits, "%03lld", static_cast<long long>(number));
  return std::string(kPalletCodePrefix) + "-" + std::string(day) + "-" + digits;
}

std::string mixed_sizes_problem(const std::vector<std::string>& sizes) {
  if (distinct_count(sizes) <= 1) return {};
  return "Mixed sizes on pallet (" + joined_sorted(sizes) + "). Use allow_mixed_sizes to override.";
}

std::string mixed_box_types_problem(const std::vector<std::string>& box_names) {
  if (box_names.size() <= 1) return {};
  return "Mixed box types on pallet (" + joined_sorted(box_names) + "). Use allow_mixed_box_types to override.";
}

std::string shortfall_message(std::string_view lot_code, std::int64_t unallocated, std::int64_t wanted) {
  return "Lot " + std::string(lot_code) + " has only " + std::to_string(unallocated) +
         " unallocated box(es), cannot assign " + std::to_string(wanted);
}

std::string pallet_lock_message(std::string_view field, std::string_view container_number) {
  return "Cannot edit " + std::string(field) + ": Pallet loaded in container " + std::string(container_number) +
         ". Unload pallet from container first.";
}

}  // namespace fruitpak::domain
