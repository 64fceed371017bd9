#include "api/containers_api.hpp"

#include "api/error_response.hpp"
#include "api/guard.hpp"
#include "api/input.hpp"
#include "api/json_input.hpp"
#include "api/openapi_schema.hpp"
#include "api/respond.hpp"
#include "domain/batch.hpp"
#include "http/errors.hpp"
#include "json/container_json.hpp"
#include "json/page_json.hpp"
#include "services/container_service.hpp"
#include "util/clock.hpp"

#include <algorithm>
#include <set>

namespace fruitpak::api {
namespace {

using http::Method;
using http::Status;
using services::ContainerService;
using Reply = net::awaitable<http::Response>;
using cache::CachePolicy;
using domain::Change;
using domain::ContainerStep;
using namespace std::chrono_literals;
namespace bj = boost::json;

// Bounds the contract leaves open, against absurd values and oversized statements.
constexpr std::size_t kMaxIdLength = 36;
constexpr std::size_t kMaxTextLength = 10'000;
constexpr std::size_t kMaxPalletsPerRequest = 100;
constexpr std::int64_t kMaxCapacityPallets = 1'000;
constexpr std::int64_t kMaxPalletCount = 1'000;
constexpr std::int64_t kMaxCartons = 10'000'000;
constexpr double kMinTempC = -40;
constexpr double kMaxTempC = 40;
// A reading may carry a clock slightly ahead of ours, not a day ahead.
constexpr auto kFutureReadingSlack = std::chrono::minutes(5);

constexpr std::string_view kStatusMessage =
    "Input should be 'open', 'loading', 'loaded', 'sealed', 'dispatched', 'in_transit', 'arrived' or 'delivered'";

bool is_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
}

// An optional datetime ("" means null, D10): "YYYY-MM-DD" (midnight) or
// "YYYY-MM-DDTHH:MM:SS[.ffffff][Z]", read as naive UTC.
std::optional<std::string> read_datetime(BodyReader& in, std::string_view field) {
  auto text = in.optional_code(field, 40);
  if (!text) return std::nullopt;
  if (domain::is_iso_date(*text)) return *text + "T00:00:00";
  std::string t = *text;
  if (!t.empty() && (t.back() == 'Z' || t.back() == 'z')) t.pop_back();
  const bool shaped = t.size() >= 19 && domain::is_iso_date(t.substr(0, 10)) && (t[10] == 'T' || t[10] == ' ') &&
                      t[13] == ':' && t[16] == ':' && is_digits(t.substr(11, 2)) && is_digits(t.substr(14, 2)) &&
                      is_digits(t.substr(17, 2)) &&
                      (t.size() == 19 || (t[19] == '.' && t.size() <= 26 && is_digits(t.substr(20))));
  // Years past 2200 would overflow the clock's nanoseconds; none is a real shipping date.
  const bool plausible = shaped && t.substr(0, 4) >= "1900" && t.substr(0, 4) <= "2200";
  auto when = plausible ? util::parse_iso_utc(t) : std::nullopt;
  if (!when) {
    in.add_error(in.loc_of(field), "Input should be a valid datetime", "datetime_from_date_parsing");
    return std::nullopt;
  }
  return util::iso_utc(*when);
}

// An optional int field whose column is NOT NULL: absent is fine, null is not.
std::optional<std::int64_t> non_null_int(BodyReader& in, const bj::object& body, std::string_view field,
                                         std::int64_t min, std::int64_t max) {
  if (body.contains(field) && body.at(field).is_null()) {
    in.add_error(in.loc_of(field), "Input should be a valid integer", "int_type");
    return std::nullopt;
  }
  return in.optional_int(field, min, max);
}

// The container fields of 11.5 present in `body` (create: container_type is required;
// PATCH: absent = unchanged, null = cleared), plus, for a PATCH, the hand-entered counts.
domain::ContainerUpdate read_fields(BodyReader& in, const bj::object& body, bool is_patch) {
  domain::ContainerUpdate u;
  auto& v = u.values;
  auto sent = [&](std::string_view key) {
    if (!body.contains(key)) return false;
    u.sent.emplace_back(key);
    return true;
  };
  if (!is_patch || sent("container_type")) v.container_type = in.required_string("container_type", 50);
  if (sent("capacity_pallets")) {
    v.capacity_pallets = non_null_int(in, body, "capacity_pallets", 1, kMaxCapacityPallets).value_or(20);
  }
  if (sent("client_id")) v.client_id = in.optional_code("client_id", kMaxIdLength);
  if (sent("customer_name")) v.customer_name = in.optional_string("customer_name", 255);
  if (sent("shipping_container_number")) {
    v.shipping_container_number = in.optional_string("shipping_container_number", 100);
  }
  if (sent("destination")) v.destination = in.optional_string("destination", 255);
  if (sent("export_date")) v.export_date = read_datetime(in, "export_date");
  if (sent("seal_number")) v.seal_number = in.optional_string("seal_number", 100);
  if (sent("transporter_id")) v.transporter_id = in.optional_code("transporter_id", kMaxIdLength);
  if (sent("shipping_agent_id")) v.shipping_agent_id = in.optional_code("shipping_agent_id", kMaxIdLength);
  if (sent("shipping_line_id")) v.shipping_line_id = in.optional_code("shipping_line_id", kMaxIdLength);
  if (sent("transport_config_id")) v.transport_config_id = in.optional_code("transport_config_id", kMaxIdLength);
  if (sent("vessel_name")) v.vessel_name = in.optional_string("vessel_name", 255);
  if (sent("voyage_number")) v.voyage_number = in.optional_string("voyage_number", 100);
  if (sent("etd")) v.etd = in.optional_date("etd");
  if (sent("eta")) v.eta = in.optional_date("eta");
  if (sent("notes")) v.notes = in.optional_string("notes", kMaxTextLength);
  if (!is_patch) return u;
  // Our addition: tallies entered by hand (numbers), or back to the pallets' (null).
  bool numbers = false;
  bool nulls = false;
  if (sent("pallet_count")) {
    if (body.at("pallet_count").is_null()) {
      nulls = true;
    } else {
      numbers = true;
      v.pallet_count = in.optional_int("pallet_count", 0, kMaxPalletCount).value_or(0);
    }
  }
  if (sent("total_cartons")) {
    if (body.at("total_cartons").is_null()) {
      nulls = true;
    } else {
      numbers = true;
      v.total_cartons = in.optional_int("total_cartons", 0, kMaxCartons).value_or(0);
    }
  }
  if (numbers && nulls) {
    in.add_error({"body"},
                 "Value error, send pallet_count and total_cartons as numbers (entered by hand) or as null "
                 "(counted from the pallets), not both",
                 "value_error");
  }
  if (numbers || nulls) u.counts_manual = numbers;
  return u;
}

// `pallet_ids`: 1..100 pallet ids, none repeated.
std::vector<std::string> read_pallet_ids(BodyReader& in, const bj::object& body) {
  const auto* value = body.if_contains("pallet_ids");
  if (!value || value->is_null()) {
    in.add_error({"body", "pallet_ids"}, "Field required", "missing");
    return {};
  }
  auto ids = in.optional_string_list("pallet_ids", kMaxPalletsPerRequest, kMaxIdLength);
  if (!ids) return {};
  if (ids->empty()) {
    in.add_error({"body", "pallet_ids"}, "List should have at least 1 item after validation, not 0", "too_short");
    return {};
  }
  std::set<std::string> seen;
  for (const auto& id : *ids) {
    if (!seen.insert(id).second) {
      in.add_error({"body", "pallet_ids"}, "Value error, pallet id " + id + " is listed more than once",
                   "value_error");
      return {};
    }
  }
  return std::move(*ids);
}

std::string container_id(const http::Request& req) { return std::string(req.param("container_id")); }

Reply create(ContainerService& containers, http::Request& req, const Caller& caller, bool from_pallets) {
  auto body = read_json_object(req);
  if (!body) co_return body.error();
  BodyReader in(*body);
  auto draft = read_fields(in, *body, false);
  std::vector<std::string> pallet_ids;
  if (from_pallets) pallet_ids = read_pallet_ids(in, *body);
  if (!in.ok()) co_return http::validation_error_response(in.errors());
  auto created = co_await containers.create(caller.tenant(), std::move(draft), std::move(pallet_ids), &req.queries);
  if (!created) co_return error_response_for(created.error());
  co_return json_response(Status::created, json::to_json(*created));
}

Reply list(ContainerService& containers, http::Request& req, const Caller& caller) {
  std::vector<http::FieldError> errors;
  auto page = read_page(req, errors);
  domain::ContainerFilter filter;
  filter.status = read_query_string(req, "status", 30, errors);
  if (filter.status && !domain::is_container_status(*filter.status)) {
    errors.push_back({{"query", "status"}, std::string(kStatusMessage), "enum"});
  }
  filter.client_id = read_query_string(req, "client_id", kMaxIdLength, errors);
  filter.customer = read_query_string(req, "customer", 255, errors);
  filter.search = read_query_string(req, "search", 100, errors);
  if (!errors.empty()) co_return http::validation_error_response(errors);
  auto listed = co_await containers.list(caller.tenant(), std::move(filter), page, &req.queries);
  if (!listed) co_return error_response_for(listed.error());
  co_return json_response(Status::ok, json::page_to_json(*listed, [](const auto& c) { return json::to_json(c); }));
}

Reply detail(ContainerService& containers, http::Request& req, const Caller& caller) {
  auto found = co_await containers.get(caller.tenant(), container_id(req), &req.queries);
  if (!found) co_return error_response_for(found.error());
  co_return json_response(Status::ok, json::to_json(*found));
}

Reply update(ContainerService& containers, http::Request& req, const Caller& caller) {
  auto body = read_json_object(req);
  if (!body) co_return body.error();
  BodyReader in(*body);
  auto changes = read_fields(in, *body, true);
  if (!in.ok()) co_return http::validation_error_response(in.errors());
  auto updated = co_await containers.update(caller.tenant(), container_id(req), std::move(changes), &req.queries);
  if (!updated) co_return error_response_for(updated.error());
  co_return json_response(Status::ok, json::to_json(*updated));
}

Reply move_pallets(ContainerService& containers, http::Request& req, const Caller& caller, bool loading) {
  auto body = read_json_object(req);
  if (!body) co_return body.error();
  BodyReader in(*body);
  auto ids = read_pallet_ids(in, *body);
  if (!in.ok()) co_return http::validation_error_response(in.errors());
  if (loading) {
    auto loaded = co_await containers.load(caller.tenant(), container_id(req), std::move(ids), &req.queries);
    if (!loaded) co_return error_response_for(loaded.error());
    co_return json_response(Status::ok, json::to_json(*loaded));
  }
  auto unloaded = co_await containers.unload(caller.tenant(), container_id(req), std::move(ids), &req.queries);
  if (!unloaded) co_return error_response_for(unloaded.error());
  co_return json_response(Status::ok, json::to_json(*unloaded));
}

// The body of a step, or an empty object when none was sent.
JsonObjectOrRefusal step_body(const http::Request& req) {
  if (req.body().empty()) return bj::object();
  return read_json_object(req);
}

Reply step(ContainerService& containers, http::Request& req, const Caller& caller, ContainerStep which) {
  auto body = step_body(req);
  if (!body) co_return body.error();
  BodyReader in(*body);
  domain::SealInput seal;
  domain::VoyageUpdate voyage;
  if (which == ContainerStep::kSeal) {
    seal.seal_number = in.required_string("seal_number", 100);
    seal.temp_setpoint_c = in.optional_number("temp_setpoint_c", kMinTempC, kMaxTempC);
  } else if (which == ContainerStep::kExport) {
    voyage.vessel_name = in.optional_string("vessel_name", 255);
    voyage.voyage_number = in.optional_string("voyage_number", 100);
    voyage.shipping_line_id = in.optional_code("shipping_line_id", kMaxIdLength);
    voyage.etd = in.optional_date("etd");
    voyage.eta = in.optional_date("eta");
  }
  if (!in.ok()) co_return http::validation_error_response(in.errors());
  auto stepped = co_await containers.step(caller.tenant(), caller.principal->user_id, container_id(req), which,
                                          std::move(seal), std::move(voyage), &req.queries);
  if (!stepped) co_return error_response_for(stepped.error());
  co_return json_response(Status::ok, json::to_json(*stepped));
}

Reply revert(ContainerService& containers, http::Request& req, const Caller& caller) {
  auto reverted = co_await containers.revert(caller.tenant(), container_id(req), &req.queries);
  if (!reverted) co_return error_response_for(reverted.error());
  co_return json_response(Status::ok, json::to_json(*reverted));
}

Reply add_reading(ContainerService& containers, http::Request& req, const Caller& caller) {
  auto body = read_json_object(req);
  if (!body) co_return body.error();
  BodyReader in(*body);
  domain::TemperatureReading reading;
  auto temp = in.optional_number("temp_c", kMinTempC, kMaxTempC);
  if (!body->contains("temp_c") || body->at("temp_c").is_null()) {
    in.add_error({"body", "temp_c"}, "Field required", "missing");
  }
  reading.temp_c = temp.value_or(0);
  reading.recorded_at = read_datetime(in, "recorded_at").value_or("");
  reading.location = in.optional_string("location", 100);
  reading.notes = in.optional_string("notes", 1000);
  if (!reading.recorded_at.empty() &&
      reading.recorded_at > util::iso_utc(std::chrono::system_clock::now() + kFutureReadingSlack)) {
    in.add_error({"body", "recorded_at"}, "Value error, recorded_at must not be in the future", "value_error");
  }
  if (!in.ok()) co_return http::validation_error_response(in.errors());
  reading.recorded_by = caller.principal->user_id;
  auto added = co_await containers.add_reading(caller.tenant(), container_id(req), std::move(reading), &req.queries);
  if (!added) co_return error_response_for(added.error());
  co_return json_response(Status::created, json::to_json(*added));
}

Reply remove(ContainerService& containers, http::Request& req, const Caller& caller) {
  auto removed = co_await containers.remove(caller.tenant(), container_id(req), &req.queries);
  if (!removed) co_return error_response_for(removed.error());
  co_return no_content();
}

oas::Schema status_schema() {
  return oas::one_of({"open", "loading", "loaded", "sealed", "dispatched", "in_transit", "arrived", "delivered"});
}

// What read_datetime accepts.
oas::Schema datetime_input() {
  return oas::with(oas::nullable(oas::str(40)),
                     {{"description", "YYYY-MM-DD (midnight) or YYYY-MM-DDTHH:MM:SS[.ffffff][Z], read as UTC."}});
}

// The JSON schemas of this file's routes (OpenAPI components, api/openapi_schema.hpp): the
// responses exactly as json/container_json.cpp writes them, the bodies as read_fields,
// read_pallet_ids, step and add_reading read them.
void declare_container_schemas(http::Router& router) {
  // Timestamps are naive UTC ISO 8601 without a zone (contract: "2026-02-12T14:03:22.123456"),
  // which format "date-time" (RFC 3339) would refuse.
  const auto timestamp = oas::str();
  const auto text = oas::nullable(oas::str());
  const auto day = oas::nullable(oas::date());
  const auto count = oas::integer(0);
  const auto codes = oas::array(oas::str());
  const std::initializer_list<oas::Property> summary{{"id", oas::str()},
                                                     {"container_number", oas::str()},
                                                     {"container_type", oas::str()},
                                                     {"capacity_pallets", oas::integer(1)},
                                                     {"pallet_count", count},
                                                     {"total_cartons", count},
                                                     {"gross_weight_kg", oas::nullable(oas::number())},
                                                     {"client_id", text},
                                                     {"customer_name", text},
                                                     {"destination", text},
                                                     {"shipping_container_number", text},
                                                     {"transporter_id", text},
                                                     {"transporter_name", text},
                                                     {"shipping_agent_id", text},
                                                     {"shipping_agent_name", text},
                                                     {"shipping_line_id", text},
                                                     {"shipping_line_name", text},
                                                     {"vessel_name", text},
                                                     {"voyage_number", text},
                                                     {"etd", day},
                                                     {"eta", day},
                                                     {"is_overdue", oas::boolean()},
                                                     {"status", status_schema()},
                                                     {"pallet_numbers", codes},
                                                     {"lot_codes", codes},
                                                     {"batch_codes", codes},
                                                     {"locked_fields", codes},
                                                     {"created_at", timestamp}};
  router.add_schema("ContainerSummary", oas::record(summary));
  router.add_schema("ContainerPallet", oas::record({{"id", oas::str()},
                                                    {"pallet_number", oas::str()},
                                                    {"current_boxes", count},
                                                    {"fruit_type", text},
                                                    {"grade", text},
                                                    {"size", text},
                                                    {"box_size_name", text},
                                                    {"status", oas::str()}}));
  router.add_schema("PalletTrace", oas::record({{"pallet_number", oas::str()},
                                                {"current_boxes", count},
                                                {"lots", oas::array(oas::record({{"lot_code", oas::str()},
                                                                                 {"grade", text},
                                                                                 {"size", text},
                                                                                 {"box_count", count},
                                                                                 {"box_size_name", text}}))},
                                                {"batches", oas::array(oas::record({{"batch_code", oas::str()},
                                                                                    {"grower_name", text},
                                                                                    {"grower_code", text},
                                                                                    {"fruit_type", oas::str()},
                                                                                    {"intake_date", text}}))}}));
  // A stored reading. Readings added through the API have every key; older stored ones
  // (e.g. the demo season's) may have only temp_c and "at".
  auto stored_reading = oas::input({{"temp_c", oas::number()},
                                    {"recorded_at", oas::str()},
                                    {"at", oas::str()},
                                    {"location", text},
                                    {"notes", text},
                                    {"recorded_by", oas::str()}},
                                   {"temp_c"});
  // The detail: the summary plus the container's other columns, pallets and traceability.
  auto detail = oas::record(summary);
  auto& properties = detail.as_object()["properties"].as_object();
  auto& required = detail.as_object()["required"].as_array();
  const std::initializer_list<oas::Property> more{{"export_date", text},
                                                  {"seal_number", text},
                                                  {"sealed_at", text},
                                                  {"sealed_by", text},
                                                  {"packhouse_id", text},
                                                  {"transport_config_id", text},
                                                  {"temp_setpoint_c", oas::nullable(oas::number())},
                                                  {"dispatched_at", text},
                                                  {"arrived_at", text},
                                                  {"delivered_at", text},
                                                  {"qr_code_url", text},
                                                  {"notes", text},
                                                  {"updated_at", timestamp},
                                                  {"pallets", oas::array(oas::ref("ContainerPallet"))},
                                                  {"traceability", oas::array(oas::ref("PalletTrace"))},
                                                  {"capacity_warnings", oas::array(oas::str())},
                                                  {"export_id", text},
                                                  {"counts_manual", oas::boolean()},
                                                  {"temp_readings", oas::array(stored_reading)}};
  for (const auto& [name, schema] : more) {
    properties[name] = schema;
    required.emplace_back(name);
  }
  router.add_schema("ContainerDetail", std::move(detail));
  router.add_schema("TemperatureReading", oas::record({{"temp_c", oas::number()},
                                                       {"recorded_at", timestamp},
                                                       {"location", text},
                                                       {"notes", text},
                                                       {"recorded_by", oas::str()}}));

  const auto ref_id = oas::nullable(oas::str(kMaxIdLength));
  const auto name = oas::nullable(oas::str(255));
  const auto code = oas::nullable(oas::str(100));
  auto body = oas::input({{"container_type", oas::str(50, 1)},
                          {"capacity_pallets", oas::with(oas::integer(1, kMaxCapacityPallets), {{"default", 20}})},
                          {"client_id", oas::with(ref_id, {{"description", "A client; its name becomes the "
                                                                             "customer_name."}})},
                          {"customer_name", name},
                          {"shipping_container_number", code},
                          {"destination", name},
                          {"export_date", datetime_input()},
                          {"seal_number", code},
                          {"transporter_id", ref_id},
                          {"shipping_agent_id", ref_id},
                          {"shipping_line_id", ref_id},
                          {"transport_config_id", ref_id},
                          {"vessel_name", name},
                          {"voyage_number", code},
                          {"etd", day},
                          {"eta", day},
                          {"notes", oas::nullable(oas::str(kMaxTextLength))}},
                         {"container_type"});
  const auto pallet_ids = oas::with(oas::array(oas::str(kMaxIdLength)),
                                      {{"minItems", 1}, {"maxItems", kMaxPalletsPerRequest}, {"uniqueItems", true}});
  router.add_schema("ContainerCreate", body);
  auto from_pallets = body;
  from_pallets.as_object()["properties"].as_object()["pallet_ids"] = pallet_ids;
  from_pallets.as_object()["required"].as_array().emplace_back("pallet_ids");
  router.add_schema("ContainerFromPallets", std::move(from_pallets));
  // A patch sends any subset; null clears a field, except container_type and
  // capacity_pallets. pallet_count and total_cartons: numbers set the tallies by hand, null
  // returns them to the pallets' (both the same way).
  auto patch = std::move(body);
  patch.as_object().erase("required");
  auto& patch_properties = patch.as_object()["properties"].as_object();
  patch_properties["capacity_pallets"] = oas::integer(1, kMaxCapacityPallets);
  patch_properties["pallet_count"] = oas::nullable(oas::integer(0, kMaxPalletCount));
  patch_properties["total_cartons"] = oas::nullable(oas::integer(0, kMaxCartons));
  router.add_schema("ContainerUpdate", std::move(patch));
  router.add_schema("ContainerPallets", oas::input({{"pallet_ids", pallet_ids}}, {"pallet_ids"}));
  const auto temperature = oas::number(kMinTempC, kMaxTempC);
  router.add_schema("ContainerSeal", oas::input({{"seal_number", oas::str(100, 1)},
                                                 {"temp_setpoint_c", oas::nullable(temperature)}},
                                                {"seal_number"}));
  router.add_schema("ContainerVoyage", oas::input({{"vessel_name", name},
                                                   {"voyage_number", code},
                                                   {"shipping_line_id", ref_id},
                                                   {"etd", day},
                                                   {"eta", day}}));
  router.add_schema(
      "TemperatureReadingCreate",
      oas::input({{"temp_c", temperature},
                  {"recorded_at", oas::with(datetime_input(), {{"description", "Default: now; not in the future."}})},
                  {"location", oas::nullable(oas::str(100))},
                  {"notes", oas::nullable(oas::str(1000))}},
                 {"temp_c"}));
}

}  // namespace

