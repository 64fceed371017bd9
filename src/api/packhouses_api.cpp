#include "api/packhouses_api.hpp"

#include "api/error_response.hpp"
#include "api/guard.hpp"
#include "api/input.hpp"
#include "api/openapi_schema.hpp"
#include "api/json_input.hpp"
#include "api/respond.hpp"
#include "http/errors.hpp"
#include "json/packhouse_json.hpp"
#include "json/page_json.hpp"
#include "services/packhouse_service.hpp"

namespace fruitpak::api {
namespace {

using http::Method;
using http::Status;
using services::PackhouseService;
using Reply = net::awaitable<http::Response>;
using cache::CachePolicy;
using domain::Change;
using namespace std::chrono_literals;

constexpr std::int64_t kMaxInt = 2'147'483'647;

Reply create(PackhouseService& packhouses, http::Request& req, const Caller& caller) {
  auto body = read_json_object(req);
  if (!body) co_return body.error();
  BodyReader in(*body);
  services::NewPackhouse input{in.required_string("name", 255), in.optional_string("location", 255),
                               in.optional_int("capacity_tons_per_day", 0, kMaxInt),
                               in.optional_int("cold_rooms", 0, 10'000)};
  if (!in.ok()) co_return http::validation_error_response(in.errors());
  auto created = co_await packhouses.create(caller.tenant(), std::move(input), &req.queries);
  if (!created) co_return error_response_for(created.error());
  co_return json_response(Status::created, json::to_json(*created));
}

Reply list(PackhouseService& packhouses, http::Request& req, const Caller& caller) {
  std::vector<http::FieldError> errors;
  auto page = read_page(req, errors);
  if (!errors.empty()) co_return http::validation_error_response(errors);
  auto listed = co_await packhouses.list(caller.tenant(), page, &req.queries);
  if (!listed) co_return error_response_for(listed.error());
  co_return json_response(Status::ok, json::page_to_json(*listed, [](const auto& p) { return json::to_json(p); }));
}

Reply get(PackhouseService& packhouses, http::Request& req, const Caller& caller) {
  auto found = co_await packhouses.get(caller.tenant(), std::string(req.param("packhouse_id")), &req.queries);
  if (!found) co_return error_response_for(found.error());
  co_return json_response(Status::ok, json::to_json(*found));
}

// The JSON schemas of this file's routes (OpenAPI components, api/openapi_schema.hpp).
void declare_packhouse_schemas(http::Router& router) {
  router.add_schema("Packhouse", oas::record({{"id", oas::str()},
                                              {"name", oas::str()},
                                              {"location", oas::nullable(oas::str())},
                                              {"capacity_tons_per_day", oas::nullable(oas::integer())},
                                              {"cold_rooms", oas::nullable(oas::integer())}}));
  router.add_schema("PackhouseCreate",
                    oas::input({{"name", oas::str(255, 1)},
                                {"location", oas::nullable(oas::str(255))},
                                {"capacity_tons_per_day", oas::nullable(oas::integer(0, kMaxInt))},
                                {"cold_rooms", oas::nullable(oas::integer(0, 10'000))}},
                               {"name"}));
}

}  // namespace

void register_packhouse_routes(http::Router& router, Guard& guard, PackhouseService& packhouses) {
  declare_packhouse_schemas(router);
  guard.add(router,
            {.method = Method::post, .path = "/api/packhouses/", .permissions = {"packhouse.write"},
             .onboarded = true, .idempotent = true, .summary = "Create a packhouse", .changes = {Change::kPackhouse},
             .body = "PackhouseCreate", .responses = {{201, "Packhouse"}}},
            [&packhouses](http::Request& req, const Caller& caller) { return create(packhouses, req, caller); });
  guard.add(router,
            {.method = Method::get, .path = "/api/packhouses/", .permissions = {"packhouse.read"},
             .onboarded = true, .summary = "List packhouses by name",
             .cache = CachePolicy{300s, "packhouses", "list_packhouses", {Change::kPackhouse, Change::kSetup}},
             .query = page_params(), .responses = {{200, oas::page_of("Packhouse")}}},
            [&packhouses](http::Request& req, const Caller& caller) { return list(packhouses, req, caller); });
  guard.add(router,
            {.method = Method::get, .path = "/api/packhouses/{packhouse_id}", .permissions = {"packhouse.read"},
             .onboarded = true, .summary = "One packhouse",
             .cache = CachePolicy{300s, "packhouse", "get_packhouse", {Change::kPackhouse, Change::kSetup}},
             .responses = {{200, "Packhouse"}}},
            [&packhouses](http::Request& req, const Caller& caller) { return get(packhouses, req, caller); });
}

}  // namespace fruitpak::api
