#include "http/cors.hpp"

#include <gtest/gtest.h>

namespace fruitpak::http {
namespace {

Request preflight(std::string origin) {
  Request req;
  req.message.method(Method::options);
  req.message.target("/api/growers/");
  req.message.set("Origin", origin);
  req.message.set("Access-Control-Request-Method", "POST");
  req.message.set("Access-Control-Request-Headers", "authorization, content-type");
  return req;
}

const std::vector<std::string> kAllowed{"http://localhost:3000"};

TEST(CorsTest, PreflightFromAllowedOriginIsAnswered) {
  auto res = answer_preflight(preflight("http://localhost:3000"), kAllowed);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result(), Status::ok);
  EXPECT_EQ((*res)["Access-Control-Allow-Headers"], "authorization, content-type");
  EXPECT_NE((*res)["Access-Control-Allow-Methods"].find("PATCH"), std::string::npos);
}

TEST(CorsTest, PreflightFromOtherOriginIsRefused) {
  auto res = answer_preflight(preflight("http://evil.example"), kAllowed);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result(), Status::bad_request);
}

TEST(CorsTest, PlainOptionsIsNotAPreflight) {
  Request req;
  req.message.method(Method::options);
  EXPECT_FALSE(answer_preflight(req, kAllowed));
}

TEST(CorsTest, HeadersOnlyForAllowedOrigins) {
  Response res;
  add_cors_headers(preflight("http://localhost:3000"), res, kAllowed);
  EXPECT_EQ(res["Access-Control-Allow-Origin"], "http://localhost:3000");
  EXPECT_EQ(res["Access-Control-Allow-Credentials"], "true");
  Response other;
  add_cors_headers(preflight("http://evil.example"), other, kAllowed);
  EXPECT_EQ(other.count("Access-Control-Allow-Origin"), 0u);
}

TEST(CorsTest, WildcardAllowsAnyOrigin) {
  EXPECT_TRUE(origin_allowed("http://anything:1", {"*"}));
  EXPECT_FALSE(origin_allowed("", {"*"}));
}

}  // namespace
}  // namespace fruitpak::http
