#pragma once
// The one mapping from our error values to HTTP (STYLE.md section 3): status by Errc, the
// client message for 4xx, the contract's fixed texts and codes for 5xx (section 1.4).

#include "http/message.hpp"
#include "util/result.hpp"

namespace fruitpak::api {

http::Status http_status(Errc code);

// A complete error response. 401 carries WWW-Authenticate: Bearer; 503 carries
// Retry-After. Internal details (Error::detail) are logged, never sent.
http::Response error_response_for(const Error& error);

}  // namespace fruitpak::api
