// /api/growers on both engines: create, list, get, patch, soft delete, validation, 404s.

#include "support/api_client.hpp"
#include "support/server_fixture.hpp"

#include <boost/json/serialize.hpp>

namespace fruitpak::testing {
namespace {

namespace json = boost::json;

class GrowersHttpTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    admin_ = start_with_admin("gr-admin@example.com", "Grower Co", Onboarding::kDone);
  }
  HttpResponse create(HttpClient& c, const json::object& body) {
    return c.post("/api/growers/", json::serialize(body), admin_.auth());
  }
  Account admin_;
};

TEST_F(GrowersHttpTest, CreateGetListWithContractShape) {
  auto c = client();
  auto created = create(c, {{"name", "Van der Merwe Boerdery"}, {"grower_code", "VDM01"}, {"region", "Citrusdal"},
                            {"fields", json::array{json::object{{"name", "Block A"}, {"hectares", 12.25}},
                                                   json::object{{"name", "Block B"}, {"hectares", 3.5}}}}});
  ASSERT_EQ(created.result_int(), 201) << created.body();
  auto g = json_object(created);
  for (const char* key : {"id", "name", "grower_code", "email", "phone", "region", "total_hectares", "contact_person",
                          "estimated_volume_tons", "globalg_ap_certified", "globalg_ap_number", "fields", "notes"}) {
    EXPECT_TRUE(g.contains(key)) << key;
  }
  EXPECT_DOUBLE_EQ(g.at("total_hectares").as_double(), 15.75);  // the fields' sum
  EXPECT_TRUE(g.at("email").is_null());
  EXPECT_FALSE(g.at("globalg_ap_certified").as_bool());
  const std::string id(g.at("id").as_string());
  EXPECT_EQ(json_object(c.get("/api/growers/" + id, admin_.auth())), g);
  ASSERT_EQ(create(c, {{"name", "Abrahams Farms"}}).result_int(), 201);
  auto page = json_object(c.get("/api/growers?limit=1", admin_.auth()));
  EXPECT_EQ(page.at("total").as_int64(), 2);
  EXPECT_EQ(page.at("items").as_array()[0].at("name").as_string(), "Abrahams Farms");
}

TEST_F(GrowersHttpTest, DuplicateCodeIs422AndEmptyCodeMeansNull) {
  auto c = client();
  ASSERT_EQ(create(c, {{"name", "A"}, {"grower_code", "X1"}}).result_int(), 201);
  auto dup = create(c, {{"name", "B"}, {"grower_code", "X1"}});
  EXPECT_EQ(dup.result_int(), 422);
  EXPECT_EQ(json_object(dup).at("error").at("code").as_string(), "DUPLICATE_RECORD");
  // Two growers sent with "" do not collide (decision D10: empty code = null).
  EXPECT_EQ(create(c, {{"name", "C"}, {"grower_code", ""}}).result_int(), 201);
  EXPECT_EQ(create(c, {{"name", "D"}, {"grower_code", ""}}).result_int(), 201);
}

TEST_F(GrowersHttpTest, PatchAppliesOnlySentKeysAndNullClears) {
  auto c = client();
  auto g = json_object(create(c, {{"name", "Patch Me"}, {"region", "Ceres"}, {"phone", "+2721"}}));
  const std::string id(g.at("id").as_string());
  auto patched = c.request(boost::beast::http::verb::patch, "/api/growers/" + id, R"({"region": null, "notes": "n"})",
                           admin_.auth());
  ASSERT_EQ(patched.result_int(), 200) << patched.body();
  auto p = json_object(patched);
  EXPECT_TRUE(p.at("region").is_null());
  EXPECT_EQ(p.at("phone").as_string(), "+2721");
  EXPECT_EQ(p.at("notes").as_string(), "n");
  EXPECT_EQ(p.at("name").as_string(), "Patch Me");
  auto bad = c.request(boost::beast::http::verb::patch, "/api/growers/" + id, R"({"name": null})", admin_.auth());
  EXPECT_EQ(bad.result_int(), 422);
}

TEST_F(GrowersHttpTest, DeleteHidesTheGrowerAndUnknownIdsAre404) {
  auto c = client();
  auto g = json_object(create(c, {{"name", "Gone"}}));
  const std::string id(g.at("id").as_string());
  auto deleted = c.request(boost::beast::http::verb::delete_, "/api/growers/" + id, "", admin_.auth());
  EXPECT_EQ(deleted.result_int(), 204);
  auto after = c.get("/api/growers/" + id, admin_.auth());
  EXPECT_EQ(after.result_int(), 404);
  EXPECT_EQ(json_object(after).at("detail").as_string(), "Grower not found");
  EXPECT_EQ(c.request(boost::beast::http::verb::delete_, "/api/growers/" + id, "", admin_.auth()).result_int(), 404);
  EXPECT_EQ(json_object(c.get("/api/growers/", admin_.auth())).at("total").as_int64(), 0);
}

TEST_F(GrowersHttpTest, ValidationNamesTheField) {
  auto c = client();
  auto res = create(c, {{"name", "X"}, {"total_hectares", -3}, {"fields", "not a list"}});
  ASSERT_EQ(res.result_int(), 422);
  auto detail = json_object(res).at("detail").as_array();
  ASSERT_EQ(detail.size(), 2u);
  EXPECT_EQ(detail[0].at("loc").as_array()[1].as_string(), "total_hectares");
  EXPECT_EQ(detail[1].at("loc").as_array()[1].as_string(), "fields");
  EXPECT_EQ(json_object(c.get("/api/growers/", admin_.auth())).at("total").as_int64(), 0);
}

}  // namespace
}  // namespace fruitpak::testing
