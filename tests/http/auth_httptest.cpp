// Accounts over real HTTP on both engines: the full session flow, every kind of bad input,
// rate limits, and revocation.

#include "db/database.hpp"
#include "services/auth/jwt.hpp"
#include "support/api_client.hpp"
#include "support/server_fixture.hpp"
#include "util/run_sync.hpp"

#include <boost/json/serialize.hpp>

#include <chrono>

namespace fruitpak::testing {
namespace {

namespace json = boost::json;
using Headers = std::map<std::string, std::string>;

class AuthHttpTest : public ServerFixture {
 protected:
  std::int64_t count(const std::string& table) {
    auto rows = util::run_sync(app().database().execute("SELECT COUNT(*) FROM " + table));
    EXPECT_TRUE(rows);
    return rows ? rows->front().int64(0) : -1;
  }
  std::string detail(const HttpResponse& res) {
    auto o = json_object(res);
    return o.at("detail").is_string() ? std::string(o.at("detail").as_string()) : json::serialize(o.at("detail"));
  }
  std::string sign(const services::auth::TokenClaims& claims, const std::string& key) {
    return services::auth::encode_jwt(claims, key);
  }
};

TEST_F(AuthHttpTest, RegisterCreateEnterpriseLoginMeRefreshLogout) {
  start();
  auto c = client();
  Account a = register_account(c, "Owner@Example.COM");
  auto registered_me = c.get("/api/auth/me", a.auth());
  ASSERT_EQ(registered_me.result_int(), 200);
  auto me = json_object(registered_me);
  EXPECT_EQ(me.at("email").as_string(), "Owner@example.com");  // domain lower-cased, local part kept
  EXPECT_EQ(me.at("role").as_string(), "administrator");
  EXPECT_EQ(me.at("permissions").as_array().size(), 29u);
  EXPECT_TRUE(me.at("enterprise_id").is_null());
  EXPECT_FALSE(me.contains("hashed_password"));

  create_enterprise(c, a, "Acme Fruit");
  auto login = c.post("/api/auth/login", R"({"email":"Owner@example.com","password":"correct horse"})");
  ASSERT_EQ(login.result_int(), 200) << login.body();
  auto tokens = json_object(login);
  EXPECT_EQ(tokens.at("token_type").as_string(), "bearer");
  EXPECT_EQ(tokens.at("user").at("enterprise_id").as_string(), a.enterprise_id);
  Headers auth{{"Authorization", "Bearer " + std::string(tokens.at("access_token").as_string())}};
  const std::string refresh_token(tokens.at("refresh_token").as_string());

  auto me2 = c.get("/api/auth/me", auth);
  ASSERT_EQ(me2.result_int(), 200);
  EXPECT_EQ(json_object(me2).at("enterprise_id").as_string(), a.enterprise_id);

  auto refreshed = c.post("/api/auth/refresh", json::serialize(json::object{{"refresh_token", refresh_token}}));
  ASSERT_EQ(refreshed.result_int(), 200) << refreshed.body();
  Headers rotated{{"Authorization", "Bearer " + std::string(json_object(refreshed).at("access_token").as_string())}};
  EXPECT_EQ(c.get("/api/auth/me", rotated).result_int(), 200);

  auto out = c.post("/api/auth/logout", "", rotated);
  EXPECT_EQ(out.result_int(), 204);
  EXPECT_TRUE(out.body().empty());
  // Logout ends the session: both access tokens of it are refused, the other session lives.
  auto after = c.get("/api/auth/me", rotated);
  EXPECT_EQ(after.result_int(), 401);
  EXPECT_EQ(detail(after), "Token has been revoked");
  EXPECT_EQ(c.get("/api/auth/me", auth).result_int(), 401);
  EXPECT_EQ(c.get("/api/auth/me", a.auth()).result_int(), 200);  // the reissued token's session
}

TEST_F(AuthHttpTest, RefreshTokenReuseRevokesTheSessionFamily) {
  start();
  auto c = client();
  Account a = register_account(c, "reuse@example.com");
  const auto first = json::serialize(json::object{{"refresh_token", a.refresh_token}});
  auto rotated = c.post("/api/auth/refresh", first);
  ASSERT_EQ(rotated.result_int(), 200);
  const std::string second_refresh(json_object(rotated).at("refresh_token").as_string());
  Headers new_access{{"Authorization", "Bearer " + std::string(json_object(rotated).at("access_token").as_string())}};

  auto replay = c.post("/api/auth/refresh", first);
  EXPECT_EQ(replay.result_int(), 401);
  EXPECT_EQ(detail(replay), "Invalid refresh token");
  // The whole family is gone: the newest refresh token and its access token too.
  EXPECT_EQ(c.post("/api/auth/refresh", json::serialize(json::object{{"refresh_token", second_refresh}})).result_int(), 401);
  EXPECT_EQ(c.get("/api/auth/me", new_access).result_int(), 401);
}

TEST_F(AuthHttpTest, BadInputGetsClearErrorsAndChangesNothing) {
  start();
  auto c = client();
  register_account(c, "exists@example.com");
  const auto users_before = count("users");

  auto malformed = c.post("/api/auth/register", R"({"email": "x@example.com", )");
  EXPECT_EQ(malformed.result_int(), 400);

  auto missing = c.post("/api/auth/register", R"({"email": "x@example.com"})");
  ASSERT_EQ(missing.result_int(), 422);
  auto errors = json_object(missing).at("detail").as_array();
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].at("loc").as_array()[1].as_string(), "password");
  EXPECT_EQ(errors[0].at("type").as_string(), "missing");

