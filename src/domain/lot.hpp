#pragma once
// Lots packed from a batch (contract 3.3, 11.2 and 11.3): what /api/lots reads and writes,
// and the pure rules around them (codes, locks, batch waste, over-packing).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fruitpak::domain {

// The fields that cannot change while boxes of a lot sit on pallets (11.3): the
// locked_fields of a palletized lot, in the order a refused PATCH names them.
inline const std::vector<std::string>& lot_quantity_fields() {
  static const std::vector<std::string> fields{"carton_count", "weight_kg", "grade", "size", "box_size_id"};
  return fields;
}

inline std::vector<std::string> lot_locked_fields(std::int64_t palletized_boxes) {
  if (palletized_boxes <= 0) return {};
  return lot_quantity_fields();
}

// The LotSummary DTO of 11.2 (the lot list; batch detail's lots).
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

inline std::vector<std::string> lot_locked_fields(const LotSummary& lot) {
  return lot_locked_fields(lot.palletized_boxes);
}

// A lot row with what LotOut (11.2) joins to it: box size name and weight, batch code,
// grower name and code, and the palletized boxes behind locked_fields.
struct Lot {
  std::string id;
  std::string lot_code;
  std::string batch_id;
  std::string grower_id;
  std::string packhouse_id;
  std::optional<std::string> pack_line_id;
  std::string fruit_type;
  std::optional<std::string> variety;
  std::optional<std::string> grade;
  std::optional<std::string> size;
  std::optional<std::string> product_config_id;
  std::optional<std::string> pack_spec_id;
  std::optional<std::string> box_size_id;
  std::optional<std::string> target_market;
  std::int64_t carton_count = 0;
  std::optional<double> weight_kg;
  double waste_kg = 0;
  std::optional<std::string> waste_reason;
  std::optional<std::string> pack_date;  // YYYY-MM-DD
  std::string intake_date;               // naive UTC timestamp
  std::optional<std::string> quality_data_json;
  std::string status = "created";
  std::optional<std::string> notes;
  std::optional<std::string> packed_by;
  std::string created_at;
  std::string updated_at;
  // Joined, not columns of the lot.
  std::optional<std::string> box_size_name;
  std::optional<double> box_weight_kg;
  std::optional<std::string> batch_code;
  std::optional<std::string> grower_name;
  std::optional<std::string> grower_code;
  std::int64_t palletized_boxes = 0;
};

// One item of POST /api/lots/from-batch/{batch_id}, validated by the api layer.
struct NewLot {
  std::string grade;
  std::optional<std::string> size;
  std::optional<std::string> box_size_id;
  std::optional<double> weight_kg;
  std::int64_t carton_count = 0;
  std::optional<std::string> pack_date;
  double waste_kg = 0;
  std::optional<std::string> waste_reason;
  std::optional<std::string> notes;
};

// Over-packing (issue 7, "Bad input"): whether lots may hold more than the batch's net
// weight. Part of the request body as "allow_overpack".
enum class Overpack { kRefuse, kAllow };

// A PATCH of a lot: the keys the body held (absent = unchanged; null = cleared) and their
// values, validated by the api layer.
struct LotUpdate {
  std::vector<std::string> sent;
  Lot values;
  Overpack overpack = Overpack::kRefuse;

  bool has(std::string_view key) const {
    for (const auto& k : sent) {
      if (k == key) return true;
    }
    return false;
  }
};

// Copies the sent keys of `update` onto `lot`.
void apply(const LotUpdate& update, Lot& lot);

// Filters of GET /api/lots/ (exact matches).
struct LotFilter {
  std::optional<std::string> batch_id;
  std::optional<std::string> status;
  std::optional<std::string> grade;
};

struct BoxSize {
  std::string id;
  std::string name;
  double weight_kg = 0;
};

// A lot's boxes on one pallet (an active pallet_lots row).
struct PalletAllocation {
  std::string pallet_number;
  std::int64_t box_count = 0;
};

// What a batch's live lots account for.
struct LotTotals {
  double weight_kg = 0;
  double waste_kg = 0;
  double accounted_kg() const { return weight_kg + waste_kg; }
};

// "GRN-20260219-001-L01": the batch code, "-L", the number zero-padded to 2 digits.
std::string lot_code(std::string_view batch_code, std::int64_t number);

// 11.3 step 6: the batch's waste is what its lots do not account for, never negative.
inline double batch_waste_kg(double net_weight_kg, const LotTotals& lots) {
  const double rest = net_weight_kg - lots.accounted_kg();
  return rest > 0 ? rest : 0;
}

inline constexpr std::string_view kAutoWasteReason = "Auto-calculated balance";

// True when lots accounting for `lots` kg (weight plus waste) exceed what the batch holds.
// A batch without a positive net weight cannot be over-packed.
inline bool is_overpacked(const std::optional<double>& net_weight_kg, const LotTotals& lots) {
  constexpr double kToleranceKg = 1e-6;  // sums of doubles
  return net_weight_kg && *net_weight_kg > 0 && lots.accounted_kg() > *net_weight_kg + kToleranceKg;
}

// "Cannot edit grade: 40 boxes allocated to PAL-20260301-001 (+1 more). Remove pallet
// allocations first." (11.3). Requires: allocations not empty.
std::string lot_lock_message(std::string_view field, const std::vector<PalletAllocation>& allocations);

}  // namespace fruitpak::domain
