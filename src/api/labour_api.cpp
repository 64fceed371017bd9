#include "api/labour_api.hpp"

#include "api/error_response.hpp"
#include "api/guard.hpp"
#include "api/input.hpp"
#include "api/json_input.hpp"
#include "api/openapi_schema.hpp"
#include "api/respond.hpp"
#include "http/errors.hpp"
#include "json/labour_json.hpp"
#include "json/page_json.hpp"
#include "services/labour_service.hpp"

namespace fruitpak::api {
namespace {

using http::Method;
using http::Status;
using services::LabourService;
using Reply = net::awaitable<http::Response>;
using cache::CachePolicy;
using domain::Change;
using namespace std::chrono_literals;
namespace bj = boost::json;

// Bounds the schema leaves open, against typing errors and absurd values.
constexpr double kMaxHours = 100'000;       // a season of a large team
constexpr double kMaxRate = 100'000;        // per hour
constexpr double kMaxHeadcount = 100'000;
constexpr double kMaxAmount = 1e12;
constexpr std::size_t kMaxIdLength = 36;
constexpr std::size_t kMaxNotesLength = 10'000;

constexpr std::string_view kCategoryMessage =
    "Input should be 'packing', 'harvest', 'cold_store', 'loading', 'admin' or 'other'";
constexpr std::string_view kStatusMessage = "Input should be 'recorded', 'approved', 'invoiced' or 'paid'";

// A field whose value must be one of a fixed set: `required` says whether absence is an error.
std::optional<std::string> read_choice(BodyReader& in, const bj::object& body, std::string_view field,
                                       bool (*is_valid)(std::string_view), std::string_view message, bool required) {
  const auto* value = body.if_contains(field);
  if (!value || (value->is_null() && !required)) {
    if (required) in.add_error({"body", std::string(field)}, "Field required", "missing");
    return std::nullopt;
  }
  if (!value->is_string() || !is_valid(value->as_string())) {
    in.add_error({"body", std::string(field)}, std::string(message), "enum");
    return std::nullopt;
  }
  return std::string(value->as_string());
}

// Reads every labour field present in `body` into `c` (create: all; patch: only sent keys).
void read_labour(BodyReader& in, const bj::object& body, domain::LabourCost& c, bool is_patch) {
  auto sent = [&](std::string_view key) { return !is_patch || body.contains(key); };
  if (sent("category")) {
    c.category = read_choice(in, body, "category", &domain::is_labour_category, kCategoryMessage, true).value_or("");
  }
  if (sent("description")) c.description = in.optional_string("description", 255);
  if (sent("supplier_id")) c.supplier_id = in.optional_code("supplier_id", kMaxIdLength);
  if (sent("packhouse_id")) c.packhouse_id = in.optional_code("packhouse_id", kMaxIdLength);
  if (sent("pack_line_id")) c.pack_line_id = in.optional_code("pack_line_id", kMaxIdLength);
  if (sent("harvest_team_id")) c.harvest_team_id = in.optional_code("harvest_team_id", kMaxIdLength);
  if (sent("currency")) c.currency = in.currency("currency", "ZAR");
  if (sent("hours_worked")) c.hours_worked = in.optional_number("hours_worked", 0, kMaxHours);
  if (sent("rate_per_hour")) c.rate_per_hour = in.optional_number("rate_per_hour", 0, kMaxRate);
  if (sent("headcount")) {
    c.headcount = in.optional_number("headcount", 0, kMaxHeadcount);
    if (c.headcount && *c.headcount == 0) {
      in.add_error({"body", "headcount"}, "Input should be greater than 0", "greater_than");
    }
  }
  if (is_patch && body.contains("total_amount")) {
    const auto* total = body.if_contains("total_amount");
    if (total->is_null()) {
      in.add_error({"body", "total_amount"}, "Input should be a valid number", "float_type");
    } else {
      c.total_amount = in.optional_number("total_amount", 0, kMaxAmount).value_or(0);
    }
  }
  if (sent("extras")) c.extras_json = in.optional_object_json("extras");
  if (sent("work_date")) c.work_date = in.required_date("work_date");
  if (sent("period_start")) c.period_start = in.optional_date("period_start");
  if (sent("period_end")) c.period_end = in.optional_date("period_end");
  if (sent("status")) {
    auto status = read_choice(in, body, "status", &domain::is_labour_status, kStatusMessage, false);
    c.status = status.value_or(is_patch ? c.status : "recorded");
  }
  if (sent("notes")) c.notes = in.optional_string("notes", kMaxNotesLength);
}

// A new cost's total: as sent, else hours x rate x headcount; one of them is required.
void read_total(BodyReader& in, const bj::object& body, domain::LabourCost& c) {
  const auto* total = body.if_contains("total_amount");
  if (total && !total->is_null()) {
    c.total_amount = in.optional_number("total_amount", 0, kMaxAmount).value_or(0);
    return;
  }
  auto computed = domain::labour_total_of(c.hours_worked, c.rate_per_hour, c.headcount);
  if (computed) {
    c.total_amount = *computed;
  } else if (in.ok()) {
    in.add_error({"body", "total_amount"}, "Field required unless hours_worked and rate_per_hour are both given",
                 "missing");
  }
}

void check_period(BodyReader& in, const domain::LabourCost& c) {
  if (c.period_start && c.period_end && *c.period_end < *c.period_start) {
    in.add_error({"body", "period_end"}, "Value error, period_end must not be before period_start", "value_error");
  }
}

Reply create(LabourService& labour, http::Request& req, const Caller& caller) {
  auto body = read_json_object(req);
  if (!body) co_return body.error();
  BodyReader in(*body);
  domain::LabourCost draft;
  read_labour(in, *body, draft, false);
  read_total(in, *body, draft);
  check_period(in, draft);
  if (!in.ok()) co_return http::validation_error_response(in.errors());
  auto created = co_await labour.create(caller.tenant(), std::move(draft), caller.principal->user_id, &req.queries);
  if (!created) co_return error_response_for(created.error());
  co_return json_response(Status::created, json::to_json(*created));
}

Reply update(LabourService& labour, http::Request& req, const Caller& caller) {
  auto body = read_json_object(req);
  if (!body) co_return body.error();
  // Validate once against a scratch cost, then apply the same reading to the stored one.
  BodyReader in(*body);
  domain::LabourCost scratch;
  read_labour(in, *body, scratch, true);
  check_period(in, scratch);
  if (!in.ok()) co_return http::validation_error_response(in.errors());
  bj::object sent = std::move(*body);
  const bool total_sent = sent.contains("total_amount");
  services::LabourPatch patch = [sent](domain::LabourCost& c) {
    BodyReader again(sent);
    read_labour(again, sent, c, true);
  };
  auto updated = co_await labour.update(caller.tenant(), std::string(req.param("labour_cost_id")), std::move(patch),
                                        total_sent, &req.queries);
  if (!updated) co_return error_response_for(updated.error());
  co_return json_response(Status::ok, json::to_json(*updated));
}

domain::LabourFilter read_filter(const http::Request& req, std::vector<http::FieldError>& errors) {
  domain::LabourFilter f;
  f.category = read_query_string(req, "category", 50, errors);
  if (f.category && !domain::is_labour_category(*f.category)) {
    errors.push_back({{"query", "category"}, std::string(kCategoryMessage), "enum"});
  }
  f.status = read_query_string(req, "status", 30, errors);
  if (f.status && !domain::is_labour_status(*f.status)) {
    errors.push_back({{"query", "status"}, std::string(kStatusMessage), "enum"});
  }
  f.packhouse_id = read_query_string(req, "packhouse_id", kMaxIdLength, errors);
  f.harvest_team_id = read_query_string(req, "harvest_team_id", kMaxIdLength, errors);
  f.date_from = read_query_date(req, "date_from", errors);
  f.date_to = read_query_date(req, "date_to", errors);
  return f;
}

Reply list(LabourService& labour, http::Request& req, const Caller& caller) {
  std::vector<http::FieldError> errors;
  auto page = read_page(req, errors);
  auto filter = read_filter(req, errors);
  if (!errors.empty()) co_return http::validation_error_response(errors);
  auto listed = co_await labour.list(caller.tenant(), std::move(filter), page, &req.queries);
  if (!listed) co_return error_response_for(listed.error());
  co_return json_response(Status::ok, json::page_to_json(*listed, [](const auto& c) { return json::to_json(c); }));
}

Reply get(LabourService& labour, http::Request& req, const Caller& caller) {
  auto found = co_await labour.get(caller.tenant(), std::string(req.param("labour_cost_id")), &req.queries);
  if (!found) co_return error_response_for(found.error());
  co_return json_response(Status::ok, json::to_json(*found));
}

Reply remove(LabourService& labour, http::Request& req, const Caller& caller) {
  auto removed = co_await labour.remove(caller.tenant(), std::string(req.param("labour_cost_id")), &req.queries);
  if (!removed) co_return error_response_for(removed.error());
  co_return no_content();
}

oas::Schema category_schema() { return oas::one_of({"packing", "harvest", "cold_store", "loading", "admin", "other"}); }
oas::Schema status_schema() { return oas::one_of({"recorded", "approved", "invoiced", "paid"}); }

// The JSON schemas of this file's routes (OpenAPI components, api/openapi_schema.hpp): the
// response exactly as json/labour_json.cpp writes it, the bodies as read_labour and
// read_total read them.
void declare_labour_schemas(http::Router& router) {
  // Timestamps are naive UTC ISO 8601 without a zone (contract: "2026-02-12T14:03:22.123456"),
  // which format "date-time" (RFC 3339) would refuse.
  const auto timestamp = oas::str();
  const auto text = oas::nullable(oas::str());
  const auto amount = oas::nullable(oas::number());
  const auto day = oas::nullable(oas::date());
  router.add_schema("LabourCost", oas::record({{"id", oas::str()},
                                               {"category", category_schema()},
                                               {"description", text},
                                               {"supplier_id", text},
                                               {"packhouse_id", text},
                                               {"pack_line_id", text},
                                               {"harvest_team_id", text},
                                               {"currency", oas::str()},
                                               {"hours_worked", amount},
                                               {"rate_per_hour", amount},
                                               {"headcount", amount},
                                               {"total_amount", oas::number()},
                                               {"extras", oas::nullable(oas::any_object())},
                                               {"work_date", oas::date()},
                                               {"period_start", day},
                                               {"period_end", day},
                                               {"status", status_schema()},
                                               {"notes", text},
                                               {"recorded_by", text},
                                               {"created_at", timestamp},
                                               {"updated_at", timestamp}}));

  const auto ref_id = oas::nullable(oas::str(kMaxIdLength));
  const auto headcount = oas::with(oas::nullable(oas::number({}, kMaxHeadcount)), {{"exclusiveMinimum", 0}});
  const auto currency = oas::with(oas::str(3, 3), {{"pattern", "^[A-Za-z]{3}$"}, {"default", "ZAR"}});
  const auto total = oas::with(
      oas::nullable(oas::number(0, kMaxAmount)),
      {{"description", "Required unless hours_worked and rate_per_hour are given: their product (times headcount, if "
                       "given) is then the total."}});
  router.add_schema("LabourCostCreate", oas::input({{"category", category_schema()},
                                                    {"description", oas::nullable(oas::str(255))},
                                                    {"supplier_id", ref_id},
                                                    {"packhouse_id", ref_id},
                                                    {"pack_line_id", ref_id},
                                                    {"harvest_team_id", ref_id},
                                                    {"currency", currency},
                                                    {"hours_worked", oas::nullable(oas::number(0, kMaxHours))},
                                                    {"rate_per_hour", oas::nullable(oas::number(0, kMaxRate))},
                                                    {"headcount", headcount},
                                                    {"total_amount", total},
                                                    {"extras", oas::nullable(oas::any_object())},
                                                    {"work_date", oas::date()},
                                                    {"period_start", day},
                                                    {"period_end", day},
                                                    {"status", oas::nullable(status_schema())},
                                                    {"notes", oas::nullable(oas::str(kMaxNotesLength))}},
                                                   {"category", "work_date"}));
  // A patch sends any subset; null clears a field, except where the column is NOT NULL
  // (category, currency, total_amount, work_date). A null status leaves it unchanged.
  router.add_schema("LabourCostUpdate", oas::input({{"category", category_schema()},
                                                    {"description", oas::nullable(oas::str(255))},
                                                    {"supplier_id", ref_id},
                                                    {"packhouse_id", ref_id},
                                                    {"pack_line_id", ref_id},
                                                    {"harvest_team_id", ref_id},
                                                    {"currency", currency},
                                                    {"hours_worked", oas::nullable(oas::number(0, kMaxHours))},
                                                    {"rate_per_hour", oas::nullable(oas::number(0, kMaxRate))},
                                                    {"headcount", headcount},
                                                    {"total_amount", oas::number(0, kMaxAmount)},
                                                    {"extras", oas::nullable(oas::any_object())},
                                                    {"work_date", oas::date()},
                                                    {"period_start", day},
                                                    {"period_end", day},
                                                    {"status", oas::nullable(status_schema())},
                                                    {"notes", oas::nullable(oas::str(kMaxNotesLength))}}));
}

}  // namespace

void register_labour_routes(http::Router& router, Guard& guard, LabourService& labour) {
  declare_labour_schemas(router);
  guard.add(router,
            {.method = Method::get, .path = "/api/labour-costs/", .permissions = {"financials.read"},
             .onboarded = true, .summary = "List labour costs, newest work day first",
             .cache = CachePolicy{60s, "labour_costs", "list_labour_costs", {Change::kLabour}},
             .query = oas::params(page_params(),
                                  {{"category", category_schema(), false, "Only costs of this category."},
                                   {"status", status_schema(), false, "Only costs with this status."},
                                   {"packhouse_id", oas::str(kMaxIdLength), false, "Only this packhouse's costs."},
                                   {"harvest_team_id", oas::str(kMaxIdLength), false, "Only this team's costs."},
                                   {"date_from", oas::date(), false, "Work dates from this day (inclusive)."},
                                   {"date_to", oas::date(), false, "Work dates up to this day (inclusive)."}}),
             .responses = {{200, oas::page_of("LabourCost")}}},
            [&labour](http::Request& req, const Caller& caller) { return list(labour, req, caller); });
  guard.add(router,
            {.method = Method::post, .path = "/api/labour-costs/", .permissions = {"financials.write"},
             .onboarded = true, .idempotent = true, .summary = "Record a labour cost",
             .changes = {Change::kLabour}, .body = "LabourCostCreate", .responses = {{201, "LabourCost"}}},
            [&labour](http::Request& req, const Caller& caller) { return create(labour, req, caller); });
  guard.add(router,
            {.method = Method::get, .path = "/api/labour-costs/{labour_cost_id}", .permissions = {"financials.read"},
             .onboarded = true, .summary = "One labour cost",
             .cache = CachePolicy{60s, "labour_cost", "get_labour_cost", {Change::kLabour}},
             .responses = {{200, "LabourCost"}}},
            [&labour](http::Request& req, const Caller& caller) { return get(labour, req, caller); });
  guard.add(router,
            {.method = Method::patch, .path = "/api/labour-costs/{labour_cost_id}",
             .permissions = {"financials.write"}, .onboarded = true, .summary = "Change a labour cost",
             .changes = {Change::kLabour}, .body = "LabourCostUpdate", .responses = {{200, "LabourCost"}},
             .errors = {409}},
            [&labour](http::Request& req, const Caller& caller) { return update(labour, req, caller); });
  guard.add(router,
            {.method = Method::delete_, .path = "/api/labour-costs/{labour_cost_id}",
             .permissions = {"financials.write"}, .onboarded = true, .summary = "Delete a labour cost (soft)",
             .changes = {Change::kLabour}, .responses = {{204}}, .errors = {409}},
            [&labour](http::Request& req, const Caller& caller) { return remove(labour, req, caller); });
}

}  // namespace fruitpak::api
