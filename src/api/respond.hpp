#pragma once
// Building successful JSON responses.

#include "http/message.hpp"

#include <boost/json/value.hpp>

namespace fruitpak::api {

http::Response json_response(http::Status status, const boost::json::value& body);
http::Response no_content();

}  // namespace fruitpak::api
