#include "support/server_fixture.hpp"

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

}  // namespace fruitpak::testing
