// Reading query-string parameters of a request target.
#ifndef GATEHOUSE_HTTP_QUERY_H_
#define GATEHOUSE_HTTP_QUERY_H_

#include <optional>
#include <string>
#include <string_view>

namespace gatehouse {

// The percent-decoded value of the first `name` parameter in `target`'s
// query ("/x?a=1&b=2"), or nullopt if absent or malformed.
std::optional<std::string> QueryParam(std::string_view target,
                                      std::string_view name);

}  // namespace gatehouse

#endif  // GATEHOUSE_HTTP_QUERY_H_
