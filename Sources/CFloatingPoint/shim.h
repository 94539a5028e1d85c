#ifndef NNREPORT_CFLOATINGPOINT_SHIM_H
#define NNREPORT_CFLOATINGPOINT_SHIM_H
// Per-thread floating-point control: flush subnormal results and operands to zero.
#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h>
static inline void nnr_set_flush_subnormals(int enabled) {
    unsigned int csr = _mm_getcsr();
    // FTZ (bit 15) flushes subnormal results, DAZ (bit 6) treats subnormal inputs as zero.
    csr = enabled ? (csr | 0x8040u) : (csr & ~0x8040u);
    _mm_setcsr(csr);
}
static inline int nnr_flushes_subnormals(void) { return (_mm_getcsr() & 0x8040u) == 0x8040u; }
#elif defined(__aarch64__)
static inline void nnr_set_flush_subnormals(int enabled) {
    unsigned long fpcr;
    __asm__ volatile("mrs %0, fpcr" : "=r"(fpcr));
    fpcr = enabled ? (fpcr | (1ul << 24)) : (fpcr & ~(1ul << 24));
    __asm__ volatile("msr fpcr, %0" : : "r"(fpcr));
}
static inline int nnr_flushes_subnormals(void) {
    unsigned long fpcr;
    __asm__ volatile("mrs %0, fpcr" : "=r"(fpcr));
    return (fpcr >> 24) & 1;
}
#else
static inline void nnr_set_flush_subnormals(int enabled) { (void)enabled; }
static inline int nnr_flushes_subnormals(void) { return 0; }
#endif
#endif
