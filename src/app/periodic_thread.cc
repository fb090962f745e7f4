#include "app/periodic_thread.h"

#include <utility>

namespace gatehouse {

PeriodicThread::PeriodicThread(Duration interval, std::function<void()> task)
    : interval_(interval), task_(std::move(task)) {}

PeriodicThread::~PeriodicThread() { Stop(); }

void PeriodicThread::Start() {
  thread_ = std::thread([this] { Loop(); });
}

void PeriodicThread::Stop() {
  {
    MutexLock lock(&mu_);
    stopping_ = true;
  }
  wake_.SignalAll();
  if (thread_.joinable()) thread_.join();
}

void PeriodicThread::Loop() {
  // The task runs without the lock: Stop may set stopping_ meanwhile, and
  // then waits (in join) for the run to end.
  while (WaitForNextRun()) task_();
}

bool PeriodicThread::WaitForNextRun() {
  MutexLock lock(&mu_);
  const auto deadline = std::chrono::steady_clock::now() + interval_;
  // WaitUntil is false once the deadline passed; true on a wake-up, which
  // may be spurious.
  while (!stopping_ && wake_.WaitUntil(&mu_, deadline)) {
  }
  return !stopping_;
}

}  // namespace gatehouse
