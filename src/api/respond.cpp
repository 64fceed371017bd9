#include "api/respond.hpp"

#include "http/errors.hpp"

#include <boost/json/serialize.hpp>

namespace fruitpak::api {

http::Response json_response(http::Status status, const boost::json::value& body) {
  http::Response res{status, 11};
  http::set_json(res, boost::json::serialize(body));
  return res;
}

http::Response no_content() {
  http::Response res{http::Status::no_content, 11};
  res.content_length(0);
  return res;
}

}  // namespace fruitpak::api
