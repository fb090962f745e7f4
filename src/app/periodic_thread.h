// PeriodicThread: runs one task every `interval` on a thread of its own,
// until stopped. The server's background work (Maintenance, the
// revocation poll) runs this way so it never waits for, or holds, a slot
// of the request pools.
#ifndef GATEHOUSE_APP_PERIODIC_THREAD_H_
#define GATEHOUSE_APP_PERIODIC_THREAD_H_

#include <functional>
#include <thread>

#include "core/clock.h"
#include "core/mutex.h"
#include "core/thread_annotations.h"

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
  // Waits one interval, or less if Stop is called; true if the task
  // should run now, false once stopping.
  bool WaitForNextRun();

  // Set in the constructor.
  const Duration interval_;
  const std::function<void()> task_;

  Mutex mu_;
  CondVar wake_;  // waits under mu_
  // State below is guarded by mu_.
  bool stopping_ GUARDED_BY(mu_) = false;

  // Touched only by the owner, in Start and Stop.
  std::thread thread_;
};

}  // namespace gatehouse

#endif  // GATEHOUSE_APP_PERIODIC_THREAD_H_
