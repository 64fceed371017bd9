#pragma once
// Shipping containers (contract 11.2 ContainerSummary/ContainerDetail, 11.5; issue 7 point
// 3): what /api/containers reads and writes, and the pure rules around them (the status
// steps, which pallets may load, what an unloaded pallet becomes).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fruitpak::domain {

// The statuses of 11.1, in the order a container moves through them.
inline constexpr std::string_view kContainerOpen = "open";
inline constexpr std::string_view kContainerLoading = "loading";
inline constexpr std::string_view kContainerLoaded = "loaded";
inline constexpr std::string_view kContainerSealed = "sealed";
inline constexpr std::string_view kContainerDispatched = "dispatched";
inline constexpr std::string_view kContainerInTransit = "in_transit";
inline constexpr std::string_view kContainerArrived = "arrived";
inline constexpr std::string_view kContainerDelivered = "delivered";

bool is_container_status(std::string_view status);

// Pallets are loaded and unloaded only while the container is open or loading.
inline bool accepts_pallets(std::string_view status) {
  return status == kContainerOpen || status == kContainerLoading;
}

// The forward steps after loading (11.5), each with its action verb and the one status it
// starts from: mark-loaded, seal, dispatch, export, arrive, deliver.
enum class ContainerStep { kMarkLoaded, kSeal, kDispatch, kExport, kArrive, kDeliver };

struct StepRule {
  std::string_view from;
  std::string_view to;
  std::string_view refusal_prefix;  // "Cannot seal"
};
StepRule step_rule(ContainerStep step);

// "Cannot seal — container is 'open', expected 'loaded'" (11.5).
std::string step_refusal(ContainerStep step, std::string_view status);

// The status one step back (loaded -> loading ... arrived -> in_transit); nullopt for open,
// loading and delivered, which have no previous step.
std::optional<std::string_view> previous_status(std::string_view status);

// "Cannot revert — container status 'open' has no previous step" (11.5).
std::string revert_refusal(std::string_view status);

// Pallet statuses a container moves (D16: status changes reach the loaded pallets).
inline constexpr std::string_view kPalletLoaded = "loaded";
inline constexpr std::string_view kPalletExported = "exported";

// A pallet's status once loaded: "loaded" for open/closed/stored/allocated ones, else
// unchanged (11.5).
std::string pallet_status_on_load(std::string_view status);

// A pallet taken out of a container: "closed" when full, else "open".
inline std::string pallet_status_on_unload(std::int64_t current_boxes, std::int64_t capacity_boxes) {
  return current_boxes >= capacity_boxes ? "closed" : "open";
}

// What a step does to the loaded pallets: dispatching ships them (loaded -> exported);
// reverting a dispatch brings them back. Other steps leave them.
struct PalletCascade {
  std::string_view from;
  std::string_view to;
};
std::optional<PalletCascade> pallet_cascade(std::string_view container_from, std::string_view container_to);

// A dispatched or in-transit container whose ETA (YYYY-MM-DD) lies before `today`.
bool is_overdue(std::string_view status, const std::optional<std::string>& eta, std::string_view today);

// A container row (11.1) with the names ContainerSummary joins to it and the codes of
// what it holds.
struct Container {
  std::string id;
  std::string container_number;
  std::optional<std::string> transport_config_id;
  std::string container_type;
  std::int64_t capacity_pallets = 20;
  std::optional<std::string> packhouse_id;
  std::int64_t pallet_count = 0;
  std::int64_t total_cartons = 0;
  std::optional<double> gross_weight_kg;
  std::optional<std::string> client_id;
  std::optional<std::string> customer_name;
  std::optional<std::string> destination;
  std::optional<std::string> shipping_container_number;
  std::optional<std::string> export_date;  // naive UTC timestamp
  std::optional<std::string> transporter_id;
  std::optional<std::string> shipping_agent_id;
  std::optional<std::string> shipping_line_id;
  std::optional<std::string> vessel_name;
  std::optional<std::string> voyage_number;
  std::optional<std::string> etd;  // YYYY-MM-DD
  std::optional<std::string> eta;  // YYYY-MM-DD
  std::optional<std::string> seal_number;
  std::optional<std::string> sealed_at;
  std::optional<std::string> sealed_by;  // the sealer's full name
  std::optional<double> temp_setpoint_c;
  std::optional<std::string> temp_readings_json;  // a JSON list of readings, as stored
  std::optional<std::string> export_id;
  std::string status = "open";
  std::optional<std::string> dispatched_at;
  std::optional<std::string> arrived_at;
  std::optional<std::string> delivered_at;
  std::optional<std::string> qr_code_url;
  std::optional<std::string> notes;
  // pallet_count and total_cartons were entered by hand: loads and unloads leave them.
  bool counts_manual = false;
  std::string created_at;
  std::string updated_at;
  // Joined, not columns of the container.
  std::optional<std::string> transporter_name;
  std::optional<std::string> shipping_agent_name;
  std::optional<std::string> shipping_line_name;
  bool is_overdue = false;
  std::vector<std::string> pallet_numbers;
  std::vector<std::string> lot_codes;
  std::vector<std::string> batch_codes;
};

