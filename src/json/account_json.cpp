#include "json/account_json.hpp"

#include "json/values.hpp"

#include <boost/json/array.hpp>

namespace fruitpak::json {
boost::json::object to_json(const domain::User& user) {
  boost::json::object o;
  o["id"] = user.id;
  o["email"] = user.email;
  o["full_name"] = user.full_name;
  o["phone"] = nullable(user.phone);
  o["role"] = domain::to_string(user.role);
  o["is_active"] = user.is_active;
  o["enterprise_id"] = nullable(user.enterprise_id);
  o["permissions"] = strings(user.permissions());
  if (user.assigned_packhouses) {
    o["assigned_packhouses"] = strings(*user.assigned_packhouses);
  } else {
    o["assigned_packhouses"] = nullptr;
  }
  return o;
}

boost::json::object to_json(const domain::TokenPair& tokens) {
  return boost::json::object{{"access_token", tokens.access_token},
                             {"refresh_token", tokens.refresh_token},
                             {"token_type", "bearer"},
                             {"user", to_json(tokens.user)}};
}

boost::json::object to_json(const domain::Enterprise& e) {
  return boost::json::object{{"id", e.id},
                             {"name", e.name},
                             {"country", e.country},
                             {"tenant_schema", e.tenant_schema},
                             {"is_onboarded", e.is_onboarded}};
}

}  // namespace fruitpak::json
