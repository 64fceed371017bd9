// One packhouse's season end to end through the API on both engines (issue 7, "whole-season
// flow"): intake -> lots -> pallets -> container -> export -> invoice -> payments, with the
// traceability views along the way. Every expected figure is worked out by hand in the
// comments, not by calling the code under test.

#include "support/batch_fixture.hpp"
#include "support/server_fixture.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <set>

namespace fruitpak::testing {
namespace {

namespace json = boost::json;
using boost::beast::http::verb;

class SeasonFlowHttpTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    admin_ = start_with_admin("season@flow.example", "Flow Packers", Onboarding::kDone);
    auto c = client();
    setup_ = create_intake_setup(c, admin_);
  }

  // Sends the request and requires `status`; returns the body as JSON.
  json::value call(HttpClient& c, verb method, const std::string& path, const json::value& body, int status) {
    auto res = c.request(method, path, body.is_null() ? std::string() : json::serialize(body), admin_.auth());
    EXPECT_EQ(res.result_int(), status) << method << " " << path << ": " << res.body();
    return res.body().empty() ? json::value() : parse_json(res.body());
  }
  json::value post(HttpClient& c, const std::string& path, const json::value& body, int status = 200) {
    return call(c, verb::post, path, body, status);
  }
  json::value get(HttpClient& c, const std::string& path) { return call(c, verb::get, path, nullptr, 200); }
  json::value patch(HttpClient& c, const std::string& path, const json::value& body) {
    return call(c, verb::patch, path, body, 200);
  }

  static std::string id_of(const json::value& v) { return std::string(v.at("id").as_string()); }
  static double number(const json::value& v, std::string_view key) { return v.at(key).to_number<double>(); }
  static std::int64_t integer(const json::value& v, std::string_view key) { return v.at(key).to_number<std::int64_t>(); }
  static std::set<std::string> strings(const json::value& list) {
    std::set<std::string> out;
    for (const auto& s : list.as_array()) out.emplace(s.as_string());
    return out;
  }

  Account admin_;
  IntakeSetup setup_;
};