  auto wrong_type = c.post("/api/auth/register", R"({"email": 5, "password": ["a"], "full_name": {}})");
  EXPECT_EQ(wrong_type.result_int(), 422);
  EXPECT_EQ(json_object(wrong_type).at("detail").as_array().size(), 3u);

  auto bad_email = c.post("/api/auth/register", R"({"email": "not-an-email", "password": "p", "full_name": "X"})");
  EXPECT_EQ(bad_email.result_int(), 422);

  const std::string long_name(300, 'n');
  auto too_long = c.post("/api/auth/register",
                         json::serialize(json::object{{"email", "y@example.com"}, {"password", "p"}, {"full_name", long_name}}));
  EXPECT_EQ(too_long.result_int(), 422);
  EXPECT_EQ(json_object(too_long).at("detail").as_array()[0].at("type").as_string(), "string_too_long");

  auto duplicate = c.post("/api/auth/register", R"({"email": "exists@example.com", "password": "p", "full_name": "X"})");
  EXPECT_EQ(duplicate.result_int(), 400);
  EXPECT_EQ(detail(duplicate), "Email already registered");

  EXPECT_EQ(count("users"), users_before);
}

TEST_F(AuthHttpTest, LoginFailuresAreIndistinguishable) {
  start();
  auto c = client();
  register_account(c, "login@example.com");
  auto wrong_password = c.post("/api/auth/login", R"({"email":"login@example.com","password":"nope"})");
  auto unknown_user = c.post("/api/auth/login", R"({"email":"ghost@example.com","password":"nope"})");
  EXPECT_EQ(wrong_password.result_int(), 401);
  EXPECT_EQ(unknown_user.result_int(), 401);
  EXPECT_EQ(detail(wrong_password), "Invalid credentials");
  EXPECT_EQ(detail(unknown_user), "Invalid credentials");
}

TEST_F(AuthHttpTest, BadTokensAreRejectedWithTheContractMessages) {
  start();
  auto c = client();
  Account a = register_account(c, "tokens@example.com");
  auto refused = [&](const std::string& token) { return c.get("/api/auth/me", {{"Authorization", "Bearer " + token}}); };

  auto missing = c.get("/api/auth/me");
  EXPECT_EQ(missing.result_int(), 401);
  EXPECT_EQ(detail(missing), "Not authenticated");
  EXPECT_EQ(missing[boost::beast::http::field::www_authenticate], "Bearer");

  std::string tampered = a.access_token;
  tampered[tampered.find('.') + 5] ^= 1;
  EXPECT_EQ(detail(refused(tampered)), "Token expired or invalid");

  services::auth::TokenClaims claims;
  claims.sub = a.user_id;
  claims.role = "administrator";
  claims.jti = "j";
  claims.sid = "s";
  claims.iat = 0;
  claims.exp = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count() + 600;
  EXPECT_EQ(detail(refused(sign(claims, "some-other-key"))), "Token expired or invalid");
  claims.exp = 1000;
  EXPECT_EQ(detail(refused(sign(claims, config_.secret_key))), "Token expired or invalid");

  EXPECT_EQ(refused(a.refresh_token).result_int(), 401);
  EXPECT_EQ(detail(refused(a.refresh_token)), "Invalid or expired token");
  EXPECT_EQ(refused("garbage").result_int(), 401);
}

