#pragma once
// JSON of accounts (contract 2.0): UserOut, Token, EnterpriseOut. Every key is always
// present; absent values are null.

#include "domain/account.hpp"

#include <boost/json/object.hpp>

#include <string>

namespace fruitpak::json {

boost::json::object to_json(const domain::User& user);
boost::json::object to_json(const domain::TokenPair& tokens);
boost::json::object to_json(const domain::Enterprise& enterprise);

}  // namespace fruitpak::json
