#pragma once
// At most one load per key at a time in this process (stampede protection, issue 6 point
// 6). The first caller of a key leads and loads; callers arriving meanwhile wait, on their
// own executors, for the leader's entry. A leader that produced nothing cacheable hands
// its followers nullptr and they load for themselves. Safe across io_context threads.

#include "cache/cached_response.hpp"
#include "util/asio.hpp"

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace fruitpak::cache {

class SingleFlight {
 public:
  // Returns true if the caller leads the flight of `key` (and must call finish() with what
  // it loaded); false if a flight is on: then await follow(key).
  bool try_lead(const std::string& key) {
    std::lock_guard lock(mutex_);
    return flights_.try_emplace(key).second;
  }

  // Waits for the current flight of `key`; returns at once with nullptr if it already
  // ended between try_lead() and here.
  net::awaitable<CachedResponsePtr> follow(const std::string& key) {
    auto initiate = [this, &key](auto handler) {
      auto shared = std::make_shared<decltype(handler)>(std::move(handler));
      auto resume = [shared](CachedResponsePtr entry) {
        auto executor = net::get_associated_executor(*shared);
        net::post(executor, [shared, entry = std::move(entry)]() mutable { (*shared)(std::move(entry)); });
      };
      {
        std::lock_guard lock(mutex_);
        auto found = flights_.find(key);
        if (found != flights_.end()) {
          found->second.push_back(std::move(resume));
          return;
        }
      }
      resume(nullptr);
    };
    co_return co_await net::async_initiate<const net::use_awaitable_t<>, void(CachedResponsePtr)>(initiate,
                                                                                                 net::use_awaitable);
  }

  // Ends the flight of `key`, handing `entry` (nullptr: nothing cacheable) to its followers.
  void finish(const std::string& key, const CachedResponsePtr& entry) {
    std::vector<std::function<void(CachedResponsePtr)>> waiters;
    {
      std::lock_guard lock(mutex_);
      auto found = flights_.find(key);
      if (found == flights_.end()) return;
      waiters = std::move(found->second);
      flights_.erase(found);
    }
    for (auto& resume : waiters) resume(entry);
  }

  std::size_t in_flight() const {
    std::lock_guard lock(mutex_);
    return flights_.size();
  }

 private:
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::vector<std::function<void(CachedResponsePtr)>>> flights_;
};

}  // namespace fruitpak::cache
