#pragma once
// The demo profile of the season generator: a 26-week citrus season of a three-packhouse
// enterprise, planned in memory (a few tens of thousands of rows) and then turned into
// table rows in load order. Split by subject over demo_reference.cpp (configuration and
// partners), demo_operations.cpp (GRNs to pallets), demo_shipping.cpp (containers and
// exports) and demo_finance.cpp (payments, labour, invoices, credits). Internal to the
// season generators.

#include "services/season/catalog.hpp"
#include "services/season/setup.hpp"

#include <optional>
#include <string>
#include <vector>

namespace fruitpak::services::season {

struct BatchPlan {
  BatchDraft draft;
  BatchOutcome outcome;
  std::optional<Moment> packing_at;   // first lots packed: received -> packing
  std::optional<Moment> closed_at;    // every lot on pallets: packing -> complete
  std::optional<Moment> rejected_at;  // received -> rejected
  std::vector<int> lots;
};

struct LotPlan {
  std::string id;
  std::string code;
  int batch = 0;
  int grade = 1;          // 1, 2, 3 (stored as text: class 1 is what the team summary counts)
  std::string size;
  int box = 0;            // index into kBoxSizes
  int market = -1;        // index into kExportMarkets; -1 = local market
  std::int64_t cartons = 0;
  double weight_kg = 0;
  double waste_kg = 0;
  Moment packed{};
  std::string line_id;
  std::vector<std::pair<int, std::int64_t>> slices;  // (pallet, boxes)
};

struct PalletPlan {
  std::string id;
  std::string number;
  int packhouse = 0, box = 0, fruit = 0, cultivar = 0, grade = 1, market = -1;
  std::int64_t capacity = 0, boxes = 0;
  std::vector<std::pair<int, std::int64_t>> lots;  // (lot, boxes)
  Moment created{};
  std::optional<Moment> closed;
  std::optional<Moment> loaded;
  int container = -1;
  int position = 0;  // 1-based place in its container
};

struct ContainerPlan {
  std::string id;
  std::string number;
  int packhouse = 0, market = 0, exported = -1;
  Moment created{};
  std::vector<int> pallets;
  std::string status;
  std::int64_t header_pallets = 0;  // pallet_count as entered (differs on planted mismatches)
};

struct ExportPlan {
  std::string id;
  std::string booking_ref;
  std::string schedule_id;
  std::string vessel;
  std::string voyage;
  int packhouse = 0, market = 0, line = 0;
  Day etd{}, eta{};
  Moment created{};
  std::vector<int> containers;
  std::string status;
};

// One invoice line: cartons of one cultivar, class and box at one price.
struct InvoiceLine {
  std::string description;
  std::int64_t cartons = 0;
  double unit_price = 0;
  double amount = 0;
};

struct InvoicePlan {
  int exported = 0;  // index into the exports
  std::vector<InvoiceLine> lines;
  double total = 0;
  Day issued{};
  Day due{};
  std::optional<Day> paid;
  double amount_paid = 0;
  double credited = 0;
  std::string status;
  std::string id;
  std::string number;
};

// Container statuses once the container has left the packhouse.
inline bool departed(const std::string& container_status) {
  return container_status == "dispatched" || container_status == "in_transit" || container_status == "arrived" ||
         container_status == "delivered";
}

// lots.target_market and pallets.target_market of a market index (-1: local market).
inline std::string market_name(int market) {
  if (market < 0) return std::string(kLocalMarket);
  return std::string(kExportMarkets[static_cast<std::size_t>(market)].target_market);
}

class DemoSeason {
 public:
  DemoSeason(const domain::TenantId& tenant, const SeasonOptions& options, Day last_day);
  DemoSeason(const DemoSeason&) = delete;  // context_ points into the object
  DemoSeason& operator=(const DemoSeason&) = delete;

  // Every table's rows in load order (referenced rows first), code counters last.
  std::vector<TableRows> build();

 private:
  // demo_reference.cpp
  void add_company();
  void add_catalogue();
  void add_partners();
  void add_schedules();
  // demo_operations.cpp
  void plan_batches();
  void plan_batch_life(BatchPlan& plan);
  void plan_lots(int batch, bool short_lots);
  void plan_pallets();
  void add_batches();
  void add_lots();
  // demo_shipping.cpp
  void plan_containers();
  void plan_exports();
  void add_exports();
  void add_containers();
  void add_pallets();
  // demo_finance.cpp
  void add_grower_payments();
  void add_labour();
  void add_invoices();
  std::vector<InvoiceLine> invoice_lines(const ExportPlan& e) const;
  void add_invoice_rows(std::vector<InvoicePlan>& invoices, const std::vector<int>& paid);

  static std::optional<std::string> stamp_or_null(const std::optional<Moment>& m);
  double season_position(Day day) const;
  const RowContext& context() const { return context_; }

  domain::TenantId tenant_;
  SeasonOptions options_;
  Day first_day_, last_day_;
  Rng rng_;
  IdBook ids_;
  Setup setup_;
  RowContext context_;
  CounterRows counters_;
  std::string setup_at_;  // created_at of configuration rows: before the season

  std::vector<std::string> product_config_ids_;  // per (fruit, cultivar): fruit * 4 + cultivar
  std::vector<std::string> pack_spec_ids_;       // per fruit
  std::vector<std::string> box_ids_;
  std::vector<std::string> client_ids_;          // per export market
  std::vector<std::string> shipping_line_ids_;
  std::vector<std::string> transporter_ids_;     // per packhouse
  std::vector<std::string> agent_ids_;           // per packhouse
  std::string labour_broker_id_, security_id_, transport_config_id_;

  std::vector<BatchPlan> batches_;
  std::vector<LotPlan> lots_;
  std::vector<PalletPlan> pallets_;
  std::vector<ContainerPlan> containers_;
  std::vector<ExportPlan> exports_;
  std::vector<std::string> payment_ids_;  // planned grower payments, for a grower credit

  std::vector<TableRows> out_;
};

}  // namespace fruitpak::services::season
