/* test-import.c: Rounds JSONL, TRL pairs, mapped JSONL and CSV, judgements, bad input
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <unistd.h>

#include "rounds-error.h"
#include "rounds-importer.h"
#include "rounds-store-private.h"
#include "rounds-store.h"
#include "rounds-test-util.h"

typedef RoundsTestStore Fixture;

/* Helpers ----------------------------------------------------------------------------- */

static gboolean
run_import (Fixture             *fixture,
            RoundsImporter      *importer,
            const char          *name,
            const char          *contents,
            RoundsImportResult  *result,
            GError             **error)
{
  g_autofree char *path = rounds_test_write_file (fixture->dir, name, contents);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  return rounds_importer_run (importer, fixture->store, file, result, NULL, error);
}

static void
import_ok (Fixture            *fixture,
           const char         *name,
           const char         *contents,
           RoundsImportResult *result)
{
  g_autoptr(RoundsImporter) importer = rounds_importer_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (run_import (fixture, importer, name, contents, result, &error));
  g_assert_no_error (error);
}

/* Row counts of every table an import writes, to show that a refused file wrote nothing. */
typedef struct
{
  gint64 datasets;
  gint64 items;
  gint64 responses;
  gint64 annotators;
  gint64 annotations;
  gint64 audit_log;
} Counts;

static void
get_counts (Fixture *fixture,
            Counts  *counts)
{
  counts->datasets = rounds_test_query_int (fixture->store, "SELECT COUNT(*) FROM datasets");
  counts->items = rounds_test_query_int (fixture->store, "SELECT COUNT(*) FROM items");
  counts->responses = rounds_test_query_int (fixture->store, "SELECT COUNT(*) FROM responses");
  counts->annotators = rounds_test_query_int (fixture->store, "SELECT COUNT(*) FROM annotators");
  counts->annotations = rounds_test_query_int (fixture->store, "SELECT COUNT(*) FROM annotations");
  counts->audit_log = rounds_test_query_int (fixture->store, "SELECT COUNT(*) FROM audit_log");
}

static void
assert_counts_equal (const Counts *a,
                     const Counts *b)
{
  g_assert_cmpint (a->datasets, ==, b->datasets);
  g_assert_cmpint (a->items, ==, b->items);
  g_assert_cmpint (a->responses, ==, b->responses);
  g_assert_cmpint (a->annotators, ==, b->annotators);
  g_assert_cmpint (a->annotations, ==, b->annotations);
  g_assert_cmpint (a->audit_log, ==, b->audit_log);
}

#define find_item(fixture, dataset, key) \
  rounds_test_store_find_item ((fixture)->store, dataset, "%s", key)

/* Rounds JSONL ------------------------------------------------------------------------ */

#define ZH_HEAD "一名16岁的患者独自来诊，要求开具避孕药。她说父母不知道。"
#define ZH_TAIL "你会怎么做？𠀀 (CJK Ext. B), e\xCC\x81 (e + U+0301), “quotes”, tab"
#define ZH_SCENARIO ZH_HEAD "\n\n" ZH_TAIL "\tend"
#define ZH_RESPONSE_A "评估其是否具备Gillick能力，并遵循Fraser指引。"
#define ZH_TITLE "十六岁患者要求避孕"

static const char rounds_jsonl[] =
  "\xEF\xBB\xBF{\"type\": \"dataset\", \"id\": \"ethics\", \"title\": \"临床伦理\", "
  "\"description\": \"Demo\","
  " \"instructions\": \"Rank them.\", \"overlap\": 3, \"scale\": 7, \"dispute_spread\": 3,"
  " \"required\": [\"preference\", \"comment\"],"
  " \"rubric\": [{\"id\": \"accuracy\", \"name\": \"Accuracy\", \"description\": \"Truthful\", "
  "\"min\": 1, \"max\": 5},"
  "              {\"id\": \"safety\", \"name\": \"安全\", \"min\": 0, \"max\": 10}],"
  " \"metadata\": {\"source\": \"unit test\"}}\n"
  "# a comment, then a blank line\n"
  "\n"
  "{\"type\": \"item\", \"id\": \"consent-001\", \"title\": "
  "\"" ZH_TITLE "\", \"scenario\": \"" ZH_HEAD "\\n\\n" ZH_TAIL "\\tend\","
  " \"specialty\": \"general practice\", \"language\": \"zh-CN\", \"metadata\": {\"theme\": "
  "\"consent\"},"
  " \"responses\": [{\"id\": \"gillick\", \"text\": "
  "\"" ZH_RESPONSE_A "\", \"model\": \"model-one\", \"metadata\": {\"temperature\": 1}},"
  "               {\"id\": \"refuse\", \"text\": \"Refuse "
  "and call the parents.\", \"model\": \"model-two\"}],"
  " \"reference\": {\"preferred\": \"gillick\", \"note\": \"refusing "
  "breaches confidentiality\"}}\r\n"
  "{\"id\": 42, \"scenario\": \"No type: an item because it has responses.\", \"responses\": "
  "[{\"text\": \"One\"}, {\"text\": \"Two\"}, {\"text\": \"Three\"}]}\n"
  "   # an indented comment\n"
  "{\"type\": \"item\", \"dataset\": \"other\", \"id\": \"x\", \"scenario\": \"Into a "
  "dataset made on the fly\", \"responses\": [{\"text\": \"A\"}, {\"text\": \"B\"}]}\n";

