#include "services/season/setup.hpp"

#include "services/season/catalog.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <numeric>

namespace fruitpak::services::season {
namespace {

// What each site grows, most first.
constexpr std::array<std::array<int, 3>, 3> kSiteFruits{{{0, 1, 2}, {0, 3, 1}, {0, 2, 1}}};
constexpr std::string_view kPlateLetters = "BCDFGHJKLMNPRSTVWXYZ";  // SA plates have no vowels
constexpr std::string_view kStations =
    R"([{"name":"Tipping","position":1},{"name":"Pre-sort","position":2},{"name":"Wash and wax","position":3},)"
    R"({"name":"Sizing","position":4},{"name":"Packing","position":5},{"name":"Palletising","position":6}])";

bool in_season(const Cultivar& c, double position) { return c.season_from <= position && position <= c.season_to; }

bool fruit_in_season(int fruit, double position) {
  for (const auto& c : kFruits[static_cast<std::size_t>(fruit)].cultivars) {
    if (in_season(c, position)) return true;
  }
  return false;
}

std::string fields_json(const std::vector<FieldRef>& fields) {
  std::string json = "[";
  for (const auto& f : fields) {
    if (json.size() > 1) json += ',';
    json += fmt::format(R"({{"name":"{}","hectares":{},"fruit_type":"{}"}})", f.name, f.hectares,
                        kFruits[static_cast<std::size_t>(f.fruit)].fruit_type);
  }
  return json + "]";
}

std::string plate(Rng& rng, const PackhouseSite& site) {
  if (!site.plate_prefix.empty()) {
    return fmt::format("{} {:03}-{:03}", site.plate_prefix, rng.between(0, 999), rng.between(0, 999));
  }
  std::string letters;
  for (int i = 0; i < 3; ++i) letters += kPlateLetters[rng.below(kPlateLetters.size())];
  return fmt::format("{} {:03} {}", letters, rng.between(1, 999), site.plate_suffix);
}

GrowerRef make_grower(Rng& rng, int index, int packhouse) {
  const auto& site = kPackhouseSites[static_cast<std::size_t>(packhouse)];
  GrowerRef g;
  const auto farm = kFarmNames[static_cast<std::size_t>(index) % kFarmNames.size()];
  g.name = std::string(farm) + std::string(kGrowerSuffixes[static_cast<std::size_t>(index) % kGrowerSuffixes.size()]);
  g.code = fmt::format("G{:03}", index + 1);
  g.packhouse = packhouse;
  g.region = std::string(rng.pick(site.regions));
  const auto& grown = kSiteFruits[static_cast<std::size_t>(packhouse)];
  g.fruits.push_back(grown[0]);
  for (std::size_t k = 1; k < grown.size(); ++k) {
    if (rng.chance(0.55)) g.fruits.push_back(grown[k]);
  }
  const auto field_count = rng.between(2, 4);
  for (std::int64_t f = 0; f < field_count; ++f) {
    const int fruit = g.fruits[rng.below(g.fruits.size())];
    FieldRef field{fmt::format("{}-B{:02}", g.code, f + 1), fmt::format("Blok {}", f + 1),
                   round_places(rng.uniform(6, 42), 1), fruit};
    g.volume_tons += field.hectares * rng.uniform(38, 62);
    g.fields.push_back(std::move(field));
  }
  g.volume_tons = round_places(g.volume_tons, 0);
  return g;
}

void add_packhouses(Setup& s, IdBook& ids, const domain::TenantId& tenant, const std::string& at) {
  TableRows packhouses("packhouses", {"id", "enterprise_id", "name", "location", "capacity_tons_per_day",
                                      "cold_rooms", "created_at", "updated_at"});
  TableRows lines("pack_lines", {"id", "enterprise_id", "packhouse_id", "name", "line_number", "stations",
                                 "custom_units", "created_at"});
  for (int i = 0; i < static_cast<int>(kPackhouseSites.size()); ++i) {
    const auto& site = kPackhouseSites[static_cast<std::size_t>(i)];
    PackhouseRef p{ids.next("packhouses"), i, {}};
    packhouses.add(p.id, tenant.value(), site.name, fmt::format("{}, {}", site.town, site.province),
                   site.capacity_tons_per_day, site.cold_rooms, at, at);
    for (int line = 1; line <= 3; ++line) {
      p.line_ids.push_back(ids.next("pack_lines"));
      lines.add(p.line_ids.back(), tenant.value(), p.id, fmt::format("Line {}", line), line, kStations,
                R"(["cartons","pallets"])", at);
    }
    s.packhouses.push_back(std::move(p));
  }
  s.rows.push_back(std::move(packhouses));
  s.rows.push_back(std::move(lines));
}

void add_growers(Setup& s, Rng& rng, IdBook& ids, const RowContext& ctx, int count, const std::string& at) {
  TableRows rows("growers", {"id", "enterprise_id", "name", "grower_code", "contact_person", "phone", "email",
                             "region", "fields", "total_hectares", "estimated_volume_tons", "globalg_ap_certified",
                             "globalg_ap_number", "other_certifications", "notes", "is_active", "packhouse_id",
                             "is_deleted", "created_at", "updated_at"});
  s.growers_of_packhouse.resize(s.packhouses.size());
  for (int i = 0; i < count; ++i) {
    GrowerRef g = make_grower(rng, i, i % static_cast<int>(s.packhouses.size()));
    g.id = ids.next("growers");
    double hectares = 0;
    for (const auto& f : g.fields) hectares += f.hectares;
    const bool certified = rng.chance(0.9);
    std::string slug;
    for (char c : g.name.substr(0, g.name.find(' '))) slug += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    rows.add(g.id, ctx.tenant.value(), g.name, g.code, person_name(rng), phone_number(rng),
             fmt::format("office@{}.example", slug), g.region, fields_json(g.fields), round_places(hectares, 1),
             g.volume_tons, certified,
             certified ? std::optional<std::string>(fmt::format("40{:011}", rng.below(100'000'000'000ull)))
                       : std::nullopt,
             rng.chance(0.4) ? R"(["SIZA","Rainforest Alliance"])" : "[]", nullptr, true,
             s.packhouses[static_cast<std::size_t>(g.packhouse)].id, false, at, at);
    s.growers_of_packhouse[static_cast<std::size_t>(g.packhouse)].push_back(i);
    s.grower_weights.push_back(std::max(g.volume_tons, 50.0));
    s.growers.push_back(std::move(g));
  }
  s.rows.push_back(std::move(rows));
}

void add_teams(Setup& s, Rng& rng, IdBook& ids, const RowContext& ctx, int per_packhouse, const std::string& at) {
  TableRows rows("harvest_teams", {"id", "enterprise_id", "name", "team_leader", "team_size", "grower_id",
                                   "estimated_volume_kg", "fruit_types", "assigned_fields", "notes", "rate_per_kg",
                                   "rate_currency", "packhouse_id", "created_at"});
  s.teams_of_packhouse.resize(s.packhouses.size());
  for (std::size_t p = 0; p < s.packhouses.size(); ++p) {
    for (int t = 0; t < per_packhouse; ++t) {
      const std::string leader = person_name(rng);
      TeamRef team{ids.next("harvest_teams"), "Span " + leader.substr(leader.find(' ') + 1), static_cast<int>(p),
                   static_cast<int>(rng.between(18, 45)), round_places(rng.uniform(0.28, 0.45), 2)};
      const auto& growers = s.growers_of_packhouse[p];
      std::optional<std::string> grower;
      if (!growers.empty() && rng.chance(0.4)) grower = s.growers[static_cast<std::size_t>(rng.pick(growers))].id;
      rows.add(team.id, ctx.tenant.value(), team.name, leader, team.size, grower,
               round_places(team.size * rng.uniform(9000, 14000), 0), R"(["Orange","Lemon","Soft Citrus"])", "[]",
               nullptr, team.rate_per_kg, "ZAR", s.packhouses[p].id, at);
      s.teams_of_packhouse[p].push_back(static_cast<int>(s.teams.size()));
      s.teams.push_back(std::move(team));
    }
  }
  s.rows.push_back(std::move(rows));
}

}  // namespace

std::string IdBook::next(const std::string& table) {
  auto found = sequences_.find(table);
  if (found == sequences_.end()) found = sequences_.emplace(table, IdSequence(tenant_, seed_, table)).first;
  return found->second.next();
}

Setup make_setup(Rng& rng, IdBook& ids, const domain::TenantId& tenant, SetupSize size, const std::string& created_at) {
  Setup s;
  const RowContext ctx{tenant, s, std::nullopt};
  add_packhouses(s, ids, tenant, created_at);
  add_growers(s, rng, ids, ctx, size.growers, created_at);
  add_teams(s, rng, ids, ctx, size.teams_per_packhouse, created_at);
  return s;
}

BatchDraft draft_batch(Rng& rng, const Setup& s, Day day, std::int64_t second, double position) {
  BatchDraft b;
  b.grower = static_cast<int>(rng.weighted(s.grower_weights));
  const auto& g = s.growers[static_cast<std::size_t>(b.grower)];
  b.packhouse = g.packhouse;
  std::array<double, kFruits.size()> fruit_weights{};
  for (int f : g.fruits) fruit_weights[static_cast<std::size_t>(f)] = fruit_in_season(f, position) ? 1.0 : 0.03;
  b.fruit = static_cast<int>(rng.weighted(fruit_weights));
  const auto& fruit = kFruits[static_cast<std::size_t>(b.fruit)];
  std::array<double, 4> cultivar_weights{};
  for (std::size_t c = 0; c < fruit.cultivars.size(); ++c) {
    cultivar_weights[c] = in_season(fruit.cultivars[c], position) ? 1.0 : 0.02;
  }
  b.cultivar = static_cast<int>(rng.weighted(cultivar_weights));
  const auto& teams = s.teams_of_packhouse[static_cast<std::size_t>(b.packhouse)];
  if (!teams.empty() && rng.chance(0.7)) b.team = rng.pick(teams);
  b.day = day;
  b.second = second;
  b.created_at = stamp(day, second, static_cast<std::int64_t>(rng.below(1'000'000)));
  b.harvest_date = iso_day(rng.chance(0.35) ? day - std::chrono::days(1) : day);
  b.bins = static_cast<int>(rng.between(8, 24));
  b.tare_kg = round_places(b.bins * 38.5, 1);
  b.gross_kg = round_places(b.bins * std::clamp(rng.normal(385, 18), 340.0, 430.0) + b.tare_kg, 1);
  b.net_kg = round_places(b.gross_kg - b.tare_kg, 1);  // as the API computes it: gross - tare
  b.temp_c = round_places(std::clamp(rng.normal(21, 4), 8.0, 34.0), 1);
  b.brix = round_places(rng.uniform(fruit.brix_low, fruit.brix_high), 1);
  const double grade = rng.unit();
  b.quality_grade = grade < 0.7 ? "A" : (grade < 0.95 ? "B" : "C");
  b.quality_json = fmt::format(R"({{"quality_grade":"{}","defects_pct":{},"colour_index":{}}})", b.quality_grade,
                               round_places(rng.uniform(0.5, 6.0), 1), rng.between(3, 7));
  std::vector<const FieldRef*> matching;
  for (const auto& f : g.fields) {
    if (f.fruit == b.fruit) matching.push_back(&f);
  }
  const FieldRef& field = matching.empty() ? rng.pick(g.fields) : *rng.pick(matching);
  b.field_code = field.code;
  b.field_name = field.name;
  b.vehicle_reg = plate(rng, kPackhouseSites[static_cast<std::size_t>(g.packhouse)]);
  b.driver_name = person_name(rng);
  return b;
}

TableRows batch_rows() {
  return TableRows("batches", {"id", "enterprise_id", "batch_code", "grower_id", "harvest_team_id", "packhouse_id",
                               "fruit_type", "variety", "harvest_date", "intake_date", "gross_weight_kg",
                               "tare_weight_kg", "net_weight_kg", "arrival_temp_c", "brix_reading",
                               "quality_assessment", "status", "rejection_reason", "bin_count", "bin_type", "notes",
                               "received_by", "payment_routing", "harvest_rate_per_kg", "waste_kg", "waste_reason",
                               "field_code", "field_name", "vehicle_reg", "driver_name", "is_deleted", "created_at",
                               "updated_at"});
}

void add_batch_row(TableRows& rows, const RowContext& ctx, const BatchDraft& b, const BatchOutcome& outcome) {
  const auto& fruit = kFruits[static_cast<std::size_t>(b.fruit)];
  std::optional<std::string> team;
  std::optional<double> team_rate;
  if (b.team) {
    team = ctx.setup.teams[static_cast<std::size_t>(*b.team)].id;
    team_rate = ctx.setup.teams[static_cast<std::size_t>(*b.team)].rate_per_kg;
  }
  rows.add(b.id, ctx.tenant.value(), b.code, ctx.setup.growers[static_cast<std::size_t>(b.grower)].id, std::move(team),
           ctx.setup.packhouses[static_cast<std::size_t>(b.packhouse)].id, fruit.fruit_type,
           fruit.cultivars[static_cast<std::size_t>(b.cultivar)].name, b.harvest_date, iso_day(b.day), b.gross_kg,
           b.tare_kg, b.net_kg, b.temp_c, b.brix, b.quality_json, outcome.status, outcome.rejection_reason,
           b.bins, "Plastic bin 400 kg", nullptr, ctx.user_id, "grower", team_rate, outcome.waste_kg,
           outcome.waste_reason, b.field_code, b.field_name, b.vehicle_reg, b.driver_name, false, b.created_at,
           outcome.updated_at);
}

}  // namespace fruitpak::services::season
