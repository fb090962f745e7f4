// PeriodicThread: runs one task every `interval` on a thread of its own,
// until stopped. The server's background work (Maintenance, the
// revocation poll) runs this way so it never waits for, or holds, a slot
// of the request pools.
#ifndef GATEHOUSE_APP_PERIODIC_THREAD_H_
#define GATEHOUSE_APP_PERIODIC_THREAD_H_

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "core/clock.h"

namespace gatehouse {

class PeriodicThread {
 public:
  PeriodicThread(Duration interval, std::function<void()> task);
  ~PeriodicThread();  // stops and joins

  PeriodicThread(const PeriodicThread&) = delete;
  PeriodicThread& operator=(const PeriodicThread&) = delete;

  // Starts the thread; the first run is one interval from now.
  void Start();
  // Wakes the thread and waits for the run in progress, if any, to end.
  void Stop();

 private:
  void Loop();

  const Duration interval_;
  const std::function<void()> task_;

  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by mu_
  std::thread thread_;
};

}  // namespace gatehouse

#endif  // GATEHOUSE_APP_PERIODIC_THREAD_H_
