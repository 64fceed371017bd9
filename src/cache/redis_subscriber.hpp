#pragma once
// Listens to one Redis pub/sub channel for the life of the process: connects, SUBSCRIBEs,
// hands every message to `on_message`, and after any failure reconnects with a back-off
// (0.5 s doubling to 10 s). `on_subscribed` runs after each successful (re)subscription,
// so a listener can resynchronise what it may have missed while disconnected. `warn` gets
// a description of each failure; rate-limiting the log is the caller's choice. With a
// redis+sentinel:// URL each reconnect asks the sentinels for the master again, so a
// failover (which drops the subscription: the sentinels kill the old master's clients, or
// it died) ends with a subscription on the new master.

#include "config/config.hpp"
#include "util/asio.hpp"

#include <functional>
#include <string>

namespace fruitpak::cache {

struct Subscription {
  std::string channel;
  std::function<void(const std::string& payload)> on_message;
  std::function<void()> on_subscribed;
  std::function<void(const std::string& problem)> warn;
};

// Runs until the io_context stops. Never returns an error: failures are retried.
net::awaitable<void> listen_forever(config::RedisUrl url, Subscription subscription);

}  // namespace fruitpak::cache
