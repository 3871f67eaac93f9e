/* test-export.c: rated pairs for training and the full archive, byte for byte
 *
 * The golden files in tests/fixtures/export are what tests/fixtures/export/golden.jsonl
 * exports to. After a deliberate change of a format, rewrite them with
 * ROUNDS_UPDATE_GOLDEN=1 meson test export, and read the diff before committing it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>

#include "rounds-error.h"
#include "rounds-export.h"
#include "rounds-importer.h"
#include "rounds-review.h"
#include "rounds-store-private.h"
#include "rounds-test-util.h"

#define GOLDEN_KEY "golden"

typedef RoundsTestStore Fixture;

static void
golden_set_up (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *input = g_build_filename (FIXTURES_DIR, "export", "golden.jsonl", NULL);

  rounds_test_store_set_up (fixture, data);
  rounds_test_store_import (fixture->store, input);
}

static void
options_for (RoundsExportOptions *options,
             RoundsExportFormat   format)
{
  rounds_export_options_init (options);
  options->format = format;
  options->pseudonym_key = g_strdup (GOLDEN_KEY);
  /* The test database has items that one annotator judged: their records are kept, labelled
   * as that annotator's (the default of two would leave them out). */
  options->min_annotators = 1;
}

/* Exports with @options into the fixture's folder and returns the bytes written. */
static char *
export_to_string (Fixture                   *fixture,
                  RoundsStore               *store,
                  const RoundsExportOptions *options,
                  RoundsExportSummary       *summary)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "out", NULL);
  char *contents;

  g_assert_true (rounds_export_write (store, options, path, NULL, summary, NULL, NULL,
                                      NULL, &error));
  g_assert_no_error (error);
  contents = rounds_test_read_file (path);
  g_assert_cmpint (g_unlink (path), ==, 0);
  return contents;
}

/* Golden files ------------------------------------------------------------------------ */

static void
test_golden (Fixture       *fixture,
             gconstpointer  data)
{
  RoundsExportFormat format = GPOINTER_TO_UINT (data);
  g_autofree char *name = g_strdup_printf ("golden.%s.%s", rounds_export_format_to_string (format),
                                           rounds_export_format_get_extension (format));
  g_autofree char *golden_path = g_build_filename (FIXTURES_DIR, "export", name, NULL);
  g_autofree char *actual = NULL, *expected = NULL, *again = NULL;
  RoundsExportOptions options;

  options_for (&options, format);
  actual = export_to_string (fixture, fixture->store, &options, NULL);
  again = export_to_string (fixture, fixture->store, &options, NULL);
  g_assert_cmpstr (actual, ==, again);     /* the same input gives the same bytes */

  if (g_getenv ("ROUNDS_UPDATE_GOLDEN") != NULL)
    {
      g_autoptr(GError) error = NULL;

      g_file_set_contents (golden_path, actual, -1, &error);
      g_assert_no_error (error);
      g_test_message ("rewrote %s", golden_path);
    }
  expected = rounds_test_read_file (golden_path);
  g_assert_cmpstr (actual, ==, expected);
  rounds_export_options_clear (&options);
}

/* Published layouts ------------------------------------------------------------------- */

static JsonObject *
parse_line (JsonParser *parser,
            const char *line)
{
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, line, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_node_get_object (json_parser_get_root (parser));
}

static void
assert_members (JsonObject         *object,
                const char * const *expected)
{
  g_autoptr(GList) members = json_object_get_members (object);

  g_assert_cmpuint (g_list_length (members), ==, g_strv_length ((char **) expected));
  for (guint i = 0; expected[i] != NULL; i++)
    g_assert_true (json_object_has_member (object, expected[i]));
}

static void
assert_string (JsonObject *object,
               const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  g_assert_nonnull (node);
  g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_STRING);
  g_assert_cmpstr (json_node_get_string (node), !=, "");
}

/* [{"role": ROLE, "content": "…"}] */
static void
assert_messages (JsonObject *object,
                 const char *member,
                 const char *role)
{
  static const char * const message_members[] = { "role", "content", NULL };
  JsonArray *messages = json_object_get_array_member (object, member);

  g_assert_nonnull (messages);
  g_assert_cmpuint (json_array_get_length (messages), ==, 1);
  assert_members (json_array_get_object_element (messages, 0), message_members);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (messages, 0),
                                                  "role"), ==, role);
  assert_string (json_array_get_object_element (messages, 0), "content");
}

