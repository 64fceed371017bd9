#pragma once
// gzip (RFC 1952) of a whole buffer with zlib, for responses sent with
// Content-Encoding: gzip. Compressed once when a response is cached, never per request.

#include <string>
#include <string_view>

namespace fruitpak::util {

// The gzip stream of `data` at the default level; empty if zlib fails (the caller then
// sends the identity body).
std::string gzip(std::string_view data);

}  // namespace fruitpak::util
