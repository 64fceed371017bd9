#pragma once
// Batches of fruit received by GRN, and their history (contract 2.6, 3.3).

#include "domain/lot.hpp"
#include "domain/page.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace fruitpak::domain {

// Statuses a batch may take (the documented ones, the web client's and section 11's).
const std::vector<std::string>& batch_statuses();

struct Batch {
  std::string id;
  std::string batch_code;
  std::string grower_id;
  std::optional<std::string> harvest_team_id;
  std::string packhouse_id;
  std::string fruit_type;
  std::optional<std::string> variety;
  std::optional<std::string> harvest_date;  // YYYY-MM-DD
  std::string intake_date;                  // YYYY-MM-DD
  std::optional<double> gross_weight_kg;
  double tare_weight_kg = 0;
  std::optional<double> net_weight_kg;
  std::optional<double> arrival_temp_c;
  std::optional<double> brix_reading;
  std::optional<std::string> quality_assessment_json;
  std::string status = "received";
  std::optional<std::string> rejection_reason;
  std::optional<std::int64_t> bin_count;
  std::optional<std::string> bin_type;
  std::optional<std::string> notes;
  std::optional<std::string> received_by;
  std::string created_at;
  std::string updated_at;

  // Contract rule: net = gross - tare when gross is known, else unknown.
  void recompute_net() {
    net_weight_kg = gross_weight_kg ? std::optional<double>(*gross_weight_kg - tare_weight_kg) : std::nullopt;
  }
};

struct BatchSummary {
  Batch batch;
  std::optional<std::string> grower_name;
};

struct BatchHistoryEntry {
  std::string id;
  std::string batch_id;
  std::string event_type;
  std::optional<std::string> event_subtype;
  std::optional<std::string> packhouse_id;
  std::optional<std::string> event_data_json;
  std::optional<std::string> location_detail;
  std::optional<std::string> notes;
  std::optional<std::string> recorded_by;
  std::string recorded_at;
};

struct BatchDetail {
  Batch batch;
  std::optional<std::string> grower_name;
  std::optional<std::string> packhouse_name;
  std::vector<BatchHistoryEntry> history;  // recorded_at ascending
  std::vector<LotSummary> lots;             // live lots, by lot code
};

struct BatchFilter {
  std::optional<std::string> grower_id;
  std::optional<std::string> status;
  std::optional<std::string> fruit_type;
  std::optional<std::string> date_from;  // intake_date >= (YYYY-MM-DD)
  std::optional<std::string> date_to;    // intake_date <=
};

// A position in the newest-first batch order (created_at DESC, id DESC): the last row of
// a page, from which a keyset page continues.
struct BatchKey {
  std::string created_at;
  std::string id;
};

// One page of the batch list. has_more and next (the key to continue after) serve keyset
// paging (D9); next is set exactly when has_more is true.
struct BatchListing {
  Page<BatchSummary> page;
  bool has_more = false;
  std::optional<BatchKey> next;
};

// Result of a GRN intake.
struct GrnReceipt {
  Batch batch;
  bool advance_payment_linked = false;
  std::optional<std::string> advance_payment_ref;
};

// True for a real calendar date written YYYY-MM-DD.
bool is_iso_date(std::string_view text);

}  // namespace fruitpak::domain