static void
assert_provenance (JsonObject *object,
                   gboolean    pair)
{
  JsonObject *metadata = json_object_get_object_member (object, "metadata");
  JsonObject *label;

  g_assert_nonnull (metadata);
  assert_string (metadata, "dataset");
  assert_string (metadata, "item");
  assert_string (metadata, pair ? "chosen" : "response");
  g_assert_true (json_object_has_member (metadata, "models"));
  g_assert_true (json_object_has_member (metadata, "agreement"));
  g_assert_nonnull (json_object_get_array_member (metadata, "annotators"));
  g_assert_nonnull (json_object_get_object_member (metadata, "shown_order"));
  g_assert_nonnull (json_object_get_object_member (metadata, "scores"));
  g_assert_cmpint (json_object_get_int_member (metadata, "rubric_version"), >=, 1);
  g_assert_cmpstr (json_object_get_string_member (metadata, "rounds_version"), ==, PACKAGE_VERSION);
  label = json_object_get_object_member (metadata, "label");
  g_assert_nonnull (label);
  g_assert_true (g_strv_contains ((const char * const[]) { "verdict", "consensus",
                                                           "annotator", "reference", NULL },
                                  json_object_get_string_member (label, "source")));
}

static void
check_layout (RoundsExportFormat  format,
              const char         *line)
{
  static const char * const trl[] = { "prompt", "chosen", "rejected", "metadata", NULL };
  static const char * const kto[] = { "prompt", "completion", "label", "metadata", NULL };
  static const char * const openai[] = { "input", "preferred_output",
                                         "non_preferred_output", NULL };
  static const char * const openai_input[] = { "messages", NULL };
  static const char * const hh[] = { "chosen", "rejected", "metadata", NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object = parse_line (parser, line);

  switch (format)
    {
    case ROUNDS_EXPORT_TRL:
      assert_members (object, trl);
      assert_string (object, "prompt");
      assert_string (object, "chosen");
      assert_string (object, "rejected");
      assert_provenance (object, TRUE);
      break;

    case ROUNDS_EXPORT_TRL_CHAT:
      assert_members (object, trl);
      assert_messages (object, "prompt", "user");
      assert_messages (object, "chosen", "assistant");
      assert_messages (object, "rejected", "assistant");
      assert_provenance (object, TRUE);
      break;

    case ROUNDS_EXPORT_KTO:
      assert_members (object, kto);
      assert_string (object, "prompt");
      assert_string (object, "completion");
      g_assert_cmpint (json_node_get_value_type (json_object_get_member (object, "label")), ==,
                       G_TYPE_BOOLEAN);
      assert_provenance (object, FALSE);
      break;

    case ROUNDS_EXPORT_OPENAI:
      assert_members (object, openai);
      assert_members (json_object_get_object_member (object, "input"), openai_input);
      assert_messages (json_object_get_object_member (object, "input"), "messages", "user");
      assert_messages (object, "preferred_output", "assistant");
      assert_messages (object, "non_preferred_output", "assistant");
      break;

    case ROUNDS_EXPORT_HH:
      assert_members (object, hh);
      for (guint i = 0; i < 2; i++)
        {
          const char *text = json_object_get_string_member (object, i ? "rejected" : "chosen");

          g_assert_true (g_str_has_prefix (text, "\n\nHuman: "));
          g_assert_nonnull (strstr (text, "\n\nAssistant: "));
        }
      assert_provenance (object, TRUE);
      break;

    default:
      g_assert_not_reached ();
    }
}

/* RFC 4180 fields of one record, for the CSV check. */
static guint
csv_count_fields (const char  *text,
                  const char **end)
{
  gboolean quoted = FALSE;
  guint n = 1;
  const char *p = text;

  for (; *p; p++)
    {
      if (quoted)
        {
          if (*p == '"' && p[1] == '"')
            p++;
          else if (*p == '"')
            quoted = FALSE;
        }
      else if (*p == '"')
        quoted = TRUE;
      else if (*p == ',')
        n++;
      else if (*p == '\r' && p[1] == '\n')
        {
          *end = p + 2;
          return n;
        }
    }
  *end = p;
  return n;
}

static void
test_layout (Fixture       *fixture,
             gconstpointer  data)
{
  RoundsExportFormat format = GPOINTER_TO_UINT (data);
  g_autofree char *text = NULL;
  RoundsExportOptions options;
  RoundsExportSummary summary;

  options_for (&options, format);
  text = export_to_string (fixture, fixture->store, &options, &summary);
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_cmpuint (summary.n_written, >, 0);

  if (format == ROUNDS_EXPORT_CSV)
    {
      const char *p = text, *end;
      guint header = csv_count_fields (p, &end), rows = 0;

      g_assert_true (g_str_has_prefix (text, "dataset,item,chosen_id,rejected_id,label,"));
      for (p = end; *p; p = end, rows++)
        g_assert_cmpuint (csv_count_fields (p, &end), ==, header);
      g_assert_cmpuint (rows, ==, summary.n_written);
    }
  else
    {
      g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
      guint n = g_strv_length (lines);

      g_assert_cmpstr (lines[n - 1], ==, "");       /* every record ends with a newline */
      g_assert_cmpuint (n - 1, ==, summary.n_written);
      for (guint i = 0; i + 1 < n; i++)
        check_layout (format, lines[i]);
    }
  rounds_export_options_clear (&options);
}

/* Labels and filters ------------------------------------------------------------------ */

typedef struct
{
  const char         *name;
  RoundsExportFormat  format;
  void              (*tweak) (RoundsExportOptions *options);
  guint64             written;
  RoundsExportSkip    skip;
  guint64             skipped;
} FilterCase;

static void tweak_none (RoundsExportOptions *o) { }
static void tweak_majority (RoundsExportOptions *o) { o->rule = ROUNDS_CONSENSUS_MAJORITY; }
static void tweak_min_annotators (RoundsExportOptions *o) { o->min_annotators = 2; }
static void tweak_min_agreement (RoundsExportOptions *o) { o->min_agreement = 0.5; }
static void tweak_min_margin (RoundsExportOptions *o) { o->min_margin = 1.7; }
static void tweak_exclude_ties (RoundsExportOptions *o) { o->exclude_ties = TRUE; }
static void tweak_exclude_unsafe (RoundsExportOptions *o) { o->exclude_flags = ROUNDS_FLAG_UNSAFE; }
static void tweak_only_adjudicated (RoundsExportOptions *o) { o->only_adjudicated = TRUE; }
static void tweak_kto_score (RoundsExportOptions *o)
{
  o->kto_rule = ROUNDS_KTO_SCORE;
  o->kto_min_score = 3;
}

/* The fixture: i1 a over b (3 annotators, mean -5/3, b flagged unsafe); i2 a tie
 * (+1, -1, 0); i3 a ranking of three (a, b, c by mean rank, gaps 2/3, 4/3, 2/3); i4
 * disputed and settled by a verdict for b (margin 1); i5 both unacceptable; i6 unjudged
 * with a hidden reference label; i7 one annotator (margin 2). Agreement is undefined for
 * i5 and i7, and an undefined agreement does not pass --min-agreement. */
static const FilterCase filter_cases[] = {
  { "trl", ROUNDS_EXPORT_TRL, tweak_none, 6, ROUNDS_EXPORT_SKIP_TIE, 1 },
  { "trl-unacceptable", ROUNDS_EXPORT_TRL, tweak_none, 6, ROUNDS_EXPORT_SKIP_UNACCEPTABLE, 1 },
  { "trl-unlabelled", ROUNDS_EXPORT_TRL, tweak_none, 6, ROUNDS_EXPORT_SKIP_UNLABELLED, 1 },
  { "majority", ROUNDS_EXPORT_TRL, tweak_majority, 6, ROUNDS_EXPORT_SKIP_NO_MAJORITY, 1 },
  { "min-annotators", ROUNDS_EXPORT_TRL, tweak_min_annotators, 5,
    ROUNDS_EXPORT_SKIP_FEW_ANNOTATORS, 1 },
  { "min-agreement", ROUNDS_EXPORT_TRL, tweak_min_agreement, 5,
    ROUNDS_EXPORT_SKIP_LOW_AGREEMENT, 3 },
  { "min-margin", ROUNDS_EXPORT_TRL, tweak_min_margin, 1, ROUNDS_EXPORT_SKIP_LOW_MARGIN, 5 },
  { "exclude-unsafe", ROUNDS_EXPORT_TRL, tweak_exclude_unsafe, 5, ROUNDS_EXPORT_SKIP_FLAGGED, 1 },
  { "only-adjudicated", ROUNDS_EXPORT_TRL, tweak_only_adjudicated, 1,
    ROUNDS_EXPORT_SKIP_NOT_ADJUDICATED, 6 },
  { "csv-ties", ROUNDS_EXPORT_CSV, tweak_none, 8, ROUNDS_EXPORT_SKIP_TIE, 0 },
  { "csv-exclude-ties", ROUNDS_EXPORT_CSV, tweak_exclude_ties, 7, ROUNDS_EXPORT_SKIP_TIE, 1 },
  { "kto-winner", ROUNDS_EXPORT_KTO, tweak_none, 11, ROUNDS_EXPORT_SKIP_TIE, 2 },
  { "kto-score", ROUNDS_EXPORT_KTO, tweak_kto_score, 8, ROUNDS_EXPORT_SKIP_UNSCORED, 5 },
};

static void
test_filter (Fixture       *fixture,
             gconstpointer  data)
{
  const FilterCase *c = data;
  g_autoptr(GError) error = NULL;
  RoundsExportOptions options;
  RoundsExportSummary summary;

  options_for (&options, c->format);
  c->tweak (&options);
  g_assert_true (rounds_export_count (fixture->store, &options, &summary, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (summary.n_items, ==, 7);
  g_assert_cmpuint (summary.n_written, ==, c->written);
  g_assert_cmpuint (summary.n_skipped[c->skip], ==, c->skipped);
  rounds_export_options_clear (&options);
}

/* Ranked items give every ordered pair, tagged with the gap of mean ranks. */
static void
test_ranking_pairs (Fixture       *fixture,
                    gconstpointer  data)
{
  static const char * const expected[][3] = { { "a", "b", "0.6667" }, { "a", "c", "1.3333" },
                                              { "b", "c", "0.6667" } };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  RoundsExportOptions options;
  guint found = 0;

  options_for (&options, ROUNDS_EXPORT_TRL);
  text = export_to_string (fixture, fixture->store, &options, NULL);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL && *lines[i]; i++)
    {
      JsonObject *metadata = json_object_get_object_member (parse_line (parser, lines[i]),
                                                            "metadata");
      JsonObject *label;
      g_autofree char *gap = NULL;

      if (!g_str_equal (json_object_get_string_member (metadata, "item"), "i3"))
        continue;
      g_assert_cmpuint (found, <, G_N_ELEMENTS (expected));
      g_assert_cmpstr (json_object_get_string_member (metadata, "chosen"), ==, expected[found][0]);
      g_assert_cmpstr (json_object_get_string_member (metadata, "rejected"), ==,
                       expected[found][1]);
      label = json_object_get_object_member (metadata, "label");
      gap = g_strdup_printf ("%.4f", json_object_get_double_member (label, "rank_gap"));
      g_assert_cmpstr (gap, ==, expected[found][2]);
      found++;
    }
  g_assert_cmpuint (found, ==, 3);
  rounds_export_options_clear (&options);
}

/* One person's judgement is no consensus: by default (as in rounds-cli) i7, which one
 * annotator judged, is left out; asked for, it is labelled as that annotator's, and the
 * summary counts it apart, in words that agree with their numbers. */
static void
test_single_annotator (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *by_default = NULL, *with_one = NULL, *text = NULL;
  RoundsExportSummary summary;
  RoundsExportOptions options;
  const char *record;

  rounds_export_options_init (&options);
  g_assert_cmpuint (options.min_annotators, ==, 2);
  options.pseudonym_key = g_strdup (GOLDEN_KEY);
  by_default = export_to_string (fixture, fixture->store, &options, &summary);
  g_assert_cmpuint (summary.n_skipped[ROUNDS_EXPORT_SKIP_FEW_ANNOTATORS], ==, 1);
  g_assert_cmpuint (summary.n_single_annotator, ==, 0);
  g_assert_null (strstr (by_default, "\"item\":\"i7\""));
  g_assert_null (strstr (by_default, "\"source\":\"annotator\""));

  options.min_annotators = 1;
  with_one = export_to_string (fixture, fixture->store, &options, &summary);
  g_assert_cmpuint (summary.n_single_annotator, ==, 1);
  record = strstr (with_one, "\"item\":\"i7\"");
  g_assert_nonnull (record);
  g_assert_true (g_str_has_prefix (strstr (record, "\"label\":"),
                                   "\"label\":{\"source\":\"annotator\",\"margin\":"));
  /* Every record of several annotators still says consensus, with its rule. */
  g_assert_nonnull (strstr (with_one, "\"source\":\"consensus\",\"rule\":\"mean\""));

  text = rounds_export_summary_to_string (&summary, &options);
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "Labels: 1 item by verdict, 3 by consensus (mean preference), "
                                  "1 by one annotator alone"));
  rounds_export_options_clear (&options);
}

