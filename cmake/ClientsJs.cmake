# The browser and Next.js client (clients/js): its own unit tests, under
# Node's test runner, as one ctest case. `npm test` there builds the
# package with tsc and runs every test; scripts/install-deps.sh has run
# `npm ci` for it. Not in the sanitizer build: no C++ runs here.
if(GATEHOUSE_SANITIZE)
  return()
endif()
find_program(GATEHOUSE_NPM npm)
if(NOT GATEHOUSE_NPM)
  set(GATEHOUSE_NPM npm)  # fails loudly at test time rather than skipping
endif()
add_test(NAME clients_js_test
  COMMAND ${GATEHOUSE_NPM} test --silent
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}/clients/js)
set_tests_properties(clients_js_test PROPERTIES
  LABELS js
  # It rebuilds clients/js/dist, which the Next.js browser test uses.
  RUN_SERIAL TRUE
  TIMEOUT 300)