TEST_F(AuthHttpTest, LoginRateLimitAnswers429WithRetryAfter) {
  config_.rate_limit_login_per_minute = 3;
  start();
  auto c = client();
  for (int i = 0; i < 3; ++i) {
    auto res = c.post("/api/auth/login", R"({"email":"x@example.com","password":"p"})");
    EXPECT_EQ(res.result_int(), 401);
    EXPECT_EQ(res["X-RateLimit-Limit"], "3");
    EXPECT_EQ(res["X-RateLimit-Remaining"], std::to_string(2 - i));
  }
  auto limited = c.post("/api/auth/login", R"({"email":"x@example.com","password":"p"})");
  ASSERT_EQ(limited.result_int(), 429);
  const int retry_after = std::stoi(std::string(limited[boost::beast::http::field::retry_after]));
  EXPECT_GE(retry_after, 1);
  EXPECT_LE(retry_after, 60);
  EXPECT_EQ(limited["X-RateLimit-Remaining"], "0");
  EXPECT_NE(detail(limited).find("Rate limit exceeded"), std::string::npos);
  // Other path classes have their own windows.
  EXPECT_EQ(c.get("/api/auth/me").result_int(), 401);
}

TEST_F(AuthHttpTest, RepeatedFailedLoginsLockTheAccountForAWhile) {
  config_.login_failures_per_account = 2;
  start();
  auto c = client();
  register_account(c, "brute@example.com");
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(c.post("/api/auth/login", R"({"email":"brute@example.com","password":"guess"})").result_int(), 401);
  }
  auto locked = c.post("/api/auth/login", R"({"email":"brute@example.com","password":"correct horse"})");
  EXPECT_EQ(locked.result_int(), 429);
}

TEST_F(AuthHttpTest, SignupAddsUsersOnlyToTheAdminsEnterprise) {
  start();
  auto c = client();
  Account admin = register_account(c, "admin@example.com");
  auto too_early = c.post("/api/auth/signup", R"({"email":"op@example.com","full_name":"Op"})", admin.auth());
  EXPECT_EQ(too_early.result_int(), 400);
  EXPECT_EQ(detail(too_early), "Create an enterprise first");

  create_enterprise(c, admin, "Admin Co");
  auto bad_role = c.post("/api/auth/signup", R"({"email":"op@example.com","full_name":"Op","role":"boss"})", admin.auth());
  EXPECT_EQ(detail(bad_role), "Invalid role. Choose: administrator, supervisor, operator");
  auto created = c.post("/api/auth/signup",
                        R"({"email":"op@example.com","full_name":"Op","password":"op-pass","phone":"+27110000001"})",
                        admin.auth());
  ASSERT_EQ(created.result_int(), 201) << created.body();
  auto op = json_object(created);
  EXPECT_EQ(op.at("role").as_string(), "operator");
  EXPECT_EQ(op.at("enterprise_id").as_string(), admin.enterprise_id);
  EXPECT_EQ(op.at("permissions").as_array().size(), 9u);

  auto op_login = c.post("/api/auth/login", R"({"email":"op@example.com","password":"op-pass"})");
  ASSERT_EQ(op_login.result_int(), 200);
  Headers op_auth{{"Authorization", "Bearer " + std::string(json_object(op_login).at("access_token").as_string())}};
  auto not_admin = c.post("/api/auth/signup", R"({"email":"op2@example.com","full_name":"Op2"})", op_auth);
  EXPECT_EQ(not_admin.result_int(), 403);
  EXPECT_EQ(detail(not_admin), "Requires role: administrator");
}

TEST_F(AuthHttpTest, OtpLogsInOnceWithinAttemptsAndCooldown) {
  start();
  auto c = client();
  Account admin = register_account(c, "otp-admin@example.com");
  create_enterprise(c, admin, "OTP Co");
  ASSERT_EQ(c.post("/api/auth/signup", R"({"email":"phone@example.com","full_name":"P","phone":"+27115550000"})",
                   admin.auth()).result_int(), 201);

  auto unknown = c.post("/api/auth/otp-request", R"({"phone":"+27000000000"})");
  EXPECT_EQ(json_object(unknown).at("message").as_string(), "If this phone is registered, an OTP has been sent");
  auto sent = c.post("/api/auth/otp-request", R"({"phone":"+27115550000"})");
  ASSERT_EQ(sent.result_int(), 200);
  const std::string code(json_object(sent).at("dev_code").as_string());
  EXPECT_EQ(code.size(), 6u);
  auto again = c.post("/api/auth/otp-request", R"({"phone":"+27115550000"})");
  EXPECT_EQ(again.result_int(), 429);

  const std::string wrong = code == "000000" ? "111111" : "000000";
  auto bad = c.post("/api/auth/otp-verify", json::serialize(json::object{{"phone", "+27115550000"}, {"code", wrong}}));
  EXPECT_EQ(bad.result_int(), 400);
  EXPECT_EQ(detail(bad), "Invalid or expired OTP");
  auto good = c.post("/api/auth/otp-verify", json::serialize(json::object{{"phone", "+27115550000"}, {"code", code}}));
  ASSERT_EQ(good.result_int(), 200) << good.body();
  EXPECT_EQ(json_object(good).at("user").at("email").as_string(), "phone@example.com");
  auto reused = c.post("/api/auth/otp-verify", json::serialize(json::object{{"phone", "+27115550000"}, {"code", code}}));
  EXPECT_EQ(reused.result_int(), 400);  // single use
  auto codes = util::run_sync(app().database().execute("SELECT COUNT(*) FROM otp_codes WHERE code_hash LIKE '%" + code + "%'"));
  ASSERT_TRUE(codes);
  EXPECT_EQ(codes->front().int64(0), 0);  // never stored in clear
}

