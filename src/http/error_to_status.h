// The one mapping from ErrorCode to HTTP status (SPEC §3).
#ifndef GATEHOUSE_HTTP_ERROR_TO_STATUS_H_
#define GATEHOUSE_HTTP_ERROR_TO_STATUS_H_

#include "core/result.h"
#include "http/beast.h"

namespace gatehouse {

bhttp::status StatusFor(ErrorCode code);

}  // namespace gatehouse

#endif  // GATEHOUSE_HTTP_ERROR_TO_STATUS_H_
