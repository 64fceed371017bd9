#pragma once
// Pallets built from lots (contract 11.1, 11.2 and 11.4; issue 7 point 2): what
// /api/pallets reads and writes, and the pure rules around them (codes, filling pallets in
// order with overflow, mixed sizes and box types, container locks).

#include "domain/lot.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fruitpak::domain {

inline constexpr std::string_view kPalletOpen = "open";
inline constexpr std::string_view kPalletClosed = "closed";
inline constexpr std::string_view kPalletCodePrefix = "PAL";
inline constexpr std::string_view kLotCreated = "created";
inline constexpr std::string_view kLotPalletizing = "palletizing";

// The fields that cannot change while a pallet is in a container (11.4), in the order a
// refused PATCH checks them.
inline const std::vector<std::string>& pallet_container_locked_fields() {
  static const std::vector<std::string> fields{"grade",           "size",       "box_size_id", "capacity_boxes",
                                               "pallet_type_name", "fruit_type", "variety"};
  return fields;
}

inline std::vector<std::string> pallet_locked_fields(const std::optional<std::string>& container_id) {
  if (!container_id) return {};
  return pallet_container_locked_fields();
}

// True for the statuses whose pallets can no longer be edited or have boxes taken off.
inline bool pallet_is_shipped(std::string_view status) { return status == "loaded" || status == "exported"; }

// An active pallet_lots row as PalletDetail shows it (PalletLotOut of 11.2).
struct PalletLine {
  std::string id;
  std::string pallet_id;
  std::string lot_id;
  std::int64_t box_count = 0;
  std::optional<std::string> size;
  // Joined from the lot.
  std::optional<std::string> lot_code;
  std::optional<std::string> grade;
  std::optional<std::string> box_size_name;
  std::optional<std::string> batch_code;
};

// A pallet row with its active allocations (PalletSummary and PalletDetail of 11.2).
struct Pallet {
  std::string id;
  std::string pallet_number;
  std::string packhouse_id;
  std::optional<std::string> pallet_type_name;
  std::int64_t capacity_boxes = 240;
  std::int64_t current_boxes = 0;
  std::optional<std::string> fruit_type;
  std::optional<std::string> variety;
  std::optional<std::string> grade;
  std::optional<std::string> size;
  std::optional<std::string> box_size_id;
  std::optional<std::string> box_size_name;
  std::optional<std::string> target_market;
  std::optional<double> net_weight_kg;
  std::optional<double> gross_weight_kg;
  std::optional<std::string> cold_store_room;
  std::optional<std::string> cold_store_position;
  std::optional<std::string> container_id;
  std::optional<std::string> qr_code_url;
  std::string status = std::string(kPalletOpen);
  std::optional<std::string> notes;
  std::optional<std::string> palletized_by;
  std::string created_at;
  std::string updated_at;
  // Joined: the container's number (for the lock message) and the active allocations,
  // oldest first.
  std::optional<std::string> container_number;
  std::vector<PalletLine> lines;

  // The distinct lot and batch codes of the active allocations, in allocation order.
  std::vector<std::string> lot_codes() const;
  std::vector<std::string> batch_codes() const;
};

// One item of `lot_assignments`, validated by the api layer.
struct LotAssignment {
  std::string lot_id;
  std::int64_t box_count = 0;
  std::optional<std::string> size;
};

// Whether boxes of different sizes or box types may share a pallet; unset = the tenant's
// default, which is "no" (we keep no tenant_config.mixed_pallet_rules).
struct MixingRules {
  bool sizes = false;
  bool box_types = false;
};

// POST /api/pallets/from-lots, validated by the api layer.
struct PalletsFromLots {
  std::string pallet_type_name;
  std::int64_t capacity_boxes = 240;
  std::string packhouse_id;
  std::vector<LotAssignment> assignments;
  std::optional<std::string> size;
  MixingRules mixing;
  std::optional<std::string> notes;
};

