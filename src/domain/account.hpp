#pragma once
// Users, enterprises (tenants) and the authenticated caller.

#include "domain/permissions.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace fruitpak::domain {

// The tenant a request acts for. Constructed only from a verified token (api layer) or by
// trusted code (demo loader, scheduler); repositories of tenant-owned tables require it, so
// an unscoped query cannot be written by accident.
class TenantId {
 public:
  explicit TenantId(std::string enterprise_id) : value_(std::move(enterprise_id)) {}
  const std::string& value() const { return value_; }
  bool operator==(const TenantId&) const = default;

 private:
  std::string value_;
};

struct User {
  std::string id;
  std::string email;
  std::optional<std::string> hashed_password;  // never leaves the server
  std::string full_name;
  std::optional<std::string> phone;
  Role role = Role::kOperator;
  bool is_active = true;
  bool otp_verified = false;
  std::optional<std::string> enterprise_id;
  std::map<std::string, bool> custom_permissions;
  std::optional<std::vector<std::string>> assigned_packhouses;
  std::optional<std::string> created_by;
  std::string created_at;
  std::string updated_at;

  std::vector<std::string> permissions() const { return resolve_permissions(role, custom_permissions); }
};

struct Enterprise {
  std::string id;
  std::string name;
  std::string country;
  std::string tenant_schema;  // "tenant_" + first 12 hex of the id (decision D5)
  bool is_active = true;
  bool is_onboarded = false;
  std::string created_at;
};

// "tenant_" + the first 12 hex digits of the enterprise id (dashes removed).
std::string tenant_schema_for(const std::string& enterprise_id);

// The verified caller of a request, from its access token.
struct Principal {
  std::string user_id;
  Role role = Role::kOperator;
  std::vector<std::string> permissions;
  std::optional<TenantId> tenant;
  std::optional<std::string> tenant_schema;
  std::string session_id;  // the token's "sid"
  std::string token_id;    // the token's "jti"
};

// Access and refresh token with the user they were issued for.
struct TokenPair {
  std::string access_token;
  std::string refresh_token;
  User user;
};

}  // namespace fruitpak::domain
