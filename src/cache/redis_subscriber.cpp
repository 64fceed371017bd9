#include "cache/redis_subscriber.hpp"

#include "cache/redis_connection.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>

namespace fruitpak::cache {

net::awaitable<void> listen_forever(config::RedisUrl url, Subscription subscription) {
  auto backoff = std::chrono::milliseconds(500);
  for (;;) {
    auto connection = co_await RedisConnection::connect(url, std::chrono::milliseconds(2000));
    if (connection) {
      std::vector<std::string> subscribe{"SUBSCRIBE", subscription.channel};
      auto confirmed = co_await connection->command(std::move(subscribe), std::chrono::milliseconds(2000));
      if (confirmed && !confirmed->is_error()) {
        backoff = std::chrono::milliseconds(500);
        if (subscription.on_subscribed) subscription.on_subscribed();
        for (;;) {
          auto message = co_await connection->receive(std::chrono::seconds(30));
          if (!message && message.error().code == Errc::kTimeout) continue;  // a quiet channel
          if (!message) break;
          // ["message", channel, payload]
          if (message->elements.size() == 3 && message->elements[0].text == "message") {
            subscription.on_message(message->elements[2].text);
          }
        }
      }
      subscription.warn("subscription to " + subscription.channel + " lost; reconnecting");
    } else {
      subscription.warn(connection.error().detail);
    }
    net::steady_timer timer(co_await net::this_coro::executor, backoff);
    co_await timer.async_wait(use_tuple);
    backoff = std::min(backoff * 2, std::chrono::milliseconds(10'000));
  }
}

}  // namespace fruitpak::cache