void register_container_routes(http::Router& router, Guard& guard, ContainerService& containers) {
  declare_container_schemas(router);
  const std::vector<Change> container_write{Change::kContainer};
  // Loading, unloading, dispatching and reverting a dispatch change pallets too.
  const std::vector<Change> pallet_write{Change::kContainer, Change::kPallet};
  const std::vector<Change> list_stale{Change::kContainer, Change::kPallet, Change::kExport};
  // The detail also shows lots, batches and growers through its pallets, and joined names.
  const std::vector<Change> detail_stale{Change::kContainer, Change::kPallet, Change::kExport,
                                         Change::kLot,       Change::kBatch,  Change::kGrower};
  guard.add(router,
            {.method = Method::post, .path = "/api/containers/", .permissions = {"batch.write"}, .onboarded = true,
             .idempotent = true, .summary = "Create a container", .changes = container_write,
             .body = "ContainerCreate", .responses = {{201, "ContainerSummary"}}},
            [&containers](http::Request& req, const Caller& caller) {
              return create(containers, req, caller, false);
            });
  guard.add(router,
            {.method = Method::post, .path = "/api/containers/from-pallets", .permissions = {"batch.write"},
             .onboarded = true, .idempotent = true, .summary = "Create a container loaded with pallets",
             .changes = pallet_write, .body = "ContainerFromPallets", .responses = {{201, "ContainerSummary"}},
             .errors = {404}},
            [&containers](http::Request& req, const Caller& caller) { return create(containers, req, caller, true); });
  guard.add(router,
            {.method = Method::get, .path = "/api/containers/", .permissions = {"batch.read"}, .onboarded = true,
             .summary = "List containers, newest first",
             .cache = CachePolicy{60s, "containers", "list_containers", list_stale},
             .query = oas::params(page_params(),
                                  {{"status", status_schema(), false, "Only containers with this status."},
                                   {"client_id", oas::str(kMaxIdLength), false, "Only this client's containers."},
                                   {"customer", oas::str(255), false, "Part of the customer name (any case)."},
                                   {"search", oas::str(100), false,
                                    "Part of the container, shipping container, pallet, lot or batch number, the "
                                    "customer or the destination (any case)."}}),
             .responses = {{200, oas::page_of("ContainerSummary")}}},
            [&containers](http::Request& req, const Caller& caller) { return list(containers, req, caller); });
  guard.add(router,
            {.method = Method::get, .path = "/api/containers/{container_id}", .permissions = {"batch.read"},
             .onboarded = true, .summary = "A container with its pallets and their traceability",
             .cache = CachePolicy{60s, "container", "get_container", detail_stale},
             .responses = {{200, "ContainerDetail"}}},
            [&containers](http::Request& req, const Caller& caller) { return detail(containers, req, caller); });
  guard.add(router,
            {.method = Method::patch, .path = "/api/containers/{container_id}", .permissions = {"batch.write"},
             .onboarded = true, .summary = "Update a container", .changes = container_write,
             .body = "ContainerUpdate", .responses = {{200, "ContainerSummary"}}},
            [&containers](http::Request& req, const Caller& caller) { return update(containers, req, caller); });
  guard.add(router,
            {.method = Method::delete_, .path = "/api/containers/{container_id}", .permissions = {"pallet.delete"},
             .onboarded = true, .summary = "Delete an open or empty container", .changes = container_write,
             .responses = {{204}}},
            [&containers](http::Request& req, const Caller& caller) { return remove(containers, req, caller); });
  guard.add(router,
            {.method = Method::post, .path = "/api/containers/{container_id}/load-pallets",
             .permissions = {"batch.write"}, .onboarded = true, .summary = "Load pallets into a container",
             .changes = pallet_write, .body = "ContainerPallets", .responses = {{200, "ContainerSummary"}}},
            [&containers](http::Request& req, const Caller& caller) {
              return move_pallets(containers, req, caller, true);
            });
  guard.add(router,
            {.method = Method::post, .path = "/api/containers/{container_id}/unload-pallets",
             .permissions = {"batch.write"}, .onboarded = true, .summary = "Take pallets out of a container",
             .changes = pallet_write, .body = "ContainerPallets", .responses = {{200, "ContainerSummary"}}},
            [&containers](http::Request& req, const Caller& caller) {
              return move_pallets(containers, req, caller, false);
            });
  // A step reads the body named here, if any (the others ignore theirs); a refused step is
  // a 422, as in 11.5.
  struct StepRoute {
    const char* path;
    ContainerStep step;
    const char* summary;
    const char* body;
  };
  const StepRoute steps[] = {
      {"/api/containers/{container_id}/mark-loaded", ContainerStep::kMarkLoaded, "Mark a container loaded", ""},
      {"/api/containers/{container_id}/seal", ContainerStep::kSeal, "Seal a loaded container", "ContainerSeal"},
      {"/api/containers/{container_id}/dispatch", ContainerStep::kDispatch, "Dispatch a sealed container", ""},
      {"/api/containers/{container_id}/export", ContainerStep::kExport, "Mark a dispatched container in transit",
       "ContainerVoyage"},
      {"/api/containers/{container_id}/arrive", ContainerStep::kArrive, "Mark a container arrived", ""},
      {"/api/containers/{container_id}/deliver", ContainerStep::kDeliver, "Mark a container delivered", ""},
  };
  for (const auto& s : steps) {
    const bool moves_pallets = s.step == ContainerStep::kDispatch;
    guard.add(router,
              {.method = Method::post, .path = s.path, .permissions = {"batch.write"}, .onboarded = true,
               .summary = s.summary, .changes = moves_pallets ? pallet_write : container_write,
               .body = s.body, .responses = {{200, "ContainerSummary"}}, .errors = {422}},
              [&containers, which = s.step](http::Request& req, const Caller& caller) {
                return step(containers, req, caller, which);
              });
  }
  guard.add(router,
            {.method = Method::post, .path = "/api/containers/{container_id}/revert", .permissions = {"batch.write"},
             .onboarded = true, .summary = "Move a container one step back", .changes = pallet_write,
             .responses = {{200, "ContainerSummary"}}, .errors = {422}},
            [&containers](http::Request& req, const Caller& caller) { return revert(containers, req, caller); });
  guard.add(router,
            {.method = Method::post, .path = "/api/containers/{container_id}/temperature-readings",
             .permissions = {"batch.write"}, .onboarded = true, .idempotent = true,
             .summary = "Record a container temperature reading", .changes = container_write,
             .body = "TemperatureReadingCreate", .responses = {{201, "TemperatureReading"}}},
            [&containers](http::Request& req, const Caller& caller) { return add_reading(containers, req, caller); });
}

}  // namespace fruitpak::api
