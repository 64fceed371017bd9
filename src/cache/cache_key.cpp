#include "cache/cache_key.hpp"

#include "util/crypto.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>

namespace fruitpak::cache {
namespace {

// A JSON string literal as Python's json.dumps writes it (ASCII only: non-ASCII escaped).
void append_python_json_string(std::string& out, std::string_view text) {
  out += '"';
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (c < 0x20 || c >= 0x80) {
          // Bytes of non-ASCII text are escaped one by one: keys stay stable and distinct,
          // which is all a hash input needs.
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

}  // namespace

std::string args_hash(const CacheArgs& args) {
  if (args.empty()) return "default";
  std::string canonical = R"({"args": [], "kwargs": {)";
  bool first = true;
  for (const auto& [name, value] : args) {
    if (!first) canonical += ", ";
    first = false;
    append_python_json_string(canonical, name);
    canonical += ": ";
    append_python_json_string(canonical, value);
  }
  canonical += "}}";
  return util::md5_hex(canonical);
}

std::string KeyBuilder::key(const domain::TenantId& tenant, std::string_view prefix, std::string_view function,
                            const CacheArgs& args) const {
  std::string key = prefix_namespace(tenant, prefix);
  key += function;
  key += ':';
  key += args_hash(args);
  return key;
}

std::string KeyBuilder::tenant_namespace(const domain::TenantId& tenant) const {
  return "fp:" + version_ + ":{t" + tenant.value() + "}:";
}

std::string KeyBuilder::prefix_namespace(const domain::TenantId& tenant, std::string_view prefix) const {
  return tenant_namespace(tenant) + std::string(prefix) + ":";
}

std::string KeyBuilder::generation_key(const domain::TenantId& tenant, std::string_view prefix) const {
  return tenant_namespace(tenant) + "gen:" + std::string(prefix);
}

std::optional<KeyParts> KeyBuilder::parse(std::string_view key) const {
  const std::string space = version_namespace() + "{t";
  if (!key.starts_with(space)) return std::nullopt;
  key.remove_prefix(space.size());
  const auto tenant_end = key.find("}:");
  if (tenant_end == 0 || tenant_end == std::string_view::npos) return std::nullopt;
  KeyParts parts;
  parts.tenant = key.substr(0, tenant_end);
  key.remove_prefix(tenant_end + 2);
  if (key.starts_with("gen:")) {
    parts.generation = true;
    parts.prefix = key.substr(4);
  } else {
    parts.prefix = key.substr(0, key.find(':'));
  }
  if (parts.prefix.empty()) return std::nullopt;
  return parts;
}

}  // namespace fruitpak::cache