/* A verdict outranks the annotators: i4's annotators split, the reviewer chose b. */
static void
test_verdict_wins (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  RoundsExportOptions options;

  options_for (&options, ROUNDS_EXPORT_TRL);
  options.only_adjudicated = TRUE;
  text = export_to_string (fixture, fixture->store, &options, NULL);
  lines = g_strsplit (text, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 2);
  {
    JsonObject *object = parse_line (parser, lines[0]);
    JsonObject *metadata = json_object_get_object_member (object, "metadata");
    JsonObject *label;

    g_assert_cmpstr (json_object_get_string_member (object, "chosen"), ==,
                     "No: a capacitous adult's advance refusal must be respected.");
    label = json_object_get_object_member (metadata, "label");
    g_assert_cmpstr (json_object_get_string_member (label, "source"), ==, "verdict");
    g_assert_true (json_object_has_member (metadata, "reviewer"));
    g_assert_true (json_object_has_member (json_object_get_object_member (metadata,
                                                                          "scores"), "verdict"));
  }
  rounds_export_options_clear (&options);
}

/* Hidden reference labels ------------------------------------------------------------- */

static void
test_reference_hidden (Fixture       *fixture,
                       gconstpointer  data)
{
  for (RoundsExportFormat format = 0; format < ROUNDS_EXPORT_N_FORMATS; format++)
    {
      g_autofree char *text = NULL;
      RoundsExportOptions options;

      options_for (&options, format);
      text = export_to_string (fixture, fixture->store, &options, NULL);
      /* i6 has only its reference label: nothing of it is a training record, and the
       * reference itself is nowhere. */
      g_assert_null (strstr (text, "NICE NG136"));
      g_assert_null (strstr (text, "\"preferred\""));
      if (format != ROUNDS_EXPORT_FULL)
        g_assert_null (strstr (text, "An ACE inhibitor or ARB"));
      rounds_export_options_clear (&options);
    }
}

