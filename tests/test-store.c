/* test-store.c: the local store: opening, profiles, the queue, judgements, order, progress
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "rounds-error.h"
#include "rounds-importer.h"
#include "rounds-store-private.h"
#include "rounds-store.h"
#include "rounds-test-util.h"

typedef RoundsTestStore Fixture;

/* Helpers ----------------------------------------------------------------------------- */

/* A dataset "ds" of @n_items items "item-1"… with @n_responses responses each. */
static RoundsDataset *
add_dataset (Fixture    *fixture,
             guint       n_items,
             guint       n_responses,
             guint       overlap,
             const char *required)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  RoundsDataset *dataset;

  g_string_append_printf (text, "{\"type\": \"dataset\", \"id\": \"ds\", \"overlap\": %u, "
                                "\"required\": [%s]}\n",
                          overlap, required ? required : "\"preference\"");
  for (guint i = 1; i <= n_items; i++)
    {
      g_string_append_printf (text, "{\"type\": \"item\", \"id\": \"item-%u\", \"scenario\": "
                                    "\"Scenario %u\", \"responses\": [", i, i);
      for (guint r = 0; r < n_responses; r++)
        g_string_append_printf (text, "%s{\"text\": \"Response %c of item %u\"}",
                                r ? ", " : "", 'A' + r, i);
      g_string_append (text, "]}\n");
    }
  rounds_test_store_import_text (fixture->store, fixture->dir, "ds.jsonl", text->str);

  dataset = rounds_store_get_dataset (fixture->store, "ds", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rounds_test_store_count_items (fixture->store, dataset), ==, n_items);
  return dataset;
}

#define find_item(fixture, key) rounds_test_store_find_item ((fixture)->store, "ds", "%s", key)

static RoundsJudgement *
new_judgement (Fixture      *fixture,
               RoundsItem   *item,
               RoundsStatus  status,
               int           preference)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RoundsDataset) dataset =
    rounds_store_get_dataset_by_id (fixture->store, rounds_item_get_dataset_id (item), &error);
  RoundsJudgement *j;

  g_assert_no_error (error);
  j = rounds_judgement_new (rounds_item_get_n_responses (item),
                            rounds_dataset_get_rubric (dataset));
  j->status = status;
  if (status == ROUNDS_STATUS_SUBMITTED)
    {
      j->has_preference = TRUE;
      j->preference = preference;
      for (guint r = 0; r < j->n_responses; r++)
        j->ranks[r] = (int) r + 1;
    }
  else if (status == ROUNDS_STATUS_SKIPPED)
    j->skip_reason = g_strdup ("not my field");
  return j;
}

static void
save (Fixture      *fixture,
      RoundsItem   *item,
      const char   *annotator,
      RoundsStatus  status)
{
  g_autoptr(RoundsJudgement) j = new_judgement (fixture, item, status, 0);
  g_autoptr(GError) error = NULL;

  g_assert_true (rounds_store_save_judgement (fixture->store, item, annotator, j, &error));
  g_assert_no_error (error);
}

/* The key of the annotator's next item, or NULL when their queue is empty. */
static char *
next_key (Fixture       *fixture,
          RoundsDataset *dataset,
          const char    *annotator)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RoundsItem) item =
    rounds_store_next_item (fixture->store, rounds_dataset_get_id (dataset), annotator, &error);

  g_assert_no_error (error);
  return item ? g_strdup (rounds_item_get_key (item)) : NULL;
}

/* Opening ----------------------------------------------------------------------------- */

/* Each dataset counts its own items only; a dataset read from the store no longer counts
 * them (rounds_store_count_items does, where wanted). */
