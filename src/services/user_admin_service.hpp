#pragma once
// An administrator's view of the enterprise's users (issue 7 point 6, contract 11.13): list
// them, change a role, name, phone, packhouses or custom permissions, deactivate and
// reactivate. Only a caller whose stored role is administrator may do any of it. Changes
// that alter what a user's tokens claim (role, custom permissions) and deactivation
// revoke every session of that user at once. Safe for concurrent use.

#include "domain/account.hpp"
#include "util/asio.hpp"
#include "util/query_counter.hpp"
#include "util/result.hpp"

#include <functional>
#include <string>
#include <vector>

namespace fruitpak::db {
class Database;
}

namespace fruitpak::services {

namespace auth {
class AuthService;
}

// What an administrator asked to change; absent fields stay as they are.
struct MembershipChange {
  std::optional<domain::Role> role;
  std::optional<std::string> full_name;
  std::optional<std::optional<std::string>> phone;  // a value: set; nullopt inside: clear
  std::optional<std::vector<std::string>> assigned_packhouses;
  std::optional<std::map<std::string, bool>> custom_permissions;  // {} clears
};

class UserAdminService {
 public:
  UserAdminService(db::Database& db, auth::AuthService& auth) : db_(db), auth_(auth) {}

  // Every user of the caller's enterprise, inactive ones included, newest first.
  // kForbidden "Requires role: administrator" unless the caller is one.
  [[nodiscard]] net::awaitable<Result<std::vector<domain::User>>> list(domain::Principal caller,
                                                                       util::QueryCounter* counter);

  // kNotFound "User not found" (unknown or of another enterprise); kInvalidInput "Cannot
  // change your own role"; kConflict for a phone another user has.
  [[nodiscard]] net::awaitable<Result<domain::User>> change(domain::Principal caller, std::string user_id,
                                                            MembershipChange change, util::QueryCounter* counter);

  // Deactivation: kInvalidInput "Cannot deactivate yourself" (checked first), kNotFound.
  // Reactivation does not bring back revoked sessions: the user logs in again.
  [[nodiscard]] net::awaitable<Result<domain::User>> set_active(domain::Principal caller, std::string user_id,
                                                                bool active, util::QueryCounter* counter);

 private:
  net::awaitable<Result<domain::User>> member(const domain::Principal& caller, const std::string& user_id,
                                              util::QueryCounter* counter);
  net::awaitable<Result<void>> require_administrator(const domain::Principal& caller, util::QueryCounter* counter);

  db::Database& db_;
  auth::AuthService& auth_;
};

}  // namespace fruitpak::services