static void
test_reference_asked (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  RoundsExportOptions options;
  RoundsExportSummary summary;
  gboolean found = FALSE;

  options_for (&options, ROUNDS_EXPORT_TRL);
  options.include_reference = TRUE;
  text = export_to_string (fixture, fixture->store, &options, &summary);
  g_assert_cmpuint (summary.n_labelled[ROUNDS_LABEL_REFERENCE], ==, 1);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL && *lines[i]; i++)
    {
      JsonObject *object = parse_line (parser, lines[i]);
      JsonObject *metadata = json_object_get_object_member (object, "metadata");
      JsonObject *label;
      JsonObject *reference;

      if (!g_str_equal (json_object_get_string_member (metadata, "item"), "i6"))
        continue;
      found = TRUE;
      g_assert_cmpstr (json_object_get_string_member (object, "chosen"), ==,
                       "An ACE inhibitor or ARB, per NICE, with lifestyle advice.");
      label = json_object_get_object_member (metadata, "label");
      reference = json_object_get_object_member (metadata, "reference");
      g_assert_cmpstr (json_object_get_string_member (label, "source"), ==, "reference");
      g_assert_cmpstr (json_object_get_string_member (reference, "source"), ==, "NICE NG136");
    }
  g_assert_true (found);
  rounds_export_options_clear (&options);
}

