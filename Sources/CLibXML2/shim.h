#ifndef SENCO_CLIBXML2_SHIM_H
#define SENCO_CLIBXML2_SHIM_H

// Debian builds libxml2 with ICU, so its encoding header pulls in the system ICU headers, which
// clash with the copy of ICU inside Foundation. Nothing here touches ICU converters or the
// encoding handler's fields, so the headers are read as if ICU support were off.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlwriter.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlsave.h>

// xmlFree is a global function pointer, which Swift 6 treats as shared mutable state.
// Calling it through a function keeps that out of Swift.
static inline void senco_xml_free(void *pointer) {
    xmlFree(pointer);
}

// The SAX handler lives behind a pointer in the parser context; these keep the
// field names of libxml2's structs out of Swift's view of it.
static inline xmlSAXHandlerPtr senco_ctxt_sax(xmlParserCtxtPtr ctxt) {
    return ctxt->sax;
}

static inline void *senco_ctxt_private(xmlParserCtxtPtr ctxt) {
    return ctxt->_private;
}

static inline void senco_ctxt_set_private(xmlParserCtxtPtr ctxt, void *value) {
    ctxt->_private = value;
}

// Stops a parse at its next check of the parser state, without freeing the input as
// xmlStopParser does: called from an error handler, the parser may still be reading that input.
// Every loop of libxml2's that can repeat per byte or per attribute checks this state.
static inline void senco_ctxt_halt(xmlParserCtxtPtr ctxt) {
    ctxt->instate = XML_PARSER_EOF;
    ctxt->disableSAX = 1;
}

static inline void senco_doc_forget_url(xmlDocPtr doc) {
    if (doc->URL != NULL) {
        xmlFree((void *)doc->URL);
        doc->URL = NULL;
    }
}

// libxml2 reports some problems (encoding conversion among them) with no parser context, through
// the thread's generic error function, whose default prints to stderr. Swift cannot write a C
// variadic function, so the silent one is here; the saved handler is kept as plain pointers.
static inline void senco_ignore_generic_error(void *context, const char *message, ...) {
    (void)context;
    (void)message;
}

typedef struct {
    void *handler;
    void *context;
} senco_generic_error_state;

// Both are per thread when libxml2 is built with threads (Debian's is), so a parse on one thread
// silences only itself; the caller restores on the same thread with nothing in between that can
// move it to another.
static inline senco_generic_error_state senco_silence_generic_errors(void) {
    senco_generic_error_state saved = {(void *)xmlGenericError, xmlGenericErrorContext};
    xmlSetGenericErrorFunc(NULL, senco_ignore_generic_error);
    return saved;
}

static inline void senco_restore_generic_errors(senco_generic_error_state saved) {
    xmlSetGenericErrorFunc(saved.context, (xmlGenericErrorFunc)saved.handler);
}

#endif
