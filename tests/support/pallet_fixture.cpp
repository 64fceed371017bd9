#include "support/pallet_fixture.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

namespace fruitpak::testing {

boost::json::object pack_lot(HttpClient& c, const Account& owner, const IntakeSetup& setup, std::int64_t cartons,
                             const boost::json::object& extra) {
  auto grn = post_grn(c, owner, setup);
  EXPECT_EQ(grn.result_int(), 201) << grn.body();
  if (grn.result_int() != 201) return {};
  const std::string batch_id(json_object(grn).at("batch").at("id").as_string());
  boost::json::object item{{"grade", "Class 1"}, {"carton_count", cartons}};
  for (const auto& [key, value] : extra) item[key] = value;
  boost::json::object body{{"lots", boost::json::array{item}}, {"allow_overpack", true}};
  auto res = c.post("/api/lots/from-batch/" + batch_id, boost::json::serialize(body), owner.auth());
  EXPECT_EQ(res.result_int(), 201) << res.body();
  if (res.result_int() != 201) return {};
  return boost::json::parse(res.body()).as_array().at(0).as_object();
}

HttpResponse post_pallets_from_lots(HttpClient& c, const Account& owner, const std::string& packhouse_id,
                                    const boost::json::array& assignments, std::int64_t capacity) {
  boost::json::object body{{"pallet_type_name", "Standard"},
                           {"capacity_boxes", capacity},
                           {"packhouse_id", packhouse_id},
                           {"lot_assignments", assignments}};
  return c.post("/api/pallets/from-lots", boost::json::serialize(body), owner.auth());
}

boost::json::object create_loaded_pallet(HttpClient& c, const Account& owner) {
  auto setup = create_intake_setup(c, owner);
  auto lot = pack_lot(c, owner, setup, 10);
  if (lot.empty()) return {};
  boost::json::array assignments{boost::json::object{{"lot_id", lot.at("id")}, {"box_count", 10}}};
  auto built = post_pallets_from_lots(c, owner, setup.packhouse_id, assignments);
  EXPECT_EQ(built.result_int(), 201) << built.body();
  if (built.result_int() != 201) return {};
  const std::string id(boost::json::parse(built.body()).as_array().at(0).at("id").as_string());
  auto detail = c.get("/api/pallets/" + id, owner.auth());
  EXPECT_EQ(detail.result_int(), 200) << detail.body();
  return json_object(detail);
}

}  // namespace fruitpak::testing
