#pragma once
// The one place that names Asio's completion tokens for the project (Asio 1.26 has no
// default token). Everything async returns net::awaitable<T>.

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace fruitpak {

namespace net = boost::asio;

// `auto [ec, n] = co_await op(..., use_tuple);` then check `ec` on the next line.
constexpr auto use_tuple = net::as_tuple(net::use_awaitable);

}  // namespace fruitpak
