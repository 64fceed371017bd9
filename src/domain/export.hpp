#pragma once
// Export bookings (issue 7 point 4; our own resource per D14, on the contract's `exports`
// table, 3.3 and 11.1): a client's shipment with the containers attached to it, and the
// rules of its status (draft -> booked -> loaded -> in_transit -> arrived -> completed, or
// cancelled early).

#include "domain/money.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fruitpak::domain {

// Section 3's exports.status values.
inline constexpr std::string_view kExportDraft = "draft";
inline constexpr std::string_view kExportInTransit = "in_transit";
inline constexpr std::string_view kExportArrived = "arrived";
inline constexpr std::string_view kExportCompleted = "completed";
inline constexpr std::string_view kExportCancelled = "cancelled";

// The position of a status on the forward path (draft 0 ... completed 5); cancelled is off
// the path (6); -1: not a status.
int export_status_rank(std::string_view status);
inline bool is_export_status(std::string_view status) { return export_status_rank(status) >= 0; }

// Completed and cancelled exports are closed: nothing about them changes any more.
inline bool is_export_closed(std::string_view status) {
  return status == kExportCompleted || status == kExportCancelled;
}

// Whether an export may move from `from` to `to`: one or more steps forward along the path,
// or to cancelled from draft, booked or loaded. Staying put is allowed. Nothing leaves a
// closed status.
bool is_export_transition_allowed(std::string_view from, std::string_view to);

// "Cannot move export from 'arrived' to 'booked'".
std::string export_transition_message(std::string_view from, std::string_view to);

// An export as stored: every column but the tenant, the documents and the deletion flag.
struct Export {
  std::string id;
  std::string booking_ref;
  std::string client_name;
  std::optional<std::string> client_ref;
  std::optional<std::string> target_market;
  std::optional<std::string> destination_country;
  std::optional<std::string> destination_port;
  std::optional<std::string> shipping_line;
  std::optional<std::string> vessel_name;
  std::optional<std::string> voyage_number;
  std::optional<std::string> port_of_loading;
  std::optional<std::string> etd;               // YYYY-MM-DD
  std::optional<std::string> eta;               // YYYY-MM-DD
  std::optional<std::string> actual_departure;  // YYYY-MM-DD
  std::optional<std::string> actual_arrival;    // YYYY-MM-DD
  // The attached live containers: their number, Σ pallet_count and Σ total_cartons.
  std::int64_t container_count = 0;
  std::int64_t total_pallets = 0;
  std::int64_t total_cartons = 0;
  std::optional<double> total_weight_kg;  // the booked weight, as entered
  std::optional<std::string> ppecb_cert_number;
  std::optional<std::string> phyto_cert_number;
  std::optional<std::string> bill_of_lading;
  std::optional<std::string> currency;        // three upper-case letters
  std::optional<Cents> total_value_cents;
  std::optional<std::string> incoterm;
  std::optional<std::string> shipping_line_id;
  std::optional<std::string> transporter_id;
  std::optional<std::string> shipping_agent_id;
  std::optional<std::string> shipping_schedule_id;
  std::string status = std::string(kExportDraft);
  std::optional<std::string> notes;
  std::optional<std::string> created_by;  // user id
  std::string created_at;
  std::string updated_at;
};

// Moves `e` to `to` (an allowed transition): entering in_transit (or any later step) sets
// the actual departure to `today` when it is unset, entering arrived (or completed) the
// actual arrival likewise.
void move_export(Export& e, std::string_view to, const std::string& today);

// A container attached to an export, as the export detail shows it.
struct ExportContainer {
  std::string id;
  std::string container_number;
  std::string status;
  std::int64_t pallet_count = 0;
  std::int64_t total_cartons = 0;
  std::optional<double> gross_weight_kg;
};

// A live client invoice raised against an export, as the export detail shows it.
struct ExportInvoice {
  std::string id;
  std::string invoice_number;
  std::string status;
  std::string currency;
  double total_amount = 0;
  double balance_due = 0;
};

struct ExportDetail {
  Export booking;
  std::vector<ExportContainer> containers;  // by container number
  std::vector<ExportInvoice> invoices;      // oldest first
};

// Filters of the exports list; etd within [etd_from, etd_to] (inclusive); `client` is a
// case-insensitive part of the client name.
struct ExportFilter {
  std::optional<std::string> status;
  std::optional<std::string> client;
  std::optional<std::string> etd_from;
  std::optional<std::string> etd_to;
};

// A container named by an attach request, with the export it is on (if any).
struct ContainerPlacement {
  std::string id;
  std::string container_number;
  std::optional<std::string> export_id;
  std::optional<std::string> booking_ref;  // of export_id
};

}  // namespace fruitpak::domain
