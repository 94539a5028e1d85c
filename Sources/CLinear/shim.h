#ifndef NNREPORT_CLINEAR_SHIM_H
#define NNREPORT_CLINEAR_SHIM_H
// LIBLINEAR (Debian's liblinear-dev installs linear.h in /usr/include and ships
// no pkg-config file). Its names are generic (`train`, `predict`, `model`), so
// Swift code calling them qualifies them as `CLinear.train`.
#include <linear.h>
#endif
