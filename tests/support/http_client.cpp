#include "support/http_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json/parse.hpp>

namespace fruitpak::testing {
namespace net = boost::asio;
namespace http = boost::beast::http;

struct HttpClient::Impl {
  net::io_context context;
  net::ip::tcp::socket socket{context};
  boost::beast::flat_buffer buffer;
  std::uint16_t port;
};

HttpClient::HttpClient(std::uint16_t port) : impl_(std::make_unique<Impl>()) {
  impl_->port = port;
  impl_->socket.connect({net::ip::make_address("127.0.0.1"), port});
}

HttpClient::~HttpClient() = default;

HttpResponse HttpClient::request(http::verb method, const std::string& target, const std::string& body,
                                 const std::map<std::string, std::string>& headers) {
  http::request<http::string_body> req{method, target, 11};
  req.set(http::field::host, "127.0.0.1:" + std::to_string(impl_->port));
  for (const auto& [k, v] : headers) req.set(k, v);
  if (!body.empty() && !headers.contains("Content-Type")) req.set(http::field::content_type, "application/json");
  req.body() = body;
  req.prepare_payload();
  http::write(impl_->socket, req);
  HttpResponse res;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  if (method == http::verb::head) parser.skip(true);
  http::read(impl_->socket, impl_->buffer, parser);
  return parser.release();
}

bool HttpClient::is_open() const { return impl_->socket.is_open(); }

boost::json::value parse_json(const std::string& body) { return boost::json::parse(body); }

}  // namespace fruitpak::testing
