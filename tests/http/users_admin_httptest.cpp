// /api/admin/users on both engines: the list an administrator sees, who may use it, role and
// permission changes (which end the user's sessions), validation, other enterprises' users,
// deactivation and reactivation.

#include "support/api_client.hpp"
#include "support/server_fixture.hpp"

#include <boost/json/serialize.hpp>

#include <set>

namespace fruitpak::testing {
namespace {

namespace json = boost::json;

class UsersAdminHttpTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    admin_ = start_with_admin("users-admin@example.com", "Users Co", Onboarding::kDone);
  }

  HttpResponse patch_user(HttpClient& c, const std::string& id, const json::object& body, const Account* who = nullptr) {
    return c.request(boost::beast::http::verb::patch, "/api/admin/users/" + id, json::serialize(body),
                     (who ? *who : admin_).auth());
  }
  HttpResponse post_user(HttpClient& c, const std::string& id, const std::string& action,
                         const Account* who = nullptr) {
    return c.post("/api/admin/users/" + id + "/" + action, "", (who ? *who : admin_).auth());
  }
  json::array listed(HttpClient& c) {
    auto res = c.get("/api/admin/users", admin_.auth());
    EXPECT_EQ(res.result_int(), 200) << res.body();
    return parse_json(res.body()).as_array();
  }
  static const json::object* find(const json::array& users, const std::string& id) {
    for (const auto& u : users) {
      if (u.at("id").as_string() == id) return &u.as_object();
    }
    return nullptr;
  }

  Account admin_;
};

TEST_F(UsersAdminHttpTest, AdministratorsSeeTheirEnterprisesUsersOnly) {
  auto c = client();
  const auto op = add_member(c, admin_, "op@users.example", "operator");
  const auto sup = add_member(c, admin_, "sup@users.example", "supervisor");
  auto stranger = register_account(c, "stranger@elsewhere.example");
  create_enterprise(c, stranger, "Elsewhere");

  const auto users = listed(c);
  ASSERT_EQ(users.size(), 3u);
  EXPECT_EQ(users[0].at("id").as_string(), sup.user_id);  // newest first
  EXPECT_EQ(find(users, stranger.user_id), nullptr);
  const auto* member = find(users, op.user_id);
  ASSERT_NE(member, nullptr);
  const std::set<std::string> keys{"id",       "email",          "full_name",        "phone",
                                   "role",     "is_active",      "assigned_packhouses", "custom_role_id",
                                   "custom_role_name", "permissions", "custom_permissions", "created_at"};
  std::set<std::string> got;
  for (const auto& [key, value] : *member) got.insert(std::string(key));
  EXPECT_EQ(got, keys);
  EXPECT_EQ(member->at("role").as_string(), "operator");
  EXPECT_TRUE(member->at("is_active").as_bool());
  EXPECT_EQ(member->at("permissions").as_array().size(), 9u);  // the operator's defaults
  EXPECT_TRUE(member->at("custom_permissions").is_null());

  // Only an administrator may look, or change anything.
  auto refused = c.get("/api/admin/users", sup.auth());
  EXPECT_EQ(refused.result_int(), 403);
  EXPECT_EQ(json_object(refused).at("detail").as_string(), "Requires role: administrator");
  EXPECT_EQ(patch_user(c, op.user_id, {{"full_name", "Renamed"}}, &sup).result_int(), 403);
  EXPECT_EQ(post_user(c, op.user_id, "deactivate", &sup).result_int(), 403);
  EXPECT_EQ(find(listed(c), op.user_id)->at("full_name").as_string(), "Member op@users.example");
}

TEST_F(UsersAdminHttpTest, RoleAndPermissionChangesApplyAndEndTheUsersSessions) {
  auto c = client();
  const auto op = add_member(c, admin_, "promote@users.example", "operator");
  ASSERT_EQ(c.get("/api/auth/me", op.auth()).result_int(), 200);

  auto res = patch_user(c, op.user_id, {{"role", "supervisor"}, {"full_name", "Thandi Nkosi"}, {"phone", nullptr}});
  ASSERT_EQ(res.result_int(), 200) << res.body();
  auto user = json_object(res);
  EXPECT_EQ(user.at("role").as_string(), "supervisor");
  EXPECT_EQ(user.at("full_name").as_string(), "Thandi Nkosi");
  EXPECT_EQ(user.at("permissions").as_array().size(), 17u);  // the supervisor's defaults
  EXPECT_EQ(c.get("/api/auth/me", op.auth()).result_int(), 401);  // the old token claimed operator

  res = patch_user(c, op.user_id,
                   {{"custom_permissions", json::object{{"financials.read", true}, {"grower.write", false}}},
                    {"assigned_packhouses", json::array{"ph-1", "ph-2"}}});
  ASSERT_EQ(res.result_int(), 200) << res.body();
  user = json_object(res);
  std::set<std::string> permissions;
  for (const auto& p : user.at("permissions").as_array()) permissions.insert(std::string(p.as_string()));
  EXPECT_TRUE(permissions.contains("financials.read"));
  EXPECT_FALSE(permissions.contains("grower.write"));
  EXPECT_EQ(user.at("custom_permissions"), (json::object{{"financials.read", true}, {"grower.write", false}}));
  EXPECT_EQ(user.at("assigned_packhouses"), (json::array{"ph-1", "ph-2"}));

  // A fresh login carries the new role and permissions; {} clears the overrides.
  auto login = c.post("/api/auth/login", R"({"email":"promote@users.example","password":"member-pass-operator"})");
  ASSERT_EQ(login.result_int(), 200) << login.body();
  EXPECT_EQ(json_object(login).at("user").at("role").as_string(), "supervisor");
  res = patch_user(c, op.user_id, {{"custom_permissions", json::object{}}});
  ASSERT_EQ(res.result_int(), 200);
  EXPECT_TRUE(json_object(res).at("custom_permissions").is_null());

  // A name change alone ends no session.
  const auto kept = add_member(c, admin_, "kept@users.example", "operator");
  ASSERT_EQ(patch_user(c, kept.user_id, {{"full_name", "Kept Session"}}).result_int(), 200);
  EXPECT_EQ(c.get("/api/auth/me", kept.auth()).result_int(), 200);
}