/* Pseudonyms -------------------------------------------------------------------------- */

static void
test_pseudonyms (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(RoundsStore) other = rounds_test_store_open_new (fixture, "other.db");
  g_autofree char *input = g_build_filename (FIXTURES_DIR, "export", "golden.jsonl", NULL);
  g_autofree char *first = NULL, *second = NULL, *elsewhere = NULL, *named = NULL;
  RoundsExportOptions options;

  /* The database's own key: stable from one export to the next, its own to each database. */
  rounds_export_options_init (&options);
  options.format = ROUNDS_EXPORT_FULL;
  first = export_to_string (fixture, fixture->store, &options, NULL);
  second = export_to_string (fixture, fixture->store, &options, NULL);
  g_assert_cmpstr (first, ==, second);
  g_assert_null (strstr (first, "\"annotator\":\"dr-"));
  g_assert_null (strstr (first, "\"reviewer\":\"rev-"));
  g_assert_null (strstr (first, "\"actor\":\"rev-"));
  g_assert_nonnull (strstr (first, "\"annotator\":\"p-"));

  rounds_test_store_import (other, input);
  elsewhere = export_to_string (fixture, other, &options, NULL);
  g_assert_cmpstr (first, !=, elsewhere);

  options.real_names = TRUE;
  named = export_to_string (fixture, fixture->store, &options, NULL);
  g_assert_nonnull (strstr (named, "\"annotator\":\"dr-amara\""));
  g_assert_nonnull (strstr (named, "\"reviewer\":\"rev-dana\""));
  rounds_export_options_clear (&options);
}