static void
test_rounds_jsonl (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(RoundsImporter) importer = rounds_importer_new ();
  g_autoptr(RoundsDataset) dataset = NULL;
  g_autoptr(RoundsDataset) other = NULL;
  g_autoptr(RoundsItem) consent = NULL;
  g_autoptr(RoundsItem) numbered = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *reference = NULL;
  g_autofree char *actor = NULL;
  g_autofree char *model = NULL;
  RoundsRubric *rubric;
  RoundsImportResult result;

  rounds_importer_set_actor (importer, "curator-1");
  g_assert_true (run_import (fixture, importer, "ethics.jsonl", rounds_jsonl, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.n_records, ==, 4);
  g_assert_cmpuint (result.n_datasets_added, ==, 2);
  g_assert_cmpuint (result.n_items_added, ==, 3);
  g_assert_cmpuint (result.n_items_unchanged, ==, 0);

  dataset = rounds_store_get_dataset (fixture->store, "ethics", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rounds_dataset_get_title (dataset), ==, "临床伦理");
  g_assert_cmpstr (rounds_dataset_get_description (dataset), ==, "Demo");
  g_assert_cmpstr (rounds_dataset_get_instructions (dataset), ==, "Rank them.");
  g_assert_cmpuint (rounds_dataset_get_overlap (dataset), ==, 3);
  g_assert_cmpuint (rounds_dataset_get_scale (dataset), ==, 7);
  g_assert_cmpint (rounds_dataset_get_scale_k (dataset), ==, 3);
  g_assert_cmpuint (rounds_dataset_get_dispute_spread (dataset), ==, 3);
  g_assert_cmpuint (rounds_dataset_get_required (dataset), ==,
                    ROUNDS_REQUIRE_PREFERENCE | ROUNDS_REQUIRE_COMMENT);
  g_assert_cmpuint (rounds_test_store_count_items (fixture->store, dataset), ==, 2);
  rubric = rounds_dataset_get_rubric (dataset);
  g_assert_cmpuint (rounds_rubric_get_n_criteria (rubric), ==, 2);
  g_assert_cmpstr (rounds_rubric_get_criterion (rubric, 1)->name, ==, "安全");
  g_assert_cmpint (rounds_rubric_get_criterion (rubric, 1)->min, ==, 0);
  g_assert_cmpint (rounds_rubric_get_criterion (rubric, 1)->max, ==, 10);
  g_assert_cmpstr (rounds_rubric_get_criterion (rubric, 1)->description, ==, "");

  consent = find_item (fixture, "ethics", "consent-001");
  /* The texts come back byte for byte. */
  g_assert_cmpmem (rounds_item_get_scenario (consent), strlen (rounds_item_get_scenario (consent)),
                   ZH_SCENARIO, strlen (ZH_SCENARIO));
  g_assert_cmpmem (rounds_item_get_title (consent), strlen (rounds_item_get_title (consent)),
                   ZH_TITLE, strlen (ZH_TITLE));
  g_assert_cmpmem (rounds_item_get_response_text (consent, 0),
                   strlen (rounds_item_get_response_text (consent, 0)),
                   ZH_RESPONSE_A, strlen (ZH_RESPONSE_A));
  stored = rounds_test_query_text (fixture->store, "SELECT scenario FROM items WHERE key = ?1",
                                   "consent-001");
  g_assert_cmpmem (stored, strlen (stored), ZH_SCENARIO, strlen (ZH_SCENARIO));
  g_assert_cmpstr (rounds_item_get_language (consent), ==, "zh-CN");
  g_assert_cmpstr (rounds_item_get_specialty (consent), ==, "general practice");
  g_assert_cmpstr (rounds_item_get_metadata_json (consent), ==, "{\"theme\":\"consent\"}");
  g_assert_cmpuint (rounds_item_get_overlap (consent), ==, 3);
  g_assert_cmpuint (rounds_item_get_n_responses (consent), ==, 2);
  g_assert_cmpstr (rounds_item_get_response_key (consent, 0), ==, "gillick");
  g_assert_cmpstr (rounds_item_get_response_key (consent, 1), ==, "refuse");
  g_assert_cmpstr (rounds_item_get_response_model (consent, 1), ==, "model-two");
  g_assert_cmpint (rounds_item_find_response (consent, "refuse"), ==, 1);

  /* The reference label is kept hidden, apart from what an annotator is shown. */
  reference = rounds_test_query_text (fixture->store, "SELECT reference_json FROM "
                                                      "items WHERE key = ?1", "consent-001");
  g_assert_cmpstr (reference, ==, "{\"preferred\":\"gillick\",\"note\":\"refusing "
                                  "breaches confidentiality\"}");
  g_assert_null (strstr (rounds_item_get_metadata_json (consent), "preferred"));
  model = rounds_test_query_text (fixture->store,
                                  "SELECT metadata_json FROM responses WHERE key = ?1", "gillick");
  g_assert_cmpstr (model, ==, "{\"temperature\":1}");

  /* An integer id, default response ids, and the header's dataset. */
  numbered = find_item (fixture, "ethics", "42");
  g_assert_cmpuint (rounds_item_get_n_responses (numbered), ==, 3);
  g_assert_cmpstr (rounds_item_get_response_key (numbered, 2), ==, "c");
  g_assert_null (rounds_item_get_response_model (numbered, 0));

  other = rounds_store_get_dataset (fixture->store, "other", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rounds_dataset_get_overlap (other), ==, 1);
  g_assert_true (rounds_rubric_is_default (rounds_dataset_get_rubric (other)));

  actor = rounds_test_query_text (fixture->store, "SELECT actor || ' ' || action || ' ' || "
                                                  "json_extract (detail_json, '$.items_added')"
                               " FROM audit_log", NULL);
  g_assert_cmpstr (actor, ==, "curator-1 import.file 3");
}

/* Without a header or a "dataset", items go to the importer's dataset, else one named
 * after the file. */
static void
test_default_dataset (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(RoundsImporter) importer = rounds_importer_new ();
  g_autoptr(RoundsItem) a = NULL;
  g_autoptr(RoundsItem) b = NULL;
  g_autoptr(GError) error = NULL;
  const char *line = "{\"id\": \"one\", \"scenario\": \"S\", \"responses\": [{\"text\": \"A\"}, "
                     "{\"text\": \"B\"}]}\n";

  import_ok (fixture, "cardiology.v2.jsonl", line, NULL);
  a = find_item (fixture, "cardiology", "one");

  rounds_importer_set_dataset (importer, "chosen-name");
  g_assert_true (run_import (fixture, importer, "whatever.jsonl", line, NULL, &error));
  g_assert_no_error (error);
  b = find_item (fixture, "chosen-name", "one");
  g_assert_cmpint (rounds_test_query_int (fixture->store, "SELECT COUNT(*) FROM datasets"), ==, 2);
}

/* TRL preference pairs ---------------------------------------------------------------- */

typedef enum
{
  TRL_PLAIN,
  TRL_CONVERSATIONAL_IMPLICIT,
  TRL_CONVERSATIONAL_EXPLICIT,
} TrlForm;

static const struct
{
  const char *name;
  TrlForm     form;
} trl_cases[] = {
  { "plain", TRL_PLAIN },
  { "conversational-implicit-prompt", TRL_CONVERSATIONAL_IMPLICIT },
  { "conversational-explicit-prompt", TRL_CONVERSATIONAL_EXPLICIT },
};

#define N_PAIRS 64

static void
test_trl (Fixture       *fixture,
          gconstpointer  data)
{
  TrlForm form = GPOINTER_TO_INT (data);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(RoundsDataset) dataset = NULL;
  RoundsImportResult result;
  sqlite3_stmt *stmt = NULL;
  guint chosen_first = 0;
  guint n = 0;

  for (guint i = 0; i < N_PAIRS; i++)
    {
      switch (form)
        {
        case TRL_PLAIN:
          g_string_append_printf (text, "{\"prompt\": \"Question %u?\", \"chosen\": \"Good answer "
                                        "%u\", \"rejected\": \"Poor answer %u\","
                                  " \"score_chosen\": 9, \"score_rejected\": 2, \"source\": "
                                  "\"set-%u\"}\n", i, i, i, i % 3);
          break;
        case TRL_CONVERSATIONAL_IMPLICIT:
          g_string_append_printf (text, "{\"chosen\": [{\"role\": \"user\", \"content\": "
                                        "\"Question %u?\"}, {\"role\": \"assistant\", \"content\": "
                                        "\"Good answer %u\"}],"
                                  " \"rejected\": [{\"role\": \"user\", \"content\": \"Question "
                                  "%u?\"}, {\"role\": \"assistant\", \"content\": \"Poor "
                                  "answer %u\"}],"
                                  " \"source\": \"set-%u\"}\n", i, i, i, i, i % 3);
          break;
        case TRL_CONVERSATIONAL_EXPLICIT:
          g_string_append_printf (text, "{\"prompt\": [{\"role\": \"user\", \"content\": "
                                        "\"Question %u?\"}],"
                                  " \"chosen\": [{\"role\": \"assistant\", \"content\": \"Good "
                                  "answer %u\"}],"
                                  " \"rejected\": [{\"role\": \"assistant\", \"content\": \"Poor "
                                  "answer %u\"}],"
                                  " \"source\": \"set-%u\"}\n", i, i, i, i % 3);
          break;
        default:
          g_assert_not_reached ();
        }
    }

  import_ok (fixture, "pairs.jsonl", text->str, &result);
  g_assert_cmpuint (result.n_items_added, ==, N_PAIRS);
  dataset = rounds_store_get_dataset (fixture->store, "pairs", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rounds_test_store_count_items (fixture->store, dataset), ==, N_PAIRS);

  g_assert_cmpint (sqlite3_prepare_v2 (_rounds_store_get_db (fixture->store),
                                       "SELECT i.id, i.reference_json, COALESCE (i.metadata_json, "
                                       "''), i.key FROM items i ORDER BY i.position",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr(RoundsItem) item = NULL;
      const char *reference_json = (const char *) sqlite3_column_text (stmt, 1);
      g_autoptr(JsonNode) reference = json_from_string (reference_json, NULL);
      const char *metadata = (const char *) sqlite3_column_text (stmt, 2);
      g_autofree char *good = NULL;
      g_autofree char *poor = NULL;
      g_autofree char *question = NULL;
      guint index;
      int good_at;

      item = rounds_store_get_item (fixture->store, sqlite3_column_int64 (stmt, 0), &error);
      g_assert_no_error (error);
      g_assert_cmpint (sscanf (rounds_item_get_scenario (item), "Question %u?", &index), ==, 1);
      question = g_strdup_printf ("Question %u?", index);
      good = g_strdup_printf ("Good answer %u", index);
      poor = g_strdup_printf ("Poor answer %u", index);

      /* The prompt as itself, the responses as themselves: no "User:" or "Assistant:". */
      g_assert_cmpstr (rounds_item_get_scenario (item), ==, question);
      g_assert_cmpuint (rounds_item_get_n_responses (item), ==, 2);
      good_at = g_strcmp0 (rounds_item_get_response_text (item, 0), good) == 0 ? 0 : 1;
      g_assert_cmpstr (rounds_item_get_response_text (item, good_at), ==, good);
      g_assert_cmpstr (rounds_item_get_response_text (item, 1 - good_at), ==, poor);
      if (good_at == 0)
        chosen_first++;

      /* The label is only in the hidden reference, and names the chosen response. */
      g_assert_nonnull (reference);
      g_assert_cmpstr (json_object_get_string_member (json_node_get_object (reference),
                                                      "preferred"), ==,
                       rounds_item_get_response_key (item, good_at));
      g_assert_null (strstr (metadata, "chosen"));
      g_assert_null (strstr (metadata, "Good answer"));
      g_assert_null (strstr (metadata, "Poor answer"));
      g_assert_null (strstr ((const char *) sqlite3_column_text (stmt, 3), "chosen"));
      g_assert_nonnull (strstr (metadata, "set-"));
      if (form == TRL_PLAIN)
        g_assert_cmpint (json_object_get_int_member (json_node_get_object (reference),
                                                     "score_chosen"), ==, 9);
      n++;
    }
  sqlite3_finalize (stmt);
  g_assert_cmpuint (n, ==, N_PAIRS);

  /* Screen order is the store's business; the canonical order must not give the label
   * away either: across many pairs the chosen one is sometimes first, sometimes not. */
  g_test_message ("chosen first in %u of %u pairs", chosen_first, N_PAIRS);
  g_assert_cmpuint (chosen_first, >, N_PAIRS / 8);
  g_assert_cmpuint (chosen_first, <, N_PAIRS - N_PAIRS / 8);

  /* Importing the pairs again adds nothing. */
  import_ok (fixture, "pairs.jsonl", text->str, &result);
  g_assert_cmpuint (result.n_items_added, ==, 0);
  g_assert_cmpuint (result.n_items_unchanged, ==, N_PAIRS);
}

/* A multi-turn conversation keeps its turns in the scenario. */
static void
test_trl_multi_turn (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(RoundsItem) item = NULL;

  import_ok (fixture, "turns.jsonl",
             "{\"id\": \"t1\", \"chosen\": [{\"role\": \"system\", \"content\": \"Be brief.\"}, "
             "{\"role\": \"user\", \"content\": \"Chest pain?\"}, {\"role\": \"assistant\", "
             "\"content\": \"Call 999.\"}],"
             " \"rejected\": [{\"role\": \"system\", \"content\": \"Be brief.\"}, {\"role\": "
             "\"user\", \"content\": \"Chest pain?\"}, {\"role\": \"assistant\", \"content\": "
             "\"Rest.\"}]}\n",
             NULL);
  item = find_item (fixture, "turns", "t1");
  g_assert_cmpstr (rounds_item_get_scenario (item), ==, "System: Be brief.\n\nUser: Chest pain?");
  g_assert_true (rounds_item_find_response (item, "a") >= 0);
  g_assert_true (g_str_equal (rounds_item_get_response_text (item, 0), "Call 999.") ||
                 g_str_equal (rounds_item_get_response_text (item, 1), "Call 999."));
}

/* Labels: pairs keyed and ordered by content alone ------------------------------------ */

#define N_LABELLED 200

typedef enum
{
  LAYOUT_TRL,
  LAYOUT_CHOSEN_REJECTED,       /* --map chosen=…, rejected=… */
  LAYOUT_REFERENCE,             /* --map responses=…, reference=… */
  N_LAYOUTS
} LabelLayout;

static const char * const layout_maps[N_LAYOUTS][5] = {
  [LAYOUT_TRL] = { NULL },
  [LAYOUT_CHOSEN_REJECTED] = { "scenario=question", "chosen=response_chosen",
                               "rejected=response_rejected", "model=model_chosen,model_rejected",
                               NULL },
  [LAYOUT_REFERENCE] = { "scenario=prompt", "responses=response_0,response_1",
                         "reference=better_response_id", NULL },
};

/* One pair as a line of @layout; @flip gives the label to the other answer. */
static void
append_pair (GString     *text,
             LabelLayout  layout,
             guint        i,
             const char  *good,
             const char  *poor,
             gboolean     flip)
{
  const char *chosen = flip ? poor : good, *rejected = flip ? good : poor;

  switch (layout)
    {
    case LAYOUT_TRL:
      g_string_append_printf (text, "{\"prompt\": \"Case %u?\", \"chosen\": \"%s\", "
                                    "\"rejected\": \"%s\"}\n", i, chosen, rejected);
      break;
    case LAYOUT_CHOSEN_REJECTED:
      /* Each answer's model goes with it. */
      g_string_append_printf (text, "{\"question\": \"Case %u?\", \"response_chosen\": \"%s\", "
                                    "\"response_rejected\": \"%s\", \"model_chosen\": \"m-%.4s\", "
                                    "\"model_rejected\": \"m-%.4s\"}\n",
                              i, chosen, rejected, chosen, rejected);
      break;
    case LAYOUT_REFERENCE:
      /* The file's own order is the good one first, as chosen-first files have it. */
      g_string_append_printf (text, "{\"prompt\": \"Case %u?\", \"response_0\": \"%s\", "
                                    "\"response_1\": \"%s\", \"better_response_id\": %d}\n",
                              i, good, poor, flip ? 1 : 0);
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
import_layout (Fixture            *fixture,
               LabelLayout         layout,
               const char         *name,
               const char         *contents,
               RoundsImportResult *result)
{
  g_autoptr(RoundsImporter) importer = rounds_importer_new ();
  g_autoptr(GError) error = NULL;

  for (guint m = 0; layout_maps[layout][m] != NULL; m++)
    {
      g_assert_true (rounds_importer_add_map (importer, layout_maps[layout][m], &error));
      g_assert_no_error (error);
    }
  g_assert_true (run_import (fixture, importer, name, contents, result, &error));
  g_assert_no_error (error);
}

/* The same pairs with every label the other way round: the items must be the same in all
 * but the hidden reference, so nothing else can tell the label; and across many pairs the
 * chosen one is first about half the time. */
static void
test_label_independent (Fixture       *fixture,
                        gconstpointer  data)
{
  LabelLayout layout = GPOINTER_TO_INT (data);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GString) flipped = g_string_new (NULL);
  g_autofree char *name = g_strdup_printf ("labels-%d.jsonl", layout);
  g_autofree char *flipped_name = g_strdup_printf ("flipped-%d.jsonl", layout);
  g_autofree char *dataset = g_strdup_printf ("labels-%d", layout);
  g_autofree char *flipped_dataset = g_strdup_printf ("flipped-%d", layout);
  RoundsImportResult result;
  guint chosen_first = 0;
  guint same = 0;

  for (guint i = 0; i < N_LABELLED; i++)
    {
      g_autofree char *good = g_strdup_printf ("Good %u %08x", i, g_test_rand_int ());
      g_autofree char *poor = g_strdup_printf ("Poor %u %08x", i, g_test_rand_int ());

      append_pair (text, layout, i, good, poor, FALSE);
      append_pair (flipped, layout, i, good, poor, TRUE);
    }
  import_layout (fixture, layout, name, text->str, &result);
  g_assert_cmpuint (result.n_items_added, ==, N_LABELLED);
  import_layout (fixture, layout, flipped_name, flipped->str, &result);
  g_assert_cmpuint (result.n_items_added, ==, N_LABELLED);

  for (guint i = 0; i < N_LABELLED; i++)
    {
      g_autofree char *scenario = g_strdup_printf ("Case %u?", i);
      g_autofree char *sql = NULL;
      g_autofree char *key = NULL, *flipped_key = NULL;
      g_autofree char *ref = NULL, *flipped_ref = NULL;
      g_autoptr(RoundsItem) item = NULL;
      g_autoptr(RoundsItem) other = NULL;
      const char *preferred;
      int good_at;

      sql = g_strdup_printf ("SELECT key FROM items i JOIN datasets d ON d.id = i.dataset_id"
                             " WHERE d.name = '%s' AND i.scenario = ?1", dataset);
      key = rounds_test_query_text (fixture->store, sql, scenario);
      g_free (sql);
      sql = g_strdup_printf ("SELECT key FROM items i JOIN datasets d ON d.id = i.dataset_id"
                             " WHERE d.name = '%s' AND i.scenario = ?1", flipped_dataset);
      flipped_key = rounds_test_query_text (fixture->store, sql, scenario);
      g_assert_cmpstr (key, ==, flipped_key);
      g_assert_true (g_str_has_prefix (key, "pair-"));

      item = find_item (fixture, dataset, key);
      other = find_item (fixture, flipped_dataset, key);
      g_assert_cmpuint (rounds_item_get_n_responses (item), ==, 2);
      for (guint r = 0; r < 2; r++)
        {
          g_assert_cmpstr (rounds_item_get_response_key (item, r), ==,
                           rounds_item_get_response_key (other, r));
          g_assert_cmpstr (rounds_item_get_response_text (item, r), ==,
                           rounds_item_get_response_text (other, r));
        }
      g_assert_cmpstr (rounds_item_get_metadata_json (item), ==,
                       rounds_item_get_metadata_json (other));

      /* Only the hidden reference differs, and it names the chosen one. */
      good_at = g_str_has_prefix (rounds_item_get_response_text (item, 0), "Good") ? 0 : 1;
      ref = rounds_test_query_text (fixture->store, "SELECT reference_json FROM items i"
                                    " JOIN datasets d ON d.id = i.dataset_id"
                                    " WHERE d.name LIKE 'labels-%' AND i.key = ?1", key);
      flipped_ref = rounds_test_query_text (fixture->store, "SELECT reference_json FROM items i"
                                            " JOIN datasets d ON d.id = i.dataset_id"
                                            " WHERE d.name LIKE 'flipped-%' AND i.key = ?1", key);
      preferred = rounds_item_get_response_key (item, good_at);
      if (layout == LAYOUT_CHOSEN_REJECTED)
        g_assert_cmpstr (rounds_item_get_response_model (item, good_at), ==, "m-Good");
      g_assert_cmpstr (rounds_item_get_response_model (item, 0), ==,
                       rounds_item_get_response_model (other, 0));
      g_assert_nonnull (strstr (ref, preferred));
      g_assert_null (strstr (flipped_ref, preferred));
      chosen_first += good_at == 0;
      same++;
    }
  g_assert_cmpuint (same, ==, N_LABELLED);

  g_test_message ("chosen first in %u of %u pairs", chosen_first, N_LABELLED);
  g_assert_cmpuint (chosen_first, >=, N_LABELLED * 35 / 100);
  g_assert_cmpuint (chosen_first, <=, N_LABELLED * 65 / 100);

  /* Again: nothing new. */
  import_layout (fixture, layout, name, text->str, &result);
  g_assert_cmpuint (result.n_items_unchanged, ==, N_LABELLED);
  g_assert_cmpuint (result.n_items_added, ==, 0);
}

/* A store that holds TRL pairs under the ids of earlier Rounds (tests/fixtures/import/
 * trl-old-ids.sql) finds them all again when the same file comes back: nothing added, and
 * the judged pair keeps its order. */
static void
test_old_ids (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *sql_path = g_build_filename (FIXTURES_DIR, "import", "trl-old-ids.sql", NULL);
  g_autofree char *pairs = g_build_filename (FIXTURES_DIR, "import", "trl-pairs.jsonl", NULL);
  g_autofree char *sql = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *first_before = NULL, *first_after = NULL, *keys_before = NULL;
  g_autofree char *keys_after = NULL;
  g_autoptr(RoundsImporter) importer = rounds_importer_new ();
  g_autoptr(RoundsImporter) updater = rounds_importer_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (pairs);
  g_autoptr(GString) changed = NULL;
  RoundsImportResult result;
  sqlite3 *db = NULL;
  Counts before, after;
  const char *judged_sql = "SELECT text FROM responses r JOIN items i ON i.id = r.item_id"
                           " WHERE i.key = 'trl-8f5071392b817943' AND r.idx = 0";
  const char *keys_sql = "SELECT group_concat (key, ' ') FROM (SELECT key FROM items"
                         " ORDER BY key)";

  g_assert_true (g_file_get_contents (sql_path, &sql, NULL, NULL));
  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  fixture->store = rounds_store_open (fixture->path, &error);
  g_assert_no_error (error);

  get_counts (fixture, &before);
  first_before = rounds_test_query_text (fixture->store, judged_sql, NULL);
  keys_before = rounds_test_query_text (fixture->store, keys_sql, NULL);
  g_assert_true (rounds_importer_run (importer, fixture->store, file, &result, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.n_items_added, ==, 0);
  g_assert_cmpuint (result.n_items_updated, ==, 0);
  g_assert_cmpuint (result.n_items_unchanged, ==, 6);
  get_counts (fixture, &after);
  after.audit_log--;
  assert_counts_equal (&before, &after);
  keys_after = rounds_test_query_text (fixture->store, keys_sql, NULL);
  g_assert_cmpstr (keys_after, ==, keys_before);

  /* A changed line, with --update, replaces the stored pair in its old order. */
  g_assert_true (g_file_get_contents (pairs, &contents, NULL, NULL));
  changed = g_string_new (contents);
  g_string_replace (changed, "\"score_chosen\": 8", "\"score_chosen\": 9", 0);
  rounds_importer_set_update (updater, TRUE);
  g_assert_true (run_import (fixture, updater, "trl-pairs.jsonl", changed->str, &result,
                             &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.n_items_added, ==, 0);
  g_assert_cmpuint (result.n_items_updated, ==, 4);
  first_after = rounds_test_query_text (fixture->store, judged_sql, NULL);
  g_assert_cmpstr (first_after, ==, first_before);
  g_clear_pointer (&keys_after, g_free);
  keys_after = rounds_test_query_text (fixture->store, keys_sql, NULL);
  g_assert_cmpstr (keys_after, ==, keys_before);
}

/* Items awaiting responses -------------------------------------------------------------- */

static void
test_awaiting (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(RoundsImporter) importer = rounds_importer_new ();
  g_autoptr(RoundsDataset) dataset = NULL;
  g_autoptr(RoundsItem) next = NULL;
  g_autoptr(GError) error = NULL;
  RoundsImportResult result;
  RoundsProgress progress;
  const char *scenarios = "case,query\r\nc1,一位患者要求隐瞒诊断。\r\nc2,Second dilemma\r\n";
  const char *answers =
    "{\"id\": \"c2\", \"dataset\": \"bench\", \"scenario\": \"Second dilemma\", \"responses\": "
    "[{\"text\": \"Yes\"}, {\"text\": \"No\"}], \"metadata\": {\"round\": 1}}\n";

  rounds_test_store_sign_in (fixture->store, "ann", NULL, ROUNDS_ROLE_ANNOTATOR);
  g_assert_true (rounds_importer_add_map (importer, "id=case", &error));
  g_assert_true (rounds_importer_add_map (importer, "scenario=query", &error));
  rounds_importer_set_dataset (importer, "bench");
  g_assert_true (run_import (fixture, importer, "bench.csv", scenarios, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.n_items_added, ==, 2);

  /* Both wait, outside the queue, and are counted as waiting. */
  dataset = rounds_store_get_dataset (fixture->store, "bench", &error);
  g_assert_no_error (error);
  next = rounds_store_next_item (fixture->store, rounds_dataset_get_id (dataset), "ann", &error);
  g_assert_no_error (error);
  g_assert_null (next);
  g_assert_true (rounds_store_get_progress (fixture->store, rounds_dataset_get_id (dataset), "ann",
                                            &progress, &error));
  g_assert_cmpuint (progress.n_items, ==, 2);
  g_assert_cmpuint (progress.n_awaiting, ==, 2);
  g_assert_cmpuint (progress.n_wanted, ==, 0);
  g_assert_cmpuint (progress.n_mine_open, ==, 0);

  /* A later file with the same id and responses completes one, without --update. */
  import_ok (fixture, "answers.jsonl", answers, &result);
  g_assert_cmpuint (result.n_items_updated, ==, 1);
  g_assert_cmpuint (result.n_items_added, ==, 0);
  next = rounds_store_next_item (fixture->store, rounds_dataset_get_id (dataset), "ann", &error);
  g_assert_no_error (error);
  g_assert_nonnull (next);
  g_assert_cmpstr (rounds_item_get_key (next), ==, "c2");
  g_assert_cmpuint (rounds_item_get_n_responses (next), ==, 2);
  g_assert_true (rounds_store_get_progress (fixture->store, rounds_dataset_get_id (dataset), "ann",
                                            &progress, &error));
  g_assert_cmpuint (progress.n_awaiting, ==, 1);
  g_assert_cmpuint (progress.n_wanted, ==, 1);
  g_assert_cmpuint (progress.n_mine_open, ==, 1);

  /* The scenarios again change nothing, the completed one included; the answers too. */
  g_assert_true (run_import (fixture, importer, "bench.csv", scenarios, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.n_items_unchanged, ==, 2);
  import_ok (fixture, "answers.jsonl", answers, &result);
  g_assert_cmpuint (result.n_items_unchanged, ==, 1);
  g_assert_cmpint (rounds_test_query_int (fixture->store, "SELECT COUNT(*) FROM responses"), ==, 2);
}

/* A CSV row whose response cells are all empty awaits responses; one empty of two is an
 * error (the bad input csv-empty-response). */
static void
test_awaiting_csv (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(RoundsImporter) importer = rounds_importer_new ();
  g_autoptr(GError) error = NULL;
  RoundsImportResult result;

  g_assert_true (rounds_importer_add_map (importer, "scenario=question", &error));
  g_assert_true (rounds_importer_add_map (importer, "responses=answer_a,answer_b", &error));
  g_assert_true (run_import (fixture, importer, "some.csv",
                             "question,answer_a,answer_b\nQ1,A,B\nQ2,,\n", &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.n_items_added, ==, 2);
  g_assert_cmpint (rounds_test_query_int (fixture->store, "SELECT COUNT(*) FROM items i WHERE"
                                          " scenario = 'Q2' AND NOT EXISTS (SELECT 1 FROM"
                                          " responses WHERE item_id = i.id)"), ==, 1);
}

/* Mapped JSONL and CSV ---------------------------------------------------------------- */

static void
test_mapped_jsonl (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(RoundsImporter) importer = rounds_importer_new ();
  g_autoptr(RoundsItem) q1 = NULL;
  g_autoptr(GError) error = NULL;
  RoundsImportResult result;
  const char *maps[] = { "scenario=question", "responses=answers[].text", "model=answers[].model",
                         "id=qid", "metadata.source=src", "metadata.extra=info", "language=lang" };
  const char *contents =
    "{\"qid\": \"q1\", \"question\": \"患者拒绝输血，怎么办？\", \"lang\": \"zh\", \"src\": \"pubmed\", "
    "\"info\": {\"year\": 2024},"
    " \"answers\": [{\"text\": \"尊重其意愿\", \"model\": \"m-1\"}, {\"text\": \"Transfuse anyway\", "
    "\"model\": \"m-2\"}, {\"text\": \"Ask the ethics board\", \"model\": \"m-3\"}]}\n"
    "{\"qid\": 7, \"question\": \"Second\", \"answers\": [{\"text\": \"A\", \"model\": \"m-1\"}, "
    "{\"text\": \"B\", \"model\": \"m-2\"}]}\n";

  for (guint i = 0; i < G_N_ELEMENTS (maps); i++)
    {
      g_assert_true (rounds_importer_add_map (importer, maps[i], &error));
      g_assert_no_error (error);
    }
  g_assert_true (run_import (fixture, importer, "mapped.jsonl", contents, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.n_items_added, ==, 2);

  q1 = find_item (fixture, "mapped", "q1");
  g_assert_cmpstr (rounds_item_get_scenario (q1), ==, "患者拒绝输血，怎么办？");
  g_assert_cmpstr (rounds_item_get_language (q1), ==, "zh");
  g_assert_cmpuint (rounds_item_get_n_responses (q1), ==, 3);
  g_assert_cmpstr (rounds_item_get_response_text (q1, 0), ==, "尊重其意愿");
  g_assert_cmpstr (rounds_item_get_response_text (q1, 2), ==, "Ask the ethics board");
  g_assert_cmpstr (rounds_item_get_response_model (q1, 1), ==, "m-2");
  g_assert_cmpstr (rounds_item_get_metadata_json (q1), ==,
                   "{\"source\":\"pubmed\",\"extra\":{\"year\":2024}}");
  g_assert_cmpint (rounds_test_query_int (fixture->store,
                                          "SELECT COUNT(*) FROM items WHERE key = '7'"), ==, 1);

  /* Re-importing is a no-op here too. */
  g_assert_true (run_import (fixture, importer, "mapped.jsonl", contents, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.n_items_unchanged, ==, 2);
  g_assert_cmpuint (result.n_items_added, ==, 0);
}

/* Without an id map the key comes from the content, so a re-import finds the same items. */
static void
test_mapped_no_id (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(RoundsImporter) importer = rounds_importer_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  RoundsImportResult result;
  const char *contents = "{\"q\": \"One\", \"a\": [\"x\", \"y\"]}\n{\"q\": \"Two\", \"a\": "
                         "[\"x\", \"y\"]}\n";

  g_assert_true (rounds_importer_add_map (importer, "scenario=q", &error));
  g_assert_true (rounds_importer_add_map (importer, "responses=a[]", &error));
  g_assert_no_error (error);
  g_assert_true (run_import (fixture, importer, "noid.jsonl", contents, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.n_items_added, ==, 2);
  key = rounds_test_query_text (fixture->store,
                                "SELECT key FROM items WHERE scenario = 'One'", NULL);
  g_assert_true (g_str_has_prefix (key, "item-"));
  g_assert_true (run_import (fixture, importer, "noid.jsonl", contents, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.n_items_unchanged, ==, 2);
}

static void
test_mapped_csv (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(RoundsImporter) importer = rounds_importer_new ();
  g_autoptr(RoundsItem) c1 = NULL;
  g_autoptr(RoundsItem) c2 = NULL;
  g_autoptr(RoundsItem) c3 = NULL;
  g_autoptr(GError) error = NULL;
  RoundsImportResult result;
  const char *maps[] = { "id=qid", "scenario=question", "responses=answer_a,answer_b",
                         "model=model_a,model_b",
                         "specialty=field" };
  const char *contents =
    "\xEF\xBB\xBFqid,question,answer_a,answer_b,model_a,model_b,field\r\n"
    "c1,\"Is it safe, doctor?\",\"Yes, \"\"probably\"\".\",No.,m1,m2,cardiology\r\n"
    "c2,\"多行\n文本\",\"第一\n\n段\",第二,m1,m2,\r\n"
    "\n"
    "c3,Plain,A,B,m2,m1,neurology\n";

  for (guint i = 0; i < G_N_ELEMENTS (maps); i++)
    {
      g_assert_true (rounds_importer_add_map (importer, maps[i], &error));
      g_assert_no_error (error);
    }
  g_assert_true (run_import (fixture, importer, "table.csv", contents, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.n_records, ==, 3);
  g_assert_cmpuint (result.n_items_added, ==, 3);

  c1 = find_item (fixture, "table", "c1");
  g_assert_cmpstr (rounds_item_get_scenario (c1), ==, "Is it safe, doctor?");
  g_assert_cmpstr (rounds_item_get_response_text (c1, 0), ==, "Yes, \"probably\".");
  g_assert_cmpstr (rounds_item_get_response_text (c1, 1), ==, "No.");
  g_assert_cmpstr (rounds_item_get_response_model (c1, 1), ==, "m2");
  g_assert_cmpstr (rounds_item_get_specialty (c1), ==, "cardiology");
  c2 = find_item (fixture, "table", "c2");
  g_assert_cmpstr (rounds_item_get_scenario (c2), ==, "多行\n文本");
  g_assert_cmpstr (rounds_item_get_response_text (c2, 0), ==, "第一\n\n段");
  c3 = find_item (fixture, "table", "c3");
  g_assert_cmpstr (rounds_item_get_response_model (c3, 0), ==, "m2");

  g_assert_true (run_import (fixture, importer, "table.csv", contents, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.n_items_unchanged, ==, 3);
}

/* Judgements -------------------------------------------------------------------------- */

static const char judgements_jsonl[] =
  "{\"type\": \"dataset\", \"id\": \"jd\", \"overlap\": 3}\n"
  "{\"type\": \"item\", \"id\": \"c1\", \"scenario\": \"One\", \"responses\": [{\"id\": \"a\", "
  "\"text\": \"A\"}, {\"id\": \"b\", \"text\": \"B\"}]}\n"
  "{\"type\": \"item\", \"id\": \"c2\", \"scenario\": \"Two\", \"responses\": [{\"id\": \"a\", "
  "\"text\": \"A\"}, {\"id\": \"b\", \"text\": \"B\"}]}\n"
  "{\"type\": \"item\", \"id\": \"r1\", \"scenario\": \"Three\", \"responses\": [{\"id\": \"x\", "
  "\"text\": \"X\"}, {\"id\": \"y\", \"text\": \"Y\"}, {\"id\": \"z\", \"text\": \"Z\"}]}\n"
  "{\"type\": \"judgement\", \"item\": \"c1\", \"annotator\": \"dr-lin\", \"preference\": -1,"
  " \"scores\": {\"a\": {\"accuracy\": 5, \"safety\": 4}, \"b\": {\"accuracy\": 2}}, \"flags\": "
  "{\"b\": [\"unsafe\", \"outdated\"]},"
  " \"comment\": \"B misses the guidance\", \"notes\": {\"b\": \"outdated\"}, \"shown_order\": "
  "[\"b\", \"a\"],"
  " \"time_spent_ms\": 84000, \"created_at\": \"2026-10-01T11:30:00+02:00\"}\n"
  "{\"type\": \"judgement\", \"dataset\": \"jd\", \"item\": \"c1\", \"annotator\": \"dr-ng\", "
  "\"preference\": \"b-much-better\", \"revision\": 1, \"edit\": \"ng-1\"}\n"
  "{\"type\": \"judgement\", \"item\": \"c1\", \"annotator\": \"dr-ng\", \"preference\": "
  "\"a-better\", \"revision\": 2, \"edit\": \"ng-2\"}\n"
  "{\"type\": \"judgement\", \"item\": \"c2\", \"annotator\": \"dr-lin\", "
  "\"preference\": \"tie\"}\n"
  "{\"type\": \"judgement\", \"item\": \"c2\", \"annotator\": \"dr-ng\", \"status\": \"skipped\", "
  "\"skip_reason\": \"not my field\"}\n"
  "{\"type\": \"judgement\", \"item\": \"c2\", \"annotator\": \"dr.o@example.org\", "
  "\"unacceptable\": true}\n"
  "{\"type\": \"judgement\", \"item\": \"r1\", \"annotator\": \"dr-lin\", \"ranking\": {\"x\": 2, "
  "\"y\": 1, \"z\": 2}, \"flags\": {\"z\": [\"bias\", \"privacy\", \"factually-wrong\"]}}\n";

static void
test_judgements (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(RoundsItem) c1 = NULL;
  g_autoptr(RoundsItem) c2 = NULL;
  g_autoptr(RoundsItem) r1 = NULL;
  g_autoptr(RoundsJudgement) lin = NULL;
  g_autoptr(RoundsJudgement) ng = NULL;
  g_autoptr(RoundsJudgement) tie = NULL;
  g_autoptr(RoundsJudgement) skip = NULL;
  g_autoptr(RoundsJudgement) unacceptable = NULL;
  g_autoptr(RoundsJudgement) ranking = NULL;
  g_autoptr(GPtrArray) ng_edits = NULL;
  g_autoptr(GListModel) profiles = NULL;
  g_autoptr(GError) error = NULL;
  RoundsImportResult result;
  Counts before, after;

  import_ok (fixture, "judged.jsonl", judgements_jsonl, &result);
  g_assert_cmpuint (result.n_items_added, ==, 3);
  g_assert_cmpuint (result.n_judgements_added, ==, 7);
  g_assert_cmpuint (result.n_judgements_unchanged, ==, 0);

  c1 = find_item (fixture, "jd", "c1");
  c2 = find_item (fixture, "jd", "c2");
  r1 = find_item (fixture, "jd", "r1");

  lin = rounds_store_get_judgement (fixture->store, c1, "dr-lin", &error);
  g_assert_no_error (error);
  g_assert_cmpint (lin->status, ==, ROUNDS_STATUS_SUBMITTED);
  g_assert_true (lin->has_preference);
  g_assert_cmpint (lin->preference, ==, -1);
  g_assert_cmpint (*rounds_judgement_score (lin, 0, 0), ==, 5);   /* accuracy of a */
  g_assert_cmpint (*rounds_judgement_score (lin, 0, 1), ==, 4);   /* safety of a */
  g_assert_cmpint (*rounds_judgement_score (lin, 1, 0), ==, 2);
  g_assert_cmpint (*rounds_judgement_score (lin, 1, 1), ==, -1);
  g_assert_cmpuint (lin->flags[0], ==, 0);
  g_assert_cmpuint (lin->flags[1], ==, ROUNDS_FLAG_UNSAFE | ROUNDS_FLAG_OUTDATED);
  g_assert_cmpstr (lin->comment, ==, "B misses the guidance");
  g_assert_null (lin->notes[0]);
  g_assert_cmpstr (lin->notes[1], ==, "outdated");
  g_assert_cmpuint (lin->shown_order[0], ==, 1);
  g_assert_cmpuint (lin->shown_order[1], ==, 0);
  g_assert_cmpint (lin->time_spent_ms, ==, 84000);
  g_assert_cmpstr (lin->created_at, ==, "2026-10-01T09:30:00.000Z");
  g_assert_cmpint (lin->revision, ==, 1);

  /* dr-ng's newest revision is current; both edits are kept. */
  ng = rounds_store_get_judgement (fixture->store, c1, "dr-ng", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ng->edit_id, ==, "ng-2");
  g_assert_cmpint (ng->revision, ==, 2);
  g_assert_cmpint (ng->preference, ==, -1);
  ng_edits = rounds_store_list_edits (fixture->store, c1, "dr-ng", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ng_edits->len, ==, 2);
  g_assert_cmpint (((RoundsJudgement *) g_ptr_array_index (ng_edits, 0))->preference, ==, 2);

  tie = rounds_store_get_judgement (fixture->store, c2, "dr-lin", &error);
  g_assert_no_error (error);
  g_assert_true (tie->has_preference);
  g_assert_cmpint (tie->preference, ==, 0);

  skip = rounds_store_get_judgement (fixture->store, c2, "dr-ng", &error);
  g_assert_no_error (error);
  g_assert_cmpint (skip->status, ==, ROUNDS_STATUS_SKIPPED);
  g_assert_cmpstr (skip->skip_reason, ==, "not my field");
  g_assert_false (skip->has_preference);

  unacceptable = rounds_store_get_judgement (fixture->store, c2, "dr.o@example.org", &error);
  g_assert_no_error (error);
  g_assert_true (unacceptable->unacceptable);
  g_assert_false (unacceptable->has_preference);

  ranking = rounds_store_get_judgement (fixture->store, r1, "dr-lin", &error);
  g_assert_no_error (error);
  g_assert_cmpint (ranking->ranks[0], ==, 2);
  g_assert_cmpint (ranking->ranks[1], ==, 1);
  g_assert_cmpint (ranking->ranks[2], ==, 2);
  g_assert_cmpuint (ranking->flags[2], ==,
                    ROUNDS_FLAG_BIAS | ROUNDS_FLAG_PRIVACY | ROUNDS_FLAG_FACTUALLY_WRONG);

  /* Colleagues are annotators, not profiles of this machine; imported edits are marked
   * as such, and they count towards the overlap. */
  g_assert_cmpint (rounds_test_query_int (fixture->store,
                                          "SELECT COUNT(*) FROM annotators"), ==, 3);
  profiles = rounds_store_list_profiles (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (profiles), ==, 0);
  g_assert_cmpint (rounds_test_query_int (fixture->store,
                                          "SELECT COUNT(*) FROM annotations WHERE origin = "
                                          "'import' AND synced = 0"), ==, 7);
  g_assert_cmpint (rounds_test_query_int (fixture->store,
                                          "SELECT n_submitted FROM items WHERE key = 'c1'"), ==, 2);
  g_assert_cmpint (rounds_test_query_int (fixture->store,
                                          "SELECT n_submitted FROM items WHERE key = 'c2'"), ==, 2);

  /* Importing the same file again adds nothing. */
  get_counts (fixture, &before);
  import_ok (fixture, "judged.jsonl", judgements_jsonl, &result);
  get_counts (fixture, &after);
  g_assert_cmpuint (result.n_judgements_added, ==, 0);
  g_assert_cmpuint (result.n_judgements_unchanged, ==, 7);
  g_assert_cmpint (after.annotations, ==, before.annotations);
  g_assert_cmpint (after.annotators, ==, before.annotators);
  g_assert_cmpint (rounds_test_query_int (fixture->store,
                                          "SELECT n_submitted FROM items WHERE key = 'c1'"), ==, 2);
}

typedef struct
{
  guint       scale;
  const char *preference;
  int         expected;
  const char *label;      /* what the app shows for it */
} PreferenceCase;

/* The names mean what the app's labels say: "better" and "much better" are the points the
 * app calls so; on a 7-point scale ±1 is "somewhat better", which no name stands for. */
static const PreferenceCase preference_cases[] = {
  { 3, "\"a-much-better\"", -1, "A better" }, { 3, "\"a-better\"", -1,
                                                "A better" }, { 3, "\"tie\"", 0, "Tie" },
  { 3, "\"b-better\"", 1, "B better" }, { 3, "\"b-much-better\"", 1,
                                          "B better" }, { 3, "-1", -1, "A better" },
  { 5, "\"a-much-better\"", -2, "A much better" }, { 5, "\"a-better\"", -1,
                                                     "A better" }, { 5, "\"tie\"", 0, "Tie" },
  { 5, "\"b-better\"", 1, "B better" }, { 5, "\"b-much-better\"", 2,
                                          "B much better" }, { 5, "2", 2, "B much better" },
  { 7, "\"a-much-better\"", -3, "A much better" }, { 7, "\"a-better\"", -2,
                                                     "A better" }, { 7, "\"tie\"", 0, "Tie" },
  { 7, "\"b-better\"", 2, "B better" }, { 7, "\"b-much-better\"", 3, "B much better" },
  { 7, "1", 1, "B somewhat better" }, { 7, "-3", -3, "A much better" },
};

static void
test_preference_scale (Fixture       *fixture,
                       gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (preference_cases); i++)
    {
      const PreferenceCase *c = &preference_cases[i];
      g_autofree char *name = g_strdup_printf ("scale%u-%u.jsonl", c->scale, i);
      g_autofree char *dataset = g_strdup_printf ("scale%u-%u", c->scale, i);
      g_autofree char *contents = NULL;
      g_autoptr(RoundsItem) item = NULL;
      g_autoptr(RoundsJudgement) j = NULL;
      g_autoptr(GError) error = NULL;

      contents = g_strdup_printf ("{\"type\": \"dataset\", \"id\": \"%s\", \"scale\": %u}\n"
                                  "{\"id\": \"i\", \"scenario\": \"S\", \"responses\": [{\"text\": "
                                  "\"A\"}, {\"text\": \"B\"}]}\n"
                                  "{\"type\": \"judgement\", \"item\": \"i\", \"annotator\": "
                                  "\"ann\", \"preference\": %s}\n",
                                  dataset, c->scale, c->preference);
      import_ok (fixture, name, contents, NULL);
      item = find_item (fixture, dataset, "i");
      j = rounds_store_get_judgement (fixture->store, item, "ann", &error);
      g_assert_no_error (error);
      g_test_message ("%u points: %s", c->scale, c->preference);
      g_assert_cmpint (j->preference, ==, c->expected);
      g_assert_cmpstr (rounds_preference_get_label (j->preference, (int) (c->scale - 1) / 2),
                       ==, c->label);
    }
}

/* Bad input --------------------------------------------------------------------------- */

typedef struct
{
  const char *name;
  const char *file_name;
  const char *maps[4];
  const char *contents;
  guint       line;
  const char *field;      /* NULL: the message names no field */
  const char *says;       /* NULL, or something the message must say */
  int         code;
} BadCase;

#define HEADER "{\"type\": \"dataset\", \"id\": \"bad\", \"overlap\": 1}\n"
#define GOOD "{\"type\": \"item\", \"id\": \"ok-1\", \"scenario\": \"Fine\", " \
  "\"responses\": [{\"id\": \"a\", \"text\": \"A\"}, {\"id\": \"b\", \"text\": \"B\"}]}\n"
#define PREFIX HEADER GOOD
#define ITEM(rest) "{\"type\": \"item\", \"id\": \"x\", \"scenario\": \"S\", " rest "}\n"
#define JUDGE(rest) \
  "{\"type\": \"judgement\", \"item\": \"ok-1\", \"annotator\": \"ann\", " rest "}\n"
#define PAIR "\"responses\": [{\"text\": \"A\"}, {\"text\": \"B\"}]"
#define CSV_MAPS { "scenario=question", "responses=answer_a,answer_b" }
#define CSV_HEAD "question,answer_a,answer_b\nQ,A,B\n"

static const BadCase bad_cases[] = {
  /* Items */
  { "item-responses-null", "bad.jsonl", { NULL }, PREFIX ITEM ("\"responses\": null"), 3,
    "responses", "array", ROUNDS_ERROR_INVALID_INPUT },
  { "item-one-response", "bad.jsonl", { NULL }, PREFIX ITEM ("\"responses\": [{\"text\": \"A\"}]"),
    3, "responses", "2 to 8", ROUNDS_ERROR_INVALID_INPUT },
  { "item-nine-responses", "bad.jsonl",
    { NULL }, PREFIX ITEM ("\"responses\": [{\"text\": \"1\"}, {\"text\": "
                           "\"2\"}, {\"text\": \"3\"}, {\"text\": \"4\"}, {\"text\": \"5\"}, "
                           "{\"text\": \"6\"}, {\"text\": \"7\"}, {\"text\": \"8\"}, {\"text\": "
                           "\"9\"}]"), 3, "responses", "found 9", ROUNDS_ERROR_INVALID_INPUT },
  { "item-responses-string", "bad.jsonl", { NULL }, PREFIX ITEM ("\"responses\": \"A\""), 3,
    "responses", NULL, ROUNDS_ERROR_INVALID_INPUT },
  { "item-response-no-text", "bad.jsonl", { NULL },
    PREFIX ITEM ("\"responses\": [{\"text\": \"A\"}, {\"id\": "
                 "\"b\"}]"), 3, "responses[1].text", "missing", ROUNDS_ERROR_INVALID_INPUT },
  { "item-response-blank-text", "bad.jsonl",
    { NULL }, PREFIX ITEM ("\"responses\": [{\"text\": \"A\"}, {\"text\": \" \\n "
                           "\"}]"), 3, "responses[1].text", "empty", ROUNDS_ERROR_INVALID_INPUT },
  { "item-response-text-number", "bad.jsonl",
    { NULL }, PREFIX ITEM ("\"responses\": [{\"text\": 1}, {\"text\": "
                           "\"B\"}]"), 3, "responses[0].text", NULL, ROUNDS_ERROR_INVALID_INPUT },
  { "item-response-not-object", "bad.jsonl",
    { NULL }, PREFIX ITEM ("\"responses\": [{\"text\": \"A\"}, "
                           "\"B\"]"), 3, "responses[1]", NULL, ROUNDS_ERROR_INVALID_INPUT },
  { "item-response-unknown-field", "bad.jsonl", { NULL },
    PREFIX ITEM ("\"responses\": [{\"text\": \"A\"}, {\"text\": \"B\", \"score\": "
                 "1}]"), 3, "responses[1].score", "unknown field", ROUNDS_ERROR_INVALID_INPUT },
  { "item-response-id-twice", "bad.jsonl", { NULL },
    PREFIX ITEM ("\"responses\": [{\"id\": \"r\", \"text\": \"A\"}, {\"id\": \"r\", \"text\": "
                 "\"B\"}]"), 3, "responses[1].id", NULL, ROUNDS_ERROR_INVALID_INPUT },
  { "item-response-id-clash", "bad.jsonl",
    { NULL }, PREFIX ITEM ("\"responses\": [{\"text\": \"A\"}, {\"id\": \"a\", \"text\": "
                           "\"B\"}]"), 3, "responses[1].id", NULL, ROUNDS_ERROR_INVALID_INPUT },
  { "item-no-id", "bad.jsonl",
    { NULL }, PREFIX "{\"type\": \"item\", \"scenario\": "
                     "\"S\", " PAIR "}\n", 3, "id", "missing", ROUNDS_ERROR_INVALID_INPUT },
  { "item-id-object",
    "bad.jsonl", { NULL }, PREFIX "{\"type\": \"item\", \"id\": {}, \"scenario\": "
                                  "\"S\", " PAIR "}\n", 3, "id", NULL, ROUNDS_ERROR_INVALID_INPUT },
  { "item-id-empty",
    "bad.jsonl", { NULL }, PREFIX "{\"type\": \"item\", \"id\": \"\", \"scenario\": "
                                  "\"S\", " PAIR "}\n", 3, "id", NULL, ROUNDS_ERROR_INVALID_INPUT },
  { "item-id-control",
    "bad.jsonl", { NULL }, PREFIX "{\"type\": \"item\", \"id\": \"a\\nb\", \"scenario\": "
                                  "\"S\", " PAIR "}\n", 3, "id", NULL, ROUNDS_ERROR_INVALID_INPUT },
  { "item-no-scenario", "bad.jsonl",
    { NULL }, PREFIX "{\"type\": \"item\", \"id\": "
                     "\"x\", " PAIR "}\n", 3, "scenario", "missing", ROUNDS_ERROR_INVALID_INPUT },
  { "item-blank-scenario", "bad.jsonl",
    { NULL }, PREFIX "{\"type\": \"item\", \"id\": \"x\", \"scenario\": \"\\n "
                     "\\t\", " PAIR "}\n", 3, "scenario", "empty", ROUNDS_ERROR_INVALID_INPUT },
  { "item-scenario-number", "bad.jsonl",
    { NULL }, PREFIX "{\"type\": \"item\", \"id\": \"x\", \"scenario\": "
                     "5, " PAIR "}\n", 3, "scenario", "string", ROUNDS_ERROR_INVALID_INPUT },
  { "item-unknown-field", "bad.jsonl", { NULL }, PREFIX ITEM (PAIR ", \"colour\": \"red\""), 3,
    "colour", "unknown field", ROUNDS_ERROR_INVALID_INPUT },
  { "item-metadata-array", "bad.jsonl", { NULL }, PREFIX ITEM (PAIR ", \"metadata\": [1]"), 3,
    "metadata", "object", ROUNDS_ERROR_INVALID_INPUT },
  { "item-reference-unknown", "bad.jsonl", { NULL },
    PREFIX ITEM (PAIR ", \"reference\": {\"preferred\": "
                      "\"z\"}"), 3, "reference.preferred", "“z”", ROUNDS_ERROR_INVALID_INPUT },
  { "item-reference-number", "bad.jsonl",
    { NULL }, PREFIX ITEM (PAIR ", \"reference\": {\"preferred\": "
                                "0}"), 3, "reference.preferred", NULL, ROUNDS_ERROR_INVALID_INPUT },
  { "item-dataset-name", "bad.jsonl", { NULL }, PREFIX ITEM (PAIR ", \"dataset\": \"no spaces\""),
    3, "dataset", "no spaces", ROUNDS_ERROR_INVALID_INPUT },
  { "item-changed-in-file", "bad.jsonl",
    { NULL }, PREFIX "{\"type\": \"item\", \"id\": \"ok-1\", \"scenario\": "
                     "\"Changed\", " PAIR "}\n", 3, "id", "ok-1", ROUNDS_ERROR_CONFLICT },
  { "item-after-comments", "bad.jsonl", { NULL },
    PREFIX "\n# comment\n   \n" ITEM ("\"responses\": "
                                      "[{}]"), 6, "responses[0].text", NULL,
    ROUNDS_ERROR_INVALID_INPUT },
  { "item-crlf", "bad.jsonl", { NULL }, HEADER "\r\n" GOOD "\r\n" ITEM ("\"responses\": [1]"), 5,
    "responses[0]", NULL, ROUNDS_ERROR_INVALID_INPUT },
  /* Dataset headers */
  { "dataset-no-id", "bad.jsonl", { NULL }, PREFIX "{\"type\": \"dataset\", \"title\": \"T\"}\n", 3,
    "id", "missing", ROUNDS_ERROR_INVALID_INPUT },
  { "dataset-bad-id", "bad.jsonl", { NULL }, PREFIX "{\"type\": \"dataset\", \"id\": \"a/b\"}\n", 3,
    "id", NULL, ROUNDS_ERROR_INVALID_INPUT },
  { "dataset-overlap-zero",
    "bad.jsonl", { NULL }, PREFIX "{\"type\": \"dataset\", \"id\": \"d2\", \"overlap\": "
                                  "0}\n", 3, "overlap", "1 to 50", ROUNDS_ERROR_INVALID_INPUT },
  { "dataset-overlap-string",
    "bad.jsonl", { NULL }, PREFIX "{\"type\": \"dataset\", \"id\": \"d2\", \"overlap\": "
                                  "\"3\"}\n", 3, "overlap", "integer", ROUNDS_ERROR_INVALID_INPUT },
  { "dataset-scale-four", "bad.jsonl",
    { NULL }, PREFIX "{\"type\": \"dataset\", \"id\": \"d2\", \"scale\": "
                     "4}\n", 3, "scale", NULL, ROUNDS_ERROR_INVALID_INPUT },
  { "dataset-scale-nine", "bad.jsonl",
    { NULL }, PREFIX "{\"type\": \"dataset\", \"id\": \"d2\", \"scale\": "
                     "9}\n", 3, "scale", NULL, ROUNDS_ERROR_INVALID_INPUT },
  { "dataset-required-unknown", "bad.jsonl",
    { NULL }, PREFIX "{\"type\": \"dataset\", \"id\": \"d2\", \"required\": [\"preference\", "
                     "\"vibes\"]}\n", 3, "required[1]", NULL, ROUNDS_ERROR_INVALID_INPUT },
  { "dataset-rubric-bad-id", "bad.jsonl",
    { NULL }, PREFIX "{\"type\": \"dataset\", \"id\": \"d2\", \"rubric\": [{\"id\": \"a "
                     "b\"}]}\n", 3, "rubric[0].id", NULL, ROUNDS_ERROR_INVALID_INPUT },
  { "dataset-rubric-id-twice", "bad.jsonl", { NULL },
    PREFIX "{\"type\": \"dataset\", \"id\": \"d2\", \"rubric\": [{\"id\": \"a\"}, {\"id\": "
           "\"a\"}]}\n", 3, "rubric[1].id", NULL, ROUNDS_ERROR_INVALID_INPUT },
  { "dataset-rubric-id-object", "bad.jsonl",
    { NULL }, PREFIX "{\"type\": \"dataset\", \"id\": \"d2\", \"rubric\": [{\"id\": "
                     "{}}]}\n", 3, "rubric[0].id", NULL, ROUNDS_ERROR_INVALID_INPUT },
  { "dataset-rubric-name-number", "bad.jsonl", { NULL },
    PREFIX "{\"type\": \"dataset\", \"id\": \"d2\", \"rubric\": [{\"id\": \"a\", \"name\": "
           "5}]}\n", 3, "rubric[0].name", NULL, ROUNDS_ERROR_INVALID_INPUT },
  { "dataset-rubric-bounds", "bad.jsonl", { NULL },
    PREFIX "{\"type\": \"dataset\", \"id\": \"d2\", \"rubric\": [{\"id\": \"a\", \"min\": 5, "
           "\"max\": 1}]}\n", 3, "rubric[0].max", NULL, ROUNDS_ERROR_INVALID_INPUT },
  { "dataset-rubric-empty",
    "bad.jsonl", { NULL }, PREFIX "{\"type\": \"dataset\", \"id\": \"d2\", \"rubric\": "
                                  "[]}\n", 3, "rubric", NULL, ROUNDS_ERROR_INVALID_INPUT },
  { "dataset-unknown-field",
    "bad.jsonl", { NULL }, PREFIX "{\"type\": \"dataset\", \"id\": \"d2\", \"owner\": "
                                  "\"me\"}\n", 3, "owner", NULL, ROUNDS_ERROR_INVALID_INPUT },
  { "dataset-changed-in-file",
    "bad.jsonl", { NULL }, PREFIX "{\"type\": \"dataset\", \"id\": \"bad\", \"overlap\": "
                                  "2}\n", 3, "id", "bad", ROUNDS_ERROR_CONFLICT },
  /* Lines */
  { "not-json", "bad.jsonl", { NULL }, PREFIX "{\"type\": \"item\",\n", 3, NULL, "not valid JSON",
    ROUNDS_ERROR_INVALID_INPUT },
  { "not-an-object", "bad.jsonl", { NULL }, PREFIX "[1, 2]\n", 3, NULL, "object",
    ROUNDS_ERROR_INVALID_INPUT },
  { "two-objects", "bad.jsonl", { NULL }, PREFIX "{} {}\n", 3, NULL, NULL,
    ROUNDS_ERROR_INVALID_INPUT },
  { "bad-utf8", "bad.jsonl",
    { NULL }, PREFIX "{\"type\": \"item\", \"id\": \"x\", \"scenario\": "
                     "\"caf\xE9\", " PAIR "}\n", 3, NULL, "UTF-8", ROUNDS_ERROR_INVALID_INPUT },
  { "no-type", "bad.jsonl", { NULL }, PREFIX "{\"question\": \"?\"}\n", 3, NULL, "--map",
    ROUNDS_ERROR_INVALID_INPUT },
  { "type-unknown", "bad.jsonl", { NULL }, PREFIX "{\"type\": \"review\"}\n", 3, "type", "review",
    ROUNDS_ERROR_INVALID_INPUT },
  { "type-object", "bad.jsonl", { NULL }, PREFIX "{\"type\": {}, " PAIR "}\n", 3, "type", NULL,
    ROUNDS_ERROR_INVALID_INPUT },
  { "type-number", "bad.jsonl",
    { NULL }, PREFIX "{\"type\": 1, \"id\": \"x\", \"scenario\": "
                     "\"S\", " PAIR "}\n", 3, "type", NULL, ROUNDS_ERROR_INVALID_INPUT },
  /* Judgements */
  { "judgement-unknown-item", "bad.jsonl", { NULL },
    PREFIX "{\"type\": \"judgement\", \"item\": \"nope\", \"annotator\": \"ann\", \"preference\": "
           "0}\n", 3, "item", "nope", ROUNDS_ERROR_INVALID_INPUT },
  { "judgement-item-awaiting", "bad.jsonl", { NULL },
    PREFIX "{\"type\": \"item\", \"id\": \"w\", \"scenario\": \"Waits\"}\n"
    "{\"type\": \"judgement\", \"item\": \"w\", \"annotator\": \"ann\", \"status\": "
    "\"skipped\"}\n", 4, "item", "awaits its responses", ROUNDS_ERROR_INVALID_INPUT },
  { "judgement-unknown-dataset", "bad.jsonl", { NULL },
    PREFIX "{\"type\": \"judgement\", \"dataset\": \"nope\", \"item\": \"ok-1\", \"annotator\": "
           "\"ann\", \"preference\": 0}\n", 3, "dataset", "nope", ROUNDS_ERROR_INVALID_INPUT },
  { "judgement-no-annotator",
    "bad.jsonl", { NULL }, PREFIX "{\"type\": \"judgement\", \"item\": \"ok-1\", \"preference\": "
                                  "0}\n", 3, "annotator", "missing", ROUNDS_ERROR_INVALID_INPUT },
  { "judgement-bad-annotator", "bad.jsonl",
    { NULL }, PREFIX "{\"type\": \"judgement\", \"item\": \"ok-1\", \"annotator\": \"dr lin\", "
                     "\"preference\": 0}\n", 3, "annotator", "dr lin", ROUNDS_ERROR_INVALID_INPUT },
  { "judgement-off-scale", "bad.jsonl", { NULL }, PREFIX JUDGE ("\"preference\": 3"), 3,
    "preference", "-2", ROUNDS_ERROR_INVALID_INPUT },
  { "judgement-unknown-preference", "bad.jsonl",
    { NULL }, PREFIX JUDGE ("\"preference\": "
                            "\"much-better\""), 3, "preference", NULL, ROUNDS_ERROR_INVALID_INPUT },
  { "judgement-fractional-preference", "bad.jsonl", { NULL }, PREFIX JUDGE ("\"preference\": 0.5"),
    3, "preference", NULL, ROUNDS_ERROR_INVALID_INPUT },
  { "judgement-no-preference", "bad.jsonl", { NULL }, PREFIX JUDGE ("\"comment\": \"forgot\""), 3,
    "preference", "missing", ROUNDS_ERROR_INVALID_INPUT },
  { "judgement-ranking-of-pair",
    "bad.jsonl", { NULL }, PREFIX JUDGE ("\"ranking\": {\"a\": 1, \"b\": "
                                         "2}"), 3, "ranking", NULL, ROUNDS_ERROR_INVALID_INPUT },
  { "judgement-unknown-criterion", "bad.jsonl",
    { NULL }, PREFIX JUDGE ("\"preference\": 0, \"scores\": {\"a\": {\"vibes\": "
                            "3}}"), 3, "scores.a.vibes", NULL, ROUNDS_ERROR_INVALID_INPUT },
  { "judgement-score-range", "bad.jsonl",
    { NULL }, PREFIX JUDGE ("\"preference\": 0, \"scores\": {\"a\": {\"accuracy\": "
                            "9}}"), 3, "scores.a.accuracy", "1 to 5", ROUNDS_ERROR_INVALID_INPUT },
  { "judgement-score-string", "bad.jsonl",
    { NULL }, PREFIX JUDGE ("\"preference\": 0, \"scores\": {\"a\": {\"accuracy\": "
                            "\"5\"}}"), 3, "scores.a.accuracy", NULL, ROUNDS_ERROR_INVALID_INPUT },
  { "judgement-score-unknown-response", "bad.jsonl",
    { NULL }, PREFIX JUDGE ("\"preference\": 0, \"scores\": {\"z\": "
                            "{}}"), 3, "scores.z", "“z”", ROUNDS_ERROR_INVALID_INPUT },
  { "judgement-unknown-flag", "bad.jsonl",
    { NULL }, PREFIX JUDGE ("\"preference\": 0, \"flags\": {\"b\": "
                            "[\"rude\"]}"), 3, "flags.b", "rude", ROUNDS_ERROR_INVALID_INPUT },
  { "judgement-flag-object",
    "bad.jsonl", { NULL }, PREFIX JUDGE ("\"preference\": 0, \"flags\": {\"b\": "
                                         "[{}]}"), 3, "flags.b", NULL, ROUNDS_ERROR_INVALID_INPUT },
  { "judgement-flags-string", "bad.jsonl",
    { NULL }, PREFIX JUDGE ("\"preference\": 0, \"flags\": {\"b\": "
                            "\"unsafe\"}"), 3, "flags.b", NULL, ROUNDS_ERROR_INVALID_INPUT },
  { "judgement-shown-order-twice", "bad.jsonl",
    { NULL }, PREFIX JUDGE ("\"preference\": 0, \"shown_order\": [\"a\", "
                            "\"a\"]"), 3, "shown_order[1]", NULL, ROUNDS_ERROR_INVALID_INPUT },
  { "judgement-shown-order-short", "bad.jsonl",
    { NULL }, PREFIX JUDGE ("\"preference\": 0, \"shown_order\": "
                            "[\"a\"]"), 3, "shown_order", NULL, ROUNDS_ERROR_INVALID_INPUT },
  { "judgement-shown-order-object", "bad.jsonl",
    { NULL }, PREFIX JUDGE ("\"preference\": 0, \"shown_order\": [{}, "
                            "\"a\"]"), 3, "shown_order[0]", NULL, ROUNDS_ERROR_INVALID_INPUT },
  { "judgement-shown-order-unknown", "bad.jsonl",
    { NULL }, PREFIX JUDGE ("\"preference\": 0, \"shown_order\": [\"b\", "
                            "\"q\"]"), 3, "shown_order[1]", NULL, ROUNDS_ERROR_INVALID_INPUT },
  { "judgement-draft", "bad.jsonl",
    { NULL }, PREFIX JUDGE ("\"preference\": 0, \"status\": "
                            "\"draft\""), 3, "status", NULL, ROUNDS_ERROR_INVALID_INPUT },
  { "judgement-created-at", "bad.jsonl",
    { NULL }, PREFIX JUDGE ("\"preference\": 0, \"created_at\": "
                            "\"yesterday\""), 3, "created_at", NULL, ROUNDS_ERROR_INVALID_INPUT },
  { "judgement-revision-zero", "bad.jsonl",
    { NULL }, PREFIX JUDGE ("\"preference\": 0, \"revision\": "
                            "0"), 3, "revision", NULL, ROUNDS_ERROR_INVALID_INPUT },
  { "judgement-notes-number",
    "bad.jsonl", { NULL }, PREFIX JUDGE ("\"preference\": 0, \"notes\": {\"a\": "
                                         "5}"), 3, "notes.a", NULL, ROUNDS_ERROR_INVALID_INPUT },
  { "judgement-unacceptable-string", "bad.jsonl",
    { NULL }, PREFIX JUDGE ("\"unacceptable\": "
                            "\"yes\""), 3, "unacceptable", NULL, ROUNDS_ERROR_INVALID_INPUT },
  { "judgement-time-negative", "bad.jsonl",
    { NULL }, PREFIX JUDGE ("\"preference\": 0, \"time_spent_ms\": "
                            "-5"), 3, "time_spent_ms", NULL, ROUNDS_ERROR_INVALID_INPUT },
  { "judgement-unknown-field", "bad.jsonl",
    { NULL }, PREFIX JUDGE ("\"preference\": 0, \"mood\": "
                            "\"good\""), 3, "mood", NULL, ROUNDS_ERROR_INVALID_INPUT },
  /* TRL pairs */
  { "trl-chosen-number", "bad.jsonl", { NULL },
    "{\"prompt\": \"Q\", \"chosen\": \"A\", \"rejected\": \"B\"}\n{\"prompt\": \"Q\", \"chosen\": "
    "5, \"rejected\": \"B\"}\n", 2, "chosen", NULL, ROUNDS_ERROR_INVALID_INPUT },
  { "trl-chosen-empty",
    "bad.jsonl", { NULL }, "{\"prompt\": \"Q\", \"chosen\": \"\", \"rejected\": "
                           "\"B\"}\n", 1, "chosen", "empty", ROUNDS_ERROR_INVALID_INPUT },
  { "trl-no-prompt", "bad.jsonl",
    { NULL }, "{\"prompt\": \"Q\", \"chosen\": \"A\", \"rejected\": \"B\"}\n{\"chosen\": \"A\", "
              "\"rejected\": \"B\"}\n", 2, "prompt", NULL, ROUNDS_ERROR_INVALID_INPUT },
  { "trl-mixed-forms", "bad.jsonl", { NULL },
    "{\"prompt\": \"Q\", \"chosen\": \"A\", \"rejected\": [{\"role\": \"assistant\", \"content\": "
    "\"B\"}]}\n", 1, "rejected", NULL, ROUNDS_ERROR_INVALID_INPUT },
  { "trl-role-missing", "bad.jsonl",
    { NULL }, "{\"prompt\": [{\"role\": \"user\", \"content\": \"Q\"}], \"chosen\": "
              "[{\"content\": \"A\"}], \"rejected\": [{\"role\": \"assistant\", \"content\": "
              "\"B\"}]}\n", 1, "chosen[0].role", NULL, ROUNDS_ERROR_INVALID_INPUT },
  { "trl-role-object", "bad.jsonl",
    { NULL }, "{\"prompt\": [{\"role\": \"user\", \"content\": \"Q\"}], \"chosen\": [{\"role\": "
              "{}, \"content\": \"A\"}], \"rejected\": [{\"role\": \"assistant\", \"content\": "
              "\"B\"}]}\n", 1, "chosen[0].role", NULL, ROUNDS_ERROR_INVALID_INPUT },
  { "trl-content-parts", "bad.jsonl",
    { NULL }, "{\"prompt\": [{\"role\": \"user\", \"content\": \"Q\"}], "
              "\"chosen\": [{\"role\": \"assistant\", \"content\": [{\"type\": \"text\", "
              "\"text\": \"A\"}]}], \"rejected\": [{\"role\": \"assistant\", \"content\": "
              "\"B\"}]}\n", 1, "chosen[0].content", NULL, ROUNDS_ERROR_INVALID_INPUT },
  { "trl-prompt-string-with-messages", "bad.jsonl",
    { NULL }, "{\"prompt\": \"Q\", \"chosen\": [{\"role\": \"assistant\", \"content\": "
              "\"A\"}], \"rejected\": [{\"role\": \"assistant\", \"content\": "
              "\"B\"}]}\n", 1, "prompt", NULL, ROUNDS_ERROR_INVALID_INPUT },
  { "trl-implicit-prompts-differ", "bad.jsonl", { NULL },
    "{\"chosen\": [{\"role\": \"user\", \"content\": \"Q1\"}, {\"role\": \"assistant\", "
    "\"content\": \"A\"}], \"rejected\": [{\"role\": \"user\", \"content\": \"Q2\"}, {\"role\": "
    "\"assistant\", \"content\": \"B\"}]}\n", 1, "prompt", NULL, ROUNDS_ERROR_INVALID_INPUT },
  { "trl-prompt-messages-answers-text", "bad.jsonl", { NULL },
    "{\"prompt\": \"Q\", \"chosen\": \"A\", \"rejected\": \"B\"}\n"
    "{\"prompt\": [{\"role\": \"user\", \"content\": \"Q\"}], \"chosen\": \"A\", "
    "\"rejected\": \"B\"}\n", 2, "prompt", "a list of messages goes with answers that are lists",
    ROUNDS_ERROR_INVALID_INPUT },
  { "hh-prompts-differ", "bad.jsonl", { NULL },
    "{\"chosen\": \"\\n\\nHuman: Q1\\n\\nAssistant: A\", \"rejected\": \"\\n\\nHuman: Q2\\n\\n"
    "Assistant: B\"}\n", 1, "prompt", "“Assistant:” turn", ROUNDS_ERROR_INVALID_INPUT },
  { "hh-empty-answer", "bad.jsonl", { NULL },
    "{\"chosen\": \"\\n\\nHuman: Q\\n\\nAssistant: A\", \"rejected\": \"\\n\\nHuman: Q\\n\\n"
    "Assistant:\"}\n", 1, "rejected", "empty", ROUNDS_ERROR_INVALID_INPUT },
  /* Mapped JSONL */
  { "mapped-one-answer", "bad.jsonl", { "scenario=question", "responses=answers[].text" },
    "{\"question\": \"Q\", \"answers\": "
    "[{\"text\": \"A\"}, {\"text\": \"B\"}]}\n{\"question\": \"Q2\", \"answers\": [{\"text\": "
    "\"A\"}]}\n", 2, "responses", "found 1", ROUNDS_ERROR_INVALID_INPUT },
  { "mapped-scenario-object", "bad.jsonl", { "scenario=question", "responses=answers[].text" },
    "{\"question\": {\"t\": \"Q\"}, \"answers\": [{\"text\": \"A\"}, {\"text\": "
    "\"B\"}]}\n", 1, "question", "scenario", ROUNDS_ERROR_INVALID_INPUT },
  { "mapped-no-scenario", "bad.jsonl", { "scenario=question", "responses=answers[].text" },
    "{\"q\": \"Q\", \"answers\": [{\"text\": \"A\"}, {\"text\": "
    "\"B\"}]}\n", 1, "question", NULL, ROUNDS_ERROR_INVALID_INPUT },
  { "mapped-answer-object", "bad.jsonl", { "scenario=question", "responses=answers[].text" },
    "{\"question\": \"Q\", \"answers\": [{\"text\": \"A\"}, {\"text\": {\"t\": "
    "\"B\"}}]}\n", 1, "answers[1].text", NULL, ROUNDS_ERROR_INVALID_INPUT },
  { "mapped-models-short", "bad.jsonl",
    { "scenario=question", "responses=answers[].text",
      "model=answers[].model" }, "{\"question\": \"Q\", "
                                 "\"answers\": [{\"text\": \"A\", \"model\": \"m\"}, {\"text\": "
                                 "\"B\"}]}\n", 1, "model", NULL, ROUNDS_ERROR_INVALID_INPUT },
  { "mapped-two-ids", "bad.jsonl", { "scenario=question", "responses=answers[].text", "id=a,b" },
    "{\"a\": \"1\", \"b\": \"2\", \"question\": \"Q\", \"answers\": [{\"text\": \"A\"}, {\"text\": "
    "\"B\"}]}\n", 1, "a", NULL, ROUNDS_ERROR_INVALID_INPUT },
  { "mapped-chosen-missing", "bad.jsonl",
    { "scenario=question", "chosen=response_chosen", "rejected=response_rejected" },
    "{\"question\": \"Q\", \"response_rejected\": \"B\"}\n", 1, "response_chosen", "missing",
    ROUNDS_ERROR_INVALID_INPUT },
  { "mapped-chosen-number", "bad.jsonl",
    { "scenario=question", "chosen=response_chosen", "rejected=response_rejected" },
    "{\"question\": \"Q\", \"response_chosen\": 1, \"response_rejected\": \"B\"}\n", 1,
    "response_chosen", NULL, ROUNDS_ERROR_INVALID_INPUT },
  { "mapped-reference-names-nothing", "bad.jsonl",
    { "scenario=prompt", "responses=response_0,response_1", "reference=better_response_id" },
    "{\"prompt\": \"Q\", \"response_0\": \"A\", \"response_1\": \"B\", \"better_response_id\": "
    "2}\n", 1, "better_response_id", "“2” names no response", ROUNDS_ERROR_INVALID_INPUT },
  { "mapped-reference-without-responses", "bad.jsonl",
    { "scenario=prompt", "responses=response_0,response_1", "reference=better_response_id" },
    "{\"prompt\": \"Q\", \"better_response_id\": 0}\n", 1, "better_response_id", NULL,
    ROUNDS_ERROR_INVALID_INPUT },
  /* CSV */
  { "csv-short-row", "bad.csv", CSV_MAPS, CSV_HEAD "Q2,A2\n", 3, NULL, "3 fields",
    ROUNDS_ERROR_INVALID_INPUT },
  { "csv-unclosed-quote", "bad.csv", CSV_MAPS, CSV_HEAD "Q2,\"A2,B2\nmore\n", 3, "answer_a",
    "never closed", ROUNDS_ERROR_INVALID_INPUT },
  { "csv-text-after-quote", "bad.csv", CSV_MAPS, CSV_HEAD "Q2,\"A2\"x,B2\n", 3, "answer_a",
    "closing quote", ROUNDS_ERROR_INVALID_INPUT },
  { "csv-empty-scenario", "bad.csv", CSV_MAPS, CSV_HEAD ",A2,B2\n", 3, "question", NULL,
    ROUNDS_ERROR_INVALID_INPUT },
  { "csv-empty-response", "bad.csv", CSV_MAPS, CSV_HEAD "Q2,,B2\n", 3, "answer_a", "empty",
    ROUNDS_ERROR_INVALID_INPUT },
  { "csv-no-such-column", "bad.csv", { "scenario=question", "responses=answer_a,answer_c" },
    CSV_HEAD, 1, "answer_c", "whose columns are \"question\", \"answer_a\", \"answer_b\"; the "
    "first row is taken as the header: if the file has none, use --no-header",
    ROUNDS_ERROR_INVALID_INPUT },
  { "csv-multiline-record", "bad.csv", CSV_MAPS, CSV_HEAD "\"Q\nover\nlines\",A,B\nQ3,A3\n", 6,
    NULL, NULL, ROUNDS_ERROR_INVALID_INPUT },
  { "csv-bad-utf8", "bad.csv", CSV_MAPS, CSV_HEAD "Q2,caf\xE9,B2\n", 3, "answer_a", "UTF-8",
    ROUNDS_ERROR_INVALID_INPUT },
  { "csv-empty-file", "bad.csv", CSV_MAPS, "", 1, NULL, "header", ROUNDS_ERROR_INVALID_INPUT },
};

/* What is there before the bad file: another dataset, an item and a judgement. */
static const char base_jsonl[] =
  "{\"type\": \"dataset\", \"id\": \"base\"}\n"
  "{\"id\": \"b1\", \"scenario\": \"Base\", \"responses\": [{\"text\": \"A\"}, "
  "{\"text\": \"B\"}]}\n"
  "{\"type\": \"judgement\", \"item\": \"b1\", \"annotator\": \"someone\", \"preference\": 1}\n";

static void
test_bad_input (Fixture       *fixture,
                gconstpointer  data)
{
  const BadCase *c = data;
  g_autoptr(RoundsImporter) importer = rounds_importer_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *place = NULL;
  g_autofree char *field = NULL;
  RoundsImportResult result = { 0 };
  Counts before, after;

  import_ok (fixture, "base.jsonl", base_jsonl, NULL);
  get_counts (fixture, &before);

  for (guint i = 0; i < G_N_ELEMENTS (c->maps) && c->maps[i] != NULL; i++)
    {
      g_assert_true (rounds_importer_add_map (importer, c->maps[i], &error));
      g_assert_no_error (error);
    }
  g_assert_false (run_import (fixture, importer, c->file_name, c->contents, &result, &error));
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_error (error, ROUNDS_ERROR, c->code);

  place = g_strdup_printf ("%s:%u: ", c->file_name, c->line);
  g_assert_nonnull (strstr (error->message, place));
  if (c->field != NULL)
    {
      field = g_strdup_printf ("%s:%u: field “%s”: ", c->file_name, c->line, c->field);
      g_assert_nonnull (strstr (error->message, field));
    }
  else
    g_assert_null (strstr (error->message, "field “"));
  if (c->says != NULL)
    g_assert_nonnull (strstr (error->message, c->says));

  /* Nothing of the file was written, the lines before the bad one included. */
  get_counts (fixture, &after);
  assert_counts_equal (&before, &after);
  g_assert_cmpint (rounds_test_query_int (fixture->store, "SELECT COUNT(*) FROM datasets "
                                                          "WHERE name != 'base'"), ==, 0);
  g_assert_cmpuint (result.n_items_added, ==, 0);
}

/* Re-importing, conflicts and updates ------------------------------------------------- */

static const char v1_jsonl[] =
  "{\"type\": \"dataset\", \"id\": \"rx\", \"overlap\": 2}\n"
  "{\"id\": \"i1\", \"scenario\": \"One\", \"responses\": [{\"text\": \"A\"}, {\"text\": \"B\"}]}\n"
  "{\"id\": \"i2\", \"scenario\": \"Two\", \"responses\": [{\"text\": \"A\"}, {\"text\": \"B\"}]}\n"
  "{\"id\": \"i3\", \"scenario\": \"Three\", \"responses\": [{\"text\": \"A\"}, "
  "{\"text\": \"B\"}]}\n"
  "{\"type\": \"judgement\", \"item\": \"i1\", \"annotator\": \"ann\", \"preference\": -2}\n";

static const char v2_jsonl[] =
  "{\"type\": \"dataset\", \"id\": \"rx\", \"overlap\": 2}\n"
  "{\"id\": \"i1\", \"scenario\": \"One\", \"responses\": [{\"text\": \"A\"}, {\"text\": \"B\"}]}\n"
  "{\"id\": \"i2\", \"scenario\": \"Two, corrected\", \"responses\": [{\"text\": \"A\"}, "
  "{\"text\": \"B (fixed)\"}]}\n"
  "{\"id\": \"i3\", \"scenario\": \"Three\", \"responses\": [{\"text\": \"A\"}, "
  "{\"text\": \"B\"}]}\n"
  "{\"type\": \"judgement\", \"item\": \"i1\", \"annotator\": \"ann\", \"preference\": -2}\n";

static void
test_reimport (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(RoundsImporter) importer = rounds_importer_new ();
  g_autoptr(RoundsImporter) updater = rounds_importer_new ();
  g_autoptr(RoundsItem) i2 = NULL;
  g_autoptr(GError) error = NULL;
  RoundsImportResult result;
  Counts first, second;

  g_assert_true (run_import (fixture, importer, "rx.jsonl", v1_jsonl, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.n_items_added, ==, 3);
  g_assert_cmpuint (result.n_judgements_added, ==, 1);
  get_counts (fixture, &first);

  /* The same file again: nothing changes but the audit log's note of the import. */
  g_assert_true (run_import (fixture, importer, "rx.jsonl", v1_jsonl, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.n_records, ==, 5);
  g_assert_cmpuint (result.n_datasets_added, ==, 0);
  g_assert_cmpuint (result.n_datasets_updated, ==, 0);
  g_assert_cmpuint (result.n_items_added, ==, 0);
  g_assert_cmpuint (result.n_items_updated, ==, 0);
  g_assert_cmpuint (result.n_items_unchanged, ==, 3);
  g_assert_cmpuint (result.n_judgements_added, ==, 0);
  g_assert_cmpuint (result.n_judgements_unchanged, ==, 1);
  get_counts (fixture, &second);
  g_assert_cmpint (second.audit_log, ==, first.audit_log + 1);
  second.audit_log = first.audit_log;
  assert_counts_equal (&first, &second);

  /* A changed item with the same id is refused, naming it, and nothing is written. */
  g_assert_false (run_import (fixture, importer, "rx.jsonl", v2_jsonl, &result, &error));
  g_assert_error (error, ROUNDS_ERROR, ROUNDS_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, "rx.jsonl:3: "));
  g_assert_nonnull (strstr (error->message, "“i2”"));
  g_clear_error (&error);
  get_counts (fixture, &second);
  second.audit_log--;
  assert_counts_equal (&first, &second);
  i2 = find_item (fixture, "rx", "i2");
  g_assert_cmpstr (rounds_item_get_scenario (i2), ==, "Two");
  g_clear_object (&i2);

  /* With --update it replaces the stored one. */
  rounds_importer_set_update (updater, TRUE);
  g_assert_true (run_import (fixture, updater, "rx.jsonl", v2_jsonl, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.n_items_added, ==, 0);
  g_assert_cmpuint (result.n_items_updated, ==, 1);
  g_assert_cmpuint (result.n_items_unchanged, ==, 2);
  i2 = find_item (fixture, "rx", "i2");
  g_assert_cmpstr (rounds_item_get_scenario (i2), ==, "Two, corrected");
  g_assert_cmpstr (rounds_item_get_response_text (i2, 1), ==, "B (fixed)");
  get_counts (fixture, &second);
  g_assert_cmpint (second.items, ==, first.items);
  g_assert_cmpint (second.responses, ==, first.responses);
  g_assert_cmpint (second.annotations, ==, first.annotations);

  /* And after that the new content is the unchanged one. */
  g_assert_true (run_import (fixture, importer, "rx.jsonl", v2_jsonl, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.n_items_unchanged, ==, 3);
}

static void
test_dataset_update (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(RoundsImporter) importer = rounds_importer_new ();
  g_autoptr(RoundsDataset) dataset = NULL;
  g_autoptr(RoundsItem) i1 = NULL;
  g_autoptr(GError) error = NULL;
  RoundsImportResult result;
  const char *changed =
    "{\"type\": \"dataset\", \"id\": \"rx\", \"overlap\": 3, \"title\": \"Retitled\"}\n";
  const char *rescaled =
    "{\"type\": \"dataset\", \"id\": \"rx\", \"overlap\": 3, \"title\": \"Retitled\", "
    "\"scale\": 7}\n";

  import_ok (fixture, "rx.jsonl", v1_jsonl, NULL);

  g_assert_false (run_import (fixture, importer, "header.jsonl", changed, &result, &error));
  g_assert_error (error, ROUNDS_ERROR, ROUNDS_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, "header.jsonl:1: "));
  g_assert_nonnull (strstr (error->message, "“rx”"));
  g_clear_error (&error);

  rounds_importer_set_update (importer, TRUE);
  g_assert_true (run_import (fixture, importer, "header.jsonl", changed, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.n_datasets_updated, ==, 1);
  dataset = rounds_store_get_dataset (fixture->store, "rx", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rounds_dataset_get_title (dataset), ==, "Retitled");
  g_assert_cmpuint (rounds_dataset_get_overlap (dataset), ==, 3);
  i1 = find_item (fixture, "rx", "i1");
  g_assert_cmpuint (rounds_item_get_overlap (i1), ==, 3);

  /* A dataset with judgements keeps its scale. */
  g_assert_false (run_import (fixture, importer, "header.jsonl", rescaled, &result, &error));
  g_assert_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "header.jsonl:1: field “scale”: "));
}

/* A larger file ----------------------------------------------------------------------- */

#define N_LARGE 20000

static char *
write_large (Fixture    *fixture,
             const char *name,
             guint       n,
             guint       padding)
{
  g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
  g_autofree char *pad = g_strnfill (padding, 'x');
  g_autoptr(GString) text = g_string_new ("{\"type\": \"dataset\", \"id\": \"large\", "
                                          "\"overlap\": 2}\n");
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < n; i++)
    g_string_append_printf (text,
                            "{\"id\": \"item-%05u\", \"scenario\": \"病例 %u: a patient "
                            "asks about dose %u. %s\","
                            " \"specialty\": \"%s\", \"responses\": [{\"text\": \"Answer one to "
                            "%u\", \"model\": \"m-1\"},"
                            " {\"text\": \"Answer two to %u\", \"model\": \"m-2\"}]}\n",
                            i, i, i % 97, pad, (i % 2) ? "cardiology" : "oncology", i, i);
  g_file_set_contents (path, text->str, text->len, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

static void
test_large (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *path = write_large (fixture, "large.jsonl", N_LARGE, 0);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(RoundsImporter) importer = rounds_importer_new ();
  g_autoptr(RoundsItem) last = NULL;
  g_autoptr(GError) error = NULL;
  RoundsImportResult result;

  g_assert_true (rounds_importer_run (importer, fixture->store, file, &result, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.n_records, ==, N_LARGE + 1);
  g_assert_cmpuint (result.n_items_added, ==, N_LARGE);
  g_assert_cmpint (rounds_test_query_int (fixture->store,
                                          "SELECT COUNT(*) FROM items"), ==, N_LARGE);
  g_assert_cmpint (rounds_test_query_int (fixture->store, "SELECT COUNT(*) FROM responses"),
                   ==, 2 * N_LARGE);
  g_assert_cmpint (rounds_test_query_int (fixture->store, "SELECT COUNT(DISTINCT "
                                                          "position) FROM items"), ==, N_LARGE);
  g_assert_cmpint (rounds_test_query_int (fixture->store,
                                          "SELECT COUNT(*) FROM items WHERE "
                                          "specialty = 'oncology'"), ==, N_LARGE / 2);
  g_assert_cmpfloat (rounds_importer_get_fraction (importer), ==, 1.0);
  last = find_item (fixture, "large", "item-19999");
  g_assert_cmpstr (rounds_item_get_response_text (last, 1), ==, "Answer two to 19999");
  g_assert_true (rounds_store_check_integrity (fixture->store, &error));
  g_assert_no_error (error);
}

/* Async ------------------------------------------------------------------------------- */

typedef struct
{
  GMainLoop    *loop;
  GArray       *fractions;
  gboolean      done;
  gboolean      ok;
  GError       *error;
  RoundsImportResult result;
} AsyncRun;

static void
on_fraction (RoundsImporter *importer,
             GParamSpec     *pspec,
             AsyncRun       *run)
{
  double fraction = rounds_importer_get_fraction (importer);

  g_assert_true (g_main_context_is_owner (g_main_context_default ()));
  g_array_append_val (run->fractions, fraction);
}

static void
on_done (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  AsyncRun *run = user_data;

  run->ok = rounds_importer_run_finish (ROUNDS_IMPORTER (object), result,
                                        &run->result, &run->error);
  run->done = TRUE;
  g_main_loop_quit (run->loop);
}

static void
run_async (Fixture        *fixture,
           RoundsImporter *importer,
           GFile          *file,
           GCancellable   *cancellable,
           AsyncRun       *run)
{
  gulong handler = g_signal_connect (importer, "notify::fraction", G_CALLBACK (on_fraction), run);

  run->loop = g_main_loop_new (NULL, FALSE);
  run->fractions = g_array_new (FALSE, FALSE, sizeof (double));
  rounds_importer_run_async (importer, fixture->path, file, cancellable, on_done, run);
  g_main_loop_run (run->loop);
  /* Progress sent before the end is delivered by now, but drain anything left. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_signal_handler_disconnect (importer, handler);
  g_main_loop_unref (run->loop);
}

static void
test_async (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *path = write_large (fixture, "async.jsonl", 6000, 200);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(RoundsImporter) importer = rounds_importer_new ();
  AsyncRun run = { 0 };
  guint intermediate = 0;

  run_async (fixture, importer, file, NULL, &run);
  g_assert_no_error (run.error);
  g_assert_true (run.ok);
  g_assert_cmpuint (run.result.n_items_added, ==, 6000);
  g_assert_cmpint (rounds_test_query_int (fixture->store, "SELECT COUNT(*) FROM items"), ==, 6000);

  g_assert_cmpuint (run.fractions->len, >, 0);
  for (guint i = 0; i < run.fractions->len; i++)
    {
      double f = g_array_index (run.fractions, double, i);

      g_assert_cmpfloat (f, >, 0.0);
      g_assert_cmpfloat (f, <=, 1.0);
      if (i > 0)
        g_assert_cmpfloat (f, >, g_array_index (run.fractions, double, i - 1));
      if (f < 1.0)
        intermediate++;
    }
  g_assert_cmpfloat (g_array_index (run.fractions, double, run.fractions->len - 1), ==, 1.0);
  g_assert_cmpfloat (rounds_importer_get_fraction (importer), ==, 1.0);
  /* A file of more than a megabyte reports on the way, not only at the end. */
  g_assert_cmpuint (intermediate, >, 0);
  g_array_unref (run.fractions);
}

static void
test_async_cancelled (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *path = write_large (fixture, "async.jsonl", 2000, 0);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(RoundsImporter) importer = rounds_importer_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  AsyncRun run = { 0 };
  Counts before, after;

  import_ok (fixture, "base.jsonl", base_jsonl, NULL);
  get_counts (fixture, &before);

  g_cancellable_cancel (cancellable);
  run_async (fixture, importer, file, cancellable, &run);
  g_assert_false (run.ok);
  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&run.error);
  g_array_unref (run.fractions);

  get_counts (fixture, &after);
  assert_counts_equal (&before, &after);
}

typedef struct
{
  guint before;   /* records written before the cancellation */
  guint after;    /* and after it */
} PipeCase;

/* Cancelled half way through (more records follow, and the import checks every 256), and
 * cancelled after the last record but before the end of the file (fewer than 256 records,
 * so only the read that waits for the rest can notice): the import stops and writes
 * nothing. The file is a pipe, so the test decides how much of it the import has read
 * when it is cancelled. */
static const PipeCase pipe_cases[] = {
  { 600, 600 },
  { 100, 0 },
};

static void
test_async_cancelled_pipe (Fixture       *fixture,
                           gconstpointer  data)
{
  const PipeCase *c = data;
  g_autofree char *path = g_build_filename (fixture->dir, "pipe.jsonl", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(RoundsImporter) importer = rounds_importer_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GString) first = g_string_new ("{\"type\": \"dataset\", \"id\": \"piped\"}\n");
  g_autoptr(GString) rest = g_string_new (NULL);
  AsyncRun run = { 0 };
  Counts before, after;
  int fd;

  for (guint i = 0; i < c->before; i++)
    g_string_append_printf (first, "{\"id\": \"f%u\", \"scenario\": \"S\", \"responses\": "
                                   "[{\"text\": \"A\"}, {\"text\": \"B\"}]}\n", i);
  for (guint i = 0; i < c->after; i++)
    g_string_append_printf (rest, "{\"id\": \"r%u\", \"scenario\": \"S\", \"responses\": "
                                  "[{\"text\": \"A\"}, {\"text\": \"B\"}]}\n", i);

  import_ok (fixture, "base.jsonl", base_jsonl, NULL);
  get_counts (fixture, &before);

  g_assert_cmpint (mkfifo (path, 0600), ==, 0);
  signal (SIGPIPE, SIG_IGN);

  run.loop = g_main_loop_new (NULL, FALSE);
  run.fractions = g_array_new (FALSE, FALSE, sizeof (double));
  rounds_importer_run_async (importer, fixture->path, file, cancellable, on_done, &run);

  /* The pipe opens for writing once the import has opened it to read. */
  while ((fd = open (path, O_WRONLY | O_NONBLOCK)) < 0 && !run.done)
    {
      g_assert_cmpint (errno, ==, ENXIO);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_assert_no_error (run.error);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (fcntl (fd, F_SETFL, 0), ==, 0);
  g_assert_cmpint (write (fd, first->str, first->len), ==, (gssize) first->len);
  g_cancellable_cancel (cancellable);
  /* Once the import has stopped reading, a write fails with EPIPE: that is fine. */
  if (rest->len > 0 && write (fd, rest->str, rest->len) < 0)
    g_assert_cmpint (errno, ==, EPIPE);
  close (fd);

  if (!run.done)
    g_main_loop_run (run.loop);
  g_main_loop_unref (run.loop);
  g_assert_false (run.ok);
  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&run.error);
  g_array_unref (run.fractions);

  get_counts (fixture, &after);
  assert_counts_equal (&before, &after);
}

/* Arguments --------------------------------------------------------------------------- */

static const struct
{
  const char *spec;
  gboolean    valid;
} map_specs[] = {
  { "scenario=question", TRUE },
  { "responses=answers[].text", TRUE },
  { "responses=answer_a, answer_b", TRUE },
  { "metadata.source=meta.origin[0]", TRUE },
  { "scenario", FALSE },
  { "=question", FALSE },
  { "scenario=", FALSE },
  { "prompt=question", FALSE },
  { "scenario=questions[].text", FALSE },
  { "scenario=a..b", FALSE },
  { "scenario=a[x]", FALSE },
  { "scenario=a[", FALSE },
  { "responses=a.", FALSE },
  { "chosen=response_chosen", TRUE },
  { "rejected=conversation.rejected", TRUE },
  { "reference=better_response_id", TRUE },
  { "reference.safer=safer_response_id", TRUE },
  { "reference.preferred=x", FALSE },
  { "chosen=answers[].text", FALSE },
  { "reference=labels[]", FALSE },
};

/* Specs that are each fine but not together: the second is refused, and nothing leaks
 * (the first map of a target used to be overwritten record by record). */
static const struct
{
  const char *first;
  const char *second;
  gboolean    valid;
} map_pairs[] = {
  { "scenario=q", "scenario=p", FALSE },
  { "responses=a,b", "responses=c", FALSE },
  { "metadata.x=a", "metadata.x=b", FALSE },
  { "reference.safer=a", "reference.safer=b", FALSE },
  { "reference=a", "reference=b", FALSE },
  { "chosen=a", "responses=b,c", FALSE },
  { "responses=b,c", "rejected=a", FALSE },
  { "chosen=a", "reference=b", FALSE },
  { "metadata.x=a", "metadata.y=a", TRUE },
  { "reference=a", "reference.safer=b", TRUE },
  { "chosen=a", "rejected=b", TRUE },
};

static void
test_map_pairs (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (map_pairs); i++)
    {
      g_autoptr(RoundsImporter) importer = rounds_importer_new ();
      g_autoptr(GError) error = NULL;

      g_test_message ("--map %s --map %s", map_pairs[i].first, map_pairs[i].second);
      g_assert_true (rounds_importer_add_map (importer, map_pairs[i].first, &error));
      g_assert_no_error (error);
      g_assert_cmpint (rounds_importer_add_map (importer, map_pairs[i].second, &error), ==,
                       map_pairs[i].valid);
      if (map_pairs[i].valid)
        g_assert_no_error (error);
      else
        {
          g_assert_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_ARGUMENT);
          g_assert_nonnull (strstr (error->message, map_pairs[i].second));
        }
    }
}

static void
test_map_specs (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (map_specs); i++)
    {
      g_autoptr(RoundsImporter) importer = rounds_importer_new ();
      g_autoptr(GError) error = NULL;

      g_test_message ("--map %s", map_specs[i].spec);
      g_assert_cmpint (rounds_importer_add_map (importer, map_specs[i].spec, &error), ==,
                       map_specs[i].valid);
      if (map_specs[i].valid)
        g_assert_no_error (error);
      else
        g_assert_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_ARGUMENT);
    }
}

static void
test_csv_needs_maps (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(RoundsImporter) importer = rounds_importer_new ();
  g_autoptr(GError) error = NULL;

  g_assert_false (run_import (fixture, importer, "plain.csv", "a,b\n1,2\n", NULL, &error));
  g_assert_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "plain.csv"));
  g_assert_cmpint (rounds_test_query_int (fixture->store, "SELECT COUNT(*) FROM audit_log"), ==, 0);

  g_clear_error (&error);
  g_assert_false (rounds_importer_set_format_name (importer, "parquet", &error));
  g_assert_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_ARGUMENT);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) rounds_test_store_add ("/rounds/import/" path, NULL, func)

  ADD ("rounds-jsonl", test_rounds_jsonl);
  ADD ("default-dataset", test_default_dataset);
  ADD ("trl/multi-turn", test_trl_multi_turn);
  ADD ("mapped/jsonl", test_mapped_jsonl);
  ADD ("mapped/jsonl-without-id", test_mapped_no_id);
  ADD ("mapped/csv", test_mapped_csv);
  ADD ("mapped/csv-needs-maps", test_csv_needs_maps);
  ADD ("judgements", test_judgements);
  ADD ("judgements/preference-scale", test_preference_scale);
  ADD ("reimport", test_reimport);
  ADD ("reimport/dataset", test_dataset_update);
  ADD ("large", test_large);
  ADD ("async/progress", test_async);
  ADD ("async/cancelled", test_async_cancelled);
  ADD ("awaiting-responses", test_awaiting);
  ADD ("awaiting-responses/csv", test_awaiting_csv);
  rounds_test_store_add_unopened ("/rounds/import/labels/old-trl-ids", NULL, test_old_ids);
  for (int layout = 0; layout < N_LAYOUTS; layout++)
    {
      static const char * const names[N_LAYOUTS] = { "trl", "chosen-rejected", "reference" };
      g_autofree char *path = g_strdup_printf ("/rounds/import/labels/independent/%s",
                                               names[layout]);

      rounds_test_store_add (path, GINT_TO_POINTER (layout), test_label_independent);
    }
  g_test_add_func ("/rounds/import/map-specs", test_map_specs);
  g_test_add_func ("/rounds/import/map-specs/together", test_map_pairs);

  for (guint i = 0; i < G_N_ELEMENTS (trl_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/rounds/import/trl/%s", trl_cases[i].name);

      rounds_test_store_add (path, GINT_TO_POINTER (trl_cases[i].form), test_trl);
    }

  for (guint i = 0; i < G_N_ELEMENTS (pipe_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/rounds/import/async/cancelled-after-%u-of-%u",
                                               pipe_cases[i].before,
                                               pipe_cases[i].before + pipe_cases[i].after);

      rounds_test_store_add (path, &pipe_cases[i], test_async_cancelled_pipe);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/rounds/import/bad-input/%s", bad_cases[i].name);

      rounds_test_store_add (path, &bad_cases[i], test_bad_input);
    }

  return g_test_run ();
}
