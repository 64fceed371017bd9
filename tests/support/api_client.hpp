#pragma once
// Account helpers over the real HTTP API for tests: register, create an enterprise, get a
// tenant token.

#include "support/http_client.hpp"

#include <boost/json/object.hpp>

#include <string>

namespace fruitpak::testing {

struct Account {
  std::string email;
  std::string password;
  std::string access_token;
  std::string refresh_token;
  std::string user_id;
  std::string enterprise_id;  // empty until an enterprise exists

  std::map<std::string, std::string> auth() const { return {{"Authorization", "Bearer " + access_token}}; }
};

boost::json::object json_object(const HttpResponse& res);

// POST /api/auth/register; fails the test unless 201.
Account register_account(HttpClient& client, const std::string& email, const std::string& password = "correct horse");

// POST /api/enterprises/ then /reissue-token: the account becomes an enterprise admin with
// a tenant token.
void create_enterprise(HttpClient& client, Account& account, const std::string& name);

// POST /api/auth/signup by `admin` (a user of the admin's enterprise with `role`), then a
// login as that user; fails the test unless both succeed.
Account add_member(HttpClient& client, const Account& admin, const std::string& email, const std::string& role);

}  // namespace fruitpak::testing