TEST_F(AuthHttpTest, EnterpriseCanBeCreatedOnlyOnce) {
  start();
  auto c = client();
  Account a = register_account(c, "ent@example.com");
  auto no_enterprise = c.post("/api/enterprises/reissue-token", "", a.auth());
  EXPECT_EQ(no_enterprise.result_int(), 400);
  EXPECT_EQ(detail(no_enterprise), "User has no enterprise");
  create_enterprise(c, a, "Once Co");
  auto twice = c.post("/api/enterprises", R"({"name":"Twice","country":"ZA"})", a.auth());
  EXPECT_EQ(twice.result_int(), 400);
  EXPECT_EQ(detail(twice), "User already belongs to an enterprise");
  EXPECT_EQ(count("enterprises"), 1);
}

TEST_F(AuthHttpTest, ValidTokenWorksWhileRedisIsDown) {
  auto dead = config::parse_redis_url("redis://127.0.0.1:1/0");
  config_.redis = std::get<config::RedisUrl>(dead);
  start();
  auto c = client();
  Account a = register_account(c, "noredis@example.com");
  EXPECT_EQ(c.get("/api/auth/me", a.auth()).result_int(), 200);
  EXPECT_EQ(c.post("/api/auth/logout", "", a.auth()).result_int(), 204);
  EXPECT_EQ(c.get("/api/auth/me", a.auth()).result_int(), 401);
}

}  // namespace
}  // namespace fruitpak::testing

namespace fruitpak::testing {
namespace {

// A tenant route that needs financials.read, as the payments routes will.
void add_financial_probe(api::Guard& guard, http::Router& router) {
  guard.add(router, {.method = http::Method::get, .path = "/test/financials", .access = api::Access::kTenant,
                     .permissions = {"financials.read", "reports.read"}},
            [](http::Request&, const api::Caller& caller) -> net::awaitable<http::Response> {
              http::Response res{http::Status::ok, 11};
              res.body() = caller.tenant().value();
              res.prepare_payload();
              co_return res;
            });
}

TEST_F(AuthHttpTest, RouteChecksTenantThenPermissions) {
  extra_guarded_routes = add_financial_probe;
  start();
  auto c = client();
  Account admin = register_account(c, "perm-admin@example.com");
  auto no_tenant = c.get("/test/financials", admin.auth());
  EXPECT_EQ(no_tenant.result_int(), 400);
  EXPECT_EQ(detail(no_tenant), "No tenant context — this endpoint requires an enterprise-scoped user");

  create_enterprise(c, admin, "Perm Co");
  auto allowed = c.get("/test/financials", admin.auth());
  EXPECT_EQ(allowed.result_int(), 200);
  EXPECT_EQ(allowed.body(), admin.enterprise_id);  // the tenant comes from the token

  ASSERT_EQ(c.post("/api/auth/signup", R"({"email":"sup@example.com","full_name":"S","password":"sup-pass","role":"supervisor"})",
                   admin.auth()).result_int(), 201);
  auto login = c.post("/api/auth/login", R"({"email":"sup@example.com","password":"sup-pass"})");
  Headers supervisor{{"Authorization", "Bearer " + std::string(json_object(login).at("access_token").as_string())}};
  auto refused = c.get("/test/financials", supervisor);
  EXPECT_EQ(refused.result_int(), 403);
  EXPECT_EQ(detail(refused), "Missing permissions: financials.read");  // supervisors have reports.read
}

}  // namespace
}  // namespace fruitpak::testing
