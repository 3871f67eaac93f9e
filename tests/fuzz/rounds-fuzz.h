/* rounds-fuzz.h: what every fuzz target shares, under libFuzzer or the corpus replayer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <glib.h>

G_BEGIN_DECLS

/* rounds-fuzz.c: the same for every target */
int  LLVMFuzzerInitialize   (int            *argc,
                             char         ***argv);
/* fuzz-TARGET.c */
int  LLVMFuzzerTestOneInput (const uint8_t  *data,
                             size_t          size);

G_END_DECLS
