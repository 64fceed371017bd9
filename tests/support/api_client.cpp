#include "support/api_client.hpp"

#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

namespace fruitpak::testing {

boost::json::object json_object(const HttpResponse& res) {
  auto value = parse_json(res.body());
  if (!value.is_object()) {
    ADD_FAILURE() << "not a JSON object: " << res.body();
    return {};
  }
  return value.as_object();
}

Account register_account(HttpClient& client, const std::string& email, const std::string& password) {
  boost::json::object body{{"email", email}, {"password", password}, {"full_name", "Test " + email}};
  auto res = client.post("/api/auth/register", boost::json::serialize(body));
  EXPECT_EQ(res.result_int(), 201) << res.body();
  Account a;
  a.email = email;
  a.password = password;
  if (res.result_int() != 201) return a;
  auto o = json_object(res);
  a.access_token = o.at("access_token").as_string().c_str();
  a.refresh_token = o.at("refresh_token").as_string().c_str();
  a.user_id = o.at("user").at("id").as_string().c_str();
  return a;
}

Account add_member(HttpClient& client, const Account& admin, const std::string& email, const std::string& role) {
  Account a;
  a.email = email;
  a.password = "member-pass-" + role;
  a.enterprise_id = admin.enterprise_id;
  boost::json::object body{{"email", email}, {"full_name", "Member " + email}, {"password", a.password}, {"role", role}};
  auto signed_up = client.post("/api/auth/signup", boost::json::serialize(body), admin.auth());
  EXPECT_EQ(signed_up.result_int(), 201) << signed_up.body();
  if (signed_up.result_int() != 201) return a;
  a.user_id = json_object(signed_up).at("id").as_string().c_str();
  boost::json::object credentials{{"email", email}, {"password", a.password}};
  auto login = client.post("/api/auth/login", boost::json::serialize(credentials));
  EXPECT_EQ(login.result_int(), 200) << login.body();
  if (login.result_int() != 200) return a;
  auto o = json_object(login);
  a.access_token = o.at("access_token").as_string().c_str();
  a.refresh_token = o.at("refresh_token").as_string().c_str();
  return a;
}

void create_enterprise(HttpClient& client, Account& account, const std::string& name) {
  boost::json::object body{{"name", name}, {"country", "ZA"}};
  auto created = client.post("/api/enterprises/", boost::json::serialize(body), account.auth());
  ASSERT_EQ(created.result_int(), 201) << created.body();
  account.enterprise_id = json_object(created).at("id").as_string().c_str();
  auto reissued = client.post("/api/enterprises/reissue-token", "", account.auth());
  ASSERT_EQ(reissued.result_int(), 200) << reissued.body();
  auto o = json_object(reissued);
  account.access_token = o.at("access_token").as_string().c_str();
  account.refresh_token = o.at("refresh_token").as_string().c_str();
}

}  // namespace fruitpak::testing
