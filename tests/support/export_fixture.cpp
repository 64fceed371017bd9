#include "support/export_fixture.hpp"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

namespace fruitpak::testing {

std::string create_export(HttpClient& c, const Account& owner, const std::string& booking_ref,
                          const std::string& client_name, const std::string& currency,
                          const std::vector<std::string>& container_ids) {
  boost::json::object body{{"booking_ref", booking_ref}, {"client_name", client_name}, {"currency", currency}};
  if (!container_ids.empty()) {
    boost::json::array ids;
    for (const auto& id : container_ids) ids.emplace_back(id);
    body["container_ids"] = std::move(ids);
  }
  auto res = c.post("/api/exports/", boost::json::serialize(body), owner.auth());
  EXPECT_EQ(res.result_int(), 201) << res.body();
  if (res.result_int() != 201) return {};
  return std::string(json_object(res).at("id").as_string());
}

void set_export_status(HttpClient& c, const Account& owner, const std::string& export_id, const std::string& status) {
  const boost::json::object body{{"status", status}};
  auto res = c.request(boost::beast::http::verb::patch, "/api/exports/" + export_id, boost::json::serialize(body),
                       owner.auth());
  EXPECT_EQ(res.result_int(), 200) << res.body();
}

}  // namespace fruitpak::testing
