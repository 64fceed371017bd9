#pragma once
// A blocking HTTP/1.1 client for tests (Beast over one keep-alive connection).

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <string>

namespace fruitpak::testing {

using HttpResponse = boost::beast::http::response<boost::beast::http::string_body>;

class HttpClient {
 public:
  explicit HttpClient(std::uint16_t port);
  ~HttpClient();

  HttpResponse request(boost::beast::http::verb method, const std::string& target,
                       const std::string& body = {},
                       const std::map<std::string, std::string>& headers = {});
  HttpResponse get(const std::string& target, const std::map<std::string, std::string>& headers = {}) {
    return request(boost::beast::http::verb::get, target, {}, headers);
  }
  HttpResponse post(const std::string& target, const std::string& body,
                    const std::map<std::string, std::string>& headers = {}) {
    return request(boost::beast::http::verb::post, target, body, headers);
  }
  // True while the server has not closed the connection.
  bool is_open() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

boost::json::value parse_json(const std::string& body);

}  // namespace fruitpak::testing
