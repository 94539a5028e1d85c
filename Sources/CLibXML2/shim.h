#ifndef NNREPORT_CLIBXML2_SHIM_H
#define NNREPORT_CLIBXML2_SHIM_H
// Debian installs libxml2's headers under /usr/include/libxml2, which
// pkg-config adds to the search path (libxml-2.0.pc: Cflags).
//
// Debian builds libxml2 with ICU, so <libxml/encoding.h> would include ICU's
// <unicode/ucnv.h>. Foundation ships its own copy of ICU's headers
// (_FoundationICU) with different definitions of the same types, and a Swift
// file that sees both modules fails with "'UErrorCode' has different
// definitions in different modules" (it did in CI, depending on build order).
// Nothing here uses libxml2's ICU converters (they only add two pointer
// fields to xmlCharEncodingHandler, which we never dereference), so this
// module is built without them.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/HTMLparser.h>
#include <libxml/xmlerror.h>

// libxml2 2.12 made the structured error callback take a const pointer.
#if LIBXML_VERSION >= 21200
#define NNR_XML_ERROR_POINTER const xmlError *
#else
#define NNR_XML_ERROR_POINTER xmlErrorPtr
#endif

/// Receives one parser error as plain values (so Swift does not depend on the
/// callback's pointer type, which changed between libxml2 versions).
typedef void (*nnr_xml_error_sink)(void *context, int level, int code, int line,
                                   int column, const char *message);

typedef struct {
    nnr_xml_error_sink sink;
    void *context;
} nnr_xml_error_target;

static inline void nnr_xml_forward_error(void *user, NNR_XML_ERROR_POINTER error) {
    nnr_xml_error_target *target = (nnr_xml_error_target *)user;
    if (target == NULL || error == NULL || target->sink == NULL) return;
    target->sink(target->context, (int)error->level, error->code, error->line,
                 error->int2, error->message);
}

/// Routes this thread's libxml2 errors to `target` (NULL restores the default,
/// which prints to stderr). libxml2 keeps the handler per thread.
static inline void nnr_xml_capture_errors(nnr_xml_error_target *target) {
    if (target == NULL) {
        xmlSetStructuredErrorFunc(NULL, NULL);
    } else {
        xmlSetStructuredErrorFunc(target, nnr_xml_forward_error);
    }
}
#endif
