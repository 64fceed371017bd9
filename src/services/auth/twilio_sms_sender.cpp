#include "services/auth/twilio_sms_sender.hpp"

#include "util/crypto.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <openssl/evp.h>

namespace fruitpak::services::auth {
namespace {

namespace beast_http = boost::beast::http;
using tcp = net::ip::tcp;

std::string base64(std::string_view raw) {
  std::string out(4 * ((raw.size() + 2) / 3), '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(raw.data()), static_cast<int>(raw.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

}  // namespace

std::string form_encode(std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : value) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
  return out;
}

TwilioSmsSender::TwilioSmsSender(std::string account_sid, std::string auth_token, std::string from_number,
                                 std::string host)
    : account_sid_(std::move(account_sid)),
      auth_token_(std::move(auth_token)),
      from_number_(std::move(from_number)),
      host_(std::move(host)) {}

net::awaitable<Result<void>> TwilioSmsSender::send(std::string phone, std::string text) {
  using namespace boost::asio::experimental::awaitable_operators;
  auto executor = co_await net::this_coro::executor;
  net::ssl::context tls(net::ssl::context::tls_client);
  tls.set_default_verify_paths();
  tls.set_verify_mode(net::ssl::verify_peer);
  net::ssl::stream<tcp::socket> stream(executor, tls);
  SSL_set_tlsext_host_name(stream.native_handle(), host_.c_str());
  net::ssl::host_name_verification verify_host(host_);
  stream.set_verify_callback(verify_host);

  net::steady_timer deadline(executor, std::chrono::seconds(10));
  tcp::resolver resolver(executor);
  auto resolved = co_await (resolver.async_resolve(host_, "443", use_tuple) || deadline.async_wait(use_tuple));
  if (resolved.index() == 1 || std::get<0>(std::get<0>(resolved))) {
    co_return make_error(Errc::kUnavailable, "twilio: cannot resolve " + host_);
  }
  auto endpoints = std::get<1>(std::get<0>(resolved));
  auto connected = co_await (net::async_connect(stream.next_layer(), endpoints, use_tuple) ||
                             deadline.async_wait(use_tuple));
  if (connected.index() == 1 || std::get<0>(std::get<0>(connected))) {
    co_return make_error(Errc::kUnavailable, "twilio: cannot connect to " + host_);
  }
  auto shaken = co_await (stream.async_handshake(net::ssl::stream_base::client, use_tuple) ||
                          deadline.async_wait(use_tuple));
  if (shaken.index() == 1 || std::get<0>(std::get<0>(shaken))) {
    co_return make_error(Errc::kUnavailable, "twilio: TLS handshake failed");
  }

  beast_http::request<beast_http::string_body> req{beast_http::verb::post,
                                                   "/2010-04-01/Accounts/" + account_sid_ + "/Messages.json", 11};
  req.set(beast_http::field::host, host_);
  req.set(beast_http::field::authorization, "Basic " + base64(account_sid_ + ":" + auth_token_));
  req.set(beast_http::field::content_type, "application/x-www-form-urlencoded");
  req.body() = "To=" + form_encode(phone) + "&From=" + form_encode(from_number_) + "&Body=" + form_encode(text);
  req.prepare_payload();
  auto written = co_await (beast_http::async_write(stream, req, use_tuple) || deadline.async_wait(use_tuple));
  if (written.index() == 1 || std::get<0>(std::get<0>(written))) {
    co_return make_error(Errc::kUnavailable, "twilio: request failed");
  }
  boost::beast::flat_buffer buffer;
  beast_http::response<beast_http::string_body> res;
  auto read = co_await (beast_http::async_read(stream, buffer, res, use_tuple) || deadline.async_wait(use_tuple));
  if (read.index() == 1 || std::get<0>(std::get<0>(read))) {
    co_return make_error(Errc::kUnavailable, "twilio: no response");
  }
  if (res.result_int() < 200 || res.result_int() >= 300) {
    co_return make_error(Errc::kUnavailable, "twilio answered " + std::to_string(res.result_int()));
  }
  co_return Result<void>{};
}

}  // namespace fruitpak::services::auth
