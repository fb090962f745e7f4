# Warnings are errors in every gatehouse target (not in third-party headers,
# which are included as SYSTEM by their imported targets).
function(gatehouse_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Werror -Wpedantic
                                           -Wshadow -Wnon-virtual-dtor)
endfunction()
