// The demo season's configuration and partners: company profile, rates, suppliers, product
// and pack configuration, clients, shipping lines, transporters, agents, sailings.

#include "services/season/catalog.hpp"
#include "services/season/demo_season.hpp"

#include <fmt/format.h>

#include <array>
#include <cctype>

namespace fruitpak::services::season {
namespace {

struct Partner {
  std::string_view name;
  std::string_view code;
};

constexpr std::array<Partner, 3> kTransporters{
    {{"Olifants Reefer Transport", "ORT"}, {"Lowveld Cold Logistics", "LCL"}, {"Algoa Reefer Haulage", "ARH"}}};
constexpr std::array<Partner, 3> kAgents{{{"Table Bay Shipping Agency", "TBSA"},
                                          {"Durban Forwarding Services", "DFS"},
                                          {"Nelson Mandela Bay Agencies", "NMBA"}}};

std::string slug_of(std::string_view name) {
  std::string slug;
  for (char c : name) {
    if (std::isalnum(static_cast<unsigned char>(c))) slug += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (c == ' ' && !slug.empty() && slug.back() != '-') slug += '-';
  }
  return slug;
}

std::string string_list(const auto& items) {
  std::string json = "[";
  for (const auto& item : items) {
    if (json.size() > 1) json += ',';
    json += fmt::format(R"("{}")", item);
  }
  return json + "]";
}

}  // namespace

DemoSeason::DemoSeason(const domain::TenantId& tenant, const SeasonOptions& options, Day last_day)
    : tenant_(tenant),
      options_(options),
      first_day_(last_day - std::chrono::days(181)),
      last_day_(last_day),
      rng_(fnv1a("demo season", options.seed)),
      ids_(tenant, options.seed),
      context_{tenant_, setup_, options.user_id.empty() ? std::nullopt : std::optional<std::string>(options.user_id)},
      setup_at_(stamp(at(first_day_ - std::chrono::days(45), 9 * 3600))) {}

std::vector<TableRows> DemoSeason::build() {
  setup_ = make_setup(rng_, ids_, tenant_, SetupSize{40, 4}, setup_at_);
  add_company();
  for (auto& rows : setup_.rows) out_.push_back(std::move(rows));
  setup_.rows.clear();
  add_catalogue();
  add_partners();
  plan_batches();
  plan_pallets();
  plan_containers();
  plan_exports();
  add_schedules();
  add_batches();
  add_lots();
  add_exports();
  add_containers();
  add_pallets();
  add_grower_payments();
  add_labour();
  add_invoices();
  out_.push_back(counters_.rows(tenant_));
  return std::move(out_);
}

std::optional<std::string> DemoSeason::stamp_or_null(const std::optional<Moment>& m) {
  if (!m) return std::nullopt;
  return stamp(*m);
}

double DemoSeason::season_position(Day day) const {
  return static_cast<double>((day - first_day_).count()) / static_cast<double>((last_day_ - first_day_).count());
}

void DemoSeason::add_company() {
  const std::string name = options_.company_name.empty() ? "Demo Citrus Packhouse" : options_.company_name;
  TableRows profile("company_profile",
                    {"id", "enterprise_id", "trading_name", "legal_name", "registration_number", "vat_number",
                     "exporter_code", "fbo_code", "ppecb_code", "address_line_1", "address_line_2", "city", "province",
                     "postal_code", "country", "contact_name", "contact_email", "contact_phone", "notes",
                     "created_at", "updated_at"});
  profile.add(ids_.next("company_profile"), tenant_.value(), name, name + " (Pty) Ltd", "2014/087412/07",
              "4870251936", "E20714", "FBO-C1147", "P1147", "12 Voortrekker Street", nullptr, "Citrusdal",
              "Western Cape", "7340", "South Africa", person_name(rng_), "office@demo-packhouse.example",
              phone_number(rng_), nullptr, setup_at_, setup_at_);
  out_.push_back(std::move(profile));
  TableRows finance("financial_config",
                    {"id", "enterprise_id", "currency", "packing_rate_per_kg", "cold_storage_rate_per_pallet_day",
                     "transport_rate_per_pallet", "labour_rate_per_hour", "grower_payment_terms_days",
                     "client_payment_terms_days", "additional_rates", "created_at", "updated_at"});
  finance.add(ids_.next("financial_config"), tenant_.value(), "ZAR", 0.85, 12.5, 950.0, 33.5, 14, 45,
              R"({"cga_levy_per_kg":0.09,"ppecb_levy_per_carton":0.21,"transport_per_kg":0.22})", setup_at_,
              setup_at_);
  out_.push_back(std::move(finance));
}

void DemoSeason::add_catalogue() {
  TableRows suppliers("suppliers", {"id", "enterprise_id", "name", "tags", "contact_person", "phone", "email",
                                    "address", "tax_number", "is_active", "notes", "packhouse_id", "created_at"});
  struct Supplier {
    std::string_view name, tags;
    std::string* id;
  };
  std::string packaging_id, chemicals_id;
  const std::array<Supplier, 4> list{{{"Cape Cartons and Packaging", R"(["packaging"])", &packaging_id},
                                      {"Letaba Labour Brokers", R"(["labour"])", &labour_broker_id_},
                                      {"Sentinel Farm Security", R"(["services"])", &security_id_},
                                      {"AgriChem Crop Solutions", R"(["chemicals"])", &chemicals_id}}};
  for (const auto& s : list) {
    *s.id = ids_.next("suppliers");
    suppliers.add(*s.id, tenant_.value(), s.name, s.tags, person_name(rng_), phone_number(rng_),
                  fmt::format("accounts@{}.example", slug_of(s.name)), nullptr,
                  fmt::format("4{:09}", rng_.below(1'000'000'000)), true, nullptr, nullptr, setup_at_);
  }
  out_.push_back(std::move(suppliers));

  TableRows configs("product_configs", {"id", "enterprise_id", "fruit_type", "variety", "grades", "sizes", "created_at"});
  TableRows specs("pack_specs", {"id", "enterprise_id", "name", "pack_type", "weight_kg", "units_per_carton",
                                 "cartons_per_layer", "layers_per_pallet", "target_market", "created_at"});
  for (const auto& fruit : kFruits) {
    for (const auto& cultivar : fruit.cultivars) {
      product_config_ids_.push_back(ids_.next("product_configs"));
      configs.add(product_config_ids_.back(), tenant_.value(), fruit.fruit_type, cultivar.name, R"(["1","2","3"])",
                  string_list(fruit.sizes), setup_at_);
    }
    const auto& box = kBoxSizes[static_cast<std::size_t>(fruit.box)];
    pack_spec_ids_.push_back(ids_.next("pack_specs"));
    const int per_layer = box.cartons_per_pallet / 8;
    specs.add(pack_spec_ids_.back(), tenant_.value(), fmt::format("{} {} export", fruit.fruit_type, box.code),
              "Open top carton", box.weight_kg, nullptr, per_layer, 8, "Export", setup_at_);
  }
  out_.push_back(std::move(configs));
  out_.push_back(std::move(specs));

  TableRows boxes("box_sizes", {"id", "enterprise_id", "name", "size_code", "fruit_count", "weight_kg",
                                "cost_per_unit", "created_at"});
  TableRows pallet_types("pallet_types", {"id", "enterprise_id", "name", "capacity_boxes", "notes", "created_at"});
  for (const auto& box : kBoxSizes) {
    box_ids_.push_back(ids_.next("box_sizes"));
    boxes.add(box_ids_.back(), tenant_.value(), box.name, box.code, nullptr, box.weight_kg, box.cost_per_unit,
              setup_at_);
    pallet_types.add(ids_.next("pallet_types"), tenant_.value(), box.pallet_type, box.cartons_per_pallet,
                     fmt::format("For {} cartons", box.code), setup_at_);
  }
  out_.push_back(std::move(boxes));
  out_.push_back(std::move(pallet_types));

  TableRows transport("transport_configs", {"id", "enterprise_id", "name", "container_type", "temp_setpoint_c",
                                            "temp_min_c", "temp_max_c", "pallet_capacity", "max_weight_kg",
                                            "atmosphere_settings", "created_at"});
  transport_config_id_ = ids_.next("transport_configs");
  transport.add(transport_config_id_, tenant_.value(), "Reefer 40 ft high cube", "reefer_40ft", -0.6, -1.5, 10.0, 20,
                27600.0, R"({"ventilation_cbm_h":15,"humidity_pct":90})", setup_at_);
  transport.add(ids_.next("transport_configs"), tenant_.value(), "Reefer 20 ft", "reefer_20ft", -0.6, -1.5, 10.0, 10,
                21000.0, R"({"ventilation_cbm_h":10,"humidity_pct":90})", setup_at_);
  transport.add(ids_.next("transport_configs"), tenant_.value(), "Open truck (local market)", "open_truck", nullptr,
                nullptr, nullptr, 22, 28000.0, nullptr, setup_at_);
  out_.push_back(std::move(transport));
}

void DemoSeason::add_partners() {
  TableRows clients("clients", {"id", "enterprise_id", "name", "contact_person", "email", "phone", "address",
                                "country", "incoterm", "payment_terms_days", "currency", "credit_limit",
                                "outstanding_balance", "notes", "is_active", "created_at", "updated_at"});
  for (const auto& m : kExportMarkets) {
    client_ids_.push_back(ids_.next("clients"));
    clients.add(client_ids_.back(), tenant_.value(), m.client, person_name(rng_),
                fmt::format("imports@{}.example", slug_of(m.client)), fmt::format("+{} {}", rng_.between(30, 99),
                                                                                   rng_.between(10'000'000, 99'999'999)),
                fmt::format("Harbour Road, {}", m.port), m.country, m.incoterm, m.payment_terms_days, m.currency,
                static_cast<double>(rng_.between(5, 20) * 100'000), 0.0, nullptr, true, setup_at_, setup_at_);
  }
  out_.push_back(std::move(clients));

  const std::vector<std::string> columns{"id",      "enterprise_id", "name",      "code",       "contact_person",
                                         "phone",   "email",         "address",   "notes",      "is_active",
                                         "created_at"};
  TableRows lines("shipping_lines", columns);
  for (const auto& line : kShippingLines) {
    shipping_line_ids_.push_back(ids_.next("shipping_lines"));
    lines.add(shipping_line_ids_.back(), tenant_.value(), line.name, line.code, person_name(rng_), phone_number(rng_),
              fmt::format("bookings@{}.example", slug_of(line.name)), "Cape Town", nullptr, true, setup_at_);
  }
  out_.push_back(std::move(lines));
  TableRows transporters("transporters", columns);
  TableRows agents("shipping_agents", columns);
  for (std::size_t i = 0; i < kPackhouseSites.size(); ++i) {
    const auto& site = kPackhouseSites[i];
    transporter_ids_.push_back(ids_.next("transporters"));
    transporters.add(transporter_ids_.back(), tenant_.value(), kTransporters[i].name, kTransporters[i].code,
                     person_name(rng_), phone_number(rng_),
                     fmt::format("dispatch@{}.example", slug_of(kTransporters[i].name)), site.town, nullptr, true,
                     setup_at_);
    agent_ids_.push_back(ids_.next("shipping_agents"));
    agents.add(agent_ids_.back(), tenant_.value(), kAgents[i].name, kAgents[i].code, person_name(rng_),
               phone_number(rng_), fmt::format("ops@{}.example", slug_of(kAgents[i].name)), site.port, nullptr, true,
               setup_at_);
  }
  out_.push_back(std::move(transporters));
  out_.push_back(std::move(agents));
}

void DemoSeason::add_schedules() {
  TableRows rows("shipping_schedules", {"id", "enterprise_id", "shipping_line_id", "shipping_line", "vessel_name",
                                        "voyage_number", "port_of_loading", "port_of_discharge", "etd", "eta",
                                        "booking_cutoff", "cargo_cutoff", "status", "source", "notes", "is_deleted",
                                        "created_at", "updated_at"});
  for (auto& e : exports_) {
    e.schedule_id = ids_.next("shipping_schedules");
    const auto& line = kShippingLines[static_cast<std::size_t>(e.line)];
    std::string status = "scheduled";
    if (e.etd <= last_day_) status = e.eta <= last_day_ ? "arrived" : "departed";
    const std::string created = stamp(e.created - std::chrono::days(7));
    rows.add(e.schedule_id, tenant_.value(), shipping_line_ids_[static_cast<std::size_t>(e.line)], line.name,
             e.vessel, e.voyage, kPackhouseSites[static_cast<std::size_t>(e.packhouse)].port,
             kExportMarkets[static_cast<std::size_t>(e.market)].port, iso_day(e.etd), iso_day(e.eta),
             iso_day(e.etd - std::chrono::days(4)), iso_day(e.etd - std::chrono::days(2)), status, "manual", nullptr,
             false, created, created);
  }
  out_.push_back(std::move(rows));
}

}  // namespace fruitpak::services::season
