// Counts heap allocations so a benchmark can show that a training step
// allocates nothing. On glibc the executable's own definitions of malloc and
// friends take precedence over libc's (ELF symbol interposition); each one
// forwards to glibc's exported __libc_* entry point after bumping a counter.
#include "AllocationCounter.h"
#include <stddef.h>
#include <errno.h>

#if defined(__linux__) && defined(__GLIBC__)
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);

static uint64_t allocation_count = 0;

static inline void count_one(void) {
    __atomic_fetch_add(&allocation_count, 1, __ATOMIC_RELAXED);
}

void *malloc(size_t size) { count_one(); return __libc_malloc(size); }
void *calloc(size_t n, size_t size) { count_one(); return __libc_calloc(n, size); }
void *realloc(void *p, size_t size) { count_one(); return __libc_realloc(p, size); }
void *memalign(size_t alignment, size_t size) { count_one(); return __libc_memalign(alignment, size); }
void *aligned_alloc(size_t alignment, size_t size) { count_one(); return __libc_memalign(alignment, size); }

int posix_memalign(void **out, size_t alignment, size_t size) {
    if (alignment % sizeof(void *) != 0 || (alignment & (alignment - 1)) != 0) return EINVAL;
    count_one();
    void *p = __libc_memalign(alignment, size);
    if (p == NULL && size != 0) return ENOMEM;
    *out = p;
    return 0;
}

int nnr_allocation_counting_available(void) { return 1; }
uint64_t nnr_allocation_count(void) { return __atomic_load_n(&allocation_count, __ATOMIC_RELAXED); }
#else
int nnr_allocation_counting_available(void) { return 0; }
uint64_t nnr_allocation_count(void) { return 0; }
#endif
