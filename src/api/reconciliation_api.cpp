#include "api/reconciliation_api.hpp"

#include "api/error_response.hpp"
#include "api/guard.hpp"
#include "api/input.hpp"
#include "api/json_input.hpp"
#include "api/openapi_schema.hpp"
#include "api/respond.hpp"
#include "http/errors.hpp"
#include "json/page_json.hpp"
#include "json/reconciliation_json.hpp"
#include "services/reconciliation_service.hpp"

namespace fruitpak::api {
namespace {

using http::Method;
using http::Status;
using services::ReconciliationService;
using Reply = net::awaitable<http::Response>;
using cache::CachePolicy;
using domain::Change;
using namespace std::chrono_literals;

constexpr std::size_t kMaxIdLength = 36;
constexpr std::size_t kMaxNoteLength = 10'000;

bool is_alert_type(std::string_view t) {
  return t == "lot_vs_batch" || t == "grn_vs_payment" || t == "export_vs_invoice" || t == "pallet_vs_container" ||
         t == "labour_vs_cost" || t == "cold_storage_gap";
}
bool is_severity(std::string_view s) { return domain::severity_from(s).has_value(); }
bool is_alert_status(std::string_view s) { return s == "open" || domain::is_alert_review_status(s); }

// An exact-match filter whose value must be one of a fixed set.
std::optional<std::string> read_query_choice(const http::Request& req, std::string_view name,
                                             bool (*is_valid)(std::string_view), std::string_view message,
                                             std::vector<http::FieldError>& errors) {
  auto value = read_query_string(req, name, 50, errors);
  if (value && !is_valid(*value)) {
    errors.push_back({{"query", std::string(name)}, std::string(message), "enum"});
    return std::nullopt;
  }
  return value;
}

domain::AlertFilter read_filter(const http::Request& req, std::vector<http::FieldError>& errors) {
  domain::AlertFilter f;
  f.alert_type = read_query_choice(
      req, "alert_type", &is_alert_type,
      "Input should be 'lot_vs_batch', 'grn_vs_payment', 'export_vs_invoice', 'pallet_vs_container', "
      "'labour_vs_cost' or 'cold_storage_gap'",
      errors);
  f.severity = read_query_choice(req, "severity", &is_severity,
                                 "Input should be 'critical', 'high', 'medium' or 'low'", errors);
  f.status = read_query_choice(req, "status", &is_alert_status,
                               "Input should be 'open', 'acknowledged', 'resolved' or 'dismissed'", errors);
  f.run_id = read_query_string(req, "run_id", kMaxIdLength, errors);
  f.grower_id = read_query_string(req, "grower_id", kMaxIdLength, errors);
  f.product = read_query_string(req, "product", 100, errors);
  f.date_from = read_query_date(req, "date_from", errors);
  f.date_to = read_query_date(req, "date_to", errors);
  return f;
}

Reply dashboard(ReconciliationService& recon, http::Request& req, const Caller& caller) {
  auto summary = co_await recon.dashboard(caller.tenant(), &req.queries);
  if (!summary) co_return error_response_for(summary.error());
  co_return json_response(Status::ok, json::to_json(*summary));
}

// ?full=true re-checks every entity; by default only those changed since the last run.
Reply run(ReconciliationService& recon, http::Request& req, const Caller& caller) {
  std::vector<http::FieldError> errors;
  const bool full = read_query_bool(req, "full", false, errors);
  if (!errors.empty()) co_return http::validation_error_response(errors);
  const auto scope = full ? services::RunScope::kFull : services::RunScope::kChanged;
  auto summary = co_await recon.run(caller.tenant(), services::RunTrigger::kApi, scope, caller.principal->user_id,
                                    nullptr, &req.queries);
  if (!summary) co_return error_response_for(summary.error());
  co_return json_response(Status::created, json::to_json(*summary));
}

Reply list(ReconciliationService& recon, http::Request& req, const Caller& caller) {
  std::vector<http::FieldError> errors;
  auto page = read_page(req, errors);
  auto filter = read_filter(req, errors);
  if (!errors.empty()) co_return http::validation_error_response(errors);
  auto listed = co_await recon.alerts(caller.tenant(), std::move(filter), page, &req.queries);
  if (!listed) co_return error_response_for(listed.error());
  co_return json_response(Status::ok, json::page_to_json(*listed, [](const auto& a) { return json::to_json(a); }));
}

Reply get(ReconciliationService& recon, http::Request& req, const Caller& caller) {
  auto found = co_await recon.alert(caller.tenant(), std::string(req.param("alert_id")), &req.queries);
  if (!found) co_return error_response_for(found.error());
  co_return json_response(Status::ok, json::to_json(*found));
}

// 2.8 PATCH: the status is checked before the alert is looked up, as in the contract.
Reply review(ReconciliationService& recon, http::Request& req, const Caller& caller) {
  auto body = read_json_object(req);
  if (!body) co_return body.error();
  BodyReader in(*body);
  auto status = in.required_string("status", 20);
  auto note = in.optional_string("resolution_note", kMaxNoteLength);
  if (!in.ok()) co_return http::validation_error_response(in.errors());
  if (!domain::is_alert_review_status(status)) {
    co_return http::error_response(Status::bad_request, "Status must be one of: acknowledged, resolved, dismissed");
  }
  auto reviewed = co_await recon.review(caller.tenant(), std::string(req.param("alert_id")), std::move(status),
                                        std::move(note), caller.principal->user_id, &req.queries);
  if (!reviewed) co_return error_response_for(reviewed.error());
  co_return json_response(Status::ok, json::to_json(*reviewed));
}

// The JSON schemas of this file's routes (OpenAPI components, api/openapi_schema.hpp).
void declare_reconciliation_schemas(http::Router& router) {
  namespace bj = boost::json;
  const oas::Schema counts = bj::object{{"type", "object"},
                                        {"additionalProperties", oas::integer(1)},
                                        {"description", "Non-zero counts by name"}};
  router.add_schema("ReconciliationAlert",
                    oas::record({{"id", oas::str()},
                                 {"alert_type", oas::str()},
                                 {"severity", oas::str()},
                                 {"title", oas::str()},
                                 {"description", oas::str()},
                                 {"expected_value", oas::nullable(oas::number())},
                                 {"actual_value", oas::nullable(oas::number())},
                                 {"variance", oas::nullable(oas::number())},
                                 {"variance_pct", oas::nullable(oas::number())},
                                 {"unit", oas::nullable(oas::str())},
                                 {"entity_refs", oas::nullable(oas::any_object())},
                                 {"period_start", oas::nullable(oas::str())},
                                 {"period_end", oas::nullable(oas::str())},
                                 {"status", oas::one_of({"open", "acknowledged", "resolved", "dismissed"})},
                                 {"resolved_at", oas::nullable(oas::str())},
                                 {"resolved_by", oas::nullable(oas::str())},
                                 {"resolution_note", oas::nullable(oas::str())},
                                 {"run_id", oas::nullable(oas::str())},
                                 {"created_at", oas::str()},
                                 {"updated_at", oas::str()}}));
  router.add_schema("ReconciliationRun", oas::record({{"run_id", oas::str()},
                                                      {"ran_at", oas::str()},
                                                      {"kind", oas::one_of({"full", "incremental"})},
                                                      {"entities_checked", oas::integer(0)},
                                                      {"total_alerts", oas::integer(0)},
                                                      {"by_type", counts},
                                                      {"by_severity", counts},
                                                      {"alerts_updated", oas::integer(0)},
                                                      {"alerts_unchanged", oas::integer(0)},
                                                      {"alerts_resolved", oas::integer(0)}}));
  router.add_schema("ReconciliationDashboard",
                    oas::record({{"total_open", oas::integer(0)},
                                 {"total_acknowledged", oas::integer(0)},
                                 {"total_resolved_30d", oas::integer(0)},
                                 {"by_type", counts},
                                 {"by_severity", counts},
                                 {"latest_run_id", oas::nullable(oas::str())},
                                 {"latest_run_at", oas::nullable(oas::str())},
                                 {"alerts", oas::array(oas::ref("ReconciliationAlert"))}}));
  router.add_schema("AlertReview",
                    oas::input({{"status", oas::one_of({"acknowledged", "resolved", "dismissed"})},
                                {"resolution_note", oas::nullable(oas::str(kMaxNoteLength))}},
                               {"status"}));
}

std::vector<http::ParamDoc> alert_filter_params() {
  return {{"alert_type", oas::one_of({"lot_vs_batch", "grn_vs_payment", "export_vs_invoice", "pallet_vs_container",
                                      "labour_vs_cost", "cold_storage_gap"})},
          {"severity", oas::one_of({"critical", "high", "medium", "low"})},
          {"status", oas::one_of({"open", "acknowledged", "resolved", "dismissed"})},
          {"run_id", oas::str(kMaxIdLength)},
          {"grower_id", oas::str(kMaxIdLength)},
          {"product", oas::str(100)},
          {"date_from", oas::date()},
          {"date_to", oas::date()}};
}

}  // namespace

void register_reconciliation_routes(http::Router& router, Guard& guard, ReconciliationService& recon) {
  declare_reconciliation_schemas(router);
  guard.add(router,
            {.method = Method::get, .path = "/api/reconciliation/", .permissions = {"financials.read"},
             .onboarded = true, .summary = "Reconciliation dashboard: alert counts, latest run, live alerts",
             .cache = CachePolicy{60s, "reconciliation", "reconciliation_dashboard", {Change::kReconciliation}},
             .responses = {{200, "ReconciliationDashboard"}}},
            [&recon](http::Request& req, const Caller& caller) { return dashboard(recon, req, caller); });
  guard.add(router,
            {.method = Method::post, .path = "/api/reconciliation/run", .permissions = {"financials.write"},
             .onboarded = true, .summary = "Run every reconciliation check now",
             .changes = {Change::kReconciliation},
             .query = {{"full", oas::boolean(), false, "Re-check every entity (default: only those changed since the last run)"}},
             .responses = {{201, "ReconciliationRun"}}},
            [&recon](http::Request& req, const Caller& caller) { return run(recon, req, caller); });
  guard.add(router,
            {.method = Method::get, .path = "/api/reconciliation/alerts", .permissions = {"financials.read"},
             .onboarded = true, .summary = "List reconciliation alerts, newest first",
             .cache = CachePolicy{60s, "alerts", "list_alerts", {Change::kReconciliation}},
             .query = oas::params(page_params(), alert_filter_params()),
             .responses = {{200, oas::page_of("ReconciliationAlert")}}},
            [&recon](http::Request& req, const Caller& caller) { return list(recon, req, caller); });
  guard.add(router,
            {.method = Method::get, .path = "/api/reconciliation/alerts/{alert_id}",
             .permissions = {"financials.read"}, .onboarded = true, .summary = "One reconciliation alert",
             .cache = CachePolicy{60s, "alert", "get_alert", {Change::kReconciliation}},
             .responses = {{200, "ReconciliationAlert"}}},
            [&recon](http::Request& req, const Caller& caller) { return get(recon, req, caller); });
  guard.add(router,
            {.method = Method::patch, .path = "/api/reconciliation/alerts/{alert_id}",
             .permissions = {"financials.write"}, .onboarded = true,
             .summary = "Acknowledge, resolve or dismiss an alert", .changes = {Change::kReconciliation},
             .body = "AlertReview", .responses = {{200, "ReconciliationAlert"}}},
            [&recon](http::Request& req, const Caller& caller) { return review(recon, req, caller); });
}

}  // namespace fruitpak::api
