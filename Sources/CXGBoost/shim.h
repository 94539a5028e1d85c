#ifndef NNREPORT_CXGBOOST_SHIM_H
#define NNREPORT_CXGBOOST_SHIM_H
// XGBoost's C API (Debian's libxgboost-dev installs it under /usr/include/xgboost).
// Every function returns 0 on success, or -1 with a message XGBGetLastError()
// returns on the same thread.
#include <xgboost/c_api.h>
#endif
