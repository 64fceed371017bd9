#include "http/router.hpp"

#include <gtest/gtest.h>

namespace fruitpak::http {
namespace {

Handler tagged(std::string) {
  return [](Request&) -> net::awaitable<Response> { co_return Response{}; };
}

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.add(Method::get, "/api/batches/", tagged("list"));
    router_.add(Method::post, "/api/batches/grn", tagged("grn"));
    router_.add(Method::get, "/api/batches/{batch_id}", tagged("get"));
    router_.add(Method::patch, "/api/batches/{batch_id}", tagged("patch"));
    router_.add(Method::get, "/api/batches/{batch_id}/qr", tagged("qr"));
    router_.add(Method::get, "/health", tagged("health"));
  }
  const Route* matched(Method m, std::string_view path, std::vector<std::pair<std::string, std::string>>* params = nullptr) {
    auto result = router_.match(m, path);
    auto* match = std::get_if<RouteMatch>(&result);
    if (!match) return nullptr;
    if (params) *params = match->params;
    return match->route;
  }
  Router router_;
};

TEST_F(RouterTest, CollectionAnswersWithAndWithoutTrailingSlash) {
  const Route* with = matched(Method::get, "/api/batches/");
  const Route* without = matched(Method::get, "/api/batches");
  ASSERT_NE(with, nullptr);
  EXPECT_EQ(with, without);
  EXPECT_EQ(with->path_template, "/api/batches/");
}

TEST_F(RouterTest, PathParameterIsCaptured) {
  std::vector<std::pair<std::string, std::string>> params;
  const Route* r = matched(Method::get, "/api/batches/abc-123/qr", &params);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->path_template, "/api/batches/{batch_id}/qr");
  ASSERT_EQ(params.size(), 1u);
  EXPECT_EQ(params[0].first, "batch_id");
  EXPECT_EQ(params[0].second, "abc-123");
}

TEST_F(RouterTest, StaticSegmentWinsOverParameterForItsMethod) {
  EXPECT_EQ(matched(Method::post, "/api/batches/grn")->path_template, "/api/batches/grn");
  // GET has no static route "grn", so the parameter route answers, as in the original.
  EXPECT_EQ(matched(Method::get, "/api/batches/grn")->path_template, "/api/batches/{batch_id}");
}

TEST_F(RouterTest, UnknownPathIsNoRoute) {
  EXPECT_TRUE(std::holds_alternative<NoRoute>(router_.match(Method::get, "/api/nothing")));
  EXPECT_TRUE(std::holds_alternative<NoRoute>(router_.match(Method::get, "/api/batches/a/b/c")));
}

TEST_F(RouterTest, WrongMethodListsAllowedMethods) {
  auto result = router_.match(Method::delete_, "/api/batches/xyz");
  auto* not_allowed = std::get_if<MethodNotAllowed>(&result);
  ASSERT_NE(not_allowed, nullptr);
  EXPECT_NE(not_allowed->allow.find("GET"), std::string::npos);
  EXPECT_NE(not_allowed->allow.find("PATCH"), std::string::npos);
  EXPECT_EQ(not_allowed->allow.find("POST"), std::string::npos);
}

TEST_F(RouterTest, DuplicateRouteIsRejectedAtStartUp) {
  EXPECT_THROW(router_.add(Method::get, "/health/", tagged("again")), std::logic_error);
}

TEST_F(RouterTest, ConflictingParameterNamesAreRejected) {
  EXPECT_THROW(router_.add(Method::delete_, "/api/batches/{id}", tagged("x")), std::logic_error);
}

TEST_F(RouterTest, RoutesAreListedInRegistrationOrder) {
  auto routes = router_.routes();
  ASSERT_EQ(routes.size(), 6u);
  EXPECT_EQ(routes.front()->path_template, "/api/batches/");
  EXPECT_EQ(routes.back()->path_template, "/health");
}

}  // namespace
}  // namespace fruitpak::http
