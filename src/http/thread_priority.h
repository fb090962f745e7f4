// Lowering the CPU priority of the thread that hashes passwords.
#ifndef GATEHOUSE_HTTP_THREAD_PRIORITY_H_
#define GATEHOUSE_HTTP_THREAD_PRIORITY_H_

namespace gatehouse {

// Password hashing runs at this nice value. argon2id is CPU- and
// memory-bound by design; at nice 10 the kernel gives a hashing thread
// about a tenth of the weight of a network thread, so a flood of sign-ins
// cannot delay /healthz or /auth/me (SPEC §10), yet still progresses when
// nothing else runs.
inline constexpr int kHashingThreadNice = 10;

// Sets the calling thread's nice value to kHashingThreadNice, once per
// thread. Best effort: where the kernel refuses, nothing changes.
void DeprioritizeCurrentThreadOnce();

}  // namespace gatehouse

#endif  // GATEHOUSE_HTTP_THREAD_PRIORITY_H_