static void
test_count_items (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(RoundsDataset) ds = add_dataset (fixture, 5, 2, 1, NULL);
  g_autoptr(RoundsDataset) other = NULL;
  g_autoptr(GError) error = NULL;
  guint n_items = G_MAXUINT;

  rounds_test_store_import_text (fixture->store, fixture->dir, "other.jsonl",
                                 "{\"type\": \"dataset\", \"id\": \"other\"}\n"
                                 "{\"type\": \"item\", \"id\": \"x-1\", \"scenario\": \"S\","
                                 " \"responses\": [{\"text\": \"A\"}, {\"text\": \"B\"}]}\n"
                                 "{\"type\": \"item\", \"id\": \"x-2\", \"scenario\": \"S\","
                                 " \"responses\": [{\"text\": \"A\"}, {\"text\": \"B\"}]}\n");
  other = rounds_store_get_dataset (fixture->store, "other", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rounds_test_store_count_items (fixture->store, ds), ==, 5);
  g_assert_cmpuint (rounds_test_store_count_items (fixture->store, other), ==, 2);

  g_assert_true (rounds_store_count_items (fixture->store, 9999, &n_items, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_items, ==, 0);
}

static void
test_open (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *mode = NULL;
  g_autoptr(RoundsProfile) profile = NULL;

  g_assert_cmpstr (rounds_store_get_path (fixture->store), ==, fixture->path);
  mode = rounds_test_query_text (fixture->store, "PRAGMA journal_mode", NULL);
  g_assert_cmpstr (mode, ==, "wal");
  g_assert_cmpint (rounds_test_query_int (fixture->store, "PRAGMA foreign_keys"), ==, 1);
  g_assert_cmpint (rounds_test_query_int (fixture->store, "PRAGMA user_version"), ==,
                   ROUNDS_SCHEMA_VERSION);
  g_assert_cmpint (rounds_store_get_schema_version (fixture->store), ==, ROUNDS_SCHEMA_VERSION);
  g_assert_true (rounds_store_check_integrity (fixture->store, &error));
  g_assert_no_error (error);

  /* The tables DESIGN.md promises a researcher with sqlite3. */
  g_assert_cmpint (rounds_test_query_int (fixture->store,
                              "SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name IN"
                              " ('datasets', 'items', 'responses', 'annotators', 'annotations',"
                              "  'adjudications', 'audit_log')"), ==, 7);

  rounds_test_store_add_profile (fixture->store, "dr-lin", NULL, ROUNDS_ROLE_ANNOTATOR);
  g_clear_object (&fixture->store);

  fixture->store = rounds_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (rounds_store_get_schema_version (fixture->store), ==, ROUNDS_SCHEMA_VERSION);
  g_clear_pointer (&mode, g_free);
  mode = rounds_test_query_text (fixture->store, "PRAGMA journal_mode", NULL);
  g_assert_cmpstr (mode, ==, "wal");
  g_assert_cmpint (rounds_test_query_int (fixture->store, "PRAGMA foreign_keys"), ==, 1);
  profile = rounds_store_get_profile (fixture->store, "dr-lin", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rounds_profile_get_user_name (profile), ==, "dr-lin");
}

static void
test_open_creates_folder (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "a", "b", "rounds.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(RoundsStore) store = rounds_store_open (path, &error);

  g_assert_no_error (error);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (rounds_store_get_schema_version (store), ==, ROUNDS_SCHEMA_VERSION);
}

/* Profiles ---------------------------------------------------------------------------- */

static void
test_profiles (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(RoundsProfile) lin = rounds_profile_new ("dr-lin", "Dr Lin",
                                                     ROUNDS_ROLE_ANNOTATOR | ROUNDS_ROLE_REVIEWER,
                                                     "paediatrics");
  g_autoptr(RoundsProfile) abe = rounds_profile_new ("abe", NULL, ROUNDS_ROLE_CURATOR, NULL);
  g_autoptr(RoundsProfile) lin2 = rounds_profile_new ("dr-lin", "Dr Mei Lin",
                                                      ROUNDS_ROLE_ANNOTATOR, NULL);
  g_autoptr(RoundsProfile) current = NULL;
  g_autoptr(RoundsProfile) got = NULL;
  g_autoptr(GListModel) list = NULL;
  g_autoptr(RoundsProfile) first = NULL;
  g_autoptr(RoundsProfile) second = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_null (rounds_store_get_current_profile (fixture->store));

  g_assert_true (rounds_store_add_profile (fixture->store, lin, &error));
  g_assert_no_error (error);
  g_assert_true (rounds_store_add_profile (fixture->store, abe, &error));
  g_assert_no_error (error);

  /* The first profile added becomes the current one. */
  current = rounds_store_get_current_profile (fixture->store);
  g_assert_nonnull (current);
  g_assert_cmpstr (rounds_profile_get_user_name (current), ==, "dr-lin");
  g_clear_object (&current);

  list = rounds_store_list_profiles (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 2);
  first = g_list_model_get_item (list, 0);
  second = g_list_model_get_item (list, 1);
  g_assert_cmpstr (rounds_profile_get_user_name (first), ==, "abe");
  g_assert_cmpstr (rounds_profile_get_display_name (first), ==, "abe");
  g_assert_cmpuint (rounds_profile_get_roles (first), ==, ROUNDS_ROLE_CURATOR);
  g_assert_cmpstr (rounds_profile_get_user_name (second), ==, "dr-lin");
  g_assert_cmpstr (rounds_profile_get_display_name (second), ==, "Dr Lin");
  g_assert_cmpstr (rounds_profile_get_specialty (second), ==, "paediatrics");
  g_assert_cmpuint (rounds_profile_get_roles (second), ==,
                    ROUNDS_ROLE_ANNOTATOR | ROUNDS_ROLE_REVIEWER);

  g_assert_true (rounds_store_set_current_profile (fixture->store, "abe", &error));
  g_assert_no_error (error);
  current = rounds_store_get_current_profile (fixture->store);
  g_assert_cmpstr (rounds_profile_get_user_name (current), ==, "abe");
  g_clear_object (&current);

  g_assert_false (rounds_store_set_current_profile (fixture->store, "nobody", &error));
  g_assert_error (error, ROUNDS_ERROR, ROUNDS_ERROR_NO_PROFILE);
  g_clear_error (&error);
  current = rounds_store_get_current_profile (fixture->store);
  g_assert_cmpstr (rounds_profile_get_user_name (current), ==, "abe");

  g_assert_null (rounds_store_get_profile (fixture->store, "nobody", &error));
  g_assert_error (error, ROUNDS_ERROR, ROUNDS_ERROR_NO_PROFILE);
  g_clear_error (&error);

  /* Adding the same user name again updates the profile. */
  g_assert_true (rounds_store_add_profile (fixture->store, lin2, &error));
  g_assert_no_error (error);
  got = rounds_store_get_profile (fixture->store, "dr-lin", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rounds_profile_get_display_name (got), ==, "Dr Mei Lin");
  g_assert_cmpuint (rounds_profile_get_roles (got), ==, ROUNDS_ROLE_ANNOTATOR);
  g_assert_cmpint (rounds_test_query_int (fixture->store,
                                          "SELECT COUNT(*) FROM annotators"), ==, 2);
  g_assert_cmpint (rounds_test_query_int (fixture->store, "SELECT COUNT(*) FROM audit_log WHERE "
                                                          "action = 'profile.add'"), ==, 3);
}

static const struct
{
  const char *user_name;
  gboolean    valid;
} user_names[] = {
  { "dr-lin", TRUE },
  { "a", TRUE },
  { "mei.lin_2@example.org", TRUE },
  { "0123456789012345678901234567890123456789012345678901234567890123", TRUE },   /* 64 */
  { "", FALSE },
  { "-lin", FALSE },
  { ".lin", FALSE },
  { "_lin", FALSE },
  { "dr lin", FALSE },
  { "dr/lin", FALSE },
  { "dr:lin", FALSE },
  { "dr\nlin", FALSE },
  { "林医生", FALSE },
  { "01234567890123456789012345678901234567890123456789012345678901234", FALSE }, /* 65 */
};

static void
test_profile_names (Fixture       *fixture,
                    gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (user_names); i++)
    {
      g_autoptr(RoundsProfile) profile = rounds_profile_new (user_names[i].user_name, NULL,
                                                             ROUNDS_ROLE_ANNOTATOR, NULL);
      g_autoptr(GError) error = NULL;
      gint64 before = rounds_test_query_int (fixture->store, "SELECT COUNT(*) FROM annotators");
      gboolean ok;

      g_test_message ("user name “%s”", user_names[i].user_name);
      ok = rounds_store_add_profile (fixture->store, profile, &error);
      g_assert_cmpint (ok, ==, user_names[i].valid);
      if (user_names[i].valid)
        {
          g_assert_no_error (error);
          g_assert_cmpint (rounds_test_query_int (fixture->store, "SELECT COUNT(*) FROM "
                                                                  "annotators"), ==, before + 1);
        }
      else
        {
          g_assert_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_ARGUMENT);
          g_assert_cmpint (rounds_test_query_int (fixture->store,
                                                  "SELECT COUNT(*) FROM annotators"), ==, before);
          g_assert_false (rounds_user_name_is_valid (user_names[i].user_name, NULL));
        }
    }
}

/* The queue --------------------------------------------------------------------------- */

