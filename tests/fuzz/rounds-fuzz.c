/* rounds-fuzz.c: what every fuzz target does first, under libFuzzer or the corpus replayer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "rounds-fuzz.h"

/* A GLib critical or warning is a finding: it aborts, as a crash does. */
int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_log_set_always_fatal (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  return 0;
}
