# Warnings are errors in every gatehouse target (not in third-party headers,
# which are included as SYSTEM by their imported targets).
function(gatehouse_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Werror -Wpedantic
                                           -Wshadow -Wnon-virtual-dtor)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # GCC 12 at -O2/-O3 reports impossible overlaps inside std::string
    # concatenation (GCC bug 105329, fixed in GCC 13); the warning fires on
    # correct code in libstdc++'s own headers. Clang has no such option.
    target_compile_options(${target} PRIVATE -Wno-restrict)
  endif()
  # Clang checks the lock annotations of core/thread_annotations.h: a
  # GUARDED_BY member touched without its lock fails the build.
  if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    target_compile_options(${target} PRIVATE -Wthread-safety)
  endif()
endfunction()
