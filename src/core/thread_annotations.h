// Clang thread-safety annotations (-Wthread-safety), empty elsewhere.
//
// They state which lock guards a member and which lock a function expects
// held, so the clang build (the sanitizer build of `make test`) rejects an
// access made without it. GCC ignores them. Use the types of core/mutex.h:
// libstdc++'s std::mutex carries no annotations of its own.
#ifndef GATEHOUSE_CORE_THREAD_ANNOTATIONS_H_
#define GATEHOUSE_CORE_THREAD_ANNOTATIONS_H_

#if defined(__clang__)
#define GH_THREAD_ANNOTATION(x) __attribute__((x))
#else
#define GH_THREAD_ANNOTATION(x)
#endif

// On a class: it is a lock ("mutex" in the diagnostics).
#define CAPABILITY(x) GH_THREAD_ANNOTATION(capability(x))
// On a class: an RAII holder of a lock.
#define SCOPED_CAPABILITY GH_THREAD_ANNOTATION(scoped_lockable)
// On a member: read and written only with the lock held (shared for reads).
#define GUARDED_BY(x) GH_THREAD_ANNOTATION(guarded_by(x))
// On a pointer member: the pointee is guarded by the lock.
#define PT_GUARDED_BY(x) GH_THREAD_ANNOTATION(pt_guarded_by(x))
// On a lock member: always taken after (or before) the named locks.
#define ACQUIRED_AFTER(...) GH_THREAD_ANNOTATION(acquired_after(__VA_ARGS__))
#define ACQUIRED_BEFORE(...) GH_THREAD_ANNOTATION(acquired_before(__VA_ARGS__))
// On a function: the caller holds the lock (exclusively, or at least shared).
#define REQUIRES(...) GH_THREAD_ANNOTATION(requires_capability(__VA_ARGS__))
#define REQUIRES_SHARED(...) \
  GH_THREAD_ANNOTATION(requires_shared_capability(__VA_ARGS__))
// On a function: takes or releases the lock.
#define ACQUIRE(...) GH_THREAD_ANNOTATION(acquire_capability(__VA_ARGS__))
#define ACQUIRE_SHARED(...) \
  GH_THREAD_ANNOTATION(acquire_shared_capability(__VA_ARGS__))
#define RELEASE(...) GH_THREAD_ANNOTATION(release_capability(__VA_ARGS__))
#define RELEASE_SHARED(...) \
  GH_THREAD_ANNOTATION(release_shared_capability(__VA_ARGS__))
#define RELEASE_GENERIC(...) \
  GH_THREAD_ANNOTATION(release_generic_capability(__VA_ARGS__))
#define TRY_ACQUIRE(...) \
  GH_THREAD_ANNOTATION(try_acquire_capability(__VA_ARGS__))
// On a function: the caller must NOT hold the lock (it takes it itself).
#define EXCLUDES(...) GH_THREAD_ANNOTATION(locks_excluded(__VA_ARGS__))
// On a function: asserts at run time that the lock is held.
#define ASSERT_CAPABILITY(x) GH_THREAD_ANNOTATION(assert_capability(x))
// On a function: returns a reference to the lock.
#define RETURN_CAPABILITY(x) GH_THREAD_ANNOTATION(lock_returned(x))
// Escape hatch, with a comment saying why the analysis cannot follow.
#define NO_THREAD_SAFETY_ANALYSIS \
  GH_THREAD_ANNOTATION(no_thread_safety_analysis)

#endif  // GATEHOUSE_CORE_THREAD_ANNOTATIONS_H_
