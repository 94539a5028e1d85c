#ifndef NNREPORT_COPENBLAS_SHIM_H
#define NNREPORT_COPENBLAS_SHIM_H
// Debian installs OpenBLAS's cblas.h under a per-variant include folder that
// pkg-config adds to the search path (openblas.pc: Cflags).
#include <cblas.h>
#endif