/* Split ------------------------------------------------------------------------------- */

/* 300 items over 120 distinct scenarios, each judged once. */
static void
split_set_up (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(GString) text = g_string_new ("{\"type\": \"dataset\", \"id\": \"split\"}\n");
  g_autoptr(GError) error = NULL;

  rounds_test_store_set_up (fixture, data);
  for (guint i = 0; i < 300; i++)
    g_string_append_printf (text,
                            "{\"type\": \"item\", \"dataset\": \"split\", \"id\": \"s%u\", "
                            "\"scenario\": \"Scenario %u\","
                            " \"responses\": [{\"id\": \"a\", \"text\": \"A%u\"}, {\"id\": \"b\", "
                            "\"text\": \"B%u\"}]}\n"
                            "{\"type\": \"judgement\", \"dataset\": \"split\", \"item\": \"s%u\", "
                            "\"annotator\": \"ann\","
                            " \"preference\": %d}\n",
                            i, i % 120, i, i, i, i % 2 ? 1 : -1);
  path = g_build_filename (fixture->dir, "split.jsonl", NULL);
  g_file_set_contents (path, text->str, -1, &error);
  g_assert_no_error (error);
  rounds_test_store_import (fixture->store, path);
}

static GHashTable *
prompts_of (const char *path)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *text = rounds_test_read_file (path);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  GHashTable *prompts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; lines[i] != NULL && *lines[i]; i++)
    g_hash_table_add (prompts,
                      g_strdup (json_object_get_string_member (parse_line (parser, lines[i]),
                                                               "prompt")));
  return prompts;
}

