#include "api/batches_api.hpp"

#include "api/error_response.hpp"
#include "api/guard.hpp"
#include "api/input.hpp"
#include "api/json_input.hpp"
#include "api/openapi_schema.hpp"
#include "api/respond.hpp"
#include "http/errors.hpp"
#include "json/batch_json.hpp"
#include "services/batch_service.hpp"
#include "util/clock.hpp"
#include "util/qr_svg.hpp"

#include <boost/json/serialize.hpp>

#include <algorithm>

namespace fruitpak::api {
namespace {

using http::Method;
using http::Status;
using services::BatchService;
using Reply = net::awaitable<http::Response>;
using cache::CachePolicy;
using domain::Change;
using namespace std::chrono_literals;
namespace bj = boost::json;

constexpr double kMaxWeightKg = 100'000;  // a loaded truck; more is a typing error

// An optional YYYY-MM-DD field ("" means null, D10); future dates refused when `not_future`.
std::optional<std::string> read_date(BodyReader& in, std::string_view field, bool not_future) {
  auto text = in.optional_code(field, 10);
  if (!text) return std::nullopt;
  if (!domain::is_iso_date(*text)) {
    in.add_error({"body", std::string(field)}, "Input should be a valid date in the format YYYY-MM-DD", "date_from_datetime_parsing");
    return std::nullopt;
  }
  if (not_future && *text > util::iso_utc_now().substr(0, 10)) {
    in.add_error({"body", std::string(field)}, "Value error, date cannot be in the future", "value_error");
  }
  return text;
}


Reply intake(BatchService& batches, http::Request& req, const Caller& caller) {
  auto body = read_json_object(req);
  if (!body) co_return body.error();
  BodyReader in(*body);
  services::GrnInput input;
  input.grower_id = in.required_string("grower_id", 36);
  input.packhouse_id = in.required_string("packhouse_id", 36);
  input.fruit_type = in.required_string("fruit_type", 100);
  input.variety = in.optional_string("variety", 100);
  input.harvest_date = read_date(in, "harvest_date", true);
  input.gross_weight_kg = in.optional_number("gross_weight_kg", 0, kMaxWeightKg);
  if (body->contains("tare_weight_kg") && body->at("tare_weight_kg").is_null()) {
    in.add_error({"body", "tare_weight_kg"}, "Input should be a valid number", "float_type");
  } else {
    input.tare_weight_kg = in.optional_number("tare_weight_kg", 0, kMaxWeightKg).value_or(0);
  }
  input.bin_count = in.optional_int("bin_count", 1, 100'000);
  input.bin_type = in.optional_string("bin_type", 50);
  input.harvest_team_id = in.optional_code("harvest_team_id", 36);
  input.delivery_notes = in.optional_string("delivery_notes", 10'000);
  input.quality_grade = in.optional_string("quality_grade", 50);
  input.arrival_temp_c = in.optional_number("arrival_temp_c", -50, 80);
  input.brix_reading = in.optional_number("brix_reading", 0, 100);
  input.quality_assessment_json = in.optional_object_json("quality_assessment");
  if (in.ok() && !input.gross_weight_kg && !input.bin_count) {
    in.add_error({"body"}, "Value error, Provide at least one of gross_weight_kg or bin_count", "value_error");
  }
  if (in.ok() && input.gross_weight_kg && input.tare_weight_kg > *input.gross_weight_kg) {
    in.add_error({"body", "tare_weight_kg"}, "Value error, tare_weight_kg cannot exceed gross_weight_kg", "value_error");
  }
  if (!in.ok()) co_return http::validation_error_response(in.errors());
  auto receipt = co_await batches.intake(caller.tenant(), caller.principal->user_id, std::move(input), &req.queries);
  if (!receipt) co_return error_response_for(receipt.error());
  co_return json_response(Status::created, json::to_json(*receipt));
}

// Query filters of the list (contract 2.6); dates YYYY-MM-DD, statuses from the known set.
domain::BatchFilter read_filter(const http::Request& req, std::vector<http::FieldError>& errors) {
  domain::BatchFilter f;
  f.grower_id = read_query_string(req, "grower_id", 36, errors);
  f.status = read_query_string(req, "status", 30, errors);
  f.fruit_type = read_query_string(req, "fruit_type", 100, errors);
  f.date_from = read_query_string(req, "date_from", 10, errors);
  f.date_to = read_query_string(req, "date_to", 10, errors);
  for (auto* date : {&f.date_from, &f.date_to}) {
    if (*date && !domain::is_iso_date(**date)) {
      errors.push_back({{"query", date == &f.date_from ? "date_from" : "date_to"},
                        "Input should be a valid date in the format YYYY-MM-DD", "date_parsing"});
    }
  }
  return f;
}

Reply list(BatchService& batches, http::Request& req, const Caller& caller) {
  std::vector<http::FieldError> errors;
  auto page = read_page(req, errors);
  auto filter = read_filter(req, errors);
  std::optional<domain::BatchKey> after;
  if (auto cursor = read_query_string(req, "cursor", 200, errors)) {
    after = json::decode_cursor(*cursor);
    if (!after) errors.push_back({{"query", "cursor"}, "Invalid cursor: use the next_cursor of a previous page", "value_error"});
  }
  if (!errors.empty()) co_return http::validation_error_response(errors);
  auto listed = co_await batches.list(caller.tenant(), std::move(filter), page, std::move(after), &req.queries);
  if (!listed) co_return error_response_for(listed.error());
  co_return json_response(Status::ok, json::to_json(*listed));
}

Reply detail(BatchService& batches, http::Request& req, const Caller& caller) {
  auto found = co_await batches.detail(caller.tenant(), std::string(req.param("batch_id")), &req.queries);
  if (!found) co_return error_response_for(found.error());
  co_return json_response(Status::ok, json::to_json(*found));
}

Reply qr(BatchService& batches, http::Request& req, const Caller& caller) {
  auto found = co_await batches.detail(caller.tenant(), std::string(req.param("batch_id")), &req.queries);
  if (!found) co_return error_response_for(found.error());
  auto svg = util::qr_svg(json::qr_payload(*found));
  if (!svg) co_return error_response_for(svg.error());
  http::Response res{Status::ok, 11};
  res.set(http::beast_http::field::content_type, "image/svg+xml");
  res.body() = std::move(*svg);
  res.prepare_payload();
  co_return res;
}

// Reads every BatchUpdate key present in `body` into `b` (absent = unchanged, null = null).
void read_patch(BodyReader& in, const bj::object& body, domain::Batch& b) {
  auto sent = [&](std::string_view key) { return body.contains(key); };
  if (sent("variety")) b.variety = in.optional_string("variety", 100);
  if (sent("harvest_date")) b.harvest_date = read_date(in, "harvest_date", true);
  if (sent("gross_weight_kg")) {
    b.gross_weight_kg = in.optional_number("gross_weight_kg", 0, kMaxWeightKg);
    if (b.gross_weight_kg && *b.gross_weight_kg <= 0) {
      in.add_error({"body", "gross_weight_kg"}, "Input should be greater than 0", "greater_than");
    }
  }
  if (sent("tare_weight_kg")) {
    auto tare = in.optional_number("tare_weight_kg", 0, kMaxWeightKg);
    if (!tare) in.add_error({"body", "tare_weight_kg"}, "Input should be a valid number", "float_type");
    b.tare_weight_kg = tare.value_or(0);
  }
  if (sent("net_weight_kg")) b.net_weight_kg = in.optional_number("net_weight_kg", -kMaxWeightKg, kMaxWeightKg);
  if (sent("arrival_temp_c")) b.arrival_temp_c = in.optional_number("arrival_temp_c", -50, 80);
  if (sent("brix_reading")) b.brix_reading = in.optional_number("brix_reading", 0, 100);
  if (sent("quality_assessment")) b.quality_assessment_json = in.optional_object_json("quality_assessment");
  if (sent("status")) {
    b.status = in.required_string("status", 30);
    const auto& known = domain::batch_statuses();
    if (in.ok() && std::find(known.begin(), known.end(), b.status) == known.end()) {
      in.add_error({"body", "status"}, "Value error, unknown batch status '" + b.status + "'", "value_error");
    }
  }
  if (sent("rejection_reason")) b.rejection_reason = in.optional_string("rejection_reason", 10'000);
  if (sent("bin_count")) b.bin_count = in.optional_int("bin_count", 0, 100'000);
  if (sent("bin_type")) b.bin_type = in.optional_string("bin_type", 50);
  if (sent("notes")) b.notes = in.optional_string("notes", 10'000);
}

Reply update(BatchService& batches, http::Request& req, const Caller& caller) {
  auto body = read_json_object(req);
  if (!body) co_return body.error();
  BodyReader in(*body);
  domain::Batch scratch;
  read_patch(in, *body, scratch);
  if (!in.ok()) co_return http::validation_error_response(in.errors());
  bj::object sent = std::move(*body);
  const bool weight_sent = (sent.contains("gross_weight_kg") && !sent.at("gross_weight_kg").is_null()) ||
                           (sent.contains("tare_weight_kg") && !sent.at("tare_weight_kg").is_null());
  services::BatchPatch patch = [sent](domain::Batch& b) {
    BodyReader again(sent);
    read_patch(again, sent, b);
  };
  auto updated = co_await batches.update(caller.tenant(), caller.principal->user_id, std::string(req.param("batch_id")),
                                         std::move(patch), weight_sent, &req.queries);
  if (!updated) co_return error_response_for(updated.error());
  co_return json_response(Status::ok, json::to_json(*updated));
}

// The JSON schemas of this file's routes (OpenAPI components, api/openapi_schema.hpp).
void declare_batch_schemas(http::Router& router) {
  const auto batch = oas::record({{"id", oas::str()},
                                  {"batch_code", oas::str()},
                                  {"grower_id", oas::str()},
                                  {"harvest_team_id", oas::nullable(oas::str())},
                                  {"packhouse_id", oas::str()},
                                  {"fruit_type", oas::str()},
                                  {"variety", oas::nullable(oas::str())},
                                  {"harvest_date", oas::nullable(oas::str())},
                                  {"intake_date", oas::str()},
                                  {"gross_weight_kg", oas::nullable(oas::number())},
                                  {"tare_weight_kg", oas::number()},
                                  {"net_weight_kg", oas::nullable(oas::number())},
                                  {"arrival_temp_c", oas::nullable(oas::number())},
                                  {"brix_reading", oas::nullable(oas::number())},
                                  {"quality_assessment", oas::nullable(oas::any_object())},
                                  {"status", oas::str()},
                                  {"rejection_reason", oas::nullable(oas::str())},
                                  {"bin_count", oas::nullable(oas::integer())},
                                  {"bin_type", oas::nullable(oas::str())},
                                  {"notes", oas::nullable(oas::str())},
                                  {"received_by", oas::nullable(oas::str())},
                                  {"created_at", oas::str()},
                                  {"updated_at", oas::str()}});
  router.add_schema("Batch", batch);
  router.add_schema("BatchHistoryEntry", oas::record({{"id", oas::str()},
                                                      {"event_type", oas::str()},
                                                      {"event_subtype", oas::nullable(oas::str())},
                                                      {"event_data", oas::any()},
                                                      {"location_detail", oas::nullable(oas::str())},
                                                      {"notes", oas::nullable(oas::str())},
                                                      {"recorded_by", oas::nullable(oas::str())},
                                                      {"recorded_at", oas::str()}}));
  router.add_schema("BatchDetail",
                    oas::extend(batch, {{"grower_name", oas::nullable(oas::str())},
                                        {"packhouse_name", oas::nullable(oas::str())},
                                        {"history", oas::array(oas::ref("BatchHistoryEntry"))},
                                        {"lots", oas::array(oas::any_object())}}));
  router.add_schema("BatchSummary", oas::record({{"id", oas::str()},
                                                 {"batch_code", oas::str()},
                                                 {"grower_id", oas::str()},
                                                 {"grower_name", oas::nullable(oas::str())},
                                                 {"fruit_type", oas::str()},
                                                 {"variety", oas::nullable(oas::str())},
                                                 {"gross_weight_kg", oas::nullable(oas::number())},
                                                 {"net_weight_kg", oas::nullable(oas::number())},
                                                 {"status", oas::str()},
                                                 {"intake_date", oas::str()},
                                                 {"created_at", oas::str()}}));
  router.add_schema("BatchListing", oas::extend(oas::page_of("BatchSummary"),
                                                {{"next_cursor", oas::nullable(oas::str())}, {"has_more", oas::boolean()}}));
  router.add_schema("GrnReceipt", oas::record({{"batch", oas::ref("Batch")},
                                               {"qr_code_url", oas::str()},
                                               {"advance_payment_linked", oas::boolean()},
                                               {"advance_payment_ref", oas::nullable(oas::str())}}));
  router.add_schema("GrnCreate",
                    oas::input({{"grower_id", oas::str(36, 1)},
                                {"packhouse_id", oas::str(36, 1)},
                                {"fruit_type", oas::str(100, 1)},
                                {"variety", oas::nullable(oas::str(100))},
                                {"harvest_date", oas::nullable(oas::date())},
                                {"gross_weight_kg", oas::nullable(oas::number(0, kMaxWeightKg))},
                                {"tare_weight_kg", oas::number(0, kMaxWeightKg)},
                                {"bin_count", oas::nullable(oas::integer(1, 100'000))},
                                {"bin_type", oas::nullable(oas::str(50))},
                                {"harvest_team_id", oas::nullable(oas::str(36))},
                                {"delivery_notes", oas::nullable(oas::str(10'000))},
                                {"quality_grade", oas::nullable(oas::str(50))},
                                {"arrival_temp_c", oas::nullable(oas::number(-50, 80))},
                                {"brix_reading", oas::nullable(oas::number(0, 100))},
                                {"quality_assessment", oas::nullable(oas::any_object())}},
                               {"grower_id", "packhouse_id", "fruit_type"}));
  router.add_schema("BatchPatch",
                    oas::input({{"variety", oas::nullable(oas::str(100))},
                                {"harvest_date", oas::nullable(oas::date())},
                                {"gross_weight_kg", oas::nullable(oas::number(0, kMaxWeightKg))},
                                {"tare_weight_kg", oas::number(0, kMaxWeightKg)},
                                {"net_weight_kg", oas::nullable(oas::number(-kMaxWeightKg, kMaxWeightKg))},
                                {"arrival_temp_c", oas::nullable(oas::number(-50, 80))},
                                {"brix_reading", oas::nullable(oas::number(0, 100))},
                                {"quality_assessment", oas::nullable(oas::any_object())},
                                {"status", oas::str(30, 1)},
                                {"rejection_reason", oas::nullable(oas::str(10'000))},
                                {"bin_count", oas::nullable(oas::integer(0, 100'000))},
                                {"bin_type", oas::nullable(oas::str(50))},
                                {"notes", oas::nullable(oas::str(10'000))}}));
}

std::vector<http::ParamDoc> batch_filter_params() {
  return {{"grower_id", oas::str(36)},
          {"status", oas::str(30)},
          {"fruit_type", oas::str(100)},
          {"date_from", oas::date(), false, "Intake on or after (YYYY-MM-DD)"},
          {"date_to", oas::date(), false, "Intake on or before (YYYY-MM-DD)"},
          {"cursor", oas::str(200), false, "The next_cursor of the previous page (keyset pagination)"}};
}

}  // namespace

void register_batch_routes(http::Router& router, Guard& guard, BatchService& batches) {
  declare_batch_schemas(router);
  guard.add(router,
            {.method = Method::post, .path = "/api/batches/grn", .permissions = {"batch.write"}, .onboarded = true,
             .idempotent = true, .summary = "Receive a GRN: creates a batch",
             .changes = {Change::kBatch, Change::kPayment}, .body = "GrnCreate", .responses = {{201, "GrnReceipt"}}},
            [&batches](http::Request& req, const Caller& caller) { return intake(batches, req, caller); });
  guard.add(router,
            {.method = Method::get, .path = "/api/batches/", .permissions = {"batch.read"}, .onboarded = true,
             .summary = "List batches, newest first",
             .cache = CachePolicy{60s, "batches", "list_batches", {Change::kBatch, Change::kGrower}},
             .query = oas::params(page_params(), batch_filter_params()), .responses = {{200, "BatchListing"}}},
            [&batches](http::Request& req, const Caller& caller) { return list(batches, req, caller); });
  guard.add(router,
            {.method = Method::get, .path = "/api/batches/{batch_id}", .permissions = {"batch.read"},
             .onboarded = true, .summary = "A batch with its history", .responses = {{200, "BatchDetail"}}},
            [&batches](http::Request& req, const Caller& caller) { return detail(batches, req, caller); });
  guard.add(router,
            {.method = Method::get, .path = "/api/batches/{batch_id}/qr", .permissions = {"batch.read"},
             .onboarded = true, .summary = "The batch's QR code (SVG)",
             .responses = {{200, oas::str(), "An SVG image", "image/svg+xml"}}},
            [&batches](http::Request& req, const Caller& caller) { return qr(batches, req, caller); });
  guard.add(router,
            {.method = Method::patch, .path = "/api/batches/{batch_id}", .permissions = {"batch.write"},
             .onboarded = true, .summary = "Update a batch", .changes = {Change::kBatch},
             .body = "BatchPatch", .responses = {{200, "Batch"}}},
            [&batches](http::Request& req, const Caller& caller) { return update(batches, req, caller); });
}

}  // namespace fruitpak::api
