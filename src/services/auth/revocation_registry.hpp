#pragma once
// The in-memory mirror of revoked login sessions, consulted on every authenticated request
// so that verifying a token touches neither the database nor Redis. Filled at start from
// the database and kept current by RevocationSync. Safe for concurrent use.

#include <cstdint>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace fruitpak::services::auth {

class RevocationRegistry {
 public:
  bool is_revoked(std::string_view session_id) const;
  // `expires_epoch`: when the session's last token expires; the entry is dropped after.
  void add(std::string session_id, std::int64_t expires_epoch);
  // Drops entries whose tokens have all expired.
  void purge(std::int64_t now_epoch);
  std::size_t size() const;

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, std::int64_t, Hash, std::equal_to<>> revoked_;
};

}  // namespace fruitpak::services::auth