// POST /api/pallets/ (an empty pallet), validated by the api layer.
struct EmptyPallet {
  std::string pallet_type_name;
  std::int64_t capacity_boxes = 240;
  std::string packhouse_id;
  std::optional<std::string> size;
  std::optional<std::string> box_size_id;
  std::optional<std::string> notes;
};

// POST /api/pallets/{pallet_id}/allocate, validated by the api layer.
struct Allocation {
  std::vector<LotAssignment> assignments;
  MixingRules mixing;
};

// A PATCH of a pallet: the keys the body held (absent = unchanged; null = cleared) and
// their values, validated by the api layer.
struct PalletUpdate {
  std::vector<std::string> sent;
  Pallet values;

  bool has(std::string_view key) const {
    for (const auto& k : sent) {
      if (k == key) return true;
    }
    return false;
  }
};

// Copies the sent keys of `update` onto `pallet` (box_size_name is the caller's).
void apply(const PalletUpdate& update, Pallet& pallet);

// open while below capacity, closed when full; other statuses are left alone.
std::string status_for_fill(std::string_view status, std::int64_t current_boxes, std::int64_t capacity_boxes);

// Filters of GET /api/pallets/: exact status and pallet type; `search` a case-insensitive
// substring of the pallet number or of a lot or batch code on it.
struct PalletFilter {
  std::optional<std::string> status;
  std::optional<std::string> pallet_type;
  std::optional<std::string> search;
};

// What DELETE /api/pallets/{pallet_id}/lots/{pallet_lot_id} answers.
struct Deallocation {
  std::string pallet_id;
  std::string pallet_lot_id;
  std::int64_t boxes_returned = 0;
  std::string pallet_status;
  std::int64_t pallet_current_boxes = 0;
};

// A box size as GET /api/pallets/config/box-sizes lists it.
struct BoxSizeOption {
  std::string id;
  std::string name;
  std::optional<std::string> size_code;
  std::optional<std::int64_t> fruit_count;
  double weight_kg = 0;
  std::optional<double> cost_per_unit;
};

// A pallet type as GET /api/pallets/config/pallet-types lists it.
struct PalletType {
  std::string id;
  std::string name;
  std::int64_t capacity_boxes = 240;
  std::optional<std::string> notes;
};

// Boxes of one assignment placed on one pallet.
struct PalletSlice {
  std::size_t assignment = 0;  // index into the assignments
  std::int64_t boxes = 0;
};

// The pallets that `assignments` fill in order, each at most `capacity` boxes, the last
// one possibly partly: ceil(total / capacity) pallets. Requires: capacity >= 1, every
// box_count >= 1.
std::vector<std::vector<PalletSlice>> fill_pallets(const std::vector<LotAssignment>& assignments,
                                                   std::int64_t capacity);

// "PAL-20260301-007" (UTC day YYYYMMDD, number zero-padded to 3 digits).
std::string pallet_code(std::string_view day, std::int64_t number);

// The size boxes of `assignment` of `lot` go on a pallet with: the assignment's, else the lot's.
inline std::optional<std::string> slice_size(const LotAssignment& assignment, const Lot& lot) {
  return assignment.size ? assignment.size : lot.size;
}

// 11.4 from-lots: "Mixed sizes on pallet (a, b). Use allow_mixed_sizes to override." when
// the distinct sizes (sorted) are more than one; "" otherwise.
std::string mixed_sizes_problem(const std::vector<std::string>& sizes);
// "Mixed box types on pallet (a, b). Use allow_mixed_box_types to override." when more
// than one box size is named: `box_names` holds one name (or id) per distinct box size.
std::string mixed_box_types_problem(const std::vector<std::string>& box_names);

// "Lot <code> has only <n> unallocated box(es), cannot assign <m>".
std::string shortfall_message(std::string_view lot_code, std::int64_t unallocated, std::int64_t wanted);

// "Cannot edit <field>: Pallet loaded in container <number>. Unload pallet from container first."
std::string pallet_lock_message(std::string_view field, std::string_view container_number);

}  // namespace fruitpak::domain