static void
test_queue_overlap_one (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(RoundsDataset) dataset = add_dataset (fixture, 6, 2, 1, NULL);
  g_autoptr(GHashTable) submitted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *annotators[] = { "ann", "bob" };
  RoundsProgress progress;
  g_autoptr(GError) error = NULL;

  rounds_test_store_add_profile (fixture->store, "ann", NULL, ROUNDS_ROLE_ANNOTATOR);
  rounds_test_store_add_profile (fixture->store, "bob", NULL, ROUNDS_ROLE_ANNOTATOR);

  /* Each in turn takes the next item and submits it: nobody is offered an item that
   * someone has submitted. */
  for (guint turn = 0; turn < 6; turn++)
    {
      const char *annotator = annotators[turn % 2];
      g_autofree char *key = next_key (fixture, dataset, annotator);
      g_autoptr(RoundsItem) item = NULL;

      g_assert_nonnull (key);
      g_assert_false (g_hash_table_contains (submitted, key));
      item = find_item (fixture, key);
      save (fixture, item, annotator, ROUNDS_STATUS_SUBMITTED);
      g_hash_table_add (submitted, g_steal_pointer (&key));
    }
  g_assert_cmpuint (g_hash_table_size (submitted), ==, 6);

  for (guint a = 0; a < G_N_ELEMENTS (annotators); a++)
    {
      g_autofree char *key = next_key (fixture, dataset, annotators[a]);

      g_assert_null (key);
    }

  g_assert_true (rounds_store_get_progress (fixture->store, rounds_dataset_get_id (dataset), "ann",
                                            &progress, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (progress.n_items, ==, 6);
  g_assert_cmpuint (progress.n_complete, ==, 6);
  g_assert_cmpuint (progress.n_mine, ==, 3);
  g_assert_cmpuint (progress.n_mine_open, ==, 0);
}

static void
test_queue_overlap_three (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(RoundsDataset) dataset = add_dataset (fixture, 4, 2, 3, NULL);
  const char *annotators[] = { "ann", "bob", "cat" };
  RoundsProgress progress;
  g_autoptr(GError) error = NULL;
  g_autofree char *fourth = NULL;

  for (guint a = 0; a < G_N_ELEMENTS (annotators); a++)
    rounds_test_store_add_profile (fixture->store, annotators[a], NULL, ROUNDS_ROLE_ANNOTATOR);
  rounds_test_store_add_profile (fixture->store, "dan", NULL, ROUNDS_ROLE_ANNOTATOR);

  /* Round robin: each annotator gets every item, in dataset order. */
  for (guint i = 1; i <= 4; i++)
    for (guint a = 0; a < G_N_ELEMENTS (annotators); a++)
      {
        g_autofree char *expected = g_strdup_printf ("item-%u", i);
        g_autofree char *key = next_key (fixture, dataset, annotators[a]);
        g_autoptr(RoundsItem) item = NULL;

        g_assert_cmpstr (key, ==, expected);
        item = find_item (fixture, key);
        save (fixture, item, annotators[a], ROUNDS_STATUS_SUBMITTED);
      }

  for (guint a = 0; a < G_N_ELEMENTS (annotators); a++)
    {
      g_autofree char *key = next_key (fixture, dataset, annotators[a]);

      g_assert_null (key);
    }

  /* Every item has its three judgements, so a fourth annotator has nothing to do. */
  fourth = next_key (fixture, dataset, "dan");
  g_assert_null (fourth);
  g_assert_true (rounds_store_get_progress (fixture->store, rounds_dataset_get_id (dataset), "dan",
                                            &progress, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (progress.n_items, ==, 4);
  g_assert_cmpuint (progress.n_complete, ==, 4);
  g_assert_cmpuint (progress.n_wanted, ==, 12);
  g_assert_cmpuint (progress.n_submitted, ==, 12);
  g_assert_cmpuint (progress.n_mine, ==, 0);
  g_assert_cmpuint (progress.n_mine_open, ==, 0);
}

static void
test_queue_skip (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(RoundsDataset) dataset = add_dataset (fixture, 3, 2, 1, NULL);
  g_autoptr(RoundsItem) first = NULL;
  g_autofree char *ann_next = NULL;
  g_autofree char *bob_next = NULL;
  RoundsProgress progress;
  g_autoptr(GError) error = NULL;

  rounds_test_store_add_profile (fixture->store, "ann", NULL, ROUNDS_ROLE_ANNOTATOR);
  rounds_test_store_add_profile (fixture->store, "bob", NULL, ROUNDS_ROLE_ANNOTATOR);

  first = find_item (fixture, "item-1");
  save (fixture, first, "ann", ROUNDS_STATUS_SKIPPED);

  ann_next = next_key (fixture, dataset, "ann");
  g_assert_cmpstr (ann_next, ==, "item-2");
  bob_next = next_key (fixture, dataset, "bob");
  g_assert_cmpstr (bob_next, ==, "item-1");

  g_assert_true (rounds_store_get_progress (fixture->store, rounds_dataset_get_id (dataset), "ann",
                                            &progress, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (progress.n_complete, ==, 0);
  g_assert_cmpuint (progress.n_mine, ==, 0);
  g_assert_cmpuint (progress.n_mine_skipped, ==, 1);
  g_assert_cmpuint (progress.n_mine_open, ==, 2);

  /* The compare page's count: the same for ann, and nothing of the dataset's totals. */
  g_assert_true (rounds_store_get_my_progress (fixture->store, rounds_dataset_get_id (dataset),
                                               "ann", &progress, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (progress.n_mine, ==, 0);
  g_assert_cmpuint (progress.n_mine_skipped, ==, 1);
  g_assert_cmpuint (progress.n_mine_open, ==, 2);
  g_assert_cmpuint (progress.n_items, ==, 0);
  save (fixture, first, "bob", ROUNDS_STATUS_SUBMITTED);
  g_assert_true (rounds_store_get_my_progress (fixture->store, rounds_dataset_get_id (dataset),
                                               "bob", &progress, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (progress.n_mine, ==, 1);
  g_assert_cmpuint (progress.n_mine_skipped, ==, 0);
  g_assert_cmpuint (progress.n_mine_open, ==, 2);
}

static void
test_queue_drafts_first (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(RoundsDataset) dataset = add_dataset (fixture, 4, 2, 1, NULL);
  g_autoptr(RoundsItem) third = find_item (fixture, "item-3");
  g_autoptr(RoundsJudgement) draft = new_judgement (fixture, third, ROUNDS_STATUS_DRAFT, 0);
  g_autoptr(RoundsJudgement) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key1 = NULL;
  g_autofree char *key2 = NULL;
  g_autofree char *other = NULL;

  rounds_test_store_add_profile (fixture->store, "ann", NULL, ROUNDS_ROLE_ANNOTATOR);
  rounds_test_store_add_profile (fixture->store, "bob", NULL, ROUNDS_ROLE_ANNOTATOR);

  draft->has_preference = TRUE;
  draft->preference = 1;
  draft->comment = g_strdup ("half done");
  g_assert_true (rounds_store_save_draft (fixture->store, third, "ann", draft, &error));
  g_assert_no_error (error);

  key1 = next_key (fixture, dataset, "ann");
  g_assert_cmpstr (key1, ==, "item-3");
  /* Someone else's draft is not in your queue first. */
  other = next_key (fixture, dataset, "bob");
  g_assert_cmpstr (other, ==, "item-1");

  back = rounds_store_get_draft (fixture->store, third, "ann", &error);
  g_assert_no_error (error);
  g_assert_nonnull (back);
  g_assert_cmpint (back->status, ==, ROUNDS_STATUS_DRAFT);
  g_assert_true (back->has_preference);
  g_assert_cmpint (back->preference, ==, 1);
  g_assert_cmpstr (back->comment, ==, "half done");

  /* Submitting drops the draft; the queue goes back to dataset order. */
  save (fixture, third, "ann", ROUNDS_STATUS_SUBMITTED);
  g_clear_pointer (&back, rounds_judgement_free);
  back = rounds_store_get_draft (fixture->store, third, "ann", &error);
  g_assert_no_error (error);
  g_assert_null (back);
  key2 = next_key (fixture, dataset, "ann");
  g_assert_cmpstr (key2, ==, "item-1");
}

static void
test_drafts_discard (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(RoundsDataset) dataset = add_dataset (fixture, 2, 3, 1, NULL);
  g_autoptr(RoundsItem) second = find_item (fixture, "item-2");
  g_autoptr(RoundsJudgement) draft = new_judgement (fixture, second, ROUNDS_STATUS_DRAFT, 0);
  g_autoptr(RoundsJudgement) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;

  rounds_test_store_add_profile (fixture->store, "ann", NULL, ROUNDS_ROLE_ANNOTATOR);
  draft->ranks[0] = 2;
  draft->ranks[2] = 1;
  *rounds_judgement_score (draft, 1, 0) = 4;
  draft->flags[2] = ROUNDS_FLAG_UNSAFE | ROUNDS_FLAG_BIAS;
  draft->notes[1] = g_strdup ("vague");
  g_assert_true (rounds_store_save_draft (fixture->store, second, "ann", draft, &error));
  g_assert_no_error (error);
  /* Saving again replaces it. */
  draft->ranks[1] = 3;
  g_assert_true (rounds_store_save_draft (fixture->store, second, "ann", draft, &error));
  g_assert_no_error (error);
  g_assert_cmpint (rounds_test_query_int (fixture->store, "SELECT COUNT(*) FROM drafts"), ==, 1);

  back = rounds_store_get_draft (fixture->store, second, "ann", &error);
  g_assert_no_error (error);
  g_assert_cmpint (back->ranks[0], ==, 2);
  g_assert_cmpint (back->ranks[1], ==, 3);
  g_assert_cmpint (back->ranks[2], ==, 1);
  g_assert_cmpint (*rounds_judgement_score (back, 1, 0), ==, 4);
  g_assert_cmpint (*rounds_judgement_score (back, 0, 0), ==, -1);
  g_assert_cmpuint (back->flags[2], ==, ROUNDS_FLAG_UNSAFE | ROUNDS_FLAG_BIAS);
  g_assert_cmpstr (back->notes[1], ==, "vague");
  g_assert_null (back->notes[0]);

  key = next_key (fixture, dataset, "ann");
  g_assert_cmpstr (key, ==, "item-2");
  g_assert_true (rounds_store_discard_draft (fixture->store, second, "ann", &error));
  g_assert_no_error (error);
  g_clear_pointer (&key, g_free);
  key = next_key (fixture, dataset, "ann");
  g_assert_cmpstr (key, ==, "item-1");
}

/* An annotator who turns a submitted judgement into a skip no longer counts towards the
 * item's overlap, so the item goes back into the others' queues. */
static void
test_queue_withdrawn (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(RoundsDataset) dataset = add_dataset (fixture, 2, 2, 1, NULL);
  g_autoptr(RoundsItem) first = find_item (fixture, "item-1");
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *again = NULL;
  RoundsProgress progress;
  g_autoptr(GError) error = NULL;

  rounds_test_store_add_profile (fixture->store, "ann", NULL, ROUNDS_ROLE_ANNOTATOR);
  rounds_test_store_add_profile (fixture->store, "bob", NULL, ROUNDS_ROLE_ANNOTATOR);

  save (fixture, first, "ann", ROUNDS_STATUS_SUBMITTED);
  before = next_key (fixture, dataset, "bob");
  g_assert_cmpstr (before, ==, "item-2");

  save (fixture, first, "ann", ROUNDS_STATUS_SKIPPED);
  after = next_key (fixture, dataset, "bob");
  g_assert_cmpstr (after, ==, "item-1");
  g_assert_true (rounds_store_get_progress (fixture->store, rounds_dataset_get_id (dataset), "ann",
                                            &progress, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (progress.n_complete, ==, 0);
  g_assert_cmpuint (progress.n_submitted, ==, 0);
  g_assert_cmpuint (progress.n_mine, ==, 0);
  g_assert_cmpuint (progress.n_mine_skipped, ==, 1);

  /* And submitting once more completes it again, counted once. */
  save (fixture, first, "ann", ROUNDS_STATUS_SUBMITTED);
  save (fixture, first, "ann", ROUNDS_STATUS_SUBMITTED);
  again = next_key (fixture, dataset, "bob");
  g_assert_cmpstr (again, ==, "item-2");
  g_assert_cmpint (rounds_test_query_int (fixture->store, "SELECT n_submitted FROM items "
                                                          "WHERE key = 'item-1'"), ==, 1);
}

static void
assert_next (Fixture       *fixture,
             RoundsDataset *dataset,
             const char    *annotator,
             const char    *expected)
{
  g_autofree char *key = next_key (fixture, dataset, annotator);

  g_assert_cmpstr (key, ==, expected);
}

/* The queue search starts where the last one ended, so whatever can put an item before
 * that place back into a queue must be seen: responses arriving, the overlap raised, an item
 * moved forward. */
static void
test_queue_returns (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(RoundsDataset) dataset = add_dataset (fixture, 3, 2, 1, NULL);
  g_autoptr(RoundsItem) first = find_item (fixture, "item-1");

  rounds_test_store_add_profile (fixture->store, "ann", NULL, ROUNDS_ROLE_ANNOTATOR);
  rounds_test_store_add_profile (fixture->store, "bob", NULL, ROUNDS_ROLE_ANNOTATOR);

  rounds_test_exec (fixture->store, "DELETE FROM responses"
                                    " WHERE item_id = (SELECT id FROM items WHERE key = 'item-1')");
  assert_next (fixture, dataset, "ann", "item-2");
  rounds_test_exec (fixture->store, "INSERT INTO responses (item_id, idx, key, text)"
                                    " SELECT i.id, r.value, r.value, 'again'"
                                    " FROM items i, json_each ('[0, 1]') r"
                                    " WHERE i.key = 'item-1'");
  assert_next (fixture, dataset, "ann", "item-1");

  save (fixture, first, "bob", ROUNDS_STATUS_SUBMITTED);
  assert_next (fixture, dataset, "ann", "item-2");
  rounds_test_exec (fixture->store, "UPDATE items SET overlap = 2 WHERE key = 'item-1'");
  assert_next (fixture, dataset, "ann", "item-1");

  save (fixture, first, "ann", ROUNDS_STATUS_SUBMITTED);
  assert_next (fixture, dataset, "ann", "item-2");
  rounds_test_exec (fixture->store, "UPDATE items SET position = 0 WHERE key = 'item-3'");
  assert_next (fixture, dataset, "ann", "item-3");
}

/* Judgements -------------------------------------------------------------------------- */

static void
test_judgement_edits (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(RoundsDataset) dataset = add_dataset (fixture, 1, 2, 1, NULL);
  g_autoptr(RoundsItem) item = find_item (fixture, "item-1");
  g_autoptr(GPtrArray) edits = NULL;
  g_autoptr(RoundsJudgement) current = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) edit_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const int preferences[] = { -2, 1, 0 };
  sqlite3_stmt *stmt = NULL;
  guint row = 0;

  rounds_test_store_add_profile (fixture->store, "ann", NULL, ROUNDS_ROLE_ANNOTATOR);

  for (guint i = 0; i < G_N_ELEMENTS (preferences); i++)
    {
      g_autoptr(RoundsJudgement) j = new_judgement (fixture, item, ROUNDS_STATUS_SUBMITTED,
                                                    preferences[i]);

      /* Shown B on the left: the preference is still relative to canonical order. */
      j->shown_order[0] = 1;
      j->shown_order[1] = 0;
      j->comment = g_strdup_printf ("edit %u", i + 1);
      j->time_spent_ms = 1000 * (i + 1);
      g_assert_true (rounds_store_save_judgement (fixture->store, item, "ann", j, &error));
      g_assert_no_error (error);
      g_assert_cmpint (j->revision, ==, (int) i + 1);
      g_assert_nonnull (j->edit_id);
      g_assert_nonnull (j->created_at);
      g_assert_cmpstr (j->annotator, ==, "ann");
      g_assert_false (g_hash_table_contains (edit_ids, j->edit_id));
      g_hash_table_add (edit_ids, g_strdup (j->edit_id));
    }

  /* Every edit is kept, oldest first; the newest is current. */
  edits = rounds_store_list_edits (fixture->store, item, "ann", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (edits->len, ==, 3);
  for (guint i = 0; i < edits->len; i++)
    {
      RoundsJudgement *edit = g_ptr_array_index (edits, i);
      g_autofree char *comment = g_strdup_printf ("edit %u", i + 1);

      g_assert_cmpint (edit->revision, ==, (int) i + 1);
      g_assert_cmpint (edit->status, ==, ROUNDS_STATUS_SUBMITTED);
      g_assert_true (edit->has_preference);
      g_assert_cmpint (edit->preference, ==, preferences[i]);
      g_assert_cmpstr (edit->comment, ==, comment);
      g_assert_cmpuint (edit->shown_order[0], ==, 1);
      g_assert_cmpuint (edit->shown_order[1], ==, 0);
      g_assert_cmpint (edit->time_spent_ms, ==, 1000 * (i + 1));
      g_assert_true (g_hash_table_contains (edit_ids, edit->edit_id));
    }

  current = rounds_store_get_judgement (fixture->store, item, "ann", &error);
  g_assert_no_error (error);
  g_assert_cmpint (current->revision, ==, 3);
  g_assert_cmpint (current->preference, ==, 0);
  g_assert_cmpstr (current->annotator, ==, "ann");

  /* The raw rows, as a researcher reads them. */
  g_assert_cmpint (rounds_test_query_int (fixture->store,
                                          "SELECT COUNT(*) FROM annotations"), ==, 3);
  g_assert_cmpint (rounds_test_query_int (fixture->store, "SELECT COUNT(DISTINCT "
                                                          "edit_id) FROM annotations"), ==, 3);
  g_assert_cmpint (rounds_test_query_int (fixture->store,
                                          "SELECT COUNT(DISTINCT doc_id) FROM annotations"), ==, 3);
  g_assert_cmpint (rounds_test_query_int (fixture->store, "SELECT COUNT(*) FROM annotations "
                                                          "WHERE is_current = 1"), ==, 1);
  g_assert_cmpint (rounds_test_query_int (fixture->store, "SELECT revision FROM annotations "
                                                          "WHERE is_current = 1"), ==, 3);
  g_assert_cmpint (rounds_test_query_int (fixture->store, "SELECT preference FROM annotations "
                                                          "WHERE revision = 1"), ==, -2);
  g_assert_cmpint (rounds_test_query_int (fixture->store, "SELECT COUNT(*) FROM annotations WHERE "
                                                          "shown_order = '[1,0]'"), ==, 3);
  g_assert_cmpint (rounds_test_query_int (fixture->store,
                                          "SELECT COUNT(*) FROM annotations WHERE synced = 0 "
                                          "AND origin = 'local'"), ==, 3);

  /* The audit log: a submit, then revisions. */
  g_assert_cmpint (sqlite3_prepare_v2 (_rounds_store_get_db (fixture->store),
                                       "SELECT action, actor, target, json_extract "
                                       "(detail_json, '$.revision')"
                                       " FROM audit_log WHERE action LIKE "
                                       "'judgement.%' ORDER BY id",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==,
                       row == 0 ? "judgement.submit" : "judgement.revise");
      g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 1), ==, "ann");
      g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 2), ==, "ds/item-1");
      g_assert_cmpint (sqlite3_column_int (stmt, 3), ==, (int) row + 1);
      row++;
    }
  sqlite3_finalize (stmt);
  g_assert_cmpuint (row, ==, 3);
}

static void
test_judgement_full (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(RoundsDataset) dataset = add_dataset (fixture, 1, 3, 1,
                                                  "\"preference\", \"rubric\", \"notes\"");
  g_autoptr(RoundsItem) item = find_item (fixture, "item-1");
  g_autoptr(RoundsJudgement) j = new_judgement (fixture, item, ROUNDS_STATUS_SUBMITTED, 0);
  g_autoptr(RoundsJudgement) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *ranking = NULL;

  rounds_test_store_add_profile (fixture->store, "ann", NULL, ROUNDS_ROLE_ANNOTATOR);
  j->has_preference = FALSE;
  j->ranks[0] = 2;
  j->ranks[1] = 1;
  j->ranks[2] = 2;
  for (guint r = 0; r < 3; r++)
    {
      for (guint c = 0; c < j->n_criteria; c++)
        *rounds_judgement_score (j, r, c) = 1 + (int) ((r + c) % 5);
      j->notes[r] = g_strdup_printf ("注 %u", r);
    }
  j->flags[0] = ROUNDS_FLAG_OUTDATED;
  j->flags[2] = ROUNDS_FLAG_PRIVACY | ROUNDS_FLAG_FACTUALLY_WRONG;
  j->shown_order[0] = 2;
  j->shown_order[1] = 0;
  j->shown_order[2] = 1;
  g_assert_true (rounds_store_save_judgement (fixture->store, item, "ann", j, &error));
  g_assert_no_error (error);

  ranking = rounds_test_query_text (fixture->store, "SELECT ranking_json FROM annotations", NULL);
  g_assert_cmpstr (ranking, ==, "[2,1,2]");

  back = rounds_store_get_judgement (fixture->store, item, "ann", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->n_responses, ==, 3);
  g_assert_cmpuint (back->n_criteria, ==, j->n_criteria);
  g_assert_false (back->has_preference);
  for (guint r = 0; r < 3; r++)
    {
      g_assert_cmpint (back->ranks[r], ==, j->ranks[r]);
      g_assert_cmpuint (back->flags[r], ==, j->flags[r]);
      g_assert_cmpstr (back->notes[r], ==, j->notes[r]);
      g_assert_cmpuint (back->shown_order[r], ==, j->shown_order[r]);
      for (guint c = 0; c < j->n_criteria; c++)
        g_assert_cmpint (*rounds_judgement_score (back, r, c), ==,
                         *rounds_judgement_score (j, r, c));
    }
}

typedef struct
{
  const char *name;
  const char *sql;
  gboolean    allowed;
} AppendOnlyCase;

static const AppendOnlyCase append_only_cases[] = {
  { "update-annotation-preference", "UPDATE annotations SET preference = 2", FALSE },
  { "update-annotation-comment", "UPDATE annotations SET comment = 'changed'", FALSE },
  { "update-annotation-status", "UPDATE annotations SET status = 'skipped'", FALSE },
  { "update-annotation-order", "UPDATE annotations SET shown_order = '[0,1]'", FALSE },
  { "delete-annotation", "DELETE FROM annotations", FALSE },
  { "update-audit-action", "UPDATE audit_log SET action = 'nothing'", FALSE },
  { "update-audit-detail", "UPDATE audit_log SET detail_json = NULL", FALSE },
  { "delete-audit", "DELETE FROM audit_log", FALSE },
  { "delete-item", "DELETE FROM items", FALSE },
  /* Only the bookkeeping flags may change. */
  { "mark-annotation-synced", "UPDATE annotations SET synced = 1", TRUE },
  { "mark-audit-synced", "UPDATE audit_log SET synced = 1", TRUE },
};

static void
test_append_only (Fixture       *fixture,
                  gconstpointer  data)
{
  static const char every_row[] =
    "SELECT group_concat (x, '|') FROM"
    " (SELECT quote (preference) || comment || status || shown_order AS x FROM annotations"
    "  UNION ALL SELECT action || quote (detail_json) FROM audit_log)";
  const AppendOnlyCase *c = data;
  g_autoptr(RoundsDataset) dataset = add_dataset (fixture, 1, 2, 1, NULL);
  g_autoptr(RoundsItem) item = find_item (fixture, "item-1");
  sqlite3 *db = _rounds_store_get_db (fixture->store);
  gint64 annotations, audit;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  int rc;

  rounds_test_store_add_profile (fixture->store, "ann", NULL, ROUNDS_ROLE_ANNOTATOR);
  save (fixture, item, "ann", ROUNDS_STATUS_SUBMITTED);
  annotations = rounds_test_query_int (fixture->store, "SELECT COUNT(*) FROM annotations");
  audit = rounds_test_query_int (fixture->store, "SELECT COUNT(*) FROM audit_log");
  g_assert_cmpint (annotations, ==, 1);
  g_assert_cmpint (audit, >=, 2);
  before = rounds_test_query_text (fixture->store, every_row, NULL);

  rc = sqlite3_exec (db, c->sql, NULL, NULL, NULL);
  if (c->allowed)
    {
      g_assert_cmpint (rc, ==, SQLITE_OK);
      return;
    }

  g_assert_cmpint (rc, !=, SQLITE_OK);
  g_assert_cmpint (rounds_test_query_int (fixture->store, "SELECT COUNT(*) FROM annotations"),
                   ==, annotations);
  g_assert_cmpint (rounds_test_query_int (fixture->store,
                                          "SELECT COUNT(*) FROM audit_log"), ==, audit);
  after = rounds_test_query_text (fixture->store, every_row, NULL);
  g_assert_cmpstr (before, ==, after);
}

typedef struct
{
  const char    *name;
  RoundsRequire  required;
  guint          n_responses;
  gboolean       preference;
  gboolean       unacceptable;
  gboolean       ranks;
  gboolean       scores;
  const char    *comment;
  gboolean       notes;
  gboolean       complete;
} CompleteCase;

static const CompleteCase complete_cases[] = {
  { "nothing", ROUNDS_REQUIRE_PREFERENCE, 2, FALSE, FALSE, FALSE, FALSE, NULL, FALSE, FALSE },
  { "preference", ROUNDS_REQUIRE_PREFERENCE, 2, TRUE, FALSE, FALSE, FALSE, NULL, FALSE, TRUE },
  { "unacceptable", ROUNDS_REQUIRE_PREFERENCE, 2, FALSE, TRUE, FALSE, FALSE, NULL, FALSE, TRUE },
  { "ranking-missing", ROUNDS_REQUIRE_PREFERENCE, 3, TRUE, FALSE, FALSE, FALSE, NULL,
    FALSE, FALSE },
  { "ranking", ROUNDS_REQUIRE_PREFERENCE, 3, FALSE, FALSE, TRUE, FALSE, NULL, FALSE, TRUE },
  { "ranking-unacceptable", ROUNDS_REQUIRE_PREFERENCE, 3, FALSE, TRUE, FALSE, FALSE, NULL,
    FALSE, TRUE },
  { "rubric-missing", ROUNDS_REQUIRE_PREFERENCE | ROUNDS_REQUIRE_RUBRIC, 2, TRUE, FALSE, FALSE,
    FALSE, NULL, FALSE, FALSE },
  { "rubric", ROUNDS_REQUIRE_PREFERENCE | ROUNDS_REQUIRE_RUBRIC, 2, TRUE, FALSE, FALSE, TRUE, NULL,
    FALSE, TRUE },
  { "comment-missing", ROUNDS_REQUIRE_COMMENT, 2, TRUE, FALSE, FALSE, FALSE, NULL, FALSE, FALSE },
  { "comment-blank", ROUNDS_REQUIRE_COMMENT, 2, TRUE, FALSE, FALSE, FALSE, " \n\t", FALSE, FALSE },
  { "comment", ROUNDS_REQUIRE_COMMENT, 2, TRUE, FALSE, FALSE, FALSE, "fine", FALSE, TRUE },
  { "notes-missing", ROUNDS_REQUIRE_NOTES, 2, TRUE, FALSE, FALSE, FALSE, NULL, FALSE, FALSE },
  { "notes", ROUNDS_REQUIRE_NOTES, 2, TRUE, FALSE, FALSE, FALSE, NULL, TRUE, TRUE },
  { "no-requirements", 0, 2, FALSE, FALSE, FALSE, FALSE, NULL, FALSE, TRUE },
};

static void
test_check_complete (gconstpointer data)
{
  const CompleteCase *c = data;
  g_autoptr(RoundsRubric) rubric = rounds_rubric_new_default ();
  g_autoptr(RoundsJudgement) j = rounds_judgement_new (c->n_responses, rubric);
  g_autoptr(GError) error = NULL;

  j->status = ROUNDS_STATUS_SUBMITTED;
  j->has_preference = c->preference;
  j->unacceptable = c->unacceptable;
  for (guint r = 0; c->ranks && r < c->n_responses; r++)
    j->ranks[r] = (int) r + 1;
  for (guint i = 0; c->scores && i < j->n_responses * j->n_criteria; i++)
    j->scores[i] = 3;
  j->comment = g_strdup (c->comment);
  for (guint r = 0; c->notes && r < c->n_responses; r++)
    j->notes[r] = g_strdup ("a note");

  if (c->complete)
    {
      g_assert_true (rounds_judgement_check_complete (j, c->required, &error));
      g_assert_no_error (error);
    }
  else
    {
      g_assert_false (rounds_judgement_check_complete (j, c->required, &error));
      g_assert_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INCOMPLETE);
      g_assert_cmpstr (error->message, !=, "");
    }
}

/* The store refuses an incomplete submission and writes nothing; a skip needs nothing. */
static void
test_save_incomplete (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(RoundsDataset) dataset = add_dataset (fixture, 1, 2, 1, "\"preference\", \"comment\"");
  g_autoptr(RoundsItem) item = find_item (fixture, "item-1");
  g_autoptr(RoundsJudgement) j = new_judgement (fixture, item, ROUNDS_STATUS_SUBMITTED, -1);
  g_autoptr(RoundsJudgement) off_scale = new_judgement (fixture, item, ROUNDS_STATUS_SUBMITTED, 3);
  g_autoptr(GError) error = NULL;

  rounds_test_store_add_profile (fixture->store, "ann", NULL, ROUNDS_ROLE_ANNOTATOR);
  g_assert_cmpuint (rounds_dataset_get_required (dataset), ==,
                    ROUNDS_REQUIRE_PREFERENCE | ROUNDS_REQUIRE_COMMENT);

  g_assert_false (rounds_store_save_judgement (fixture->store, item, "ann", j, &error));
  g_assert_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INCOMPLETE);
  g_clear_error (&error);
  g_assert_cmpint (rounds_test_query_int (fixture->store,
                                          "SELECT COUNT(*) FROM annotations"), ==, 0);
  g_assert_cmpint (rounds_test_query_int (fixture->store, "SELECT COUNT(*) FROM audit_log WHERE "
                                                          "action LIKE 'judgement.%'"), ==, 0);

  /* 3 is off a 5-point scale (-2…2). */
  off_scale->comment = g_strdup ("sure");
  g_assert_false (rounds_store_save_judgement (fixture->store, item, "ann", off_scale, &error));
  g_assert_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_cmpint (rounds_test_query_int (fixture->store,
                                          "SELECT COUNT(*) FROM annotations"), ==, 0);

  j->comment = g_strdup ("A is right");
  g_assert_true (rounds_store_save_judgement (fixture->store, item, "ann", j, &error));
  g_assert_no_error (error);

  /* Nobody may save without a profile. */
  g_assert_false (rounds_store_save_judgement (fixture->store, item, "nobody", j, &error));
  g_assert_error (error, ROUNDS_ERROR, ROUNDS_ERROR_NO_PROFILE);
  g_assert_cmpint (rounds_test_query_int (fixture->store,
                                          "SELECT COUNT(*) FROM annotations"), ==, 1);
}

/* The order on screen ----------------------------------------------------------------- */

static gboolean
is_permutation (const guint *order,
                guint        n)
{
  guint seen = 0;

  for (guint i = 0; i < n; i++)
    {
      if (order[i] >= n || (seen & (1u << order[i])))
        return FALSE;
      seen |= 1u << order[i];
    }
  return seen == (1u << n) - 1;
}

static void
test_shown_order_stable (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(RoundsDataset) dataset = add_dataset (fixture, 3, 4, 3, NULL);
  const char *annotators[] = { "ann", "bob" };
  guint first[2][3][4];
  g_autoptr(GError) error = NULL;

  for (guint a = 0; a < G_N_ELEMENTS (annotators); a++)
    rounds_test_store_add_profile (fixture->store, annotators[a], NULL, ROUNDS_ROLE_ANNOTATOR);

  for (guint round = 0; round < 3; round++)
    {
      for (guint a = 0; a < G_N_ELEMENTS (annotators); a++)
        for (guint i = 0; i < 3; i++)
          {
            g_autofree char *key = g_strdup_printf ("item-%u", i + 1);
            g_autoptr(RoundsItem) item = find_item (fixture, key);
            guint order[4] = { 99, 99, 99, 99 };

            g_assert_true (rounds_store_get_shown_order (fixture->store, item, annotators[a],
                                                         order, &error));
            g_assert_no_error (error);
            g_assert_true (is_permutation (order, 4));
            if (round == 0)
              memcpy (first[a][i], order, sizeof order);
            else
              g_assert_cmpmem (first[a][i], sizeof order, order, sizeof order);
          }

      /* The order survives closing the store. */
      g_clear_object (&fixture->store);
      fixture->store = rounds_store_open (fixture->path, &error);
      g_assert_no_error (error);
    }

  /* Two annotators of one item see it in different orders. */
  for (guint i = 0; i < 3; i++)
    g_assert_true (memcmp (first[0][i], first[1][i], sizeof first[0][i]) != 0);
}

typedef struct
{
  guint n_responses;
  guint n_annotators;
} CounterbalanceCase;

static const CounterbalanceCase counterbalance_cases[] = {
  { 2, 4 },
  { 2, 6 },
  { 3, 3 },
  { 3, 6 },
  { 4, 8 },
};

/* Successive annotators of an item get successive rotations, so after k·n annotators of an
 * item with n responses, every response has stood in every position exactly k times. */
static void
test_shown_order_counterbalanced (Fixture       *fixture,
                                  gconstpointer  data)
{
  const CounterbalanceCase *c = data;
  g_autoptr(RoundsDataset) dataset = add_dataset (fixture, 5, c->n_responses,
                                                  c->n_annotators, NULL);
  g_autoptr(GError) error = NULL;

  for (guint a = 0; a < c->n_annotators; a++)
    {
      g_autofree char *name = g_strdup_printf ("annotator-%u", a);

      rounds_test_store_add_profile (fixture->store, name, NULL, ROUNDS_ROLE_ANNOTATOR);
    }

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *key = g_strdup_printf ("item-%u", i + 1);
      g_autoptr(RoundsItem) item = find_item (fixture, key);
      guint count[8][8] = { { 0 } };   /* [position][response] */

      for (guint a = 0; a < c->n_annotators; a++)
        {
          g_autofree char *name = g_strdup_printf ("annotator-%u", a);
          guint order[8];

          g_assert_true (rounds_store_get_shown_order (fixture->store, item, name, order, &error));
          g_assert_no_error (error);
          g_assert_true (is_permutation (order, c->n_responses));
          for (guint p = 0; p < c->n_responses; p++)
            count[p][order[p]]++;
        }

      for (guint p = 0; p < c->n_responses; p++)
        for (guint r = 0; r < c->n_responses; r++)
          g_assert_cmpuint (count[p][r], ==, c->n_annotators / c->n_responses);
    }

}

/* Where the rotation starts depends on the item, so the first annotator does not always
 * see the first canonical response on the left. */
static void
test_shown_order_varies (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(RoundsDataset) dataset = add_dataset (fixture, 40, 2, 1, NULL);
  g_autoptr(GError) error = NULL;
  guint left[2] = { 0, 0 };

  rounds_test_store_add_profile (fixture->store, "ann", NULL, ROUNDS_ROLE_ANNOTATOR);
  for (guint i = 0; i < 40; i++)
    {
      g_autofree char *key = g_strdup_printf ("item-%u", i + 1);
      g_autoptr(RoundsItem) item = find_item (fixture, key);
      guint order[2];

      g_assert_true (rounds_store_get_shown_order (fixture->store, item, "ann", order, &error));
      g_assert_no_error (error);
      left[order[0]]++;
    }
  g_assert_cmpuint (left[0], >, 0);
  g_assert_cmpuint (left[1], >, 0);
}

/* Progress and history ---------------------------------------------------------------- */

static void
test_progress (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(RoundsDataset) dataset = add_dataset (fixture, 5, 2, 2, NULL);
  gint64 id = rounds_dataset_get_id (dataset);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) stats = NULL;
  RoundsProgress p;
  const char *keys[] = { "item-1", "item-2", "item-3", "item-4", "item-5" };
  RoundsItem *items[5];

  rounds_test_store_add_profile (fixture->store, "ann", NULL, ROUNDS_ROLE_ANNOTATOR);
  rounds_test_store_add_profile (fixture->store, "bob", NULL, ROUNDS_ROLE_ANNOTATOR);
  for (guint i = 0; i < 5; i++)
    items[i] = find_item (fixture, keys[i]);

  g_assert_true (rounds_store_get_progress (fixture->store, id, "ann", &p, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (p.n_items, ==, 5);
  g_assert_cmpuint (p.n_complete, ==, 0);
  g_assert_cmpuint (p.n_wanted, ==, 10);
  g_assert_cmpuint (p.n_submitted, ==, 0);
  g_assert_cmpuint (p.n_mine, ==, 0);
  g_assert_cmpuint (p.n_mine_skipped, ==, 0);
  g_assert_cmpuint (p.n_mine_open, ==, 5);

  /* ann: submits 1, 2 (twice) and 3, skips 4. bob: submits 1 and 2. */
  save (fixture, items[0], "ann", ROUNDS_STATUS_SUBMITTED);
  save (fixture, items[1], "ann", ROUNDS_STATUS_SUBMITTED);
  save (fixture, items[1], "ann", ROUNDS_STATUS_SUBMITTED);
  save (fixture, items[2], "ann", ROUNDS_STATUS_SUBMITTED);
  save (fixture, items[3], "ann", ROUNDS_STATUS_SKIPPED);
  save (fixture, items[0], "bob", ROUNDS_STATUS_SUBMITTED);
  save (fixture, items[1], "bob", ROUNDS_STATUS_SUBMITTED);

  g_assert_true (rounds_store_get_progress (fixture->store, id, "ann", &p, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (p.n_items, ==, 5);
  g_assert_cmpuint (p.n_complete, ==, 2);
  g_assert_cmpuint (p.n_wanted, ==, 10);
  g_assert_cmpuint (p.n_submitted, ==, 5);
  g_assert_cmpuint (p.n_mine, ==, 3);
  g_assert_cmpuint (p.n_mine_skipped, ==, 1);
  g_assert_cmpuint (p.n_mine_open, ==, 1);

  g_assert_true (rounds_store_get_progress (fixture->store, id, "bob", &p, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (p.n_mine, ==, 2);
  g_assert_cmpuint (p.n_mine_skipped, ==, 0);
  g_assert_cmpuint (p.n_mine_open, ==, 3);

  /* Without an annotator only the dataset's counts are filled. */
  g_assert_true (rounds_store_get_progress (fixture->store, id, NULL, &p, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (p.n_submitted, ==, 5);
  g_assert_cmpuint (p.n_mine, ==, 0);

  stats = rounds_store_list_annotator_stats (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stats->len, ==, 2);
  g_assert_cmpstr (g_array_index (stats, RoundsAnnotatorStats, 0).user_name, ==, "ann");
  g_assert_cmpuint (g_array_index (stats, RoundsAnnotatorStats, 0).n_submitted, ==, 3);
  g_assert_cmpuint (g_array_index (stats, RoundsAnnotatorStats, 0).n_skipped, ==, 1);
  g_assert_cmpuint (g_array_index (stats, RoundsAnnotatorStats, 0).n_revised, ==, 1);
  g_assert_cmpstr (g_array_index (stats, RoundsAnnotatorStats, 1).user_name, ==, "bob");
  g_assert_cmpuint (g_array_index (stats, RoundsAnnotatorStats, 1).n_submitted, ==, 2);
  g_assert_cmpuint (g_array_index (stats, RoundsAnnotatorStats, 1).n_revised, ==, 0);

  for (guint i = 0; i < 5; i++)
    g_object_unref (items[i]);
}

static void
test_history (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(RoundsDataset) dataset = add_dataset (fixture, 4, 2, 1, NULL);
  g_autoptr(RoundsItem) i1 = find_item (fixture, "item-1");
  g_autoptr(RoundsItem) i2 = find_item (fixture, "item-2");
  g_autoptr(RoundsItem) i3 = find_item (fixture, "item-3");
  g_autoptr(GArray) history = NULL;
  g_autoptr(GArray) other = NULL;
  g_autoptr(GError) error = NULL;

  rounds_test_store_add_profile (fixture->store, "ann", NULL, ROUNDS_ROLE_ANNOTATOR);
  rounds_test_store_add_profile (fixture->store, "bob", NULL, ROUNDS_ROLE_ANNOTATOR);

  /* Done in the order 3, 1, 2, then 3 revised: history keeps the first order. */
  save (fixture, i3, "ann", ROUNDS_STATUS_SUBMITTED);
  g_usleep (2000);
  save (fixture, i1, "ann", ROUNDS_STATUS_SKIPPED);
  g_usleep (2000);
  save (fixture, i2, "ann", ROUNDS_STATUS_SUBMITTED);
  g_usleep (2000);
  save (fixture, i3, "ann", ROUNDS_STATUS_SUBMITTED);

  history = rounds_store_list_history (fixture->store, rounds_dataset_get_id (dataset),
                                       "ann", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, ==, 3);
  g_assert_cmpstr (g_array_index (history, RoundsHistoryEntry, 0).item_key, ==, "item-3");
  g_assert_cmpint (g_array_index (history, RoundsHistoryEntry, 0).revision, ==, 2);
  g_assert_cmpint (g_array_index (history, RoundsHistoryEntry, 0).status, ==,
                   ROUNDS_STATUS_SUBMITTED);
  g_assert_cmpint (g_array_index (history, RoundsHistoryEntry, 0).item_id, ==,
                   rounds_item_get_id (i3));
  g_assert_cmpstr (g_array_index (history, RoundsHistoryEntry, 0).title, ==, NULL);
  g_assert_cmpstr (g_array_index (history, RoundsHistoryEntry, 1).item_key, ==, "item-1");
  g_assert_cmpint (g_array_index (history, RoundsHistoryEntry, 1).status, ==,
                   ROUNDS_STATUS_SKIPPED);
  g_assert_cmpstr (g_array_index (history, RoundsHistoryEntry, 2).item_key, ==, "item-2");
  g_assert_cmpint (g_array_index (history, RoundsHistoryEntry, 2).revision, ==, 1);
  g_assert_nonnull (g_array_index (history, RoundsHistoryEntry, 2).edit_id);
  g_assert_nonnull (g_array_index (history, RoundsHistoryEntry, 2).created_at);

  other = rounds_store_list_history (fixture->store, rounds_dataset_get_id (dataset),
                                     "bob", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (other->len, ==, 0);
}

static void
test_audit (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *row = NULL;

  g_assert_true (rounds_store_audit (fixture->store, "ann", "export.file", "ds",
                                     "{\"format\":\"trl\"}", &error));
  g_assert_no_error (error);
  row = rounds_test_query_text (fixture->store, "SELECT actor || ' ' || action || ' ' || target || "
                                                "' ' || detail_json FROM audit_log", NULL);
  g_assert_cmpstr (row, ==, "ann export.file ds {\"format\":\"trl\"}");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) rounds_test_store_add ("/rounds/store/" path, NULL, func)

  ADD ("open", test_open);
  ADD ("open/creates-folder", test_open_creates_folder);
  ADD ("datasets/count-items", test_count_items);
  ADD ("profiles", test_profiles);
  ADD ("profiles/user-names", test_profile_names);
  ADD ("queue/overlap-one", test_queue_overlap_one);
  ADD ("queue/overlap-three", test_queue_overlap_three);
  ADD ("queue/skip", test_queue_skip);
  ADD ("queue/drafts-first", test_queue_drafts_first);
  ADD ("queue/withdrawn", test_queue_withdrawn);
  ADD ("queue/returns", test_queue_returns);
  ADD ("drafts", test_drafts_discard);
  ADD ("judgement/edits", test_judgement_edits);
  ADD ("judgement/ranking-and-rubric", test_judgement_full);
  ADD ("judgement/incomplete", test_save_incomplete);
  ADD ("shown-order/stable", test_shown_order_stable);
  ADD ("shown-order/varies-by-item", test_shown_order_varies);
  ADD ("progress", test_progress);
  ADD ("history", test_history);
  ADD ("audit", test_audit);

  for (guint i = 0; i < G_N_ELEMENTS (append_only_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/rounds/store/append-only/%s",
                                               append_only_cases[i].name);

      rounds_test_store_add (path, &append_only_cases[i], test_append_only);
    }

  for (guint i = 0; i < G_N_ELEMENTS (complete_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/rounds/store/check-complete/%s",
                                               complete_cases[i].name);

      g_test_add_data_func (path, &complete_cases[i], test_check_complete);
    }

  for (guint i = 0; i < G_N_ELEMENTS (counterbalance_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/rounds/store/shown-order/counterbalanced/"
                                               "%u-responses-%u-annotators",
                                               counterbalance_cases[i].n_responses,
                                               counterbalance_cases[i].n_annotators);

      rounds_test_store_add (path, &counterbalance_cases[i], test_shown_order_counterbalanced);
    }

  return g_test_run ();
}
