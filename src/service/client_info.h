// ClientInfo: where a request came from, as the use cases of
// service/auth_service.h, account_service.h and admin_service.h take it.
// The HTTP layer fills it from the connection (http/handlers/request_auth.h)
// and the CLI names itself; the services record it on sessions (F2) and
// audit events (service/audit_event.h).
#ifndef GATEHOUSE_SERVICE_CLIENT_INFO_H_
#define GATEHOUSE_SERVICE_CLIENT_INFO_H_

#include <string>

namespace gatehouse {

struct ClientInfo {
  std::string ip;
  std::string user_agent;
};

}  // namespace gatehouse

#endif  // GATEHOUSE_SERVICE_CLIENT_INFO_H_