static void
write_split (Fixture  *fixture,
             guint64   seed,
             char    **train,
             char    **test)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "pairs.jsonl", NULL);
  RoundsExportOptions options;
  RoundsExportSummary summary;

  *train = rounds_export_split_path (path, "train");
  *test = rounds_export_split_path (path, "test");
  g_assert_true (g_str_has_suffix (*train, "pairs.train.jsonl"));
  options_for (&options, ROUNDS_EXPORT_TRL);
  options.test_fraction = 0.25;
  options.seed = seed;
  g_assert_true (rounds_export_write (fixture->store, &options, *train, *test, &summary, NULL, NULL,
                                      NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (summary.n_written, ==, 300);
  g_assert_cmpuint (summary.n_test, >, 30);
  g_assert_cmpuint (summary.n_test, <, 120);
  rounds_export_options_clear (&options);
}

static void
test_split (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *train = NULL, *test = NULL, *train_bytes = NULL, *test_bytes = NULL;
  g_autoptr(GHashTable) train_prompts = NULL, test_prompts = NULL;
  GHashTableIter iter;
  gpointer prompt;

  write_split (fixture, 7, &train, &test);
  train_prompts = prompts_of (train);
  test_prompts = prompts_of (test);
  g_assert_cmpuint (g_hash_table_size (train_prompts), >, 0);
  g_assert_cmpuint (g_hash_table_size (test_prompts), >, 0);
  g_assert_cmpuint (g_hash_table_size (train_prompts) + g_hash_table_size (test_prompts), ==, 120);
  g_hash_table_iter_init (&iter, test_prompts);
  while (g_hash_table_iter_next (&iter, &prompt, NULL))
    g_assert_false (g_hash_table_contains (train_prompts, prompt));

  /* The same seed, the same files; another seed, another split. */
  train_bytes = rounds_test_read_file (train);
  test_bytes = rounds_test_read_file (test);
  {
    g_autofree char *train2 = NULL, *test2 = NULL, *again = NULL;

    write_split (fixture, 7, &train2, &test2);
    again = rounds_test_read_file (test2);
    g_assert_cmpstr (again, ==, test_bytes);
    g_clear_pointer (&again, g_free);
    g_clear_pointer (&train2, g_free);
    g_clear_pointer (&test2, g_free);
    write_split (fixture, 8, &train2, &test2);
    again = rounds_test_read_file (test2);
    g_assert_cmpstr (again, !=, test_bytes);
  }
}

/* Round trip -------------------------------------------------------------------------- */

static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(RoundsStore) copy = rounds_test_store_open_new (fixture, "copy.db");
  g_autoptr(RoundsProfile) reviewer = rounds_profile_new ("rev-eli", NULL,
                                                          ROUNDS_ROLE_REVIEWER, NULL);
  g_autoptr(RoundsItem) item = NULL;
  g_autoptr(RoundsVerdict) verdict = rounds_verdict_new (2);
  g_autoptr(GError) error = NULL;
  g_autofree char *archive = g_build_filename (fixture->dir, "archive.jsonl", NULL);
  g_autofree char *first = NULL, *second = NULL;
  RoundsExportOptions options;

  /* A verdict saved here, with its audit fact and a revised rubric, besides the imported. */
  rounds_store_add_profile (fixture->store, reviewer, &error);
  g_assert_no_error (error);
  item = rounds_store_find_item (fixture->store, "golden", "i2", &error);
  g_assert_no_error (error);
  verdict->has_preference = TRUE;
  verdict->preference = -1;
  verdict->rationale = g_strdup ("Consent first; a is closer to the GMC guidance.");
  verdict->scores_json = g_strdup ("[{\"accuracy\":4},{\"accuracy\":3}]");
  g_assert_true (rounds_store_save_verdict (fixture->store, item, "rev-eli", verdict, &error));
  g_assert_no_error (error);
  /* A rubric revised twice since: the archive keeps the version the scores were given under. */
  rounds_test_exec (fixture->store, "UPDATE datasets SET rubric_version = 3");

  options_for (&options, ROUNDS_EXPORT_FULL);
  options.include_reference = TRUE;
  g_assert_true (rounds_export_write (fixture->store, &options, archive, NULL, NULL, NULL, NULL,
                                      NULL, &error));
  g_assert_no_error (error);
  first = rounds_test_read_file (archive);
  g_assert_nonnull (strstr (first, "\"action\":\"verdict.submit\""));
  g_assert_nonnull (strstr (first, "Consent first"));
  g_assert_true (g_str_has_prefix (first, "{\"type\":\"export\",\"format\":\"full\""));
  g_assert_nonnull (strstr (first, "\"rubric_version\":3"));

  rounds_test_store_import (copy, archive);
  second = export_to_string (fixture, copy, &options, NULL);
  g_assert_cmpstr (first, ==, second);

  /* Imported twice, nothing doubles. */
  rounds_test_store_import (copy, archive);
  g_clear_pointer (&second, g_free);
  second = export_to_string (fixture, copy, &options, NULL);
  g_assert_cmpstr (first, ==, second);
  rounds_export_options_clear (&options);
}

/* Failures leave nothing -------------------------------------------------------------- */

static void
test_bad_options (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "out.jsonl", NULL);
  guint before = rounds_test_count_files (fixture->dir);
  RoundsExportOptions options;

  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(GError) error = NULL;

      options_for (&options, ROUNDS_EXPORT_TRL);
      switch (i)
        {
        case 0: options.min_agreement = 1.5; break;
        case 1: options.test_fraction = 1.0; break;
        case 2: options.format = ROUNDS_EXPORT_FULL; options.test_fraction = 0.1; break;
        case 3: options.min_annotators = 0; break;
        case 4: options.datasets = g_strsplit ("no-such-dataset", ",", -1); break;
        }
      g_assert_false (rounds_export_write (fixture->store, &options, path, NULL, NULL, NULL, NULL,
                                           NULL, &error));
      g_assert_nonnull (error);
      g_assert_cmpuint (rounds_test_count_files (fixture->dir), ==, before);
      rounds_export_options_clear (&options);
    }
}

