#include "api/exports_api.hpp"

#include "api/error_response.hpp"
#include "api/guard.hpp"
#include "api/input.hpp"
#include "api/json_input.hpp"
#include "api/openapi_schema.hpp"
#include "api/respond.hpp"
#include "http/errors.hpp"
#include "json/export_json.hpp"
#include "json/page_json.hpp"
#include "services/export_service.hpp"

#include <algorithm>
#include <cctype>

namespace fruitpak::api {
namespace {

using http::Method;
using http::Status;
using services::ExportService;
using Reply = net::awaitable<http::Response>;
using cache::CachePolicy;
using domain::Change;
using namespace std::chrono_literals;
namespace bj = boost::json;

// Bounds the schema leaves open, against typing errors and absurd values.
constexpr double kMaxWeightKg = 10'000'000;  // a large reefer vessel's cargo
constexpr double kMaxValue = 1e12;
constexpr std::size_t kMaxIdLength = 36;
constexpr std::size_t kMaxNotesLength = 10'000;
constexpr std::size_t kMaxContainers = 100;

constexpr std::string_view kStatusMessage =
    "Input should be 'draft', 'booked', 'loaded', 'in_transit', 'arrived', 'completed' or 'cancelled'";

// `currency`: null, or three letters, stored upper-case.
std::optional<std::string> read_currency(BodyReader& in, const bj::object& body) {
  const auto* value = body.if_contains("currency");
  if (!value || value->is_null()) return std::nullopt;
  std::string code = in.currency("currency", "");
  std::transform(code.begin(), code.end(), code.begin(), [](unsigned char c) { return std::toupper(c); });
  return code;
}

std::optional<std::int64_t> read_money(BodyReader& in, std::string_view field) {
  auto amount = in.optional_number(field, 0, kMaxValue);
  if (!amount) return std::nullopt;
  return domain::to_cents(*amount);
}

// A field whose column is NOT NULL: when sent in a PATCH it must hold a valid value.
void read_required_text(BodyReader& in, const bj::object& body, std::string_view field, std::size_t max_length,
                        bool is_patch, std::string& out) {
  if (is_patch && !body.contains(field)) return;
  out = in.required_string(field, max_length);
}

// Reads every export field present in `body` into `e` (create: all; patch: only sent keys).
// The status and the containers are not read here.
void read_export(BodyReader& in, const bj::object& body, domain::Export& e, bool is_patch) {
  auto sent = [&](std::string_view key) { return !is_patch || body.contains(key); };
  read_required_text(in, body, "booking_ref", 100, is_patch, e.booking_ref);
  read_required_text(in, body, "client_name", 255, is_patch, e.client_name);
  const std::pair<std::string_view, std::optional<std::string> domain::Export::*> texts[] = {
      {"client_ref", &domain::Export::client_ref},
      {"target_market", &domain::Export::target_market},
      {"destination_country", &domain::Export::destination_country},
      {"destination_port", &domain::Export::destination_port},
      {"voyage_number", &domain::Export::voyage_number},
      {"port_of_loading", &domain::Export::port_of_loading},
      {"ppecb_cert_number", &domain::Export::ppecb_cert_number},
      {"phyto_cert_number", &domain::Export::phyto_cert_number},
      {"bill_of_lading", &domain::Export::bill_of_lading}};
  for (const auto& [field, member] : texts) {
    if (sent(field)) e.*member = in.optional_string(field, 100);
  }
  if (sent("shipping_line")) e.shipping_line = in.optional_string("shipping_line", 255);
  if (sent("vessel_name")) e.vessel_name = in.optional_string("vessel_name", 255);
  if (sent("incoterm")) e.incoterm = in.optional_string("incoterm", 10);
  if (sent("notes")) e.notes = in.optional_string("notes", kMaxNotesLength);
  if (sent("etd")) e.etd = in.optional_date("etd");
  if (sent("eta")) e.eta = in.optional_date("eta");
  if (sent("actual_departure")) e.actual_departure = in.optional_date("actual_departure");
  if (sent("actual_arrival")) e.actual_arrival = in.optional_date("actual_arrival");
  if (sent("total_weight_kg")) e.total_weight_kg = in.optional_number("total_weight_kg", 0, kMaxWeightKg);
  if (sent("total_value")) e.total_value_cents = read_money(in, "total_value");
  if (sent("currency")) e.currency = read_currency(in, body);
  if (sent("shipping_line_id")) e.shipping_line_id = in.optional_code("shipping_line_id", kMaxIdLength);
  if (sent("transporter_id")) e.transporter_id = in.optional_code("transporter_id", kMaxIdLength);
  if (sent("shipping_agent_id")) e.shipping_agent_id = in.optional_code("shipping_agent_id", kMaxIdLength);
  if (sent("shipping_schedule_id")) e.shipping_schedule_id = in.optional_code("shipping_schedule_id", kMaxIdLength);
}

// Dates of one body that contradict each other (the service checks them against the stored
// ones too).
void check_dates(BodyReader& in, const domain::Export& e) {
  if (e.etd && e.eta && *e.eta < *e.etd) {
    in.add_error({"body", "eta"}, "Value error, eta must not be before etd", "value_error");
  }
  if (e.actual_departure && e.actual_arrival && *e.actual_arrival < *e.actual_departure) {
    in.add_error({"body", "actual_arrival"}, "Value error, actual_arrival must not be before actual_departure",
                 "value_error");
  }
}

// `container_ids`: a list of at most 100 ids, duplicates dropped; `required` makes absence,
// null and an empty list errors.
std::vector<std::string> read_container_ids(BodyReader& in, const bj::object& body, bool required) {
  auto ids = in.optional_string_list("container_ids", kMaxContainers, kMaxIdLength);
  const auto* value = body.if_contains("container_ids");
  if (required && (!value || value->is_null())) {
    in.add_error({"body", "container_ids"}, "Field required", "missing");
  } else if (required && ids && ids->empty()) {
    in.add_error({"body", "container_ids"}, "List should have at least 1 item after validation, not 0", "too_short");
  }
  std::vector<std::string> out;
  for (auto& id : ids.value_or(std::vector<std::string>{})) {
    if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(std::move(id));
  }
  return out;
}

// `status` of a PATCH: one of section 3's values; null is not a status.
std::optional<std::string> read_status(BodyReader& in, const bj::object& body) {
  const auto* value = body.if_contains("status");
  if (!value) return std::nullopt;
  if (!value->is_string() || !domain::is_export_status(value->as_string())) {
    in.add_error({"body", "status"}, std::string(kStatusMessage), "enum");
    return std::nullopt;
  }
  return std::string(value->as_string());
}

Reply create(ExportService& exports, http::Request& req, const Caller& caller) {
  auto body = read_json_object(req);
  if (!body) co_return body.error();
  BodyReader in(*body);
  domain::Export draft;
  read_export(in, *body, draft, false);
  check_dates(in, draft);
  auto container_ids = read_container_ids(in, *body, false);
  if (!in.ok()) co_return http::validation_error_response(in.errors());
  auto created = co_await exports.create(caller.tenant(), std::move(draft), std::move(container_ids),
                                         caller.principal->user_id, &req.queries);
  if (!created) co_return error_response_for(created.error());
  co_return json_response(Status::created, json::to_json(*created));
}

Reply update(ExportService& exports, http::Request& req, const Caller& caller) {
  auto body = read_json_object(req);
  if (!body) co_return body.error();
  // Validate once against a scratch export, then apply the same reading to the stored one.
  BodyReader in(*body);
  domain::Export scratch;
  read_export(in, *body, scratch, true);
  check_dates(in, scratch);
  services::ExportUpdate changes;
  changes.status = read_status(in, *body);
  if (!in.ok()) co_return http::validation_error_response(in.errors());
  bj::object sent = std::move(*body);
  changes.apply = [sent](domain::Export& e) {
    BodyReader again(sent);
    read_export(again, sent, e, true);
  };
  auto updated = co_await exports.update(caller.tenant(), std::string(req.param("export_id")), std::move(changes),
                                         &req.queries);
  if (!updated) co_return error_response_for(updated.error());
  co_return json_response(Status::ok, json::to_json(*updated));
}

domain::ExportFilter read_filter(const http::Request& req, std::vector<http::FieldError>& errors) {
  domain::ExportFilter f;
  f.status = read_query_string(req, "status", 30, errors);
  if (f.status && !domain::is_export_status(*f.status)) {
    errors.push_back({{"query", "status"}, std::string(kStatusMessage), "enum"});
  }
  f.client = read_query_string(req, "client", 255, errors);
  f.etd_from = read_query_date(req, "etd_from", errors);
  f.etd_to = read_query_date(req, "etd_to", errors);
  return f;
}

Reply list(ExportService& exports, http::Request& req, const Caller& caller) {
  std::vector<http::FieldError> errors;
  auto page = read_page(req, errors);
  auto filter = read_filter(req, errors);
  if (!errors.empty()) co_return http::validation_error_response(errors);
  auto listed = co_await exports.list(caller.tenant(), std::move(filter), page, &req.queries);
  if (!listed) co_return error_response_for(listed.error());
  co_return json_response(Status::ok, json::page_to_json(*listed, [](const auto& e) { return json::to_json(e); }));
}

Reply get(ExportService& exports, http::Request& req, const Caller& caller) {
  auto found = co_await exports.get(caller.tenant(), std::string(req.param("export_id")), &req.queries);
  if (!found) co_return error_response_for(found.error());
  co_return json_response(Status::ok, json::to_json(*found));
}

Reply attach(ExportService& exports, http::Request& req, const Caller& caller) {
  auto body = read_json_object(req);
  if (!body) co_return body.error();
  BodyReader in(*body);
  auto container_ids = read_container_ids(in, *body, true);
  if (!in.ok()) co_return http::validation_error_response(in.errors());
  auto attached = co_await exports.attach(caller.tenant(), std::string(req.param("export_id")),
                                          std::move(container_ids), &req.queries);
  if (!attached) co_return error_response_for(attached.error());
  co_return json_response(Status::ok, json::to_json(*attached));
}

Reply detach(ExportService& exports, http::Request& req, const Caller& caller) {
  auto detached = co_await exports.detach(caller.tenant(), std::string(req.param("export_id")),
                                          std::string(req.param("container_id")), &req.queries);
  if (!detached) co_return error_response_for(detached.error());
  co_return json_response(Status::ok, json::to_json(*detached));
}

Reply remove(ExportService& exports, http::Request& req, const Caller& caller) {
  auto removed = co_await exports.remove(caller.tenant(), std::string(req.param("export_id")), &req.queries);
  if (!removed) co_return error_response_for(removed.error());
  co_return no_content();
}

oas::Schema status_schema() {
  return oas::one_of({"draft", "booked", "loaded", "in_transit", "arrived", "completed", "cancelled"});
}

// The JSON schemas of this file's routes (OpenAPI components, api/openapi_schema.hpp): the
// responses exactly as json/export_json.cpp writes them, the bodies as read_export,
// read_status and read_container_ids read them.
void declare_export_schemas(http::Router& router) {
  // Timestamps are naive UTC ISO 8601 without a zone (contract: "2026-02-12T14:03:22.123456"),
  // which format "date-time" (RFC 3339) would refuse.
  const auto timestamp = oas::str();
  const auto text = oas::nullable(oas::str());
  const auto day = oas::nullable(oas::date());
  const auto count = oas::integer(0);
  const std::initializer_list<oas::Property> booking{{"id", oas::str()},
                                                     {"booking_ref", oas::str()},
                                                     {"client_name", oas::str()},
                                                     {"client_ref", text},
                                                     {"target_market", text},
                                                     {"destination_country", text},
                                                     {"destination_port", text},
                                                     {"shipping_line", text},
                                                     {"vessel_name", text},
                                                     {"voyage_number", text},
                                                     {"port_of_loading", text},
                                                     {"etd", day},
                                                     {"eta", day},
                                                     {"actual_departure", day},
                                                     {"actual_arrival", day},
                                                     {"container_count", count},
                                                     {"total_pallets", count},
                                                     {"total_cartons", count},
                                                     {"total_weight_kg", oas::nullable(oas::number())},
                                                     {"ppecb_cert_number", text},
                                                     {"phyto_cert_number", text},
                                                     {"bill_of_lading", text},
                                                     {"currency", text},
                                                     {"total_value", oas::nullable(oas::number())},
                                                     {"incoterm", text},
                                                     {"shipping_line_id", text},
                                                     {"transporter_id", text},
                                                     {"shipping_agent_id", text},
                                                     {"shipping_schedule_id", text},
                                                     {"status", status_schema()},
                                                     {"notes", text},
                                                     {"created_by", text},
                                                     {"created_at", timestamp},
                                                     {"updated_at", timestamp}};
  router.add_schema("Export", oas::record(booking));
  // The detail: the booking plus its containers (by number) and live invoices (oldest first).
  auto detail = oas::record(booking);
  auto& properties = detail.as_object()["properties"].as_object();
  auto& required = detail.as_object()["required"].as_array();
  properties["containers"] = oas::array(oas::record({{"id", oas::str()},
                                                     {"container_number", oas::str()},
                                                     {"status", oas::str()},
                                                     {"pallet_count", count},
                                                     {"total_cartons", count},
                                                     {"gross_weight_kg", oas::nullable(oas::number())}}));
  properties["invoices"] = oas::array(oas::record({{"id", oas::str()},
                                                   {"invoice_number", oas::str()},
                                                   {"status", oas::str()},
                                                   {"currency", oas::str()},
                                                   {"total_amount", oas::number()},
                                                   {"balance_due", oas::number()}}));
  required.emplace_back("containers");
  required.emplace_back("invoices");
  router.add_schema("ExportDetail", std::move(detail));

  const auto code = oas::nullable(oas::str(100));
  const auto name = oas::nullable(oas::str(255));
  const auto ref_id = oas::nullable(oas::str(kMaxIdLength));
  const auto container_ids = oas::with(oas::array(oas::str(kMaxIdLength)), {{"maxItems", kMaxContainers}});
  auto body = oas::input({{"booking_ref", oas::str(100, 1)},
                          {"client_name", oas::str(255, 1)},
                          {"client_ref", code},
                          {"target_market", code},
                          {"destination_country", code},
                          {"destination_port", code},
                          {"voyage_number", code},
                          {"port_of_loading", code},
                          {"ppecb_cert_number", code},
                          {"phyto_cert_number", code},
                          {"bill_of_lading", code},
                          {"shipping_line", name},
                          {"vessel_name", name},
                          {"incoterm", oas::nullable(oas::str(10))},
                          {"notes", oas::nullable(oas::str(kMaxNotesLength))},
                          {"etd", day},
                          {"eta", oas::with(day, {{"description", "Not before etd."}})},
                          {"actual_departure", day},
                          {"actual_arrival", oas::with(day, {{"description", "Not before actual_departure."}})},
                          {"total_weight_kg", oas::nullable(oas::number(0, kMaxWeightKg))},
                          {"total_value", oas::nullable(oas::number(0, kMaxValue))},
                          {"currency", oas::with(oas::nullable(oas::str(3, 3)), {{"pattern", "^[A-Za-z]{3}$"}})},
                          {"shipping_line_id", ref_id},
                          {"transporter_id", ref_id},
                          {"shipping_agent_id", ref_id},
                          {"shipping_schedule_id", ref_id}},
                         {"booking_ref", "client_name"});
  auto create = body;
  create.as_object()["properties"].as_object()["container_ids"] = oas::with(
      oas::nullable(container_ids), {{"description", "Containers to attach (repeats count once)."}});
  router.add_schema("ExportCreate", std::move(create));
  // A patch sends any subset; null clears a field, except booking_ref, client_name and status.
  auto patch = std::move(body);
  patch.as_object().erase("required");
  patch.as_object()["properties"].as_object()["status"] = oas::with(
      status_schema(), {{"description", "Forward along draft, booked, loaded, in_transit, arrived, completed; or "
                                        "cancelled from draft, booked or loaded."}});
  router.add_schema("ExportUpdate", std::move(patch));
  router.add_schema("ExportContainers",
                    oas::input({{"container_ids", oas::with(container_ids, {{"minItems", 1}})}}, {"container_ids"}));
}

}  // namespace

void register_export_routes(http::Router& router, Guard& guard, ExportService& exports) {
  declare_export_schemas(router);
  // Export reads show container tallies and the invoices raised against the export.
  const std::vector<Change> stale_on{Change::kExport, Change::kContainer, Change::kInvoice};
  const std::vector<Change> with_containers{Change::kExport, Change::kContainer};
  guard.add(router,
            {.method = Method::get, .path = "/api/exports/", .permissions = {"export.read"}, .onboarded = true,
             .summary = "List exports, newest first",
             .cache = CachePolicy{60s, "exports", "list_exports", stale_on},
             .query = oas::params(page_params(),
                                  {{"status", status_schema(), false, "Only exports with this status."},
                                   {"client", oas::str(255), false, "Part of the client name (any case)."},
                                   {"etd_from", oas::date(), false, "ETD from this day (inclusive)."},
                                   {"etd_to", oas::date(), false, "ETD up to this day (inclusive)."}}),
             .responses = {{200, oas::page_of("Export")}}},
            [&exports](http::Request& req, const Caller& caller) { return list(exports, req, caller); });
  guard.add(router,
            {.method = Method::post, .path = "/api/exports/", .permissions = {"export.write"}, .onboarded = true,
             .idempotent = true, .summary = "Book an export", .changes = with_containers,
             .body = "ExportCreate",
             .responses = {{201, "ExportDetail"},
                           {409, "HTTPError",
                            "A container is on another export, or a request with this Idempotency-Key is still in "
                            "progress"}},
             .errors = {404}},
            [&exports](http::Request& req, const Caller& caller) { return create(exports, req, caller); });
  guard.add(router,
            {.method = Method::get, .path = "/api/exports/{export_id}", .permissions = {"export.read"},
             .onboarded = true, .summary = "An export with its containers and invoices",
             .cache = CachePolicy{60s, "export", "get_export", stale_on},
             .responses = {{200, "ExportDetail"}}},
            [&exports](http::Request& req, const Caller& caller) { return get(exports, req, caller); });
  guard.add(router,
            {.method = Method::patch, .path = "/api/exports/{export_id}", .permissions = {"export.write"},
             .onboarded = true, .summary = "Change an export or move it along its status",
             .changes = {Change::kExport}, .body = "ExportUpdate", .responses = {{200, "ExportDetail"}},
             .errors = {409}},
            [&exports](http::Request& req, const Caller& caller) { return update(exports, req, caller); });
  guard.add(router,
            {.method = Method::delete_, .path = "/api/exports/{export_id}", .permissions = {"export.delete"},
             .onboarded = true, .summary = "Delete a draft or cancelled export (soft)", .changes = with_containers,
             .responses = {{204}}, .errors = {409}},
            [&exports](http::Request& req, const Caller& caller) { return remove(exports, req, caller); });
  guard.add(router,
            {.method = Method::post, .path = "/api/exports/{export_id}/containers", .permissions = {"export.write"},
             .onboarded = true, .summary = "Attach containers to an export", .changes = with_containers,
             .body = "ExportContainers", .responses = {{200, "ExportDetail"}}, .errors = {409}},
            [&exports](http::Request& req, const Caller& caller) { return attach(exports, req, caller); });
  guard.add(router,
            {.method = Method::delete_, .path = "/api/exports/{export_id}/containers/{container_id}",
             .permissions = {"export.write"}, .onboarded = true, .summary = "Detach a container from an export",
             .changes = with_containers, .responses = {{200, "ExportDetail"}}},
            [&exports](http::Request& req, const Caller& caller) { return detach(exports, req, caller); });
}

}  // namespace fruitpak::api
