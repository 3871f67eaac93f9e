/* rounds-json-scan-private.h: what JSON text is checked for before json-glib parses it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The deepest nesting of objects and arrays a line may have. json-glib's parser recurses
 * once a level, so a line nested some 100 000 deep overflows the stack; no real record
 * comes near this. */
#define ROUNDS_JSON_MAX_DEPTH 512

typedef enum
{
  ROUNDS_JSON_SCAN_OK,
  ROUNDS_JSON_SCAN_TOO_DEEP,   /* nested deeper than ROUNDS_JSON_MAX_DEPTH */
  ROUNDS_JSON_SCAN_NUL,        /* a raw NUL byte, or "\u0000" in a string */
  ROUNDS_JSON_SCAN_SURROGATE,  /* "\ud800" to "\udfff" in a string, not as a pair */
  ROUNDS_JSON_SCAN_BAD_ESCAPE, /* an escape JSON does not have, or "\u" without 4 hex digits */
} RoundsJsonScan;

RoundsJsonScan _rounds_json_scan (const char  *text,
                                  gsize        length,
                                  char       **field);
char          *_rounds_json_scan_describe (RoundsJsonScan  scan);

G_END_DECLS