TEST_F(SeasonFlowHttpTest, AWholeSeasonAddsUpFromIntakeToPayment) {
  auto c = client();

  // Intake: 1000 - 50 = 950 kg and 2000 - 100 = 1,900 kg net; 2,850 kg in all.
  auto grn_a = post_grn(c, admin_, setup_, 1000, 50);
  ASSERT_EQ(grn_a.result_int(), 201) << grn_a.body();
  auto grn_b = post_grn(c, admin_, setup_, 2000, 100);
  ASSERT_EQ(grn_b.result_int(), 201) << grn_b.body();
  const json::object batch_a = json_object(grn_a).at("batch").as_object();
  const json::object batch_b = json_object(grn_b).at("batch").as_object();
  const std::string batch_a_id = id_of(batch_a), batch_b_id = id_of(batch_b);
  const std::string batch_a_code(batch_a.at("batch_code").as_string());
  const std::string batch_b_code(batch_b.at("batch_code").as_string());

  // Lots: A packs 100 cartons of class 1 (450 kg) and 50 of class 2 (225 kg); B packs 200
  // cartons of class 1 (900 kg).
  json::array lots_a = post(c, "/api/lots/from-batch/" + batch_a_id,
                            json::parse(R"({"lots":[{"grade":"1","carton_count":100,"weight_kg":450},
                                                    {"grade":"2","carton_count":50,"weight_kg":225}]})"),
                            201)
                           .as_array();
  json::array lots_b = post(c, "/api/lots/from-batch/" + batch_b_id,
                            json::parse(R"({"lots":[{"grade":"1","carton_count":200,"weight_kg":900}]})"), 201)
                           .as_array();
  ASSERT_EQ(lots_a.size(), 2u);
  ASSERT_EQ(lots_b.size(), 1u);
  const std::string lot_a1 = id_of(lots_a[0]), lot_a2 = id_of(lots_a[1]), lot_b1 = id_of(lots_b[0]);

  // Each batch is packing now and shows its lots.
  auto detail_a = get(c, "/api/batches/" + batch_a_id);
  EXPECT_EQ(detail_a.at("status").as_string(), "packing");
  EXPECT_EQ(strings(json::array{detail_a.at("lots").as_array()[0].at("lot_code"),
                                detail_a.at("lots").as_array()[1].at("lot_code")}),
            (std::set<std::string>{batch_a_code + "-L01", batch_a_code + "-L02"}));
  EXPECT_EQ(get(c, "/api/batches/" + batch_b_id).at("lots").as_array().size(), 1u);

  // Pallets of 120 boxes: A1's 100 and B1's 200 boxes fill 120 + 120 + 60 (the first
  // pallet takes A1's 100 and 20 of B1). A2's 50 go on a pallet of their own.
  json::object from_lots{{"pallet_type_name", "Standard"},
                         {"capacity_boxes", 120},
                         {"packhouse_id", setup_.packhouse_id},
                         {"lot_assignments", json::array{json::object{{"lot_id", lot_a1}, {"box_count", 100}},
                                                         json::object{{"lot_id", lot_b1}, {"box_count", 200}}}}};
  json::array built = post(c, "/api/pallets/from-lots", from_lots, 201).as_array();
  ASSERT_EQ(built.size(), 3u);
  EXPECT_EQ(integer(built[0], "current_boxes"), 120);
  EXPECT_EQ(integer(built[1], "current_boxes"), 120);
  EXPECT_EQ(integer(built[2], "current_boxes"), 60);
  EXPECT_EQ(built[0].at("status").as_string(), "closed");
  EXPECT_EQ(built[2].at("status").as_string(), "open");
  auto single = post(c, "/api/pallets/",
                     json::object{{"pallet_type_name", "Standard"}, {"capacity_boxes", 120},
                                  {"packhouse_id", setup_.packhouse_id}},
                     201);
  const std::string single_id = id_of(single);
  post(c, "/api/pallets/" + single_id + "/allocate",
       json::object{{"lot_assignments", json::array{json::object{{"lot_id", lot_a2}, {"box_count", 50}}}}});

  // The first pallet traces to both lots and both batches.
  auto first_pallet = get(c, "/api/pallets/" + id_of(built[0]));
  EXPECT_EQ(strings(first_pallet.at("lot_codes")),
            (std::set<std::string>{batch_a_code + "-L01", batch_b_code + "-L01"}));
  EXPECT_EQ(strings(first_pallet.at("batch_codes")), (std::set<std::string>{batch_a_code, batch_b_code}));
  // Every box of every lot is on a pallet.
  EXPECT_EQ(integer(get(c, "/api/lots/?batch_id=" + batch_b_id).at("items").at(0), "palletized_boxes"), 200);

  // A container from the three full-lot pallets, then the fourth loaded: 4 pallets,
  // 120 + 120 + 60 + 50 = 350 cartons. Loaded, sealed, dispatched.
  json::array three{built[0].at("id"), built[1].at("id"), built[2].at("id")};
  auto container = post(c, "/api/containers/from-pallets",
                        json::object{{"container_type", "reefer_40ft"}, {"pallet_ids", three}}, 201);
  const std::string container_id = id_of(container);
  EXPECT_EQ(integer(container, "pallet_count"), 3);
  EXPECT_EQ(integer(container, "total_cartons"), 300);
  container = post(c, "/api/containers/" + container_id + "/load-pallets",
                   json::object{{"pallet_ids", json::array{json::value(single_id)}}});
  EXPECT_EQ(integer(container, "pallet_count"), 4);
  EXPECT_EQ(integer(container, "total_cartons"), 350);
  post(c, "/api/containers/" + container_id + "/mark-loaded", json::object{});
  auto sealed = post(c, "/api/containers/" + container_id + "/seal", json::object{{"seal_number", "SEAL-77"}});
  EXPECT_EQ(sealed.at("status").as_string(), "sealed");
  post(c, "/api/containers/" + container_id + "/dispatch", json::object{});
  auto shipped = get(c, "/api/containers/" + container_id);
  EXPECT_EQ(shipped.at("status").as_string(), "dispatched");
  EXPECT_EQ(shipped.at("seal_number").as_string(), "SEAL-77");
  EXPECT_EQ(shipped.at("pallets").as_array().size(), 4u);
  EXPECT_EQ(strings(shipped.at("batch_codes")), (std::set<std::string>{batch_a_code, batch_b_code}));

  // The export books the container: 1 container, 4 pallets, 350 cartons.
  auto booking = post(c, "/api/exports/",
                      json::object{{"booking_ref", "MSC-FLOW-1"},
                                   {"client_name", "Fresh Imports BV"},
                                   {"currency", "USD"},
                                   {"total_value", 4784.00},
                                   {"container_ids", json::array{json::value(container_id)}}},
                      201);
  const std::string export_id = id_of(booking);
  EXPECT_EQ(integer(booking, "container_count"), 1);
  EXPECT_EQ(integer(booking, "total_pallets"), 4);
  EXPECT_EQ(integer(booking, "total_cartons"), 350);
  patch(c, "/api/exports/" + export_id, json::object{{"status", "booked"}});
  patch(c, "/api/exports/" + export_id, json::object{{"status", "in_transit"}});

  // The invoice: 300 cartons at 12.50 = 3,750.00 and 50 at 8.20 = 410.00; subtotal
  // 4,160.00; 15 % tax 624.00; total 4,784.00.
  auto invoice = post(c, "/api/client-invoices/",
                      json::object{{"export_id", export_id},
                                   {"tax_rate_pct", 15},
                                   {"line_items", json::array{json::object{{"description", "Navels class 1"},
                                                                           {"quantity", 300},
                                                                           {"unit_price", 12.50}},
                                                              json::object{{"description", "Navels class 2"},
                                                                           {"quantity", 50},
                                                                           {"unit_price", 8.20}}}}},
                      201);
  const std::string invoice_id = id_of(invoice);
  EXPECT_EQ(invoice.at("client_name").as_string(), "Fresh Imports BV");
  EXPECT_EQ(invoice.at("currency").as_string(), "USD");
  EXPECT_DOUBLE_EQ(number(invoice, "subtotal"), 4160.00);
  EXPECT_DOUBLE_EQ(number(invoice, "tax_amount"), 624.00);
  EXPECT_DOUBLE_EQ(number(invoice, "total_amount"), 4784.00);
  EXPECT_DOUBLE_EQ(number(invoice, "balance_due"), 4784.00);
  post(c, "/api/client-invoices/" + invoice_id + "/issue", json::object{});

  // Paid 2,000.00, credited 84.00 for a quality claim, then the 2,700.00 left.
  auto part = post(c, "/api/client-invoices/" + invoice_id + "/payments", json::object{{"amount", 2000}});
  EXPECT_EQ(part.at("status").as_string(), "partially_paid");
  EXPECT_DOUBLE_EQ(number(part, "balance_due"), 2784.00);
  auto credit = post(c, "/api/credits/",
                     json::object{{"credit_type", "client_credit"},
                                  {"reason", "quality_claim"},
                                  {"invoice_id", invoice_id},
                                  {"total_amount", 84}},
                     201);
  post(c, "/api/credits/" + id_of(credit) + "/issue", json::object{});
  post(c, "/api/credits/" + id_of(credit) + "/apply", json::object{});
  EXPECT_DOUBLE_EQ(number(get(c, "/api/client-invoices/" + invoice_id), "balance_due"), 2700.00);
  auto settled = post(c, "/api/client-invoices/" + invoice_id + "/payments", json::object{{"amount", 2700}});
  EXPECT_EQ(settled.at("status").as_string(), "paid");
  EXPECT_DOUBLE_EQ(number(settled, "amount_paid"), 4700.00);
  EXPECT_DOUBLE_EQ(number(settled, "balance_due"), 0.0);

  // The export shows its container and its invoice.
  auto export_detail = get(c, "/api/exports/" + export_id);
  ASSERT_EQ(export_detail.at("containers").as_array().size(), 1u);
  EXPECT_EQ(id_of(export_detail.at("containers").as_array()[0]), container_id);
  ASSERT_EQ(export_detail.at("invoices").as_array().size(), 1u);
  EXPECT_EQ(export_detail.at("invoices").as_array()[0].at("status").as_string(), "paid");

  // The grower is paid for all 2,850 kg at 2.00/kg: 5,700.00.
  auto payment = post(c, "/api/payments/grower",
                      json::object{{"grower_id", setup_.grower_id}, {"amount", 5700}, {"payment_date", "2026-03-31"}},
                      201);
  EXPECT_DOUBLE_EQ(number(payment, "total_kg"), 2850.0);
  EXPECT_DOUBLE_EQ(number(payment, "gross_amount"), 5700.0);
  EXPECT_EQ(payment.at("batch_ids").as_array().size(), 2u);

  // Packing labour: 8 h x 45.50 x 12 people = 4,368.00.
  auto labour = post(c, "/api/labour-costs/",
                     json::object{{"category", "packing"},
                                  {"hours_worked", 8},
                                  {"rate_per_hour", 45.50},
                                  {"headcount", 12},
                                  {"work_date", "2026-03-02"},
                                  {"packhouse_id", setup_.packhouse_id}},
                     201);
  EXPECT_DOUBLE_EQ(number(labour, "total_amount"), 4368.00);
}

}  // namespace
}  // namespace fruitpak::testing
