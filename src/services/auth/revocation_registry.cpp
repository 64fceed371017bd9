#include "services/auth/revocation_registry.hpp"

#include <mutex>

namespace fruitpak::services::auth {

bool RevocationRegistry::is_revoked(std::string_view session_id) const {
  std::shared_lock lock(mutex_);
  return revoked_.find(session_id) != revoked_.end();
}

void RevocationRegistry::add(std::string session_id, std::int64_t expires_epoch) {
  std::unique_lock lock(mutex_);
  auto& expiry = revoked_[std::move(session_id)];
  expiry = std::max(expiry, expires_epoch);
}

void RevocationRegistry::purge(std::int64_t now_epoch) {
  std::unique_lock lock(mutex_);
  std::erase_if(revoked_, [now_epoch](const auto& entry) { return entry.second <= now_epoch; });
}

std::size_t RevocationRegistry::size() const {
  std::shared_lock lock(mutex_);
  return revoked_.size();
}

}  // namespace fruitpak::services::auth
