// RunOn: runs a blocking function on a thread pool and resumes the calling
// coroutine on its own executor (its connection's strand) with the result.
#ifndef GATEHOUSE_HTTP_OFFLOAD_H_
#define GATEHOUSE_HTTP_OFFLOAD_H_

#include <utility>

#include "http/beast.h"

namespace gatehouse {

template <class Fn>
net::awaitable<Response> RunOn(net::thread_pool& pool, Fn fn) {
  auto initiate = [&pool, fn = std::move(fn)](auto handler) mutable {
    net::post(pool,
              [fn = std::move(fn), handler = std::move(handler)]() mutable {
                Response res = fn();
                auto ex = net::get_associated_executor(handler);
                net::dispatch(ex, [handler = std::move(handler),
                                   res = std::move(res)]() mutable {
                  std::move(handler)(std::move(res));
                });
              });
  };
  co_return co_await net::async_initiate<const net::use_awaitable_t<>&,
                                         void(Response)>(std::move(initiate),
                                                         net::use_awaitable);
}

}  // namespace gatehouse

#endif  // GATEHOUSE_HTTP_OFFLOAD_H_