static void
test_no_partial_file (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "out.jsonl", NULL);
  g_autofree char *missing = g_build_filename (fixture->dir, "no-such-folder", "out.jsonl", NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  RoundsExportOptions options;
  guint before;

  /* An earlier export stays as it was when the next one fails. */
  g_file_set_contents (path, "the earlier export\n", -1, &error);
  g_assert_no_error (error);
  before = rounds_test_count_files (fixture->dir);

  options_for (&options, ROUNDS_EXPORT_TRL);
  g_cancellable_cancel (cancellable);
  g_assert_false (rounds_export_write (fixture->store, &options, path, NULL, NULL, NULL, NULL,
                                       cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  contents = rounds_test_read_file (path);
  g_assert_cmpstr (contents, ==, "the earlier export\n");
  g_assert_cmpuint (rounds_test_count_files (fixture->dir), ==, before);

  g_assert_false (rounds_export_write (fixture->store, &options, missing, NULL, NULL, NULL, NULL,
                                       NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "no-such-folder"));
  g_assert_cmpuint (rounds_test_count_files (fixture->dir), ==, before);
  rounds_export_options_clear (&options);
}

static gint64
audit_count (RoundsStore *store)
{
  return rounds_test_query_int (store,
                                "SELECT COUNT(*) FROM audit_log WHERE action = 'export.write'"
                                " AND json_extract (detail_json, '$.format') = 'kto'");
}

static void
test_audit (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *text = NULL;
  RoundsExportOptions options;

  options_for (&options, ROUNDS_EXPORT_KTO);
  options.actor = g_strdup ("engineer");
  g_assert_cmpint (audit_count (fixture->store), ==, 0);
  text = export_to_string (fixture, fixture->store, &options, NULL);
  g_assert_cmpint (audit_count (fixture->store), ==, 1);
  rounds_export_options_clear (&options);
}

/* An export is a file like any other the person writes: their umask decides who reads it. */
static void
test_permissions (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "pairs.jsonl", NULL);
  g_autoptr(GError) error = NULL;
  RoundsExportOptions options;
  GStatBuf st;
  mode_t mask = umask (022);

  options_for (&options, ROUNDS_EXPORT_TRL);
  g_assert_true (rounds_export_write (fixture->store, &options, path, NULL, NULL, NULL, NULL,
                                      NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0644);
  umask (mask);
  rounds_export_options_clear (&options);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (RoundsExportFormat format = 0; format < ROUNDS_EXPORT_N_FORMATS; format++)
    {
      g_autofree char *golden = g_strdup_printf ("/rounds/export/golden/%s",
                                                 rounds_export_format_to_string (format));
      g_autofree char *layout = g_strdup_printf ("/rounds/export/layout/%s",
                                                 rounds_export_format_to_string (format));

      g_test_add (golden, Fixture, GUINT_TO_POINTER (format), golden_set_up, test_golden,
                  rounds_test_store_tear_down);
      if (format != ROUNDS_EXPORT_FULL)
        g_test_add (layout, Fixture, GUINT_TO_POINTER (format), golden_set_up, test_layout,
                    rounds_test_store_tear_down);
    }
  for (guint i = 0; i < G_N_ELEMENTS (filter_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/rounds/export/filter/%s", filter_cases[i].name);

      g_test_add (path, Fixture, &filter_cases[i], golden_set_up, test_filter,
                  rounds_test_store_tear_down);
    }
  g_test_add ("/rounds/export/ranking-pairs", Fixture, NULL, golden_set_up, test_ranking_pairs,
              rounds_test_store_tear_down);
  g_test_add ("/rounds/export/single-annotator", Fixture, NULL, golden_set_up,
              test_single_annotator, rounds_test_store_tear_down);
  g_test_add ("/rounds/export/verdict-wins", Fixture, NULL, golden_set_up, test_verdict_wins,
              rounds_test_store_tear_down);
  g_test_add ("/rounds/export/reference/hidden", Fixture, NULL, golden_set_up,
              test_reference_hidden, rounds_test_store_tear_down);
  g_test_add ("/rounds/export/reference/asked", Fixture, NULL, golden_set_up, test_reference_asked,
              rounds_test_store_tear_down);
  g_test_add ("/rounds/export/pseudonyms", Fixture, NULL, golden_set_up, test_pseudonyms,
              rounds_test_store_tear_down);
  g_test_add ("/rounds/export/split", Fixture, NULL, split_set_up, test_split,
              rounds_test_store_tear_down);
  g_test_add ("/rounds/export/round-trip", Fixture, NULL, golden_set_up, test_round_trip,
              rounds_test_store_tear_down);
  g_test_add ("/rounds/export/bad-options", Fixture, NULL, golden_set_up, test_bad_options,
              rounds_test_store_tear_down);
  g_test_add ("/rounds/export/no-partial-file", Fixture, NULL, golden_set_up, test_no_partial_file,
              rounds_test_store_tear_down);
  g_test_add ("/rounds/export/permissions", Fixture, NULL, golden_set_up, test_permissions,
              rounds_test_store_tear_down);
  g_test_add ("/rounds/export/audit", Fixture, NULL, golden_set_up, test_audit,
              rounds_test_store_tear_down);

  return g_test_run ();
}
