#include "support/batch_fixture.hpp"

#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

namespace fruitpak::testing {

IntakeSetup create_intake_setup(HttpClient& c, const Account& owner) {
  IntakeSetup s;
  auto packhouse = c.post("/api/packhouses/", R"({"name":"Intake packhouse"})", owner.auth());
  EXPECT_EQ(packhouse.result_int(), 201) << packhouse.body();
  auto grower = c.post("/api/growers/", R"({"name":"Intake grower","region":"Citrusdal"})", owner.auth());
  EXPECT_EQ(grower.result_int(), 201) << grower.body();
  if (packhouse.result_int() == 201) s.packhouse_id = json_object(packhouse).at("id").as_string().c_str();
  if (grower.result_int() == 201) s.grower_id = json_object(grower).at("id").as_string().c_str();
  return s;
}

HttpResponse post_grn(HttpClient& c, const Account& owner, const IntakeSetup& setup, double gross_kg, double tare_kg) {
  boost::json::object body{{"grower_id", setup.grower_id}, {"packhouse_id", setup.packhouse_id},
                           {"fruit_type", "citrus"},       {"variety", "Navel"},
                           {"gross_weight_kg", gross_kg},  {"tare_weight_kg", tare_kg},
                           {"bin_count", 10}};
  return c.post("/api/batches/grn", boost::json::serialize(body), owner.auth());
}

}  // namespace fruitpak::testing
