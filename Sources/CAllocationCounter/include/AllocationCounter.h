#ifndef NNREPORT_ALLOCATION_COUNTER_H
#define NNREPORT_ALLOCATION_COUNTER_H
#include <stdint.h>

/// Whether this platform counts allocations (glibc only); 0 elsewhere.
int nnr_allocation_counting_available(void);
/// Total number of malloc/calloc/realloc/memalign calls since the process began,
/// from every thread.
uint64_t nnr_allocation_count(void);

#endif
