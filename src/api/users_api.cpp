#include "api/users_api.hpp"

#include "api/error_response.hpp"
#include "api/guard.hpp"
#include "api/input.hpp"
#include "api/json_input.hpp"
#include "api/openapi_schema.hpp"
#include "api/respond.hpp"
#include "domain/permissions.hpp"
#include "http/errors.hpp"
#include "json/values.hpp"
#include "services/user_admin_service.hpp"

#include <algorithm>

namespace fruitpak::api {
namespace {

using http::Method;
using http::Status;
using services::UserAdminService;
using Reply = net::awaitable<http::Response>;
namespace bj = boost::json;

constexpr std::size_t kMaxPackhouses = 100;

// UserSummary (11.2): every key always present; custom roles do not exist here, so their
// two keys are null.
bj::object summary(const domain::User& u) {
  bj::object overrides;
  for (const auto& [permission, granted] : u.custom_permissions) overrides[permission] = granted;
  return bj::object{{"id", u.id},
                    {"email", u.email},
                    {"full_name", u.full_name},
                    {"phone", json::nullable(u.phone)},
                    {"role", domain::to_string(u.role)},
                    {"is_active", u.is_active},
                    {"assigned_packhouses",
                     u.assigned_packhouses ? bj::value(json::strings(*u.assigned_packhouses)) : bj::value(nullptr)},
                    {"custom_role_id", nullptr},
                    {"custom_role_name", nullptr},
                    {"permissions", json::strings(u.permissions())},
                    {"custom_permissions", u.custom_permissions.empty() ? bj::value(nullptr) : bj::value(overrides)},
                    {"created_at", u.created_at}};
}

// `custom_permissions`: {permission: bool} over the catalogue; {} clears.
std::optional<std::map<std::string, bool>> read_overrides(BodyReader& in, const bj::value& value) {
  if (!value.is_object()) {
    in.add_error({"body", "custom_permissions"}, "Input should be a valid dictionary", "dict_type");
    return std::nullopt;
  }
  const auto& catalogue = domain::permission_catalogue();
  std::map<std::string, bool> out;
  for (const auto& [key, flag] : value.as_object()) {
    const std::string name(key);
    if (!std::binary_search(catalogue.begin(), catalogue.end(), name)) {
      in.add_error({"body", "custom_permissions", name}, "Unknown permission", "value_error");
    } else if (!flag.is_bool()) {
      in.add_error({"body", "custom_permissions", name}, "Input should be a valid boolean", "bool_type");
    } else {
      out[name] = flag.as_bool();
    }
  }
  return out;
}

// The PATCH body: absent or null keys leave the user as they are (11.13).
Result<services::MembershipChange> read_change(BodyReader& in, const bj::object& body) {
  services::MembershipChange change;
  auto present = [&](std::string_view key) {
    const auto* v = body.if_contains(key);
    return v && !v->is_null();
  };
  if (present("role")) {
    const auto& value = body.at("role");
    auto role = value.is_string() ? domain::parse_role(value.as_string()) : std::nullopt;
    if (!role || value.as_string() != domain::to_string(*role)) {
      return client_error(Errc::kInvalidInput, "Invalid role. Must be one of: administrator, operator, supervisor");
    }
    change.role = role;
  }
  if (present("full_name")) change.full_name = in.required_string("full_name", 255);
  if (present("phone")) change.phone = in.optional_code("phone", 20);
  if (present("assigned_packhouses")) {
    change.assigned_packhouses = in.optional_string_list("assigned_packhouses", kMaxPackhouses, 36);
  }
  if (present("custom_permissions")) change.custom_permissions = read_overrides(in, body.at("custom_permissions"));
  return change;
}

Reply list(UserAdminService& users, http::Request& req, const Caller& caller) {
  auto listed = co_await users.list(*caller.principal, &req.queries);
  if (!listed) co_return error_response_for(listed.error());
  bj::array out;
  out.reserve(listed->size());
  for (const auto& u : *listed) out.emplace_back(summary(u));
  co_return json_response(Status::ok, out);
}

Reply update(UserAdminService& users, http::Request& req, const Caller& caller) {
  auto body = read_json_object(req);
  if (!body) co_return body.error();
  BodyReader in(*body);
  auto change = read_change(in, *body);
  if (!change) co_return error_response_for(change.error());
  if (!in.ok()) co_return http::validation_error_response(in.errors());
  auto changed =
      co_await users.change(*caller.principal, std::string(req.param("user_id")), std::move(*change), &req.queries);
  if (!changed) co_return error_response_for(changed.error());
  co_return json_response(Status::ok, summary(*changed));
}

Reply set_active(UserAdminService& users, http::Request& req, const Caller& caller, bool active) {
  auto changed = co_await users.set_active(*caller.principal, std::string(req.param("user_id")), active, &req.queries);
  if (!changed) co_return error_response_for(changed.error());
  co_return json_response(Status::ok, summary(*changed));
}

// The JSON schemas of this file's routes (OpenAPI components, api/openapi_schema.hpp).
void declare_user_admin_schemas(http::Router& router) {
  const bj::value overrides = bj::object{{"type", "object"}, {"additionalProperties", oas::boolean()}};
  router.add_schema("UserSummary", oas::record({{"id", oas::str()},
                                                {"email", oas::str()},
                                                {"full_name", oas::str()},
                                                {"phone", oas::nullable(oas::str())},
                                                {"role", oas::one_of({"administrator", "supervisor", "operator"})},
                                                {"is_active", oas::boolean()},
                                                {"assigned_packhouses", oas::nullable(oas::array(oas::str()))},
                                                {"custom_role_id", oas::nullable(oas::str())},
                                                {"custom_role_name", oas::nullable(oas::str())},
                                                {"permissions", oas::array(oas::str())},
                                                {"custom_permissions", oas::nullable(overrides)},
                                                {"created_at", oas::str()}}));
  router.add_schema("UserChange",
                    oas::input({{"role", oas::nullable(oas::one_of({"administrator", "supervisor", "operator"}))},
                                {"full_name", oas::nullable(oas::str(255, 1))},
                                {"phone", oas::nullable(oas::str(20))},
                                {"assigned_packhouses", oas::nullable(oas::array(oas::str(36)))},
                                {"custom_permissions", oas::nullable(overrides)}}));
}

}  // namespace

void register_user_admin_routes(http::Router& router, Guard& guard, UserAdminService& users) {
  declare_user_admin_schemas(router);
  // role:admin (11.0) is checked by the service against the stored role.
  guard.add(router,
            {.method = Method::get, .path = "/api/admin/users", .onboarded = true,
             .summary = "The enterprise's users (administrators)",
             .responses = {{200, oas::array(oas::ref("UserSummary"))}}},
            [&users](http::Request& req, const Caller& caller) { return list(users, req, caller); });
  guard.add(router,
            {.method = Method::patch, .path = "/api/admin/users/{user_id}", .onboarded = true,
             .summary = "Change a user's role, name, phone, packhouses or permissions (administrators)",
             .body = "UserChange", .responses = {{200, "UserSummary"}}},
            [&users](http::Request& req, const Caller& caller) { return update(users, req, caller); });
  guard.add(router,
            {.method = Method::post, .path = "/api/admin/users/{user_id}/deactivate", .onboarded = true,
             .summary = "Deactivate a user and end their sessions (administrators)",
             .responses = {{200, "UserSummary"}}},
            [&users](http::Request& req, const Caller& caller) { return set_active(users, req, caller, false); });
  guard.add(router,
            {.method = Method::post, .path = "/api/admin/users/{user_id}/activate", .onboarded = true,
             .summary = "Reactivate a user (administrators)",
             .responses = {{200, "UserSummary"}}},
            [&users](http::Request& req, const Caller& caller) { return set_active(users, req, caller, true); });
}

}  // namespace fruitpak::api
