#include "api/lots_api.hpp"

#include "api/error_response.hpp"
#include "api/guard.hpp"
#include "api/input.hpp"
#include "api/json_input.hpp"
#include "api/openapi_schema.hpp"
#include "api/respond.hpp"
#include "domain/batch.hpp"
#include "http/errors.hpp"
#include "json/lot_json.hpp"
#include "json/page_json.hpp"
#include "services/lot_service.hpp"
#include "services/wizard_service.hpp"

#include <boost/json/array.hpp>

namespace fruitpak::api {
namespace {

using http::Method;
using http::Status;
using services::LotService;
using Reply = net::awaitable<http::Response>;
using cache::CachePolicy;
using domain::Change;
using namespace std::chrono_literals;
namespace bj = boost::json;

// Bounds on input the contract leaves open, against absurd values and oversized statements.
constexpr std::size_t kMaxLotsPerRequest = 100;
constexpr std::int64_t kMaxCartons = 1'000'000;
constexpr double kMaxWeightKg = 100'000;  // a loaded truck, as for batches
constexpr std::size_t kMaxIdLength = 36;
constexpr std::size_t kMaxTextLength = 10'000;
// quality_data (11.3): a flat object.
constexpr std::size_t kMaxQualityKeys = 50;
constexpr std::size_t kMaxQualityKeyLength = 100;
constexpr std::size_t kMaxQualityListItems = 100;
constexpr std::size_t kMaxQualityStringLength = 1000;

// An optional YYYY-MM-DD field ("" means null, D10).
std::optional<std::string> read_date(BodyReader& in, std::string_view field) {
  auto text = in.optional_code(field, 10);
  if (text && !domain::is_iso_date(*text)) {
    in.add_error(in.loc_of(field), "Input should be a valid date in the format YYYY-MM-DD",
                 "date_from_datetime_parsing");
    return std::nullopt;
  }
  return text;
}

// A field that may be absent (the caller decides the default) but not null: the column
// is NOT NULL.
std::int64_t non_null_int(BodyReader& in, const bj::object& body, std::string_view field, std::int64_t max) {
  if (body.contains(field) && body.at(field).is_null()) {
    in.add_error(in.loc_of(field), "Input should be a valid integer", "int_type");
    return 0;
  }
  return in.optional_int(field, 0, max).value_or(0);
}

double non_null_number(BodyReader& in, const bj::object& body, std::string_view field) {
  if (body.contains(field) && body.at(field).is_null()) {
    in.add_error(in.loc_of(field), "Input should be a valid number", "float_type");
    return 0;
  }
  return in.optional_number(field, 0, kMaxWeightKg).value_or(0);
}

bool is_quality_primitive(const bj::value& v) {
  if (v.is_string()) return v.as_string().size() <= kMaxQualityStringLength;
  return v.is_null() || v.is_bool() || v.is_number();
}

// The problem with one quality_data value, or "" when it is acceptable.
std::string quality_value_problem(const bj::value& v) {
  if (is_quality_primitive(v)) return {};
  if (!v.is_array()) return "values must be numbers, strings (at most 1000 characters), booleans, null or lists of them";
  if (v.as_array().size() > kMaxQualityListItems) return "lists may hold at most 100 items";
  for (const auto& item : v.as_array()) {
    if (!is_quality_primitive(item)) return "list items must be numbers, strings (at most 1000 characters), booleans or null";
  }
  return {};
}

// `quality_data`: null, or a flat object (11.3), returned as its JSON text.
std::optional<std::string> read_quality_data(BodyReader& in, const bj::object& body) {
  auto text = in.optional_object_json("quality_data");
  if (!text) return std::nullopt;
  const auto& data = body.at("quality_data").as_object();
  std::string problem;
  if (data.size() > kMaxQualityKeys) problem = "quality_data may have at most 50 keys";
  for (const auto& [key, value] : data) {
    if (!problem.empty()) break;
    if (key.size() > kMaxQualityKeyLength) {
      problem = "quality_data keys may have at most 100 characters";
    } else if (auto bad = quality_value_problem(value); !bad.empty()) {
      problem = "quality_data " + bad;
    }
  }
  if (problem.empty()) return text;
  in.add_error(in.loc_of("quality_data"), "Value error, " + problem, "value_error");
  return std::nullopt;
}

domain::Overpack read_overpack(BodyReader& in) {
  return in.optional_bool("allow_overpack").value_or(false) ? domain::Overpack::kAllow : domain::Overpack::kRefuse;
}

// One item of `lots` (11.3 LotCreate), read with errors located under ["body", "lots", i].
domain::NewLot read_new_lot(BodyReader& in, const bj::object& item) {
  domain::NewLot l;
  l.grade = in.required_string("grade", 50);
  l.size = in.optional_string("size", 50);
  l.box_size_id = in.optional_code("box_size_id", kMaxIdLength);
  l.weight_kg = in.optional_number("weight_kg", 0, kMaxWeightKg);
  l.carton_count = non_null_int(in, item, "carton_count", kMaxCartons);
  l.pack_date = read_date(in, "pack_date");
  l.waste_kg = in.optional_number("waste_kg", 0, kMaxWeightKg).value_or(0);
  l.waste_reason = in.optional_string("waste_reason", kMaxTextLength);
  l.notes = in.optional_string("notes", kMaxTextLength);
  return l;
}

// `lots`: a list of 1..100 LotCreate objects.
std::vector<domain::NewLot> read_new_lots(BodyReader& in, const bj::object& body) {
  const auto* value = body.if_contains("lots");
  if (!value) {
    in.add_error({"body", "lots"}, "Field required", "missing");
    return {};
  }
  const auto* items = value->if_array();
  if (!items) {
    in.add_error({"body", "lots"}, "Input should be a valid list", "list_type");
    return {};
  }
  if (items->empty() || items->size() > kMaxLotsPerRequest) {
    const bool empty = items->empty();
    in.add_error({"body", "lots"},
                 std::string(empty ? "List should have at least 1 item" : "List should have at most 100 items") +
                     " after validation, not " + std::to_string(items->size()),
                 empty ? "too_short" : "too_long");
    return {};
  }
  std::vector<domain::NewLot> lots;
  for (std::size_t i = 0; i < items->size(); ++i) {
    const auto* item = (*items)[i].if_object();
    if (!item) {
      in.add_error({"body", "lots", std::to_string(i)}, "Input should be a valid dictionary or object to extract fields from",
                   "model_attributes_type");
      continue;
    }
    BodyReader item_in(*item, {"body", "lots", std::to_string(i)});
    lots.push_back(read_new_lot(item_in, *item));
    for (const auto& e : item_in.errors()) in.add_error(e.loc, e.msg, e.type);
  }
  return lots;
}

// The keys of a PATCH body (11.3 LotUpdate) that are present: absent = unchanged.
domain::LotUpdate read_update(BodyReader& in, const bj::object& body) {
  domain::LotUpdate u;
  auto& v = u.values;
  auto sent = [&](std::string_view key) {
    if (!body.contains(key)) return false;
    u.sent.emplace_back(key);
    return true;
  };
  if (sent("grade")) v.grade = in.optional_string("grade", 50);
  if (sent("size")) v.size = in.optional_string("size", 50);
  if (sent("product_config_id")) v.product_config_id = in.optional_code("product_config_id", kMaxIdLength);
  if (sent("pack_spec_id")) v.pack_spec_id = in.optional_code("pack_spec_id", kMaxIdLength);
  if (sent("box_size_id")) v.box_size_id = in.optional_code("box_size_id", kMaxIdLength);
  if (sent("target_market")) v.target_market = in.optional_string("target_market", 100);
  if (sent("carton_count")) v.carton_count = non_null_int(in, body, "carton_count", kMaxCartons);
  if (sent("weight_kg")) v.weight_kg = in.optional_number("weight_kg", 0, kMaxWeightKg);
  if (sent("pack_date")) v.pack_date = read_date(in, "pack_date");
  if (sent("quality_data")) v.quality_data_json = read_quality_data(in, body);
  if (sent("status")) v.status = in.required_string("status", 30);
  if (sent("waste_kg")) v.waste_kg = non_null_number(in, body, "waste_kg");
  if (sent("waste_reason")) v.waste_reason = in.optional_string("waste_reason", kMaxTextLength);
  if (sent("notes")) v.notes = in.optional_string("notes", kMaxTextLength);
  u.overpack = read_overpack(in);
  return u;
}

// An unknown reference answers as the foreign-key violation of section 1.4.
http::Response refusal_response(const Error& e) {
  if (e.code == Errc::kUnprocessable && e.message == services::kReferencedRecordMissing) {
    return http::error_response(Status::unprocessable_entity, e.message, "FOREIGN_KEY_VIOLATION");
  }
  return error_response_for(e);
}

Reply create(LotService& lots, http::Request& req, const Caller& caller) {
  auto body = read_json_object(req);
  if (!body) co_return body.error();
  BodyReader in(*body);
  auto items = read_new_lots(in, *body);
  const auto overpack = read_overpack(in);
  if (!in.ok()) co_return http::validation_error_response(in.errors());
  auto created = co_await lots.create_from_batch(caller.tenant(), caller.principal->user_id,
                                                 std::string(req.param("batch_id")), std::move(items), overpack,
                                                 &req.queries);
  if (!created) co_return refusal_response(created.error());
  bj::array out;
  for (const auto& lot : *created) out.emplace_back(json::to_json(lot));
  co_return json_response(Status::created, out);
}

Reply list(LotService& lots, http::Request& req, const Caller& caller) {
  std::vector<http::FieldError> errors;
  auto page = read_page(req, errors);
  domain::LotFilter filter;
  filter.batch_id = read_query_string(req, "batch_id", kMaxIdLength, errors);
  filter.status = read_query_string(req, "status", 30, errors);
  filter.grade = read_query_string(req, "grade", 50, errors);
  if (!errors.empty()) co_return http::validation_error_response(errors);
  auto listed = co_await lots.list(caller.tenant(), std::move(filter), page, &req.queries);
  if (!listed) co_return error_response_for(listed.error());
  co_return json_response(Status::ok, json::page_to_json(*listed, [](const auto& l) { return json::to_json(l); }));
}

Reply detail(LotService& lots, http::Request& req, const Caller& caller) {
  auto found = co_await lots.get(caller.tenant(), std::string(req.param("lot_id")), &req.queries);
  if (!found) co_return error_response_for(found.error());
  co_return json_response(Status::ok, json::to_json(*found));
}

Reply update(LotService& lots, http::Request& req, const Caller& caller) {
  auto body = read_json_object(req);
  if (!body) co_return body.error();
  BodyReader in(*body);
  auto changes = read_update(in, *body);
  if (!in.ok()) co_return http::validation_error_response(in.errors());
  auto updated = co_await lots.update(caller.tenant(), std::string(req.param("lot_id")), std::move(changes),
                                      &req.queries);
  if (!updated) co_return refusal_response(updated.error());
  co_return json_response(Status::ok, json::to_json(*updated));
}

Reply remove(LotService& lots, http::Request& req, const Caller& caller) {
  auto removed = co_await lots.remove(caller.tenant(), std::string(req.param("lot_id")), &req.queries);
  if (!removed) co_return error_response_for(removed.error());
  co_return no_content();
}

// The JSON schemas of this file's routes (OpenAPI components, api/openapi_schema.hpp): the
// responses exactly as json/lot_json.cpp writes them, the bodies as the readers above read
// them (with their bounds).
void declare_lot_schemas(http::Router& router) {
  // Timestamps are naive UTC ISO 8601 without a zone (contract: "2026-02-12T14:03:22.123456"),
  // which format "date-time" (RFC 3339) would refuse.
  const auto timestamp = oas::str();
  const auto id = oas::str();
  const auto text = oas::nullable(oas::str());
  const auto kg = oas::nullable(oas::number());
  const auto day = oas::nullable(oas::date());
  const auto fields = oas::array(oas::one_of({"carton_count", "weight_kg", "grade", "size", "box_size_id"}));
  router.add_schema("LotSummary", oas::record({{"id", id},
                                               {"lot_code", oas::str()},
                                               {"batch_id", id},
                                               {"fruit_type", oas::str()},
                                               {"variety", text},
                                               {"grade", text},
                                               {"size", text},
                                               {"box_size_id", text},
                                               {"carton_count", oas::integer(0)},
                                               {"weight_kg", kg},
                                               {"waste_kg", oas::number()},
                                               {"waste_reason", text},
                                               {"notes", text},
                                               {"palletized_boxes", oas::integer(0)},
                                               {"locked_fields", fields},
                                               {"status", oas::str()},
                                               {"pack_date", day},
                                               {"created_at", timestamp}}));
  router.add_schema("Lot", oas::record({{"id", id},
                                        {"lot_code", oas::str()},
                                        {"batch_id", id},
                                        {"grower_id", id},
                                        {"packhouse_id", id},
                                        {"pack_line_id", text},
                                        {"fruit_type", oas::str()},
                                        {"variety", text},
                                        {"grade", text},
                                        {"size", text},
                                        {"product_config_id", text},
                                        {"pack_spec_id", text},
                                        {"box_size_id", text},
                                        {"box_size_name", text},
                                        {"box_weight_kg", kg},
                                        {"target_market", text},
                                        {"carton_count", oas::integer(0)},
                                        {"weight_kg", kg},
                                        {"waste_kg", oas::number()},
                                        {"waste_reason", text},
                                        {"pack_date", day},
                                        {"intake_date", timestamp},
                                        {"quality_data", oas::nullable(oas::any_object())},
                                        {"status", oas::str()},
                                        {"notes", text},
                                        {"packed_by", text},
                                        {"created_at", timestamp},
                                        {"updated_at", timestamp},
                                        {"locked_fields", fields},
                                        {"batch_code", text},
                                        {"grower_name", text},
                                        {"grower_code", text}}));

  const auto ref_id = oas::nullable(oas::str(kMaxIdLength));
  const auto weight = oas::nullable(oas::number(0, kMaxWeightKg));
  const auto long_text = oas::nullable(oas::str(kMaxTextLength));
  const auto overpack = oas::nullable(oas::boolean());
  router.add_schema("LotCreate", oas::input({{"grade", oas::str(50, 1)},
                                             {"size", oas::nullable(oas::str(50))},
                                             {"box_size_id", ref_id},
                                             {"weight_kg", weight},
                                             {"carton_count", oas::integer(0, kMaxCartons)},
                                             {"pack_date", day},
                                             {"waste_kg", weight},
                                             {"waste_reason", long_text},
                                             {"notes", long_text}},
                                            {"grade"}));
  router.add_schema(
      "LotsFromBatch",
      oas::input({{"lots", oas::with(oas::array(oas::ref("LotCreate")),
                                       {{"minItems", 1}, {"maxItems", kMaxLotsPerRequest}})},
                  {"allow_overpack", overpack}},
                 {"lots"}));
  // quality_data (11.3): a flat object of primitives or lists of them.
  const auto primitive = bj::object{
      {"anyOf", bj::array{oas::str(kMaxQualityStringLength),
                          bj::object{{"type", bj::array{"number", "boolean", "null"}}}}}};
  const auto quality = oas::with(
      oas::nullable(oas::any_object()),
      {{"maxProperties", kMaxQualityKeys},
       {"propertyNames", oas::str(kMaxQualityKeyLength)},
       {"additionalProperties",
        bj::object{{"anyOf", bj::array{primitive, oas::with(oas::array(primitive),
                                                              {{"maxItems", kMaxQualityListItems}})}}}}});
  // A patch sends any subset; null clears a field, except where the column is NOT NULL.
  router.add_schema("LotUpdate", oas::input({{"grade", oas::nullable(oas::str(50))},
                                             {"size", oas::nullable(oas::str(50))},
                                             {"product_config_id", ref_id},
                                             {"pack_spec_id", ref_id},
                                             {"box_size_id", ref_id},
                                             {"target_market", oas::nullable(oas::str(100))},
                                             {"carton_count", oas::integer(0, kMaxCartons)},
                                             {"weight_kg", weight},
                                             {"pack_date", day},
                                             {"quality_data", quality},
                                             {"status", oas::str(30, 1)},
                                             {"waste_kg", oas::number(0, kMaxWeightKg)},
                                             {"waste_reason", long_text},
                                             {"notes", long_text},
                                             {"allow_overpack", overpack}}));
}

}  // namespace

void register_lot_routes(http::Router& router, Guard& guard, LotService& lots) {
  // A lot write changes its batch too (status, waste, the lots its detail shows).
  const std::vector<Change> lot_write{Change::kLot, Change::kBatch};
  declare_lot_schemas(router);
  guard.add(router,
            {.method = Method::post, .path = "/api/lots/from-batch/{batch_id}", .permissions = {"batch.write"},
             .onboarded = true, .idempotent = true, .summary = "Pack lots from a batch", .changes = lot_write,
             .body = "LotsFromBatch",
             .responses = {{201, oas::array(oas::ref("Lot"))},
                           {409, "HTTPError",
                            "The lots would exceed the batch's net weight (send allow_overpack), or a request with "
                            "this Idempotency-Key is still in progress"}}},
            [&lots](http::Request& req, const Caller& caller) { return create(lots, req, caller); });
  guard.add(router,
            {.method = Method::get, .path = "/api/lots/", .permissions = {"batch.read"}, .onboarded = true,
             .summary = "List lots, newest first",
             .cache = CachePolicy{60s, "lots", "list_lots", {Change::kLot}},
             .query = oas::params(page_params(),
                                  {{"batch_id", oas::str(kMaxIdLength), false, "Only this batch's lots."},
                                   {"status", oas::str(30), false, "Only lots with this status."},
                                   {"grade", oas::str(50), false, "Only lots of this grade."}}),
             .responses = {{200, oas::page_of("LotSummary")}}},
            [&lots](http::Request& req, const Caller& caller) { return list(lots, req, caller); });
  guard.add(router,
            {.method = Method::get, .path = "/api/lots/{lot_id}", .permissions = {"batch.read"}, .onboarded = true,
             .summary = "A lot with its batch, grower and box size",
             .cache = CachePolicy{60s, "lot", "get_lot", {Change::kLot, Change::kGrower}},
             .responses = {{200, "Lot"}}},
            [&lots](http::Request& req, const Caller& caller) { return detail(lots, req, caller); });
  guard.add(router,
            {.method = Method::patch, .path = "/api/lots/{lot_id}", .permissions = {"batch.write"},
             .onboarded = true, .summary = "Update a lot", .changes = lot_write,
             .body = "LotUpdate", .responses = {{200, "Lot"}}, .errors = {409}},
            [&lots](http::Request& req, const Caller& caller) { return update(lots, req, caller); });
  guard.add(router,
            {.method = Method::delete_, .path = "/api/lots/{lot_id}", .permissions = {"lot.delete"},
             .onboarded = true, .summary = "Delete a lot", .changes = lot_write,
             .responses = {{204}}},
            [&lots](http::Request& req, const Caller& caller) { return remove(lots, req, caller); });
}

}  // namespace fruitpak::api
