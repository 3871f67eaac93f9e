/* fuzz-replay.c: a fuzz target's regression corpus, replayed as a test without libFuzzer
 *
 * Linked with one target's fuzz-TARGET.c; every file of FUZZ_CORPUS is a test case, so a
 * crash, leak (under ASan) or GLib critical that once was found stays found.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <gio/gio.h>

#include "rounds-fuzz.h"

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
replay (gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (data, &contents, &length, &error);
  g_assert_no_error (error);
  LLVMFuzzerTestOneInput ((const uint8_t *) contents, length);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_test_init (&argc, &argv, NULL);
  LLVMFuzzerInitialize (&argc, &argv);

  dir = g_dir_open (FUZZ_CORPUS, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (files, g_strdup (name));
  g_ptr_array_sort (files, compare_names);
  g_assert_cmpuint (files->len, >, 0);

  for (guint i = 0; i < files->len; i++)
    {
      const char *file = g_ptr_array_index (files, i);
      g_autofree char *test = g_strdup_printf ("/rounds/fuzz/%s/%s", FUZZ_TARGET, file);

      g_test_add_data_func_full (test, g_build_filename (FUZZ_CORPUS, file, NULL), replay,
                                 g_free);
    }
  return g_test_run ();
}
