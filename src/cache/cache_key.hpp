#pragma once
// Cache keys: fp:<cache_version>:{t<tenant>}:<prefix>:<function>:<md5(args)>.
//
// The braces are a Redis Cluster hash tag: only "t<tenant>" is hashed, so all of a
// tenant's keys, its generation keys included, live in one slot. The cache's pipeline of
// (generation, entry) and an invalidation's SCAN + UNLINK then stay on one node.
//
// The tenant is a domain::TenantId, which only the token verifier creates, so a key cannot
// be built without the tenant the caller belongs to (decision D11: the original's keys had
// no tenant and leaked responses across tenants). The md5 is the original's: over
// json.dumps({"args": [], "kwargs": K}, sort_keys=True) with Python's default separators,
// or the literal "default" when there are no arguments.

#include "domain/account.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace fruitpak::cache {

// The arguments a cached response depends on, by name (path and query parameters). A
// std::map keeps them sorted, which is what makes the hash stable.
using CacheArgs = std::map<std::string, std::string, std::less<>>;

// md5 hex of the canonical JSON of `args`, or "default" when empty.
std::string args_hash(const CacheArgs& args);

// What a key of our namespace says about itself (see KeyBuilder::parse).
struct KeyParts {
  std::string tenant;
  std::string prefix;
  bool generation = false;  // the (tenant, prefix) generation key, not a response
};

class KeyBuilder {
 public:
  explicit KeyBuilder(std::string version) : version_(std::move(version)) {}

  const std::string& version() const { return version_; }

  std::string key(const domain::TenantId& tenant, std::string_view prefix, std::string_view function,
                  const CacheArgs& args) const;

  // "fp:<version>:{t<tenant>}:" and "fp:<version>:{t<tenant>}:<prefix>:": what pattern
  // invalidation and a tenant clear match on.
  std::string tenant_namespace(const domain::TenantId& tenant) const;
  std::string prefix_namespace(const domain::TenantId& tenant, std::string_view prefix) const;

  // "fp:<version>:": everything of this deployment (operator `cache clear`).
  std::string version_namespace() const { return "fp:" + version_ + ":"; }

  // The Redis key holding the generation of (tenant, prefix): outside the response keys'
  // shape ("gen" is not a valid prefix) so a pattern invalidation never deletes it.
  std::string generation_key(const domain::TenantId& tenant, std::string_view prefix) const;

  // Splits a key of this version's namespace into tenant and prefix; nullopt for any other
  // key (another version, another application). Operator tools use it on SCAN results.
  std::optional<KeyParts> parse(std::string_view key) const;

 private:
  std::string version_;
};

}  // namespace fruitpak::cache
