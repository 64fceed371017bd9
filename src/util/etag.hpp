#pragma once
// Entity tags: one scheme and one If-None-Match rule for every response that carries an
// ETag (cached API reads and embedded static files).

#include <string>
#include <string_view>

namespace fruitpak::util {

// The strong ETag of `body`: its quoted MD5 hex ("\"<32 hex>\""), stable across builds and
// instances, so every instance serving the same bytes gives the same tag.
std::string etag_of(std::string_view body);

// Whether an If-None-Match header value names `etag`: a comma-separated list of tags,
// compared weakly (a "W/" prefix is ignored, RFC 9110 13.1.2), or "*". Empty: false.
bool etag_matches(std::string_view if_none_match, std::string_view etag);

}  // namespace fruitpak::util
