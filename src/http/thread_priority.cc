#include "http/thread_priority.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace gatehouse {

void DeprioritizeCurrentThreadOnce() {
  thread_local bool done = false;
  if (done) return;
  done = true;
  // On Linux, PRIO_PROCESS with a thread id sets that thread's nice value.
  (void)setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)),
                    kHashingThreadNice);
}

}  // namespace gatehouse
