#pragma once
// Request ids: the client's X-Request-ID when it is sane (1..128 of [A-Za-z0-9._-]),
// otherwise a fresh random 32-hex id.

#include <string>
#include <string_view>

namespace fruitpak::http {

std::string request_id_for(std::string_view client_value);

}  // namespace fruitpak::http
