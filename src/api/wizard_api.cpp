#include "api/wizard_api.hpp"

#include "api/error_response.hpp"
#include "api/guard.hpp"
#include "api/input.hpp"
#include "api/json_input.hpp"
#include "api/openapi_schema.hpp"
#include "api/respond.hpp"
#include "http/errors.hpp"
#include "json/wizard_json.hpp"
#include "services/wizard_service.hpp"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include <array>
#include <cctype>

namespace fruitpak::api {
namespace {

using http::Method;
using http::Status;
using services::WizardService;
using Reply = net::awaitable<http::Response>;
namespace bj = boost::json;

constexpr std::size_t kMaxItems = 1000;  // growers, suppliers, ... per step
constexpr std::size_t kMaxTags = 100;    // tags, grades, sizes, units ... per item
constexpr std::size_t kMaxText = domain::kMaxTextLength;
constexpr std::int64_t kMaxInt = 2'147'483'647;
constexpr std::int64_t kMaxCount = 100'000;
constexpr double kMaxQuantity = 1e12;  // kg, tons, hectares, money
constexpr double kMaxTemperatureC = 100;

// ?complete= (default false) as FastAPI reads a bool query parameter.
bool read_complete(const http::Request& req, BodyReader& in) {
  std::vector<http::FieldError> errors;
  const bool complete = read_query_bool(req, "complete", false, errors);
  for (auto& e : errors) in.add_error(std::move(e.loc), std::move(e.msg), std::move(e.type));
  return complete;
}

// An int that must be present and not null (pydantic's `int` without a default).
std::int64_t required_int(BodyReader& in, const bj::object& body, std::string_view field, std::int64_t min,
                          std::int64_t max) {
  const auto* value = body.if_contains(field);
  if (!value) {
    in.add_error({"body", std::string(field)}, "Field required", "missing");
    return 0;
  }
  if (value->is_null()) {
    in.add_error({"body", std::string(field)}, "Input should be a valid integer", "int_type");
    return 0;
  }
  return in.optional_int(field, min, max).value_or(0);
}

// A bool with a default: absent -> `fallback`, null refused as pydantic does.
bool bool_with_default(BodyReader& in, const bj::object& body, std::string_view field, bool fallback) {
  const auto* value = body.if_contains(field);
  if (!value) return fallback;
  if (value->is_null()) {
    in.add_error({"body", std::string(field)}, "Input should be a valid boolean", "bool_type");
    return fallback;
  }
  return in.optional_bool(field).value_or(fallback);
}

std::optional<std::string> string_list_json(BodyReader& in, std::string_view field, std::size_t max_items,
                                            std::size_t max_length) {
  auto items = in.optional_string_list(field, max_items, max_length);
  if (!items) return std::nullopt;
  bj::array array;
  for (auto& item : *items) array.emplace_back(bj::string(item));
  return bj::serialize(array);
}


// The array under `field`; null when absent, null, or refused with an error.
const bj::array* list_field(BodyReader& in, const bj::object& body, std::string_view field, std::size_t max_items) {
  const auto* value = body.if_contains(field);
  if (!value || value->is_null()) return nullptr;
  if (!value->is_array()) {
    in.add_error({"body", std::string(field)}, "Input should be a valid list", "list_type");
    return nullptr;
  }
  const auto& items = value->as_array();
  if (items.size() > max_items) {
    in.add_error({"body", std::string(field)},
                 "List should have at most " + std::to_string(max_items) + " items after validation, not " +
                     std::to_string(items.size()),
                 "too_long");
    return nullptr;
  }
  return &items;
}

void not_an_object(BodyReader& in, std::string_view field, std::size_t index) {
  in.add_error({"body", std::string(field), std::to_string(index)},
               "Input should be a valid dictionary or object to extract fields from", "model_attributes_type");
}

// The list `field` of objects, each read by `read_item(BodyReader&, const bj::object&)`. An
// item's errors get loc ["body", field, "<index>", ...]. Absent or null -> nullopt.
template <class ReadItem>
auto read_object_list(BodyReader& in, const bj::object& body, std::string_view field, std::size_t max_items,
                      ReadItem read_item) -> std::optional<std::vector<decltype(read_item(in, body))>> {
  const bj::array* items = list_field(in, body, field, max_items);
  if (!items) return std::nullopt;
  std::vector<decltype(read_item(in, body))> out;
  for (std::size_t i = 0; i < items->size(); ++i) {
    const auto* item = (*items)[i].if_object();
    if (!item) {
      not_an_object(in, field, i);
      continue;
    }
    BodyReader item_in(*item);
    out.push_back(read_item(item_in, *item));
    for (const auto& e : item_in.errors()) {
      std::vector<std::string> loc{"body", std::string(field), std::to_string(i)};
      loc.insert(loc.end(), e.loc.begin() + 1, e.loc.end());  // drop the item's own "body"
      in.add_error(std::move(loc), e.msg, e.type);
    }
  }
  return out;
}

// A list of free-form objects (pack line stations), as JSON text.
std::optional<std::string> object_list_json(BodyReader& in, const bj::object& body, std::string_view field) {
  const bj::array* items = list_field(in, body, field, kMaxTags);
  if (!items) return std::nullopt;
  for (std::size_t i = 0; i < items->size(); ++i) {
    if (!(*items)[i].is_object()) not_an_object(in, field, i);
  }
  return bj::serialize(*items);
}

domain::PackLineSetup read_pack_line(BodyReader& in, const bj::object& body) {
  domain::PackLineSetup line;
  line.name = in.required_string("name", 100);
  line.line_number = required_int(in, body, "line_number", 0, kMaxCount);
  line.stations = object_list_json(in, body, "stations").value_or("[]");
  line.custom_units = string_list_json(in, "custom_units", kMaxTags, 100).value_or("[]");
  return line;
}

domain::PackhouseSetup read_packhouse(BodyReader& in, const bj::object& body) {
  domain::PackhouseSetup p;
  p.name = in.required_string("name", 255);
  p.location = in.optional_string("location", 255);
  p.capacity_tons_per_day = in.optional_int("capacity_tons_per_day", 0, kMaxInt);
  p.cold_rooms = in.optional_int("cold_rooms", 0, 10'000);
  p.pack_lines =
      read_object_list(in, body, "pack_lines", kMaxTags, read_pack_line).value_or(std::vector<domain::PackLineSetup>());
  return p;
}

domain::SupplierSetup read_supplier(BodyReader& in, const bj::object&) {
  domain::SupplierSetup s;
  s.name = in.required_string("name", 255);
  s.tags = string_list_json(in, "tags", kMaxTags, 100).value_or("[]");
  s.contact_person = in.optional_string("contact_person", 255);
  s.phone = in.optional_string("phone", 20);
  s.email = in.optional_string("email", 255);
  s.address = in.optional_string("address", kMaxText);
  s.tax_number = in.optional_string("tax_number", 50);
  s.notes = in.optional_string("notes", kMaxText);
  return s;
}

// A grower's field: {name, hectares?, fruit_type?}; only these keys are kept.
bj::object read_field(BodyReader& in, const bj::object&) {
  bj::object field{{"name", in.required_string("name", 255)}};
  if (auto hectares = in.optional_number("hectares", 0, kMaxQuantity)) field["hectares"] = *hectares;
  if (auto fruit = in.optional_string("fruit_type", 100)) field["fruit_type"] = *fruit;
  return field;
}

domain::GrowerSetup read_grower(BodyReader& in, const bj::object& body) {
  domain::GrowerSetup setup;
  domain::Grower& g = setup.grower;
  g.name = in.required_string("name", 255);
  g.grower_code = in.optional_code("grower_code", 50);
  g.contact_person = in.optional_string("contact_person", 255);
  g.phone = in.optional_string("phone", 20);
  g.email = in.optional_string("email", 255);
  g.region = in.optional_string("region", 100);
  if (auto fields = read_object_list(in, body, "fields", kMaxItems, read_field)) {
    bj::array array(fields->begin(), fields->end());
    g.fields_json = bj::serialize(array);
  }
  g.total_hectares = in.optional_number("total_hectares", 0, kMaxQuantity);
  g.estimated_volume_tons = in.optional_number("estimated_volume_tons", 0, kMaxQuantity);
  g.globalg_ap_certified = bool_with_default(in, body, "globalg_ap_certified", false);
  g.globalg_ap_number = in.optional_string("globalg_ap_number", 50);
  setup.other_certifications = string_list_json(in, "other_certifications", kMaxTags, 255).value_or("[]");
  g.notes = in.optional_string("notes", kMaxText);
  return setup;
}

domain::HarvestTeamSetup read_harvest_team(BodyReader& in, const bj::object&) {
  domain::HarvestTeamSetup t;
  t.name = in.required_string("name", 255);
  t.team_leader = in.optional_string("team_leader", 255);
  t.team_size = in.optional_int("team_size", 0, kMaxCount);
  t.grower_id = in.optional_code("grower_id", 36);
  t.supplier_id = in.optional_code("supplier_id", 36);
  t.estimated_volume_kg = in.optional_number("estimated_volume_kg", 0, kMaxQuantity);
  t.rate_per_kg = in.optional_number("rate_per_kg", 0, kMaxQuantity);
  t.rate_currency = in.optional_code("rate_currency", 3).value_or("ZAR");
  t.fruit_types = string_list_json(in, "fruit_types", kMaxTags, 100).value_or("[]");
  t.assigned_fields = string_list_json(in, "assigned_fields", kMaxItems, 255).value_or("[]");
  t.notes = in.optional_string("notes", kMaxText);
  return t;
}

domain::ProductConfigSetup read_product(BodyReader& in, const bj::object&) {
  domain::ProductConfigSetup p;
  p.fruit_type = in.required_string("fruit_type", 100);
  p.variety = in.optional_string("variety", 100);
  p.grades = string_list_json(in, "grades", kMaxTags, 100).value_or("[]");
  p.sizes = string_list_json(in, "sizes", kMaxTags, 100).value_or("[]");
  return p;
}

domain::PackSpecSetup read_pack_spec(BodyReader& in, const bj::object&) {
  domain::PackSpecSetup s;
  s.name = in.required_string("name", 100);
  s.pack_type = in.optional_string("pack_type", 100);
  s.weight_kg = in.optional_number("weight_kg", 0, kMaxQuantity);
  s.units_per_carton = in.optional_int("units_per_carton", 0, kMaxCount);
  s.cartons_per_layer = in.optional_int("cartons_per_layer", 0, kMaxCount);
  s.layers_per_pallet = in.optional_int("layers_per_pallet", 0, kMaxCount);
  s.target_market = in.optional_string("target_market", 100);
  return s;
}

domain::TransportConfigSetup read_transport(BodyReader& in, const bj::object& /*item*/) {
  domain::TransportConfigSetup c;
  c.name = in.required_string("name", 255);
  c.container_type = in.required_string("container_type", 50);
  c.temp_setpoint_c = in.optional_number("temp_setpoint_c", -kMaxTemperatureC, kMaxTemperatureC);
  c.temp_min_c = in.optional_number("temp_min_c", -kMaxTemperatureC, kMaxTemperatureC);
  c.temp_max_c = in.optional_number("temp_max_c", -kMaxTemperatureC, kMaxTemperatureC);
  c.pallet_capacity = in.optional_int("pallet_capacity", 0, kMaxCount);
  c.max_weight_kg = in.optional_number("max_weight_kg", 0, kMaxQuantity);
  c.atmosphere_settings = in.optional_object_json("atmosphere_settings");
  return c;
}

// The complete=true rules of section 6, as pydantic reports them. The service applies them
// after the prerequisites, as the original does.
std::vector<http::FieldError> trading_name_rule(const bj::object& body) {
  const auto* value = body.if_contains("trading_name");
  if (value && value->is_string()) return {};
  return {{{"body", "trading_name"}, "Input should be a valid string", "string_type"}};
}

std::vector<http::FieldError> non_empty_list_rule(const bj::object& body, std::string_view field,
                                                  std::string_view what) {
  const auto* value = body.if_contains(field);
  if (!value || !value->is_array()) {
    return {{{"body", std::string(field)}, "Input should be a valid list", "list_type"}};
  }
  if (!value->as_array().empty()) return {};
  return {{{"body"}, "Value error, At least one " + std::string(what) + " is required", "value_error"}};
}

// The wizard's refusals are all 422 (contract 2.9); database constraints get the codes of
// section 1.4.
http::Response refusal_response(const Error& e) {
  if (e.code != Errc::kInvalidInput || e.message.empty()) return error_response_for(e);
  std::string_view code;
  if (e.message == services::kReferencedRecordMissing) code = "FOREIGN_KEY_VIOLATION";
  if (e.message == services::kConstraintViolated) code = "INTEGRITY_ERROR";
  return http::error_response(Status::unprocessable_entity, e.message, code);
}

http::Response progress_response(const Result<domain::WizardProgress>& result,
                                 const std::vector<http::FieldError>& completion_errors) {
  if (result) return json_response(Status::ok, json::to_json(*result));
  if (services::is_completion_refusal(result.error())) return http::validation_error_response(completion_errors);
  return refusal_response(result.error());
}

services::StepSave step_save(const bj::object& body, bool complete,
                             const std::vector<http::FieldError>& completion_errors) {
  return services::StepSave{complete, bj::serialize(body), completion_errors.empty()};
}

Reply progress(WizardService& wizard, http::Request& req, const Caller& caller) {
  auto found = co_await wizard.get(caller.tenant(), &req.queries);
  const std::vector<http::FieldError> none;
  co_return progress_response(found, none);
}

Reply complete(WizardService& wizard, http::Request& req, const Caller& caller) {
  auto completed = co_await wizard.complete(caller.tenant(), &req.queries);
  const std::vector<http::FieldError> none;
  co_return progress_response(completed, none);
}

Reply save_company(WizardService& wizard, http::Request& req, const Caller& caller) {
  auto body = read_json_object(req);
  if (!body) co_return body.error();
  BodyReader in(*body);
  const bool complete = read_complete(req, in);
  domain::CompanyProfile sent;
  for (const auto& column : domain::kCompanyProfileColumns) {
    if (body->contains(column.name))
      sent[std::string(column.name)] = in.optional_string(column.name, column.max_length);
  }
  if (!in.ok()) co_return http::validation_error_response(in.errors());
  const auto rule = trading_name_rule(*body);
  auto save = step_save(*body, complete, rule);
  auto saved = co_await wizard.save_company(caller.tenant(), std::move(save), std::move(sent), &req.queries);
  co_return progress_response(saved, rule);
}

Reply save_packhouses(WizardService& wizard, http::Request& req, const Caller& caller) {
  auto body = read_json_object(req);
  if (!body) co_return body.error();
  BodyReader in(*body);
  const bool complete = read_complete(req, in);
  auto packhouses = read_object_list(in, *body, "packhouses", kMaxItems, read_packhouse)
                        .value_or(std::vector<domain::PackhouseSetup>());
  if (!in.ok()) co_return http::validation_error_response(in.errors());
  const auto rule = non_empty_list_rule(*body, "packhouses", "packhouse");
  auto save = step_save(*body, complete, rule);
  auto saved = co_await wizard.save_packhouses(caller.tenant(), std::move(save), std::move(packhouses), &req.queries);
  co_return progress_response(saved, rule);
}

Reply save_suppliers(WizardService& wizard, http::Request& req, const Caller& caller) {
  auto body = read_json_object(req);
  if (!body) co_return body.error();
  BodyReader in(*body);
  const bool complete = read_complete(req, in);
  auto suppliers =
      read_object_list(in, *body, "suppliers", kMaxItems, read_supplier).value_or(std::vector<domain::SupplierSetup>());
  if (!in.ok()) co_return http::validation_error_response(in.errors());
  const std::vector<http::FieldError> rule;
  auto save = step_save(*body, complete, rule);
  auto saved = co_await wizard.save_suppliers(caller.tenant(), std::move(save), std::move(suppliers), &req.queries);
  co_return progress_response(saved, rule);
}

Reply save_growers(WizardService& wizard, http::Request& req, const Caller& caller) {
  auto body = read_json_object(req);
  if (!body) co_return body.error();
  BodyReader in(*body);
  const bool complete = read_complete(req, in);
  auto growers =
      read_object_list(in, *body, "growers", kMaxItems, read_grower).value_or(std::vector<domain::GrowerSetup>());
  if (!in.ok()) co_return http::validation_error_response(in.errors());
  const auto rule = non_empty_list_rule(*body, "growers", "grower");
  auto save = step_save(*body, complete, rule);
  auto saved = co_await wizard.save_growers(caller.tenant(), std::move(save), std::move(growers), &req.queries);
  co_return progress_response(saved, rule);
}

Reply save_harvest_teams(WizardService& wizard, http::Request& req, const Caller& caller) {
  auto body = read_json_object(req);
  if (!body) co_return body.error();
  BodyReader in(*body);
  const bool complete = read_complete(req, in);
  auto teams = read_object_list(in, *body, "harvest_teams", kMaxItems, read_harvest_team)
                   .value_or(std::vector<domain::HarvestTeamSetup>());
  if (!in.ok()) co_return http::validation_error_response(in.errors());
  const std::vector<http::FieldError> rule;
  auto save = step_save(*body, complete, rule);
  auto saved = co_await wizard.save_harvest_teams(caller.tenant(), std::move(save), std::move(teams), &req.queries);
  co_return progress_response(saved, rule);
}

Reply save_products(WizardService& wizard, http::Request& req, const Caller& caller) {
  auto body = read_json_object(req);
  if (!body) co_return body.error();
  BodyReader in(*body);
  const bool complete = read_complete(req, in);
  services::ProductSetup setup;
  setup.products = read_object_list(in, *body, "products", kMaxItems, read_product)
                       .value_or(std::vector<domain::ProductConfigSetup>());
  setup.pack_specs = read_object_list(in, *body, "pack_specs", kMaxItems, read_pack_spec)
                         .value_or(std::vector<domain::PackSpecSetup>());
  if (!in.ok()) co_return http::validation_error_response(in.errors());
  const auto rule = non_empty_list_rule(*body, "products", "product configuration");
  auto save = step_save(*body, complete, rule);
  auto saved = co_await wizard.save_products(caller.tenant(), std::move(save), std::move(setup), &req.queries);
  co_return progress_response(saved, rule);
}

Reply save_transport(WizardService& wizard, http::Request& req, const Caller& caller) {
  auto body = read_json_object(req);
  if (!body) co_return body.error();
  BodyReader in(*body);
  const bool complete = read_complete(req, in);
  auto configs = read_object_list(in, *body, "transport_configs", kMaxItems, read_transport)
                     .value_or(std::vector<domain::TransportConfigSetup>());
  if (!in.ok()) co_return http::validation_error_response(in.errors());
  const std::vector<http::FieldError> rule;
  auto save = step_save(*body, complete, rule);
  auto saved = co_await wizard.save_transport(caller.tenant(), std::move(save), std::move(configs), &req.queries);
  co_return progress_response(saved, rule);
}

// Step 8 changes only the keys sent.
services::FinancialConfigPatch read_financials(BodyReader& in, const bj::object& body) {
  services::FinancialConfigPatch patch;
  domain::FinancialConfig& v = patch.values;
  v.currency = in.optional_string("currency", 3);
  v.packing_rate_per_kg = in.optional_number("packing_rate_per_kg", 0, kMaxQuantity);
  v.cold_storage_rate_per_pallet_day = in.optional_number("cold_storage_rate_per_pallet_day", 0, kMaxQuantity);
  v.transport_rate_per_pallet = in.optional_number("transport_rate_per_pallet", 0, kMaxQuantity);
  v.labour_rate_per_hour = in.optional_number("labour_rate_per_hour", 0, kMaxQuantity);
  v.grower_payment_terms_days = in.optional_int("grower_payment_terms_days", 0, 3650);
  v.client_payment_terms_days = in.optional_int("client_payment_terms_days", 0, 3650);
  v.additional_rates = in.optional_object_json("additional_rates");
  for (std::string_view key :
       {"currency", "packing_rate_per_kg", "cold_storage_rate_per_pallet_day", "transport_rate_per_pallet",
        "labour_rate_per_hour", "grower_payment_terms_days", "client_payment_terms_days", "additional_rates"}) {
    if (body.contains(key)) patch.sent.emplace_back(key);
  }
  return patch;
}

Reply save_financials(WizardService& wizard, http::Request& req, const Caller& caller) {
  auto body = read_json_object(req);
  if (!body) co_return body.error();
  BodyReader in(*body);
  const bool complete = read_complete(req, in);
  auto patch = read_financials(in, *body);
  if (!in.ok()) co_return http::validation_error_response(in.errors());
  const std::vector<http::FieldError> rule;
  auto save = step_save(*body, complete, rule);
  auto saved = co_await wizard.save_financials(caller.tenant(), std::move(save), std::move(patch), &req.queries);
  co_return progress_response(saved, rule);
}

using StepHandler = Reply (*)(WizardService&, http::Request&, const Caller&);

struct StepRoute {
  StepHandler handler;
  std::string_view permission;
  std::string_view summary;
  const char* body;  // the body's schema (declare_wizard_schemas)
};

// Steps 1..8 in order; each is its own route so that step 8 can require another permission.
constexpr std::array<StepRoute, services::kWizardStepCount> kStepRoutes{{
    {&save_company, "enterprise.manage", "Wizard step 1: company basics", "WizardCompany"},
    {&save_packhouses, "enterprise.manage", "Wizard step 2: packhouses and pack lines", "WizardPackhouses"},
    {&save_suppliers, "enterprise.manage", "Wizard step 3: suppliers", "WizardSuppliers"},
    {&save_growers, "enterprise.manage", "Wizard step 4: growers", "WizardGrowers"},
    {&save_harvest_teams, "enterprise.manage", "Wizard step 5: harvest teams", "WizardHarvestTeams"},
    {&save_products, "enterprise.manage", "Wizard step 6: products and pack specs", "WizardProducts"},
    {&save_transport, "enterprise.manage", "Wizard step 7: transport", "WizardTransport"},
    {&save_financials, "financials.write", "Wizard step 8: financials", "WizardFinancials"},
}};

// The JSON schemas of this file's routes (OpenAPI components, api/openapi_schema.hpp): the
// keys the read_* functions above read. Draft data is stored as sent, so unknown keys are
// kept but not used.
void declare_wizard_schemas(http::Router& router) {
  using oas::nullable;
  using oas::str;
  const auto tags = [](std::size_t max_length) { return nullable(oas::array(str(max_length))); };
  router.add_schema("WizardProgress", oas::record({{"current_step", oas::integer()},
                                                   {"completed_steps", oas::array(oas::integer())},
                                                   {"is_complete", oas::boolean()},
                                                   {"draft_data", nullable(oas::any_object())},
                                                   {"completed_data", oas::any_object()}}));
  bj::object company;
  for (const auto& column : domain::kCompanyProfileColumns) {
    company[column.name] = nullable(str(column.max_length));
  }
  router.add_schema("WizardCompany", bj::object{{"type", "object"}, {"properties", std::move(company)}});
  const auto pack_line = oas::input({{"name", str(100, 1)},
                                     {"line_number", oas::integer(0, kMaxCount)},
                                     {"stations", nullable(oas::array(oas::any_object()))},
                                     {"custom_units", tags(100)}},
                                    {"name", "line_number"});
  const auto packhouse = oas::input({{"name", str(255, 1)},
                                     {"location", nullable(str(255))},
                                     {"capacity_tons_per_day", nullable(oas::integer(0, kMaxInt))},
                                     {"cold_rooms", nullable(oas::integer(0, 10'000))},
                                     {"pack_lines", nullable(oas::array(pack_line))}},
                                    {"name"});
  router.add_schema("WizardPackhouses", oas::input({{"packhouses", nullable(oas::array(packhouse))}}));
  const auto supplier = oas::input({{"name", str(255, 1)},
                                    {"tags", tags(100)},
                                    {"contact_person", nullable(str(255))},
                                    {"phone", nullable(str(20))},
                                    {"email", nullable(str(255))},
                                    {"address", nullable(str(kMaxText))},
                                    {"tax_number", nullable(str(50))},
                                    {"notes", nullable(str(kMaxText))}},
                                   {"name"});
  router.add_schema("WizardSuppliers", oas::input({{"suppliers", nullable(oas::array(supplier))}}));
  const auto field = oas::input({{"name", str(255, 1)}, {"hectares", nullable(oas::number(0, kMaxQuantity))},
                                 {"fruit_type", nullable(str(100))}},
                                {"name"});
  const auto grower = oas::input({{"name", str(255, 1)},
                                  {"grower_code", nullable(str(50))},
                                  {"contact_person", nullable(str(255))},
                                  {"phone", nullable(str(20))},
                                  {"email", nullable(str(255))},
                                  {"region", nullable(str(100))},
                                  {"fields", nullable(oas::array(field))},
                                  {"total_hectares", nullable(oas::number(0, kMaxQuantity))},
                                  {"estimated_volume_tons", nullable(oas::number(0, kMaxQuantity))},
                                  {"globalg_ap_certified", nullable(oas::boolean())},
                                  {"globalg_ap_number", nullable(str(50))},
                                  {"other_certifications", tags(255)},
                                  {"notes", nullable(str(kMaxText))}},
                                 {"name"});
  router.add_schema("WizardGrowers", oas::input({{"growers", nullable(oas::array(grower))}}));
  const auto team = oas::input({{"name", str(255, 1)},
                                {"team_leader", nullable(str(255))},
                                {"team_size", nullable(oas::integer(0, kMaxCount))},
                                {"grower_id", nullable(str(36))},
                                {"supplier_id", nullable(str(36))},
                                {"estimated_volume_kg", nullable(oas::number(0, kMaxQuantity))},
                                {"rate_per_kg", nullable(oas::number(0, kMaxQuantity))},
                                {"rate_currency", nullable(str(3))},
                                {"fruit_types", tags(100)},
                                {"assigned_fields", tags(255)},
                                {"notes", nullable(str(kMaxText))}},
                               {"name"});
  router.add_schema("WizardHarvestTeams", oas::input({{"harvest_teams", nullable(oas::array(team))}}));
  const auto product = oas::input({{"fruit_type", str(100, 1)},
                                   {"variety", nullable(str(100))},
                                   {"grades", tags(100)},
                                   {"sizes", tags(100)}},
                                  {"fruit_type"});
  const auto pack_spec = oas::input({{"name", str(100, 1)},
                                     {"pack_type", nullable(str(100))},
                                     {"weight_kg", nullable(oas::number(0, kMaxQuantity))},
                                     {"units_per_carton", nullable(oas::integer(0, kMaxCount))},
                                     {"cartons_per_layer", nullable(oas::integer(0, kMaxCount))},
                                     {"layers_per_pallet", nullable(oas::integer(0, kMaxCount))},
                                     {"target_market", nullable(str(100))}},
                                    {"name"});
  router.add_schema("WizardProducts", oas::input({{"products", nullable(oas::array(product))},
                                                  {"pack_specs", nullable(oas::array(pack_spec))}}));
  const auto temperature = nullable(oas::number(-kMaxTemperatureC, kMaxTemperatureC));
  const auto transport = oas::input({{"name", str(255, 1)},
                                     {"container_type", str(50, 1)},
                                     {"temp_setpoint_c", temperature},
                                     {"temp_min_c", temperature},
                                     {"temp_max_c", temperature},
                                     {"pallet_capacity", nullable(oas::integer(0, kMaxCount))},
                                     {"max_weight_kg", nullable(oas::number(0, kMaxQuantity))},
                                     {"atmosphere_settings", nullable(oas::any_object())}},
                                    {"name", "container_type"});
  router.add_schema("WizardTransport", oas::input({{"transport_configs", nullable(oas::array(transport))}}));
  const auto rate = nullable(oas::number(0, kMaxQuantity));
  router.add_schema("WizardFinancials", oas::input({{"currency", nullable(str(3))},
                                                    {"packing_rate_per_kg", rate},
                                                    {"cold_storage_rate_per_pallet_day", rate},
                                                    {"transport_rate_per_pallet", rate},
                                                    {"labour_rate_per_hour", rate},
                                                    {"grower_payment_terms_days", nullable(oas::integer(0, 3650))},
                                                    {"client_payment_terms_days", nullable(oas::integer(0, 3650))},
                                                    {"additional_rates", nullable(oas::any_object())}}));
}

}  // namespace

void register_wizard_routes(http::Router& router, Guard& guard, WizardService& wizard) {
  declare_wizard_schemas(router);
  // No onboarding check on any of these: the wizard is how a tenant becomes onboarded.
  guard.add(router,
            {.method = Method::get,
             .path = "/api/wizard/",
             .permissions = {"enterprise.manage"},
             .onboarded = false,
             .summary = "Onboarding wizard progress",
             .responses = {{200, "WizardProgress"}}},
            [&wizard](http::Request& req, const Caller& caller) { return progress(wizard, req, caller); });
  for (std::size_t i = 0; i < kStepRoutes.size(); ++i) {
    const StepRoute& step = kStepRoutes[i];
    StepHandler handler = step.handler;
    guard.add(router,
              {.method = Method::patch,
               .path = "/api/wizard/step/" + std::to_string(i + 1),
               .permissions = {std::string(step.permission)},
               .onboarded = false,
               .summary = std::string(step.summary),
               .changes = {domain::Change::kSetup},
               .query = {{"complete", oas::boolean(), false,
                          "Mark the step complete (its completion rules apply); default: save a draft"}},
               .body = step.body,
               .responses = {{200, "WizardProgress"}}},
              [&wizard, handler](http::Request& req, const Caller& caller) { return handler(wizard, req, caller); });
  }
  guard.add(router,
            {.method = Method::post,
             .path = "/api/wizard/complete",
             .permissions = {"enterprise.manage"},
             .onboarded = false,
             .summary = "Finish the onboarding wizard",
             .changes = {domain::Change::kSetup, domain::Change::kEnterprise},
             .responses = {{200, "WizardProgress"},
                           {422,
                            bj::value(bj::object{{"anyOf", bj::array{oas::ref("ValidationError"), oas::ref("HTTPError")}}}),
                            "Steps are incomplete, or saving the setup broke a constraint"}}},
            [&wizard](http::Request& req, const Caller& caller) { return complete(wizard, req, caller); });
}

}  // namespace fruitpak::api
