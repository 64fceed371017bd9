// Revocation across instances: two servers on one database (and one Redis when the suite
// has one). A logout on one is honoured by the other within a second, without the other
// touching the database or Redis to verify tokens.

#include "support/api_client.hpp"
#include "support/server_fixture.hpp"

#include <chrono>

namespace fruitpak::testing {
namespace {

class RevocationHttpTest : public ServerFixture {};

TEST_F(RevocationHttpTest, LogoutOnOneInstanceIsHonouredByAnotherWithinASecond) {
  // The broadcast goes through Redis: without it this test has nothing to prove.
  ASSERT_TRUE(config_.redis) << "needs FRUITPAK_TEST_REDIS_URL; run the suite through scripts/test";
  config_.rate_limit_user_per_minute = 1000000;  // the loop below asks often
  start();
  app::ServerApp second(config_);
  second.start(false);
  HttpClient to_first = client();
  HttpClient to_second(second.port());

  Account a = register_account(to_first, "twice@example.com");
  ASSERT_EQ(to_second.get("/api/auth/me", a.auth()).result_int(), 200);
  ASSERT_EQ(to_first.post("/api/auth/logout", "", a.auth()).result_int(), 204);

  const auto logged_out = std::chrono::steady_clock::now();
  int status = 200;
  while (status == 200 && std::chrono::steady_clock::now() - logged_out < std::chrono::seconds(1)) {
    status = to_second.get("/api/auth/me", a.auth()).result_int();
  }
  EXPECT_EQ(status, 401) << "the second instance still accepted the token a second after logout";
  second.stop();
}

}  // namespace
}  // namespace fruitpak::testing
