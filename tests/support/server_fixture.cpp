#include "support/server_fixture.hpp"

#include "db/database.hpp"
#include "util/run_sync.hpp"

namespace fruitpak::testing {

void ServerFixture::SetUp() {
  engine_ = env("FRUITPAK_TEST_ENGINE").value_or("sqlite");
  if (engine_ == "pg") {
    pg_.emplace();
    config_ = test_config(pg_->url());
  } else {
    sqlite_.emplace();
    config_ = test_config(sqlite_->url());
  }
}

void ServerFixture::start() {
  app_ = std::make_unique<app::ServerApp>(config_);
  if (extra_routes) extra_routes(app_->router());
  if (extra_guarded_routes) extra_guarded_routes(app_->guard(), app_->router());
  app_->start(false);
}

void ServerFixture::TearDown() { app_.reset(); }

void ServerFixture::onboard(const std::string& enterprise_id) {
  db::Params id{enterprise_id};
  auto updated = util::run_sync(app_->database().execute("UPDATE enterprises SET is_onboarded = TRUE WHERE id = $1", id));
  ASSERT_TRUE(updated) << updated.error().detail;
  ASSERT_EQ(updated->affected(), 1);
}

}  // namespace fruitpak::testing

namespace fruitpak::testing {

Account ServerFixture::start_with_admin(const std::string& email, const std::string& enterprise, Onboarding onboarding) {
  config_.rate_limit_user_per_minute = 1000000;
  start();
  auto c = client();
  Account admin = register_account(c, email);
  create_enterprise(c, admin, enterprise);
  if (onboarding == Onboarding::kDone) onboard(admin.enterprise_id);
  return admin;
}

}  // namespace fruitpak::testing