TEST_F(UsersAdminHttpTest, RefusalsChangeNothing) {
  auto c = client();
  const auto op = add_member(c, admin_, "target@users.example", "operator");
  const auto other = add_member(c, admin_, "phone@users.example", "operator");
  ASSERT_EQ(patch_user(c, other.user_id, {{"phone", "+27821234567"}}).result_int(), 200);
  auto stranger = register_account(c, "stranger2@elsewhere.example");
  create_enterprise(c, stranger, "Elsewhere Two");

  auto own = patch_user(c, admin_.user_id, {{"role", "operator"}});
  EXPECT_EQ(own.result_int(), 400);
  EXPECT_EQ(json_object(own).at("detail").as_string(), "Cannot change your own role");
  auto bad_role = patch_user(c, op.user_id, {{"role", "platform_admin"}});
  EXPECT_EQ(bad_role.result_int(), 400);
  EXPECT_EQ(json_object(bad_role).at("detail").as_string(),
            "Invalid role. Must be one of: administrator, operator, supervisor");
  auto unknown = patch_user(c, op.user_id, {{"custom_permissions", json::object{{"everything.all", true}}}});
  ASSERT_EQ(unknown.result_int(), 422);
  EXPECT_EQ(json_object(unknown).at("detail").as_array()[0].at("loc"),
            (json::array{"body", "custom_permissions", "everything.all"}));
  EXPECT_EQ(patch_user(c, op.user_id, {{"full_name", ""}}).result_int(), 422);
  auto taken = patch_user(c, op.user_id, {{"phone", "+27821234567"}});
  EXPECT_EQ(taken.result_int(), 422);
  EXPECT_EQ(json_object(taken).at("error").at("code").as_string(), "DUPLICATE_RECORD");
  for (const auto& id : {stranger.user_id, std::string("no-such-user")}) {
    auto res = patch_user(c, id, {{"full_name", "Hijacked"}});
    EXPECT_EQ(res.result_int(), 404);
    EXPECT_EQ(json_object(res).at("detail").as_string(), "User not found");
    EXPECT_EQ(post_user(c, id, "deactivate").result_int(), 404);
  }
  const auto users = listed(c);
  EXPECT_EQ(find(users, op.user_id)->at("role").as_string(), "operator");
  EXPECT_TRUE(find(users, op.user_id)->at("phone").is_null());
  EXPECT_EQ(find(users, admin_.user_id)->at("role").as_string(), "administrator");
  EXPECT_EQ(c.get("/api/auth/me", stranger.auth()).result_int(), 200);
}

TEST_F(UsersAdminHttpTest, DeactivationEndsSessionsAndReactivationAllowsLoginAgain) {
  auto c = client();
  const auto op = add_member(c, admin_, "leaver@users.example", "operator");
  auto self = post_user(c, admin_.user_id, "deactivate");
  EXPECT_EQ(self.result_int(), 400);
  EXPECT_EQ(json_object(self).at("detail").as_string(), "Cannot deactivate yourself");

  auto res = post_user(c, op.user_id, "deactivate");
  ASSERT_EQ(res.result_int(), 200) << res.body();
  EXPECT_FALSE(json_object(res).at("is_active").as_bool());
  EXPECT_EQ(c.get("/api/auth/me", op.auth()).result_int(), 401);
  const std::string credentials = R"({"email":"leaver@users.example","password":"member-pass-operator"})";
  auto refused = c.post("/api/auth/login", credentials);
  EXPECT_EQ(refused.result_int(), 403);
  EXPECT_EQ(json_object(refused).at("detail").as_string(), "Account deactivated");
  EXPECT_FALSE(find(listed(c), op.user_id)->at("is_active").as_bool());  // still listed

  res = post_user(c, op.user_id, "activate");
  ASSERT_EQ(res.result_int(), 200) << res.body();
  EXPECT_TRUE(json_object(res).at("is_active").as_bool());
  EXPECT_EQ(c.get("/api/auth/me", op.auth()).result_int(), 401);  // revoked sessions stay revoked
  EXPECT_EQ(c.post("/api/auth/login", credentials).result_int(), 200);
}

}  // namespace
}  // namespace fruitpak::testing
