#include "api/auth_api.hpp"

#include "api/error_response.hpp"
#include "api/guard.hpp"
#include "api/input.hpp"
#include "api/json_input.hpp"
#include "api/openapi_schema.hpp"
#include "api/respond.hpp"
#include "http/errors.hpp"
#include "json/account_json.hpp"
#include "services/auth/auth_service.hpp"

namespace fruitpak::api {
namespace {

using http::Method;
using http::Status;
using services::auth::AuthService;
using Reply = net::awaitable<http::Response>;

constexpr std::size_t kPasswordMax = 1024;

// Answers a service call that yields a token pair with the Token shape.
http::Response token_reply(const Result<domain::TokenPair>& tokens, Status status) {
  if (!tokens) return error_response_for(tokens.error());
  return json_response(status, json::to_json(*tokens));
}

Reply register_user(AuthService& auth, http::Request& req) {
  auto body = read_json_object(req);
  if (!body) co_return body.error();
  BodyReader in(*body);
  services::auth::RegisterInput input{in.required_email("email"), in.required_string("password", kPasswordMax),
                                      in.required_string("full_name", 255), in.optional_string("phone", 20)};
  if (!in.ok()) co_return http::validation_error_response(in.errors());
  auto tokens = co_await auth.register_user(std::move(input), &req.queries);
  co_return token_reply(tokens, Status::created);
}

Reply login(AuthService& auth, http::Request& req) {
  auto body = read_json_object(req);
  if (!body) co_return body.error();
  BodyReader in(*body);
  auto email = in.required_email("email");
  auto password = in.required_string("password", kPasswordMax, 0);
  if (!in.ok()) co_return http::validation_error_response(in.errors());
  auto tokens = co_await auth.login(std::move(email), std::move(password), &req.queries);
  co_return token_reply(tokens, Status::ok);
}

Reply refresh(AuthService& auth, http::Request& req) {
  auto body = read_json_object(req);
  if (!body) co_return body.error();
  BodyReader in(*body);
  auto token = in.required_string("refresh_token", 8192);
  if (!in.ok()) co_return http::validation_error_response(in.errors());
  auto tokens = co_await auth.refresh(std::move(token), &req.queries);
  co_return token_reply(tokens, Status::ok);
}

Reply signup(AuthService& auth, http::Request& req, const Caller& caller) {
  auto body = read_json_object(req);
  if (!body) co_return body.error();
  BodyReader in(*body);
  services::auth::SignupInput input{in.required_email("email"), in.optional_string("password", kPasswordMax),
                                    in.required_string("full_name", 255), in.optional_string("phone", 20),
                                    in.optional_string("role", 40).value_or("operator"),
                                    in.optional_string_list("assigned_packhouses", 1000, 36)};
  if (!in.ok()) co_return http::validation_error_response(in.errors());
  auto user = co_await auth.signup(*caller.principal, std::move(input), &req.queries);
  if (!user) co_return error_response_for(user.error());
  co_return json_response(Status::created, json::to_json(*user));
}

Reply otp_request(AuthService& auth, http::Request& req) {
  auto body = read_json_object(req);
  if (!body) co_return body.error();
  BodyReader in(*body);
  auto phone = in.required_string("phone", 20);
  if (!in.ok()) co_return http::validation_error_response(in.errors());
  auto outcome = co_await auth.request_otp(std::move(phone), &req.queries);
  if (!outcome) co_return error_response_for(outcome.error());
  if (!outcome->sent) {
    co_return json_response(Status::ok, boost::json::object{{"message", "If this phone is registered, an OTP has been sent"}});
  }
  boost::json::object answer{{"message", "OTP sent"}};
  if (outcome->dev_code) answer["dev_code"] = *outcome->dev_code;
  co_return json_response(Status::ok, answer);
}

Reply otp_verify(AuthService& auth, http::Request& req) {
  auto body = read_json_object(req);
  if (!body) co_return body.error();
  BodyReader in(*body);
  auto phone = in.required_string("phone", 20);
  auto code = in.required_string("code", 12);
  if (!in.ok()) co_return http::validation_error_response(in.errors());
  auto tokens = co_await auth.verify_otp(std::move(phone), std::move(code), &req.queries);
  co_return token_reply(tokens, Status::ok);
}

Reply create_enterprise(AuthService& auth, http::Request& req, const Caller& caller) {
  auto body = read_json_object(req);
  if (!body) co_return body.error();
  BodyReader in(*body);
  auto name = in.required_string("name", 255);
  auto country = in.required_string("country", 100);
  if (!in.ok()) co_return http::validation_error_response(in.errors());
  auto enterprise = co_await auth.create_enterprise(*caller.principal, std::move(name), std::move(country), &req.queries);
  if (!enterprise) co_return error_response_for(enterprise.error());
  co_return json_response(Status::created, json::to_json(*enterprise));
}

// The JSON schemas of this file's routes (OpenAPI components, api/openapi_schema.hpp).
void declare_auth_schemas(http::Router& router) {
  router.add_schema("User", oas::record({{"id", oas::str()},
                                         {"email", oas::str()},
                                         {"full_name", oas::str()},
                                         {"phone", oas::nullable(oas::str())},
                                         {"role", oas::one_of({"administrator", "supervisor", "operator"})},
                                         {"is_active", oas::boolean()},
                                         {"enterprise_id", oas::nullable(oas::str())},
                                         {"permissions", oas::array(oas::str())},
                                         {"assigned_packhouses", oas::nullable(oas::array(oas::str()))}}));
  router.add_schema("Token", oas::record({{"access_token", oas::str()},
                                          {"refresh_token", oas::str()},
                                          {"token_type", oas::one_of({"bearer"})},
                                          {"user", oas::ref("User")}}));
  router.add_schema("Enterprise", oas::record({{"id", oas::str()},
                                               {"name", oas::str()},
                                               {"country", oas::str()},
                                               {"tenant_schema", oas::str()},
                                               {"is_onboarded", oas::boolean()}}));
  router.add_schema("RegisterRequest", oas::input({{"email", oas::str()},
                                                   {"password", oas::str(kPasswordMax, 1)},
                                                   {"full_name", oas::str(255, 1)},
                                                   {"phone", oas::nullable(oas::str(20))}},
                                                  {"email", "password", "full_name"}));
  router.add_schema("LoginRequest", oas::input({{"email", oas::str()}, {"password", oas::str(kPasswordMax)}},
                                               {"email", "password"}));
  router.add_schema("RefreshRequest", oas::input({{"refresh_token", oas::str(8192, 1)}}, {"refresh_token"}));
  router.add_schema("SignupRequest",
                    oas::input({{"email", oas::str()},
                                {"password", oas::nullable(oas::str(kPasswordMax))},
                                {"full_name", oas::str(255, 1)},
                                {"phone", oas::nullable(oas::str(20))},
                                {"role", oas::nullable(oas::str(40))},
                                {"assigned_packhouses", oas::nullable(oas::array(oas::str(36)))}},
                               {"email", "full_name"}));
  router.add_schema("OtpRequest", oas::input({{"phone", oas::str(20, 1)}}, {"phone"}));
  router.add_schema("OtpVerify", oas::input({{"phone", oas::str(20, 1)}, {"code", oas::str(12, 1)}}, {"phone", "code"}));
  router.add_schema("OtpSent", oas::record({{"message", oas::str()}, {"dev_code", oas::str()}}, {"dev_code"}));
  router.add_schema("EnterpriseCreate", oas::input({{"name", oas::str(255, 1)}, {"country", oas::str(100, 1)}},
                                                   {"name", "country"}));
}

}  // namespace

void register_auth_routes(http::Router& router, Guard& guard, AuthService& auth) {
  declare_auth_schemas(router);
  guard.add(router, {.method = Method::post, .path = "/api/auth/register", .access = Access::kPublic, .rate = RateClass::kRegister, .summary = "Register an account",
                     .body = "RegisterRequest", .responses = {{201, "Token"}}},
            [&auth](http::Request& req, const Caller&) { return register_user(auth, req); });
  guard.add(router, {.method = Method::post, .path = "/api/auth/login", .access = Access::kPublic, .rate = RateClass::kLogin, .summary = "Log in",
                     .body = "LoginRequest", .responses = {{200, "Token"}}},
            [&auth](http::Request& req, const Caller&) { return login(auth, req); });
  guard.add(router, {.method = Method::post, .path = "/api/auth/refresh", .access = Access::kPublic, .rate = RateClass::kStandard, .summary = "Rotate tokens",
                     .body = "RefreshRequest", .responses = {{200, "Token"}}},
            [&auth](http::Request& req, const Caller&) { return refresh(auth, req); });
  guard.add(router, {.method = Method::post, .path = "/api/auth/otp-request", .access = Access::kPublic, .rate = RateClass::kLogin, .summary = "Request an OTP",
                     .body = "OtpRequest", .responses = {{200, "OtpSent"}}},
            [&auth](http::Request& req, const Caller&) { return otp_request(auth, req); });
  guard.add(router, {.method = Method::post, .path = "/api/auth/otp-verify", .access = Access::kPublic, .rate = RateClass::kLogin, .summary = "Log in with an OTP",
                     .body = "OtpVerify", .responses = {{200, "Token"}}},
            [&auth](http::Request& req, const Caller&) { return otp_verify(auth, req); });
  guard.add(router, {.method = Method::post, .path = "/api/auth/signup", .access = Access::kUser, .rate = RateClass::kStandard, .summary = "Add a user to the enterprise",
                     .body = "SignupRequest", .responses = {{201, "User"}}},
            [&auth](http::Request& req, const Caller& caller) { return signup(auth, req, caller); });
  guard.add(router, {.method = Method::get, .path = "/api/auth/me", .access = Access::kUser, .rate = RateClass::kStandard, .summary = "The current user",
                     .responses = {{200, "User"}}},
            [&auth](http::Request& req, const Caller& caller) -> Reply {
              auto user = co_await auth.me(*caller.principal, &req.queries);
              if (!user) co_return error_response_for(user.error());
              co_return json_response(Status::ok, json::to_json(*user));
            });
  guard.add(router, {.method = Method::post, .path = "/api/auth/logout", .access = Access::kUser, .rate = RateClass::kStandard, .summary = "End this session",
                     .responses = {{204}}},
            [&auth](http::Request& req, const Caller& caller) -> Reply {
              auto done = co_await auth.logout(*caller.principal, &req.queries);
              if (!done) co_return error_response_for(done.error());
              co_return no_content();
            });
}

void register_enterprise_routes(http::Router& router, Guard& guard, AuthService& auth) {
  guard.add(router, {.method = Method::post, .path = "/api/enterprises/", .access = Access::kUser, .rate = RateClass::kStandard, .summary = "Create the enterprise",
                     .body = "EnterpriseCreate", .responses = {{201, "Enterprise"}}},
            [&auth](http::Request& req, const Caller& caller) { return create_enterprise(auth, req, caller); });
  guard.add(router, {.method = Method::post, .path = "/api/enterprises/reissue-token", .access = Access::kUser,
                     .summary = "A token carrying the enterprise", .responses = {{200, "Token"}}},
            [&auth](http::Request& req, const Caller& caller) -> Reply {
              auto tokens = co_await auth.reissue_token(*caller.principal, &req.queries);
              co_return token_reply(tokens, Status::ok);
            });
}

}  // namespace fruitpak::api
