#pragma once
// What both season profiles need before the first GRN: packhouses with pack lines, growers
// with their fields, harvest teams, and the GRN itself (a drafted batch). Internal to the
// season generators.

#include "services/season/toolkit.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace fruitpak::services::season {

// One IdSequence per table, created on first use.
class IdBook {
 public:
  IdBook(domain::TenantId tenant, std::uint64_t seed) : tenant_(std::move(tenant)), seed_(seed) {}
  std::string next(const std::string& table);

 private:
  domain::TenantId tenant_;
  std::uint64_t seed_;
  std::map<std::string, IdSequence> sequences_;
};

struct PackhouseRef {
  std::string id;
  int site = 0;  // index into kPackhouseSites
  std::vector<std::string> line_ids;
};

struct FieldRef {
  std::string code;
  std::string name;
  double hectares = 0;
  int fruit = 0;  // index into kFruits
};

struct GrowerRef {
  std::string id;
  std::string name;
  std::string code;
  int packhouse = 0;
  std::string region;
  std::vector<int> fruits;
  std::vector<FieldRef> fields;
  double volume_tons = 0;
};

struct TeamRef {
  std::string id;
  std::string name;
  int packhouse = 0;
  int size = 0;
  double rate_per_kg = 0;
};

// The generated setup and its rows (tables packhouses, pack_lines, growers, harvest_teams).
struct Setup {
  std::vector<PackhouseRef> packhouses;
  std::vector<GrowerRef> growers;
  std::vector<TeamRef> teams;
  std::vector<double> grower_weights;  // by expected volume: who delivers how often
  std::vector<std::vector<int>> growers_of_packhouse;
  std::vector<std::vector<int>> teams_of_packhouse;
  std::vector<TableRows> rows;
};

struct SetupSize {
  int growers = 40;
  int teams_per_packhouse = 4;
};

Setup make_setup(Rng& rng, IdBook& ids, const domain::TenantId& tenant, SetupSize size, const std::string& created_at);

// A GRN as received: everything but the status-dependent columns.
struct BatchDraft {
  std::string id;
  std::string code;
  int grower = 0;
  int packhouse = 0;
  std::optional<int> team;
  int fruit = 0;
  int cultivar = 0;
  Day day{};
  std::int64_t second = 0;  // of the day, intake time
  std::string created_at;
  std::string harvest_date;
  int bins = 0;
  double gross_kg = 0, tare_kg = 0, net_kg = 0;
  double temp_c = 0, brix = 0;
  std::string quality_grade;  // A, B, C
  std::string quality_json;
  std::string field_code, field_name, vehicle_reg, driver_name;
};

// Draws the grower-dependent part of a GRN received on `day` at `second`; `position` is the
// day's place in the citrus season (0 = first day, 1 = last), which decides what is ripe.
BatchDraft draft_batch(Rng& rng, const Setup& setup, Day day, std::int64_t second, double position);

// Columns of the batches rows written by add_batch_row (both profiles).
TableRows batch_rows();

struct BatchOutcome {
  std::string status;
  std::optional<std::string> rejection_reason;
  double waste_kg = 0;
  std::optional<std::string> waste_reason;
  std::string updated_at;
};

// Who the rows belong to and who recorded them.
struct RowContext {
  const domain::TenantId& tenant;
  const Setup& setup;
  std::optional<std::string> user_id;
};

void add_batch_row(TableRows& rows, const RowContext& context, const BatchDraft& b, const BatchOutcome& outcome);

}  // namespace fruitpak::services::season
