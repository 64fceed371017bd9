#include "api/pallets_api.hpp"

#include "api/error_response.hpp"
#include "api/guard.hpp"
#include "api/input.hpp"
#include "api/json_input.hpp"
#include "api/openapi_schema.hpp"
#include "api/respond.hpp"
#include "http/errors.hpp"
#include "json/page_json.hpp"
#include "json/pallet_json.hpp"
#include "services/pallet_service.hpp"
#include "util/qr_svg.hpp"

#include <boost/json/array.hpp>

namespace fruitpak::api {
namespace {

using http::Method;
using http::Status;
using services::PalletService;
using Reply = net::awaitable<http::Response>;
using cache::CachePolicy;
using domain::Change;
using namespace std::chrono_literals;
namespace bj = boost::json;

// Bounds on input the contract leaves open, against absurd values and oversized statements.
constexpr std::size_t kMaxAssignments = 100;
constexpr std::int64_t kMaxCapacityBoxes = 10'000;
constexpr std::int64_t kMaxBoxes = 1'000'000;  // as a lot's cartons
constexpr double kMaxWeightKg = 100'000;
constexpr std::size_t kMaxIdLength = 36;
constexpr std::size_t kMaxTextLength = 10'000;
constexpr std::int64_t kDefaultCapacity = 240;

// An integer field that may be absent (then `fallback`) but not null: the column is NOT NULL.
std::int64_t non_null_int(BodyReader& in, const bj::object& body, std::string_view field, std::int64_t min,
                          std::int64_t max, std::int64_t fallback) {
  if (body.contains(field) && body.at(field).is_null()) {
    in.add_error(in.loc_of(field), "Input should be a valid integer", "int_type");
    return fallback;
  }
  return in.optional_int(field, min, max).value_or(fallback);
}

// One item of `lot_assignments`, read with errors located under ["body", "lot_assignments", i].
domain::LotAssignment read_assignment(BodyReader& in, const bj::object& item) {
  domain::LotAssignment a;
  a.lot_id = in.required_string("lot_id", kMaxIdLength);
  if (!item.contains("box_count")) {
    in.add_error(in.loc_of("box_count"), "Field required", "missing");
  } else {
    a.box_count = non_null_int(in, item, "box_count", 1, kMaxBoxes, 0);
  }
  a.size = in.optional_string("size", 50);
  return a;
}

// `lot_assignments`: a list of 1..100 objects.
std::vector<domain::LotAssignment> read_assignments(BodyReader& in, const bj::object& body) {
  const auto* value = body.if_contains("lot_assignments");
  if (!value) {
    in.add_error({"body", "lot_assignments"}, "Field required", "missing");
    return {};
  }
  const auto* items = value->if_array();
  if (!items) {
    in.add_error({"body", "lot_assignments"}, "Input should be a valid list", "list_type");
    return {};
  }
  if (items->empty() || items->size() > kMaxAssignments) {
    const bool empty = items->empty();
    in.add_error({"body", "lot_assignments"},
                 std::string(empty ? "List should have at least 1 item" : "List should have at most 100 items") +
                     " after validation, not " + std::to_string(items->size()),
                 empty ? "too_short" : "too_long");
    return {};
  }
  std::vector<domain::LotAssignment> out;
  for (std::size_t i = 0; i < items->size(); ++i) {
    const auto* item = (*items)[i].if_object();
    if (!item) {
      in.add_error({"body", "lot_assignments", std::to_string(i)},
                   "Input should be a valid dictionary or object to extract fields from", "model_attributes_type");
      continue;
    }
    BodyReader item_in(*item, {"body", "lot_assignments", std::to_string(i)});
    out.push_back(read_assignment(item_in, *item));
    for (const auto& e : item_in.errors()) in.add_error(e.loc, e.msg, e.type);
  }
  return out;
}

domain::MixingRules read_mixing(BodyReader& in) {
  return domain::MixingRules{.sizes = in.optional_bool("allow_mixed_sizes").value_or(false),
                             .box_types = in.optional_bool("allow_mixed_box_types").value_or(false)};
}

domain::PalletsFromLots read_from_lots(BodyReader& in, const bj::object& body) {
  domain::PalletsFromLots r;
  r.pallet_type_name = in.required_string("pallet_type_name", 100);
  r.capacity_boxes = non_null_int(in, body, "capacity_boxes", 1, kMaxCapacityBoxes, kDefaultCapacity);
  r.packhouse_id = in.required_string("packhouse_id", kMaxIdLength);
  r.assignments = read_assignments(in, body);
  r.size = in.optional_string("size", 50);
  r.mixing = read_mixing(in);
  r.notes = in.optional_string("notes", kMaxTextLength);
  return r;
}

domain::EmptyPallet read_empty(BodyReader& in, const bj::object& body) {
  domain::EmptyPallet r;
  r.pallet_type_name = in.required_string("pallet_type_name", 100);
  r.capacity_boxes = non_null_int(in, body, "capacity_boxes", 1, kMaxCapacityBoxes, kDefaultCapacity);
  r.packhouse_id = in.required_string("packhouse_id", kMaxIdLength);
  r.size = in.optional_string("size", 50);
  r.box_size_id = in.optional_code("box_size_id", kMaxIdLength);
  r.notes = in.optional_string("notes", kMaxTextLength);
  return r;
}

// The keys of a PATCH body (11.4 PalletUpdate) that are present: absent = unchanged.
domain::PalletUpdate read_update(BodyReader& in, const bj::object& body) {
  domain::PalletUpdate u;
  auto& v = u.values;
  auto sent = [&](std::string_view key) {
    if (!body.contains(key)) return false;
    u.sent.emplace_back(key);
    return true;
  };
  if (sent("pallet_type_name")) v.pallet_type_name = in.optional_string("pallet_type_name", 100);
  if (sent("capacity_boxes")) v.capacity_boxes = non_null_int(in, body, "capacity_boxes", 1, kMaxCapacityBoxes, 1);
  if (sent("fruit_type")) v.fruit_type = in.optional_string("fruit_type", 100);
  if (sent("variety")) v.variety = in.optional_string("variety", 100);
  if (sent("grade")) v.grade = in.optional_string("grade", 50);
  if (sent("size")) v.size = in.optional_string("size", 50);
  if (sent("box_size_id")) v.box_size_id = in.optional_code("box_size_id", kMaxIdLength);
  if (sent("target_market")) v.target_market = in.optional_string("target_market", 100);
  if (sent("cold_store_room")) v.cold_store_room = in.optional_string("cold_store_room", 50);
  if (sent("cold_store_position")) v.cold_store_position = in.optional_string("cold_store_position", 100);
  if (sent("notes")) v.notes = in.optional_string("notes", kMaxTextLength);
  if (sent("net_weight_kg")) v.net_weight_kg = in.optional_number("net_weight_kg", 0, kMaxWeightKg);
  if (sent("gross_weight_kg")) v.gross_weight_kg = in.optional_number("gross_weight_kg", 0, kMaxWeightKg);
  return u;
}

bj::object summary(const domain::Pallet& p) { return json::pallet_summary_json(p); }

Reply create_from_lots(PalletService& pallets, http::Request& req, const Caller& caller) {
  auto body = read_json_object(req);
  if (!body) co_return body.error();
  BodyReader in(*body);
  auto request = read_from_lots(in, *body);
  if (!in.ok()) co_return http::validation_error_response(in.errors());
  auto created =
      co_await pallets.create_from_lots(caller.tenant(), caller.principal->user_id, std::move(request), &req.queries);
  if (!created) co_return error_response_for(created.error());
  bj::array out;
  for (const auto& p : *created) out.emplace_back(summary(p));
  co_return json_response(Status::created, out);
}

Reply create_empty(PalletService& pallets, http::Request& req, const Caller& caller) {
  auto body = read_json_object(req);
  if (!body) co_return body.error();
  BodyReader in(*body);
  auto request = read_empty(in, *body);
  if (!in.ok()) co_return http::validation_error_response(in.errors());
  auto created =
      co_await pallets.create_empty(caller.tenant(), caller.principal->user_id, std::move(request), &req.queries);
  if (!created) co_return error_response_for(created.error());
  co_return json_response(Status::created, summary(*created));
}

Reply list(PalletService& pallets, http::Request& req, const Caller& caller) {
  std::vector<http::FieldError> errors;
  auto page = read_page(req, errors);
  domain::PalletFilter filter;
  filter.status = read_query_string(req, "status", 30, errors);
  filter.pallet_type = read_query_string(req, "pallet_type", 100, errors);
  filter.search = read_query_string(req, "search", 100, errors);
  if (!errors.empty()) co_return http::validation_error_response(errors);
  auto listed = co_await pallets.list(caller.tenant(), std::move(filter), page, &req.queries);
  if (!listed) co_return error_response_for(listed.error());
  co_return json_response(Status::ok, json::page_to_json(*listed, [](const auto& p) { return summary(p); }));
}

Reply detail(PalletService& pallets, http::Request& req, const Caller& caller) {
  auto found = co_await pallets.get(caller.tenant(), std::string(req.param("pallet_id")), &req.queries);
  if (!found) co_return error_response_for(found.error());
  co_return json_response(Status::ok, json::pallet_detail_json(*found));
}

Reply update(PalletService& pallets, http::Request& req, const Caller& caller) {
  auto body = read_json_object(req);
  if (!body) co_return body.error();
  BodyReader in(*body);
  auto changes = read_update(in, *body);
  if (!in.ok()) co_return http::validation_error_response(in.errors());
  auto updated =
      co_await pallets.update(caller.tenant(), std::string(req.param("pallet_id")), std::move(changes), &req.queries);
  if (!updated) co_return error_response_for(updated.error());
  co_return json_response(Status::ok, json::pallet_detail_json(*updated));
}

Reply remove(PalletService& pallets, http::Request& req, const Caller& caller) {
  auto removed = co_await pallets.remove(caller.tenant(), std::string(req.param("pallet_id")), &req.queries);
  if (!removed) co_return error_response_for(removed.error());
  co_return no_content();
}

Reply allocate(PalletService& pallets, http::Request& req, const Caller& caller) {
  auto body = read_json_object(req);
  if (!body) co_return body.error();
  BodyReader in(*body);
  domain::Allocation allocation;
  allocation.assignments = read_assignments(in, *body);
  allocation.mixing = read_mixing(in);
  if (!in.ok()) co_return http::validation_error_response(in.errors());
  auto allocated = co_await pallets.allocate(caller.tenant(), std::string(req.param("pallet_id")),
                                             std::move(allocation), &req.queries);
  if (!allocated) co_return error_response_for(allocated.error());
  co_return json_response(Status::ok, summary(*allocated));
}

Reply deallocate(PalletService& pallets, http::Request& req, const Caller& caller) {
  auto result = co_await pallets.deallocate(caller.tenant(), std::string(req.param("pallet_id")),
                                            std::string(req.param("pallet_lot_id")), &req.queries);
  if (!result) co_return error_response_for(result.error());
  co_return json_response(Status::ok, json::to_json(*result));
}

Reply qr(PalletService& pallets, http::Request& req, const Caller& caller) {
  auto found = co_await pallets.get(caller.tenant(), std::string(req.param("pallet_id")), &req.queries);
  if (!found) co_return error_response_for(found.error());
  auto svg = util::qr_svg(json::pallet_qr_payload(*found));
  if (!svg) co_return error_response_for(svg.error());
  http::Response res{Status::ok, 11};
  res.set(http::beast_http::field::content_type, "image/svg+xml");
  res.body() = std::move(*svg);
  res.prepare_payload();
  co_return res;
}

// The bare lists of GET /config/box-sizes and /config/pallet-types.
template <class T>
http::Response list_response(const Result<std::vector<T>>& listed) {
  if (!listed) return error_response_for(listed.error());
  bj::array out;
  out.reserve(listed->size());
  for (const auto& item : *listed) out.emplace_back(json::to_json(item));
  return json_response(Status::ok, out);
}

Reply box_sizes(PalletService& pallets, http::Request& req, const Caller& caller) {
  auto listed = co_await pallets.box_sizes(caller.tenant(), &req.queries);
  co_return list_response(listed);
}

Reply pallet_types(PalletService& pallets, http::Request& req, const Caller& caller) {
  auto listed = co_await pallets.pallet_types(caller.tenant(), &req.queries);
  co_return list_response(listed);
}

// The JSON schemas of this file's routes (OpenAPI components, api/openapi_schema.hpp): the
// responses exactly as json/pallet_json.cpp writes them, the bodies as the readers above
// read them (with their bounds).
void declare_pallet_schemas(http::Router& router) {
  // Timestamps are naive UTC ISO 8601 without a zone (contract: "2026-02-12T14:03:22.123456"),
  // which format "date-time" (RFC 3339) would refuse.
  const auto timestamp = oas::str();
  const auto text = oas::nullable(oas::str());
  const auto kg = oas::nullable(oas::number());
  const auto count = oas::integer(0);
  const auto codes = oas::array(oas::str());
  const std::initializer_list<oas::Property> summary{
      {"id", oas::str()},
      {"pallet_number", oas::str()},
      {"pallet_type_name", text},
      {"capacity_boxes", oas::integer(1)},
      {"current_boxes", count},
      {"fruit_type", text},
      {"grade", text},
      {"size", text},
      {"box_size_id", text},
      {"box_size_name", text},
      {"net_weight_kg", kg},
      {"status", oas::str()},
      {"notes", text},
      {"lot_codes", codes},
      {"batch_codes", codes},
      {"locked_fields", oas::array(oas::one_of({"grade", "size", "box_size_id", "capacity_boxes", "pallet_type_name",
                                                "fruit_type", "variety"}))},
      {"created_at", timestamp}};
  router.add_schema("PalletSummary", oas::record(summary));
  router.add_schema("PalletLot", oas::record({{"id", oas::str()},
                                              {"pallet_id", oas::str()},
                                              {"lot_id", oas::str()},
                                              {"box_count", oas::integer(1)},
                                              {"size", text},
                                              {"lot_code", text},
                                              {"grade", text},
                                              {"box_size_name", text}}));
  // The detail: the summary plus the pallet's other columns and its active allocations.
  auto detail = oas::record(summary);
  auto& properties = detail.as_object()["properties"].as_object();
  auto& required = detail.as_object()["required"].as_array();
  const std::initializer_list<oas::Property> more{{"gross_weight_kg", kg},
                                                  {"variety", text},
                                                  {"target_market", text},
                                                  {"packhouse_id", oas::str()},
                                                  {"cold_store_room", text},
                                                  {"cold_store_position", text},
                                                  {"qr_code_url", text},
                                                  {"palletized_by", text},
                                                  {"updated_at", timestamp},
                                                  {"container_id", text},
                                                  {"pallet_lots", oas::array(oas::ref("PalletLot"))}};
  for (const auto& [name, schema] : more) {
    properties[name] = schema;
    required.emplace_back(name);
  }
  router.add_schema("PalletDetail", std::move(detail));
  router.add_schema("PalletDeallocation", oas::record({{"pallet_id", oas::str()},
                                                       {"pallet_lot_id", oas::str()},
                                                       {"boxes_returned", count},
                                                       {"pallet_status", oas::str()},
                                                       {"pallet_current_boxes", count}}));
  router.add_schema("BoxSize", oas::record({{"id", oas::str()},
                                            {"name", oas::str()},
                                            {"size_code", text},
                                            {"fruit_count", oas::nullable(oas::integer())},
                                            {"weight_kg", oas::number()},
                                            {"cost_per_unit", oas::nullable(oas::number())}}));
  router.add_schema("PalletType", oas::record({{"id", oas::str()},
                                               {"name", oas::str()},
                                               {"capacity_boxes", oas::integer()},
                                               {"notes", text}}));

  const auto ref_id = oas::nullable(oas::str(kMaxIdLength));
  const auto notes = oas::nullable(oas::str(kMaxTextLength));
  const auto size = oas::nullable(oas::str(50));
  const auto capacity = oas::with(oas::integer(1, kMaxCapacityBoxes), {{"default", kDefaultCapacity}});
  const auto mixing = oas::nullable(oas::boolean());
  router.add_schema("LotAssignment", oas::input({{"lot_id", oas::str(kMaxIdLength, 1)},
                                                 {"box_count", oas::integer(1, kMaxBoxes)},
                                                 {"size", size}},
                                                {"lot_id", "box_count"}));
  const auto assignments =
      oas::with(oas::array(oas::ref("LotAssignment")), {{"minItems", 1}, {"maxItems", kMaxAssignments}});
  router.add_schema("PalletsFromLots", oas::input({{"pallet_type_name", oas::str(100, 1)},
                                                   {"capacity_boxes", capacity},
                                                   {"packhouse_id", oas::str(kMaxIdLength, 1)},
                                                   {"lot_assignments", assignments},
                                                   {"size", size},
                                                   {"allow_mixed_sizes", mixing},
                                                   {"allow_mixed_box_types", mixing},
                                                   {"notes", notes}},
                                                  {"pallet_type_name", "packhouse_id", "lot_assignments"}));
  router.add_schema("PalletCreate", oas::input({{"pallet_type_name", oas::str(100, 1)},
                                                {"capacity_boxes", capacity},
                                                {"packhouse_id", oas::str(kMaxIdLength, 1)},
                                                {"size", size},
                                                {"box_size_id", ref_id},
                                                {"notes", notes}},
                                               {"pallet_type_name", "packhouse_id"}));
  // A patch sends any subset; null clears a field, except capacity_boxes (NOT NULL).
  router.add_schema("PalletUpdate", oas::input({{"pallet_type_name", oas::nullable(oas::str(100))},
                                                {"capacity_boxes", oas::integer(1, kMaxCapacityBoxes)},
                                                {"fruit_type", oas::nullable(oas::str(100))},
                                                {"variety", oas::nullable(oas::str(100))},
                                                {"grade", oas::nullable(oas::str(50))},
                                                {"size", size},
                                                {"box_size_id", ref_id},
                                                {"target_market", oas::nullable(oas::str(100))},
                                                {"cold_store_room", oas::nullable(oas::str(50))},
                                                {"cold_store_position", oas::nullable(oas::str(100))},
                                                {"notes", notes},
                                                {"net_weight_kg", oas::nullable(oas::number(0, kMaxWeightKg))},
                                                {"gross_weight_kg", oas::nullable(oas::number(0, kMaxWeightKg))}}));
  router.add_schema("PalletAllocation", oas::input({{"lot_assignments", assignments},
                                                    {"allow_mixed_sizes", mixing},
                                                    {"allow_mixed_box_types", mixing}},
                                                   {"lot_assignments"}));
}

}  // namespace

void register_pallet_routes(http::Router& router, Guard& guard, PalletService& pallets) {
  // Allocations change the lots too (status, palletized_boxes, locked_fields).
  const std::vector<Change> pallet_write{Change::kPallet, Change::kLot};
  declare_pallet_schemas(router);
  guard.add(router,
            {.method = Method::post, .path = "/api/pallets/from-lots", .permissions = {"batch.write"},
             .onboarded = true, .idempotent = true, .summary = "Build pallets from lots", .changes = pallet_write,
             .body = "PalletsFromLots", .responses = {{201, oas::array(oas::ref("PalletSummary"))}},
             .errors = {404}},
            [&pallets](http::Request& req, const Caller& caller) { return create_from_lots(pallets, req, caller); });
  guard.add(router,
            {.method = Method::post, .path = "/api/pallets/", .permissions = {"batch.write"}, .onboarded = true,
             .idempotent = true, .summary = "Create an empty pallet", .changes = {Change::kPallet},
             .body = "PalletCreate", .responses = {{201, "PalletSummary"}}, .errors = {404}},
            [&pallets](http::Request& req, const Caller& caller) { return create_empty(pallets, req, caller); });
  guard.add(router,
            {.method = Method::get, .path = "/api/pallets/", .permissions = {"batch.read"}, .onboarded = true,
             .summary = "List pallets, newest first",
             .cache = CachePolicy{60s, "pallets", "list_pallets", {Change::kPallet, Change::kLot, Change::kContainer}},
             .query = oas::params(page_params(),
                                  {{"status", oas::str(30), false, "Only pallets with this status."},
                                   {"pallet_type", oas::str(100), false, "Only pallets of this pallet type (name)."},
                                   {"search", oas::str(100), false,
                                    "Part of the pallet number or of a lot or batch code on it (any case)."}}),
             .responses = {{200, oas::page_of("PalletSummary")}}},
            [&pallets](http::Request& req, const Caller& caller) { return list(pallets, req, caller); });
  guard.add(router,
            {.method = Method::get, .path = "/api/pallets/{pallet_id}", .permissions = {"batch.read"},
             .onboarded = true, .summary = "A pallet with its lots and batches",
             .cache = CachePolicy{60s, "pallet", "get_pallet", {Change::kPallet, Change::kLot, Change::kContainer}},
             .responses = {{200, "PalletDetail"}}},
            [&pallets](http::Request& req, const Caller& caller) { return detail(pallets, req, caller); });
  guard.add(router,
            {.method = Method::patch, .path = "/api/pallets/{pallet_id}", .permissions = {"batch.write"},
             .onboarded = true, .summary = "Update a pallet", .changes = {Change::kPallet},
             .body = "PalletUpdate", .responses = {{200, "PalletDetail"}}, .errors = {409}},
            [&pallets](http::Request& req, const Caller& caller) { return update(pallets, req, caller); });
  guard.add(router,
            {.method = Method::delete_, .path = "/api/pallets/{pallet_id}", .permissions = {"pallet.delete"},
             .onboarded = true, .summary = "Delete an empty pallet", .changes = {Change::kPallet},
             .responses = {{204}}, .errors = {409}},
            [&pallets](http::Request& req, const Caller& caller) { return remove(pallets, req, caller); });
  guard.add(router,
            {.method = Method::post, .path = "/api/pallets/{pallet_id}/allocate", .permissions = {"batch.write"},
             .onboarded = true, .summary = "Allocate boxes of lots to a pallet", .changes = pallet_write,
             .body = "PalletAllocation", .responses = {{200, "PalletSummary"}}, .errors = {409}},
            [&pallets](http::Request& req, const Caller& caller) { return allocate(pallets, req, caller); });
  guard.add(router,
            {.method = Method::delete_, .path = "/api/pallets/{pallet_id}/lots/{pallet_lot_id}",
             .permissions = {"batch.write"}, .onboarded = true, .summary = "Take a lot allocation off a pallet",
             .changes = pallet_write, .responses = {{200, "PalletDeallocation"}}, .errors = {409}},
            [&pallets](http::Request& req, const Caller& caller) { return deallocate(pallets, req, caller); });
  guard.add(router,
            {.method = Method::get, .path = "/api/pallets/{pallet_id}/qr", .permissions = {"batch.read"},
             .onboarded = true, .summary = "The pallet's QR code (SVG)",
             .responses = {{200, oas::str(), "An SVG image", "image/svg+xml"}}},
            [&pallets](http::Request& req, const Caller& caller) { return qr(pallets, req, caller); });
  // Box sizes and pallet types are setup data (Change::kSetup; only the demo loader writes
  // them so far).
  guard.add(router,
            {.method = Method::get, .path = "/api/pallets/config/box-sizes", .onboarded = true,
             .summary = "The enterprise's box sizes",
             .cache = CachePolicy{600s, "config", "pallet_box_sizes", {Change::kSetup}},
             .responses = {{200, oas::array(oas::ref("BoxSize"))}}},
            [&pallets](http::Request& req, const Caller& caller) { return box_sizes(pallets, req, caller); });
  guard.add(router,
            {.method = Method::get, .path = "/api/pallets/config/pallet-types", .onboarded = true,
             .summary = "The enterprise's pallet types",
             .cache = CachePolicy{600s, "config", "pallet_types", {Change::kSetup}},
             .responses = {{200, oas::array(oas::ref("PalletType"))}}},
            [&pallets](http::Request& req, const Caller& caller) { return pallet_types(pallets, req, caller); });
}

}  // namespace fruitpak::api
