#pragma once
// Reading JSON request bodies. A body that is not valid JSON gets 400 with a clear detail;
// a body that is valid JSON but not an object gets 422 in the contract's validation shape.

#include "http/message.hpp"

#include <boost/json/object.hpp>
#include <boost/system/result.hpp>

namespace fruitpak::api {

// Either the parsed object or the ready refusal to send.
using JsonObjectOrRefusal = boost::system::result<boost::json::object, http::Response>;

JsonObjectOrRefusal read_json_object(const http::Request& req);

}  // namespace fruitpak::api
