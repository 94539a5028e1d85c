#ifndef NNREPORT_CLINEAR_SHIM_H
#define NNREPORT_CLINEAR_SHIM_H
// LIBLINEAR (Debian's liblinear-dev installs linear.h in /usr/include and ships
// no pkg-config file). Its names are generic (`train`, `predict`, `model`), so
// Swift code calling them qualifies them as `CLinear.train`.
#include <linear.h>

/// The linked library's version (e.g. 230 for 2.30). Swift 6 refuses to read
/// the global variable `liblinear_version` directly, as mutable shared state.
static inline int nnr_liblinear_version(void) { return liblinear_version; }
#endif
