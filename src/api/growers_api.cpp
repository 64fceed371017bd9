#include "api/growers_api.hpp"

#include "api/error_response.hpp"
#include "api/guard.hpp"
#include "api/input.hpp"
#include "api/json_input.hpp"
#include "api/openapi_schema.hpp"
#include "api/respond.hpp"
#include "http/errors.hpp"
#include "json/packhouse_json.hpp"
#include "json/page_json.hpp"
#include "services/grower_service.hpp"

#include <boost/json/serialize.hpp>

namespace fruitpak::api {
namespace {

using http::Method;
using http::Status;
using services::GrowerService;
using Reply = net::awaitable<http::Response>;
using cache::CachePolicy;
using domain::Change;
using namespace std::chrono_literals;
namespace bj = boost::json;

constexpr double kMaxHectares = 1'000'000;

// `fields`: a list of {name, hectares?, fruit_type?}; stored as JSON text.
std::optional<std::string> read_fields(BodyReader& in, const bj::object& body) {
  const auto* value = body.if_contains("fields");
  if (!value || value->is_null()) return std::nullopt;
  if (!value->is_array()) {
    in.add_error({"body", "fields"}, "Input should be a valid list", "list_type");
    return std::nullopt;
  }
  bj::array clean;
  for (std::size_t i = 0; i < value->as_array().size(); ++i) {
    const auto& item = value->as_array()[i];
    const auto* name = item.is_object() ? item.as_object().if_contains("name") : nullptr;
    if (!name || !name->is_string()) {
      in.add_error({"body", "fields", std::to_string(i), "name"}, "Field required", "missing");
      continue;
    }
    bj::object field{{"name", *name}};
    const auto* hectares = item.as_object().if_contains("hectares");
    if (hectares && !hectares->is_null()) {
      if (!hectares->is_number() || hectares->to_number<double>() < 0) {
        in.add_error({"body", "fields", std::to_string(i), "hectares"}, "Input should be a valid number",
                     "float_parsing");
        continue;
      }
      field["hectares"] = hectares->to_number<double>();
    }
    if (const auto* fruit = item.as_object().if_contains("fruit_type"); fruit && fruit->is_string()) {
      field["fruit_type"] = *fruit;
    }
    clean.emplace_back(std::move(field));
  }
  return bj::serialize(clean);
}

// Reads every grower field present in `body` into `g` (create: all; patch: only sent keys).
void read_grower(BodyReader& in, const bj::object& body, domain::Grower& g, bool is_patch) {
  auto sent = [&](std::string_view key) { return !is_patch || body.contains(key); };
  if (!is_patch || body.contains("name")) g.name = in.required_string("name", 255);
  if (sent("grower_code")) g.grower_code = in.optional_code("grower_code", 50);
  if (sent("contact_person")) g.contact_person = in.optional_string("contact_person", 255);
  if (sent("email")) g.email = in.optional_string("email", 255);
  if (sent("phone")) g.phone = in.optional_string("phone", 20);
  if (sent("region")) g.region = in.optional_string("region", 100);
  if (sent("total_hectares")) g.total_hectares = in.optional_number("total_hectares", 0, kMaxHectares);
  if (sent("estimated_volume_tons")) g.estimated_volume_tons = in.optional_number("estimated_volume_tons", 0, 1e9);
  if (sent("globalg_ap_certified")) g.globalg_ap_certified = in.optional_bool("globalg_ap_certified").value_or(false);
  if (sent("globalg_ap_number")) g.globalg_ap_number = in.optional_string("globalg_ap_number", 50);
  if (sent("fields")) g.fields_json = read_fields(in, body);
  if (sent("notes")) g.notes = in.optional_string("notes", 10'000);
}

Reply create(GrowerService& growers, http::Request& req, const Caller& caller) {
  auto body = read_json_object(req);
  if (!body) co_return body.error();
  BodyReader in(*body);
  domain::Grower grower;
  read_grower(in, *body, grower, false);
  if (!in.ok()) co_return http::validation_error_response(in.errors());
  auto created = co_await growers.create(caller.tenant(), std::move(grower), &req.queries);
  if (!created) co_return error_response_for(created.error());
  co_return json_response(Status::created, json::to_json(*created));
}

Reply update(GrowerService& growers, http::Request& req, const Caller& caller) {
  auto body = read_json_object(req);
  if (!body) co_return body.error();
  // Validate once against a scratch grower, then apply the same reading to the stored one.
  BodyReader in(*body);
  domain::Grower scratch;
  read_grower(in, *body, scratch, true);
  if (!in.ok()) co_return http::validation_error_response(in.errors());
  bj::object sent = std::move(*body);
  services::GrowerPatch patch = [sent](domain::Grower& g) {
    BodyReader again(sent);
    read_grower(again, sent, g, true);
  };
  const bool fields_sent = sent.contains("fields");
  auto updated = co_await growers.update(caller.tenant(), std::string(req.param("grower_id")), std::move(patch),
                                         fields_sent, &req.queries);
  if (!updated) co_return error_response_for(updated.error());
  co_return json_response(Status::ok, json::to_json(*updated));
}

Reply list(GrowerService& growers, http::Request& req, const Caller& caller) {
  std::vector<http::FieldError> errors;
  auto page = read_page(req, errors);
  if (!errors.empty()) co_return http::validation_error_response(errors);
  auto listed = co_await growers.list(caller.tenant(), page, &req.queries);
  if (!listed) co_return error_response_for(listed.error());
  co_return json_response(Status::ok, json::page_to_json(*listed, [](const auto& g) { return json::to_json(g); }));
}

Reply get(GrowerService& growers, http::Request& req, const Caller& caller) {
  auto found = co_await growers.get(caller.tenant(), std::string(req.param("grower_id")), &req.queries);
  if (!found) co_return error_response_for(found.error());
  co_return json_response(Status::ok, json::to_json(*found));
}

Reply remove(GrowerService& growers, http::Request& req, const Caller& caller) {
  auto removed = co_await growers.remove(caller.tenant(), std::string(req.param("grower_id")), &req.queries);
  if (!removed) co_return error_response_for(removed.error());
  co_return no_content();
}

// The JSON schemas of this file's routes (OpenAPI components, api/openapi_schema.hpp).
void declare_grower_schemas(http::Router& router) {
  router.add_schema("GrowerField", oas::input({{"name", oas::str()}, {"hectares", oas::number(0)}, {"fruit_type", oas::str()}},
                                              {"name"}));
  router.add_schema("Grower", oas::record({{"id", oas::str()},
                                           {"name", oas::str()},
                                           {"grower_code", oas::nullable(oas::str())},
                                           {"contact_person", oas::nullable(oas::str())},
                                           {"email", oas::nullable(oas::str())},
                                           {"phone", oas::nullable(oas::str())},
                                           {"region", oas::nullable(oas::str())},
                                           {"total_hectares", oas::nullable(oas::number())},
                                           {"estimated_volume_tons", oas::nullable(oas::number())},
                                           {"globalg_ap_certified", oas::boolean()},
                                           {"globalg_ap_number", oas::nullable(oas::str())},
                                           {"fields", oas::nullable(oas::array(oas::ref("GrowerField")))},
                                           {"notes", oas::nullable(oas::str())},
                                           {"packhouse_id", oas::nullable(oas::str())}}));
  // What read_grower reads; a patch sends any subset.
  auto body = oas::input({{"name", oas::str(255, 1)},
                          {"grower_code", oas::nullable(oas::str(50))},
                          {"contact_person", oas::nullable(oas::str(255))},
                          {"email", oas::nullable(oas::str(255))},
                          {"phone", oas::nullable(oas::str(20))},
                          {"region", oas::nullable(oas::str(100))},
                          {"total_hectares", oas::nullable(oas::number(0, kMaxHectares))},
                          {"estimated_volume_tons", oas::nullable(oas::number(0, 1e9))},
                          {"globalg_ap_certified", oas::nullable(oas::boolean())},
                          {"globalg_ap_number", oas::nullable(oas::str(50))},
                          {"fields", oas::nullable(oas::array(oas::ref("GrowerField")))},
                          {"notes", oas::nullable(oas::str(10'000))}},
                         {"name"});
  router.add_schema("GrowerCreate", body);
  body.as_object().erase("required");
  router.add_schema("GrowerPatch", body);
}

}  // namespace

void register_grower_routes(http::Router& router, Guard& guard, GrowerService& growers) {
  declare_grower_schemas(router);
  guard.add(router,
            {.method = Method::get, .path = "/api/growers/", .permissions = {"grower.read"}, .onboarded = true,
             .summary = "List growers by name",
             .cache = CachePolicy{300s, "growers", "list_growers", {Change::kGrower, Change::kSetup}},
             .query = page_params(), .responses = {{200, oas::page_of("Grower")}}},
            [&growers](http::Request& req, const Caller& caller) { return list(growers, req, caller); });
  guard.add(router,
            {.method = Method::post, .path = "/api/growers/", .permissions = {"grower.write"}, .onboarded = true,
             .idempotent = true, .summary = "Create a grower", .changes = {Change::kGrower},
             .body = "GrowerCreate", .responses = {{201, "Grower"}}},
            [&growers](http::Request& req, const Caller& caller) { return create(growers, req, caller); });
  guard.add(router,
            {.method = Method::get, .path = "/api/growers/{grower_id}", .permissions = {"grower.read"},
             .onboarded = true, .summary = "One grower",
             .cache = CachePolicy{300s, "grower", "get_grower", {Change::kGrower, Change::kSetup}},
             .responses = {{200, "Grower"}}},
            [&growers](http::Request& req, const Caller& caller) { return get(growers, req, caller); });
  guard.add(router,
            {.method = Method::patch, .path = "/api/growers/{grower_id}", .permissions = {"grower.write"},
             .onboarded = true, .summary = "Update a grower", .changes = {Change::kGrower},
             .body = "GrowerPatch", .responses = {{200, "Grower"}}},
            [&growers](http::Request& req, const Caller& caller) { return update(growers, req, caller); });
  guard.add(router,
            {.method = Method::delete_, .path = "/api/growers/{grower_id}", .permissions = {"grower.delete"},
             .onboarded = true, .summary = "Delete a grower (soft)", .changes = {Change::kGrower},
             .responses = {{204}}},
            [&growers](http::Request& req, const Caller& caller) { return remove(growers, req, caller); });
}

}  // namespace fruitpak::api
