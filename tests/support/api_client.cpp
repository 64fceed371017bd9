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
