#include "http/errors.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

namespace fruitpak::http {
namespace {

TEST(ErrorsTest, ErrorBodyCarriesDetailAndErrorObject) {
  auto body = boost::json::parse(error_body(Status::not_found, "Grower not found")).as_object();
  EXPECT_EQ(body.at("detail").as_string(), "Grower not found");
  EXPECT_EQ(body.at("error").at("code").as_string(), "HTTP_404");
  EXPECT_EQ(body.at("error").at("message").as_string(), "Grower not found");
  EXPECT_FALSE(body.at("error").as_object().contains("details"));
}

TEST(ErrorsTest, ExplicitCodeReplacesHttpStatusCode) {
  auto body = boost::json::parse(error_body(Status::service_unavailable, kDatabaseUnavailableMessage,
                                            "DATABASE_UNAVAILABLE")).as_object();
  EXPECT_EQ(body.at("error").at("code").as_string(), "DATABASE_UNAVAILABLE");
}

TEST(ErrorsTest, ValidationBodyHasFastApiDetailAndOriginalErrors) {
  auto body = boost::json::parse(validation_error_body(
      {{{"body", "grower_id"}, "Field required", "missing"},
       {{"query", "limit"}, "Input should be less than or equal to 100", "less_than_equal"}})).as_object();
  const auto& detail = body.at("detail").as_array();
  ASSERT_EQ(detail.size(), 2u);
  EXPECT_EQ(detail[0].at("loc").as_array()[1].as_string(), "grower_id");
  EXPECT_EQ(detail[0].at("msg").as_string(), "Field required");
  EXPECT_EQ(detail[0].at("type").as_string(), "missing");
  EXPECT_EQ(body.at("error").at("code").as_string(), "VALIDATION_ERROR");
  EXPECT_EQ(body.at("error").at("message").as_string(), "Validation error");
  const auto& listed = body.at("error").at("details").at("errors").as_array();
  EXPECT_EQ(listed[0].at("field").as_string(), "body -> grower_id");
  EXPECT_EQ(listed[1].at("field").as_string(), "query -> limit");
}

TEST(ErrorsTest, ErrorResponseIsJsonWithLength) {
  auto res = error_response(Status::method_not_allowed, "Method Not Allowed");
  EXPECT_EQ(res.result(), Status::method_not_allowed);
  EXPECT_EQ(res[beast_http::field::content_type], "application/json");
  EXPECT_EQ(res[beast_http::field::content_length], std::to_string(res.body().size()));
}

}  // namespace
}  // namespace fruitpak::http
