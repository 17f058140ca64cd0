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

#endif
