/* fuzz-import.c: the importer over every input layout, as libFuzzer drives it
 *
 * The first byte of an input chooses the layout and field maps (one of `layouts`: its low
 * three bits, or with 0x20 set one of the layouts from the ninth on), whether --update is
 * given (0x80) and whether a CSV file has no header row (0x10); the rest is the file. Every run imports into one in-memory
 * store, so a file that imports leaves its rows for the next, as a real database would.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <unistd.h>

#include <glib/gstdio.h>

#include "rounds-fuzz.h"
#include "rounds-importer.h"
#include "rounds-store.h"

static const struct
{
  const char *extension;
  const char *format;
  const char *maps[8];
} layouts[] = {
  { ".jsonl", "auto",   { NULL } },
  { ".jsonl", "rounds", { NULL } },
  { ".jsonl", "trl",    { NULL } },
  { ".jsonl", "mapped", { "id=qid", "scenario=question", "responses=answers[].text",
                          "model=answers[].model", "metadata.origin=origin", NULL } },
  { ".jsonl", "auto",   { "dataset=ds", "title=t", "scenario=q", "specialty=s", "language=l",
                          "responses=r[0],r[1],r[2]", "response_id=ids[]", NULL } },
  { ".csv",   "auto",   { "scenario=question", "responses=answer_1,answer_2",
                          "model=model_1,model_2", "metadata.extra=extra", NULL } },
  { ".tsv",   "auto",   { "id=id", "scenario=question", "responses=a,b,c",
                          "metadata.json=meta", NULL } },
  { ".csv",   "auto",   { "scenario=1", "responses=2,3", NULL } },
  /* Pairs with a hidden label: chosen and rejected, a reference, a second named one. */
  { ".jsonl", "auto",   { "scenario=question", "chosen=response_chosen",
                          "rejected=response_rejected", NULL } },
  { ".jsonl", "auto",   { "scenario=prompt", "responses=response_0,response_1",
                          "reference=better_response_id", "reference.safer=safer_response_id",
                          NULL } },
  { ".jsonl", "auto",   { "chosen=chosen", "rejected=rejected", NULL } },
  { ".csv",   "auto",   { "scenario=question", "chosen=good", "rejected=bad", NULL } },
};

static RoundsStore *store;
static guint runs;

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(RoundsImporter) importer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  guint layout;
  FILE *out;

  if (size == 0)
    return 0;
  layout = (data[0] & 0x20) ? 8 + (data[0] & 7) % (G_N_ELEMENTS (layouts) - 8) : data[0] & 7;

  /* A fresh store now and then keeps memory flat over millions of runs. */
  if (store == NULL || ++runs % 4096 == 0)
    {
      g_clear_object (&store);
      store = rounds_store_open (":memory:", &error);
      g_assert_no_error (error);
    }

  /* The layout goes by the file's extension; the file is gone when the run is. */
  path = g_strdup_printf ("%s/rounds-fuzz-import-%d%s", g_get_tmp_dir (), (int) getpid (),
                          layouts[layout].extension);
  out = fopen (path, "wb");
  g_assert_nonnull (out);
  g_assert_cmpuint (fwrite (data + 1, 1, size - 1, out), ==, size - 1);
  g_assert_cmpint (fclose (out), ==, 0);

  importer = rounds_importer_new ();
  rounds_importer_set_actor (importer, "fuzz");
  rounds_importer_set_update (importer, (data[0] & 0x80) != 0);
  rounds_importer_set_csv_header (importer, (data[0] & 0x10) == 0);
  g_assert_true (rounds_importer_set_format_name (importer, layouts[layout].format, NULL));
  for (guint i = 0; layouts[layout].maps[i] != NULL; i++)
    g_assert_true (rounds_importer_add_map (importer, layouts[layout].maps[i], NULL));

  file = g_file_new_for_path (path);
  /* Refusing is fine; refusing without saying why is not. */
  if (!rounds_importer_run (importer, store, file, NULL, NULL, &error))
    {
      g_assert_nonnull (error);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
    }
  g_unlink (path);
  return 0;
}