// The pallet numbers, lot codes and batch codes of one container's live pallets (each
// list without repeats, in loading order).
struct ContainerCodes {
  std::string container_id;
  std::vector<std::string> pallet_numbers;
  std::vector<std::string> lot_codes;
  std::vector<std::string> batch_codes;
};

// An item of ContainerDetail.pallets.
struct ContainerPallet {
  std::string id;
  std::string pallet_number;
  std::int64_t current_boxes = 0;
  std::optional<std::string> fruit_type;
  std::optional<std::string> grade;
  std::optional<std::string> size;
  std::optional<std::string> box_size_name;
  std::string status;
};

struct TraceLot {
  std::string lot_code;
  std::optional<std::string> grade;
  std::optional<std::string> size;
  std::int64_t box_count = 0;
  std::optional<std::string> box_size_name;
};

struct TraceBatch {
  std::string batch_code;
  std::optional<std::string> grower_name;
  std::optional<std::string> grower_code;
  std::string fruit_type;
  std::optional<std::string> intake_date;  // YYYY-MM-DD
};

// One pallet's lots (its active allocations) and the batches and growers behind them.
struct PalletTrace {
  std::string pallet_number;
  std::int64_t current_boxes = 0;
  std::vector<TraceLot> lots;
  std::vector<TraceBatch> batches;
};

struct ContainerDetail {
  Container container;
  std::vector<ContainerPallet> pallets;
  std::vector<PalletTrace> traceability;
};

// A pallet as loading and unloading see it.
struct LoadablePallet {
  std::string id;
  std::string pallet_number;
  std::optional<std::string> container_id;
  std::optional<std::string> position_in_container;
  std::string status;
  std::int64_t current_boxes = 0;
  std::int64_t capacity_boxes = 0;
};

// The next position after the numbered ones held ("1", "2", ...): 1 + the largest.
std::int64_t next_position(const std::vector<LoadablePallet>& loaded);

// A PATCH (or create) body: the keys it held (absent = unchanged; null = cleared) and
// their values, validated by the api layer.
struct ContainerUpdate {
  std::vector<std::string> sent;
  Container values;
  // pallet_count / total_cartons sent (PATCH only): true when entered by hand (the sent
  // values are kept), false when sent as null (back to tallies of the pallets).
  std::optional<bool> counts_manual;

  bool has(std::string_view key) const {
    for (const auto& k : sent) {
      if (k == key) return true;
    }
    return false;
  }
};

// Copies the sent plain keys of `update` onto `c` (not the references it names, which the
// service resolves, nor the counts).
void apply(const ContainerUpdate& update, Container& c);

// The optional fields of the export step (11.5): the ones given are applied.
struct VoyageUpdate {
  std::optional<std::string> vessel_name;
  std::optional<std::string> voyage_number;
  std::optional<std::string> shipping_line_id;
  std::optional<std::string> etd;
  std::optional<std::string> eta;
};

struct SealInput {
  std::string seal_number;
  std::optional<double> temp_setpoint_c;
};

// A temperature reading (issue 7 point 3) appended to temp_readings.
struct TemperatureReading {
  double temp_c = 0;
  std::string recorded_at;  // naive UTC timestamp
  std::optional<std::string> location;
  std::optional<std::string> notes;
  std::string recorded_by;  // user id
};

inline constexpr std::size_t kMaxTemperatureReadings = 1000;

// Filters of GET /api/containers/: exact status and client, substrings of the customer and
// of the search fields.
struct ContainerFilter {
  std::optional<std::string> status;
  std::optional<std::string> client_id;
  std::optional<std::string> customer;
  std::optional<std::string> search;
};

// "PAL-1, PAL-2, PAL-3" (at most `limit`, then " (+n more)").
std::string list_some(const std::vector<std::string>& items, std::size_t limit = 3);

}  // namespace fruitpak::domain
