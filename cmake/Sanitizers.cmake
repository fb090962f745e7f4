# GATEHOUSE_SANITIZE=ON builds everything with ASan and UBSan; any report
# aborts the test that caused it.
if(GATEHOUSE_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
  if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    # Clang 14's -fsanitize=function (part of "undefined"; GCC has no such
    # check) cannot compile C++20 coroutines: every co_await in http/ fails
    # with "Cannot represent a difference across sections" (LLVM issue
    # 49689, fixed in later releases).
    add_compile_options(-fno-sanitize=function)
  endif()
endif()
