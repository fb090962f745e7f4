// Building audit events (core/model.h, core/audit.h) from what a use case
// knows. Services append them inside the transaction of the action they
// record, so an action and its audit entry commit or fail together.
#ifndef GATEHOUSE_SERVICE_AUDIT_EVENT_H_
#define GATEHOUSE_SERVICE_AUDIT_EVENT_H_

#include <string>
#include <string_view>

#include "core/model.h"
#include "service/client_info.h"

namespace gatehouse {

// The actor recorded for operations run from the command line.
inline constexpr char kCliActor[] = "cli";

inline AuditEvent MakeAuditEvent(std::string_view type, Time at,
                                 const ClientInfo& client,
                                 std::string_view user_id,
                                 std::string_view session_id = {},
                                 std::string_view actor_id = {},
                                 std::string_view detail = {}) {
  AuditEvent e;
  e.type = std::string(type);
  e.at = at;
  e.user_id = std::string(user_id);
  e.session_id = std::string(session_id);
  e.actor_id = std::string(actor_id);
  e.ip = client.ip;
  // Bounded like the session's copy: a header cannot bloat the log.
  e.user_agent = client.user_agent.substr(0, 512);
  e.detail = std::string(detail);
  return e;
}

}  // namespace gatehouse

#endif  // GATEHOUSE_SERVICE_AUDIT_EVENT_H_
