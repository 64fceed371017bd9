#pragma once
// Runs the real server (app::ServerApp) in process on an ephemeral port, against the
// engine FRUITPAK_TEST_ENGINE names (sqlite by default), with a fresh database per test.

#include "api/guard.hpp"
#include "app/server_app.hpp"
#include "support/api_client.hpp"
#include "support/http_client.hpp"
#include "support/test_env.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <optional>

namespace fruitpak::testing {

class ServerFixture : public ::testing::Test {
 protected:
  // Tests may adjust the config, and add routes through `extra_routes`, before start().
  void SetUp() override;
  void TearDown() override;

  void start();
  HttpClient client() { return HttpClient(app_->port()); }
  app::ServerApp& app() { return *app_; }
  bool is_pg() const { return engine_ == "pg"; }
  // Marks an enterprise onboarded directly in the database (until a test walks the wizard).
  void onboard(const std::string& enterprise_id);
  // The usual start of a tenant test: rate limits out of the way, the server started, and
  // an administrator of a new enterprise (onboarded unless the test walks the wizard).
  enum class Onboarding { kDone, kPending };
  Account start_with_admin(const std::string& email, const std::string& enterprise,
                           Onboarding onboarding = Onboarding::kDone);

  config::Config config_;
  std::function<void(http::Router&)> extra_routes;
  std::function<void(api::Guard&, http::Router&)> extra_guarded_routes;

 private:
  std::string engine_;
  std::optional<TempPgDatabase> pg_;
  std::optional<TempSqliteFile> sqlite_;
  std::unique_ptr<app::ServerApp> app_;
};

}  // namespace fruitpak::testing
