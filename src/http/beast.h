// Namespace aliases and the message types shared by the HTTP layer.
#ifndef GATEHOUSE_HTTP_BEAST_H_
#define GATEHOUSE_HTTP_BEAST_H_

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace gatehouse {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

using Request = bhttp::request<bhttp::string_body>;
using Response = bhttp::response<bhttp::string_body>;

}  // namespace gatehouse

#endif  // GATEHOUSE_HTTP_BEAST_H_
