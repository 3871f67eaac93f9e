/* rounds-export.c: rated pairs out of the local store, for training and for the archive
 *
 * One pass over a dataset: four statements walk the items, their responses, the current
 * submitted judgements and the current verdict in the same order (position, id) and are
 * merged item by item, so a million judgements cost a million row steps and no JSON
 * parser. Records are written by hand into a buffer (rounds-json-writer): the same input
 * gives the same bytes.
 *
 * How an item is labelled and filtered is in rounds-export-label.c, the records of each
 * format in rounds-export-formats.c, the full archive in rounds-export-archive.c. This is
 * the driver: everything goes to a temporary file beside the target and is renamed into
 * place at the end, so a refused option, an error or a cancel leaves no partial file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-export"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "rounds-count.h"
#include "rounds-error.h"
#include "rounds-export-private.h"
#include "rounds-json-writer-private.h"
#include "rounds-sql-private.h"
#include "rounds-worker-private.h"

#define FLUSH_AT       (1 << 20)
#define PSEUDONYM_KEY  "export.pseudonym-key"

/* Summary ----------------------------------------------------------------------------- */

const char *
rounds_export_skip_to_string (RoundsExportSkip skip)
{
  static const char * const names[ROUNDS_EXPORT_N_SKIPS] = {
    [ROUNDS_EXPORT_SKIP_UNLABELLED] = "unlabelled",
    [ROUNDS_EXPORT_SKIP_NOT_ADJUDICATED] = "not-adjudicated",
    [ROUNDS_EXPORT_SKIP_FEW_ANNOTATORS] = "few-annotators",
    [ROUNDS_EXPORT_SKIP_LOW_AGREEMENT] = "low-agreement",
    [ROUNDS_EXPORT_SKIP_UNACCEPTABLE] = "unacceptable",
    [ROUNDS_EXPORT_SKIP_NO_MAJORITY] = "no-majority",
    [ROUNDS_EXPORT_SKIP_TIE] = "tie",
    [ROUNDS_EXPORT_SKIP_LOW_MARGIN] = "low-margin",
    [ROUNDS_EXPORT_SKIP_FLAGGED] = "flagged",
    [ROUNDS_EXPORT_SKIP_UNSCORED] = "unscored",
  };

  g_return_val_if_fail (skip < ROUNDS_EXPORT_N_SKIPS, NULL);
  return names[skip];
}

/* Whether a reason counts items (the first ones) or the records they would have given. */
gboolean
rounds_export_skip_counts_items (RoundsExportSkip skip)
{
  return skip <= ROUNDS_EXPORT_SKIP_UNACCEPTABLE;
}

/**
 * rounds_export_skip_get_label:
 *
 * Why records were left out, in words that read after a number: "3 tied".
 */
const char *
rounds_export_skip_get_label (RoundsExportSkip skip)
{
  switch (skip)
    {
    case ROUNDS_EXPORT_SKIP_UNLABELLED: return _("not judged yet");
    case ROUNDS_EXPORT_SKIP_NOT_ADJUDICATED: return _("without a verdict");
    case ROUNDS_EXPORT_SKIP_FEW_ANNOTATORS: return _("with too few annotators");
    case ROUNDS_EXPORT_SKIP_LOW_AGREEMENT: return _("with too little agreement");
    case ROUNDS_EXPORT_SKIP_UNACCEPTABLE: return _("with every response unacceptable");
    case ROUNDS_EXPORT_SKIP_NO_MAJORITY: return _("without a majority");
    case ROUNDS_EXPORT_SKIP_TIE: return _("tied");
    case ROUNDS_EXPORT_SKIP_LOW_MARGIN: return _("with too small a margin");
    case ROUNDS_EXPORT_SKIP_FLAGGED: return _("flagged");
    case ROUNDS_EXPORT_SKIP_UNSCORED: return _("without rubric scores");
    default: g_assert_not_reached ();
    }
}

/**
 * rounds_export_summary_to_string:
 *
 * What was written, what was left out and why, and where the labels came from: a few
 * lines for a person, for stderr or the export dialog.
 */
char *
rounds_export_summary_to_string (const RoundsExportSummary *summary,
                                 const RoundsExportOptions *options)
{
  GString *str = g_string_new (NULL);
  g_autofree char *written = NULL, *n_items = NULL;
  guint64 items = 0, records = 0, by_consensus;

  g_return_val_if_fail (summary != NULL && options != NULL, NULL);

  written = rounds_format_count (summary->n_written);
  n_items = rounds_format_count (summary->n_items);
  g_string_append_printf (str, g_dngettext (GETTEXT_PACKAGE, "%s record written",
                                            "%s records written", summary->n_written),
                          written);
  g_string_append_printf (str, g_dngettext (GETTEXT_PACKAGE, " from %s item", " from %s items",
                                            summary->n_items),
                          n_items);
  if (options->format == ROUNDS_EXPORT_FULL)
    return g_string_free (str, FALSE);
  if (options->test_fraction > 0.0)
    {
      g_autofree char *train = rounds_format_count (summary->n_written - summary->n_test);
      g_autofree char *test = rounds_format_count (summary->n_test);

      g_string_append_printf (str, _(" (%s for training, %s for testing)"), train, test);
    }
  g_string_append_c (str, '\n');

  {
    g_autofree char *verdict = rounds_format_count (summary->n_labelled[ROUNDS_LABEL_VERDICT]);
    g_autofree char *consensus = NULL;

    by_consensus = summary->n_labelled[ROUNDS_LABEL_CONSENSUS] - summary->n_single_annotator;
    consensus = rounds_format_count (by_consensus);
    g_string_append_printf (str, g_dngettext (GETTEXT_PACKAGE, "Labels: %s item by verdict",
                                              "Labels: %s items by verdict",
                                              summary->n_labelled[ROUNDS_LABEL_VERDICT]),
                            verdict);
    /* TRANSLATORS: items labelled by the consensus of their annotators, under the rule */
    g_string_append_printf (str, _(", %s by consensus (%s)"), consensus,
                            options->rule == ROUNDS_CONSENSUS_MEAN ? _("mean preference")
                                                                   : _("majority direction"));
  }
  if (summary->n_single_annotator > 0)
    {
      g_autofree char *single = rounds_format_count (summary->n_single_annotator);

      /* TRANSLATORS: items that one annotator alone judged (asked for with
       * --min-annotators 1): their label is that person's, not a consensus */
      g_string_append_printf (str, _(", %s by one annotator alone"), single);
    }
  if (options->include_reference)
    {
      g_autofree char *reference =
        rounds_format_count (summary->n_labelled[ROUNDS_LABEL_REFERENCE]);

      g_string_append_printf (str, _(", %s by reference label"), reference);
    }

  for (guint s = 0; s < ROUNDS_EXPORT_N_SKIPS; s++)
    {
      if (rounds_export_skip_counts_items (s))
        items += summary->n_skipped[s];
      else
        records += summary->n_skipped[s];
    }
  for (guint pass = 0; pass < 2; pass++)
    {
      g_autoptr(GString) list = NULL;

      if ((pass == 0 ? items : records) == 0)
        continue;
      list = g_string_new (NULL);
      for (guint s = 0; s < ROUNDS_EXPORT_N_SKIPS; s++)
        {
          g_autofree char *n = NULL;

          if (rounds_export_skip_counts_items (s) != (pass == 0) || summary->n_skipped[s] == 0)
            continue;
          n = rounds_format_count (summary->n_skipped[s]);
          g_string_append_printf (list, "%s%s %s", list->len > 0 ? ", " : "", n,
                                  rounds_export_skip_get_label (s));
        }
      g_string_append_c (str, '\n');
      /* TRANSLATORS: %s lists how many were left out and why, e.g. "3 with too few
       * judgements, 1 disputed" */
      g_string_append_printf (str, pass == 0 ? _("Items left out: %s") :
                                   options->format == ROUNDS_EXPORT_KTO
                                     ? _("Responses left out: %s") : _("Pairs left out: %s"),
                              list->str);
    }
  if (items == 0 && records == 0)
    g_string_append_printf (str, "\n%s", _("Nothing left out"));
  return g_string_free (str, FALSE);
}

/* The rows of one item ---------------------------------------------------------------- */

static void
vote_clear (Vote *vote)
{
  g_free (vote->name);
  g_free (vote->scores_json);
  memset (vote, 0, sizeof *vote);
}

static void
vote_free (gpointer data)
{
  vote_clear (data);
  g_free (data);
}

static void
vote_check_ranks (Vote  *vote,
                  guint  n)
{
  vote->has_ranks = n > 0 && vote->n_ranks == n;
  for (guint r = 0; vote->has_ranks && r < n; r++)
    vote->has_ranks = vote->ranks[r] > 0;
}

static void
item_reset (Item *item)
{
  g_clear_pointer (&item->key, g_free);
  g_clear_pointer (&item->scenario, g_free);
  g_clear_pointer (&item->reference_json, g_free);
  for (guint r = 0; r < item->n; r++)
    {
      g_clear_pointer (&item->responses[r].key, g_free);
      g_clear_pointer (&item->responses[r].text, g_free);
      g_clear_pointer (&item->responses[r].model, g_free);
    }
  item->n = 0;
  for (guint v = 0; v < item->votes->len; v++)
    vote_clear (&g_array_index (item->votes, Vote, v));
  g_array_set_size (item->votes, 0);
  for (guint v = 0; v < item->guardian->len; v++)
    vote_clear (&g_array_index (item->guardian, Vote, v));
  g_array_set_size (item->guardian, 0);
  if (item->has_verdict)
    vote_clear (&item->verdict);
  item->has_verdict = FALSE;
}

static int
compare_votes (gconstpointer a,
               gconstpointer b)
{
  return strcmp (((const Vote *) a)->name, ((const Vote *) b)->name);
}

/* The exporter ------------------------------------------------------------------------ */

/**
 * rounds_export_pseudonym:
 * @key: the pseudonym key (rounds_store_get_pseudonym_key())
 *
 * The name exports give @user_name: "p-" and 12 hex digits of an HMAC of the user name with
 * @key. A name that already is a pseudonym stays itself, so an archive made with pseudonyms
 * and imported elsewhere exports with the same names again.
 */
char *
rounds_export_pseudonym (const char *key,
                         const char *user_name)
{
  g_autofree char *hmac = NULL;
  gsize len;

  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (user_name != NULL, NULL);

  len = strlen (user_name);
  if (len == 14 && g_str_has_prefix (user_name, "p-") &&
      strspn (user_name + 2, "0123456789abcdef") == 12)
    return g_strdup (user_name);
  hmac = g_compute_hmac_for_string (G_CHECKSUM_SHA256, (const guchar *) key, strlen (key),
                                    user_name, -1);
  return g_strdup_printf ("p-%.12s", hmac);
}

/* The name an annotator or reviewer is written out as: a pseudonym unless asked. */
const char *
_rounds_export_written_name (Exporter   *e,
                             const char *user_name)
{
  const char *name;
  char *pseudonym;

  /* A machine is no person to hide, and a reader must see which model judged. */
  if (e->options->real_names || rounds_annotator_is_machine (user_name))
    return user_name;
  if ((name = g_hash_table_lookup (e->pseudonyms, user_name)))
    return name;
  pseudonym = rounds_export_pseudonym (e->key, user_name);
  g_hash_table_insert (e->pseudonyms, g_strdup (user_name), pseudonym);
  return pseudonym;
}

/**
 * rounds_store_get_pseudonym_key:
 *
 * The database's own pseudonym key, made (and stored) on its first use: the same annotator
 * has the same pseudonym in every export and report of this database, and nobody can tell
 * who it is by hashing the team's user names.
 */
char *
rounds_store_get_pseudonym_key (RoundsStore  *store,
                                GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  char *key;
  guint32 words[4];

  g_return_val_if_fail (ROUNDS_IS_STORE (store), NULL);

  if ((key = _rounds_store_get_meta (store, PSEUDONYM_KEY, &local_error)))
    return key;
  if (local_error != NULL)
    return g_propagate_error (error, g_steal_pointer (&local_error)), NULL;
  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    words[i] = g_random_int ();
  key = g_strdup_printf ("%08x%08x%08x%08x", words[0], words[1], words[2], words[3]);
  if (!_rounds_store_set_meta (store, PSEUDONYM_KEY, key, error))
    g_clear_pointer (&key, g_free);
  return key;
}

static gboolean
load_key (Exporter  *e,
          GError   **error)
{
  if (e->options->real_names)
    return TRUE;
  if (e->options->pseudonym_key != NULL)
    e->key = g_strdup (e->options->pseudonym_key);
  else
    e->key = rounds_store_get_pseudonym_key (e->store, error);
  return e->key != NULL;
}

/* Output files ------------------------------------------------------------------------ */

static gboolean
io_error (GError     **error,
          const char  *path,
          int          errsv)
{
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
               _("Cannot write “%s”: %s"), path, g_strerror (errsv));
  return FALSE;
}

static gboolean
open_output (Exporter    *e,
             guint        index,
             const char  *path,
             GError     **error)
{
  int fd;

  e->buffers[index] = g_string_sized_new (FLUSH_AT + 65536);
  if (g_str_equal (path, "-"))
    {
      e->files[index] = stdout;
      return TRUE;
    }
  e->temp_paths[index] = g_strdup_printf ("%s.XXXXXX", path);
  /* Like any file the person writes: 0666 less their umask (g_mkstemp would give 0600). */
  if ((fd = g_mkstemp_full (e->temp_paths[index], O_RDWR, 0666)) < 0)
    {
      int errsv = errno;

      g_clear_pointer (&e->temp_paths[index], g_free);
      return io_error (error, path, errsv);
    }
  e->files[index] = fdopen (fd, "w");
  return TRUE;
}

static gboolean
flush_output (Exporter  *e,
              guint      index,
              GError   **error)
{
  GString *buffer = e->buffers[index];

  if (buffer->len > 0 &&
      fwrite (buffer->str, 1, buffer->len, e->files[index]) != buffer->len)
    return io_error (error, e->temp_paths[index] ? e->temp_paths[index] : "-", errno);
  g_string_truncate (buffer, 0);
  return TRUE;
}

static void
discard_outputs (Exporter *e)
{
  for (guint i = 0; i < 2; i++)
    {
      if (e->files[i] != NULL && e->files[i] != stdout)
        fclose (e->files[i]);
      e->files[i] = NULL;
      if (e->temp_paths[i] != NULL)
        g_unlink (e->temp_paths[i]);
      g_clear_pointer (&e->temp_paths[i], g_free);
      if (e->buffers[i] != NULL)
        g_string_free (e->buffers[i], TRUE);
      e->buffers[i] = NULL;
    }
}

/* Both files are complete before either takes its name. */
static gboolean
finish_outputs (Exporter    *e,
                const char  *paths[2],
                GError     **error)
{
  for (guint i = 0; i < 2; i++)
    {
      FILE *file = e->files[i];

      if (file == NULL)
        continue;
      if (!flush_output (e, i, error))
        return FALSE;
      if (file == stdout)
        {
          if (fflush (stdout) != 0)
            return io_error (error, "-", errno);
          continue;
        }
      if (fflush (file) != 0 || fsync (fileno (file)) != 0)
        return io_error (error, paths[i], errno);
      e->files[i] = NULL;
      if (fclose (file) != 0)
        return io_error (error, paths[i], errno);
    }
  for (guint i = 0; i < 2; i++)
    {
      if (e->temp_paths[i] == NULL)
        continue;
      if (g_rename (e->temp_paths[i], paths[i]) != 0)
        return io_error (error, paths[i], errno);
      g_clear_pointer (&e->temp_paths[i], g_free);
    }
  return TRUE;
}

/* Counts the record just built in e->record, the buffer of its file, and writes the
 * buffer out when it is full. */
gboolean
_rounds_export_emit (Exporter  *e,
                     gboolean   test,
                     GError   **error)
{
  guint index = test && e->files[1] != NULL ? 1 : 0;

  e->summary->n_written++;
  if (test)
    e->summary->n_test++;
  if (e->counting || e->buffers[index]->len < FLUSH_AT)
    return TRUE;
  return flush_output (e, index, error);
}

gboolean
_rounds_export_skip (Exporter         *e,
                     RoundsExportSkip  reason,
                     guint64           count)
{
  e->summary->n_skipped[reason] += count;
  return TRUE;
}

/* Whether @item goes to the test file. */
gboolean
_rounds_export_is_test (Exporter *e,
                        Item     *item)
{
  guint64 hash = 1469598103934665603ull ^ e->options->seed;

  if (e->options->test_fraction <= 0.0)
    return FALSE;
  /* FNV-1a over the scenario text, then a splitmix64 finish: the same prompt lands on the
   * same side wherever it occurs, and the same seed gives the same split. */
  for (const unsigned char *p = (const unsigned char *) item->scenario; *p; p++)
    hash = (hash ^ *p) * 1099511628211ull;
  hash ^= e->options->seed * 0x9e3779b97f4a7c15ull;
  hash = (hash ^ (hash >> 30)) * 0xbf58476d1ce4e5b9ull;
  hash = (hash ^ (hash >> 27)) * 0x94d049bb133111ebull;
  hash ^= hash >> 31;
  return (double) (hash >> 11) / (double) (1ull << 53) < e->options->test_fraction;
}

/* Prepares a statement of the dataset being written: its id is bound to ?1. */
gboolean
_rounds_export_prepare (Exporter      *e,
                        const char    *sql,
                        sqlite3_stmt **stmt,
                        GError       **error)
{
  if (sqlite3_prepare_v2 (_rounds_store_get_db (e->store), sql, -1, stmt, NULL) != SQLITE_OK)
    return _rounds_store_set_sqlite_error (e->store, error);
  sqlite3_bind_int64 (*stmt, 1, rounds_dataset_get_id (e->dataset));
  return TRUE;
}

/* Counts an item done and, every @every items (a power of two), looks for a cancel and
 * reports progress. */
gboolean
_rounds_export_item_done (Exporter  *e,
                          guint      every,
                          GError   **error)
{
  if ((++e->n_items_done & (every - 1)) != 0)
    return TRUE;
  if (g_cancellable_set_error_if_cancelled (e->cancellable, error))
    return FALSE;
  if (e->progress != NULL && e->n_total_items > 0)
    e->progress ((double) e->n_items_done / e->n_total_items, e->progress_data);
  return TRUE;
}

/* Reading ----------------------------------------------------------------------------- */

/* The columns of a judgements or verdicts statement, looked up once per statement. */
typedef struct
{
  int item_id, user_name, preference, ranking_json, unacceptable, scores_json, flags_json,
      shown_order;
} VoteColumns;

typedef struct
{
  sqlite3_stmt *items;
  sqlite3_stmt *responses;
  sqlite3_stmt *votes;
  sqlite3_stmt *verdicts;
  int           rc_responses;
  int           rc_votes;

  int           item_id, item_key, item_scenario, item_reference;
  int           response_item_id, response_key, response_text, response_model;
  VoteColumns   vote_columns;
  VoteColumns   verdict_columns;
  int           machine;
} Cursors;

static void
cursors_finalize (Cursors *c)
{
  sqlite3_finalize (c->items);
  sqlite3_finalize (c->responses);
  sqlite3_finalize (c->votes);
  sqlite3_finalize (c->verdicts);
}

static void
vote_columns_init (VoteColumns  *columns,
                   sqlite3_stmt *stmt)
{
  columns->item_id = _rounds_sql_column (stmt, "item_id");
  columns->user_name = _rounds_sql_column (stmt, "user_name");
  columns->preference = _rounds_sql_column (stmt, "preference");
  columns->ranking_json = _rounds_sql_column (stmt, "ranking_json");
  columns->unacceptable = _rounds_sql_column (stmt, "unacceptable");
  columns->scores_json = _rounds_sql_column (stmt, "scores_json");
  columns->flags_json = _rounds_sql_column (stmt, "flags_json");
  columns->shown_order = _rounds_sql_column (stmt, "shown_order");
}

/* The four statements of one dataset, walked side by side in the same order. */
static gboolean
cursors_prepare (Exporter  *e,
                 Cursors   *c,
                 GError   **error)
{
  if (!_rounds_export_prepare (e, "SELECT id, key, scenario, reference_json FROM items"
                                  " WHERE dataset_id = ?1 ORDER BY position, id",
                               &c->items, error) ||
      !_rounds_export_prepare (e, "SELECT r.item_id, r.idx, r.key, r.text, r.model"
                                  " FROM responses r JOIN items i ON i.id = r.item_id"
                                  " WHERE i.dataset_id = ?1 ORDER BY i.position, i.id, r.idx",
                               &c->responses, error) ||
      !_rounds_export_prepare (e, "SELECT a.item_id, an.user_name, a.preference, a.ranking_json,"
                                  " a.unacceptable, a.scores_json, a.flags_json, a.shown_order,"
                                  " an.kind = 'machine' AS machine"
                                  " FROM items i JOIN annotations a ON a.item_id = i.id"
                                  " AND a.is_current = 1 AND a.status = 'submitted'"
                                  " JOIN annotators an ON an.id = a.annotator_id"
                                  " WHERE i.dataset_id = ?1 ORDER BY i.position, i.id",
                               &c->votes, error) ||
      !_rounds_export_prepare (e, "SELECT j.item_id, an.user_name, j.preference, j.ranking_json,"
                                  " j.unacceptable, j.scores_json, NULL AS flags_json,"
                                  " NULL AS shown_order FROM adjudications j"
                                  " JOIN items i ON i.id = j.item_id"
                                  " JOIN annotators an ON an.id = j.reviewer_id"
                                  " WHERE j.is_current = 1 AND i.dataset_id = ?1",
                               &c->verdicts, error))
    return FALSE;

  c->item_id = _rounds_sql_column (c->items, "id");
  c->item_key = _rounds_sql_column (c->items, "key");
  c->item_scenario = _rounds_sql_column (c->items, "scenario");
  c->item_reference = _rounds_sql_column (c->items, "reference_json");
  c->response_item_id = _rounds_sql_column (c->responses, "item_id");
  c->response_key = _rounds_sql_column (c->responses, "key");
  c->response_text = _rounds_sql_column (c->responses, "text");
  c->response_model = _rounds_sql_column (c->responses, "model");
  vote_columns_init (&c->vote_columns, c->votes);
  c->machine = _rounds_sql_column (c->votes, "machine");
  vote_columns_init (&c->verdict_columns, c->verdicts);
  return TRUE;
}

/* Fills a vote from a row of the judgements or verdicts statement. */
static void
vote_from_row (Exporter          *e,
               sqlite3_stmt      *stmt,
               const VoteColumns *c,
               guint              n,
               Vote              *vote)
{
  const char *starts[MAX_RESPONSES];
  guint lengths[MAX_RESPONSES];
  const char *flags = _rounds_export_text (stmt, c->flags_json);

  memset (vote, 0, sizeof *vote);
  vote->name = g_strdup (_rounds_export_written_name (e, _rounds_export_text (stmt, c->user_name)));
  vote->has_preference = sqlite3_column_type (stmt, c->preference) != SQLITE_NULL;
  vote->preference = sqlite3_column_int (stmt, c->preference);
  if (sqlite3_column_type (stmt, c->ranking_json) != SQLITE_NULL)
    vote->n_ranks = _rounds_json_parse_ints (_rounds_export_text (stmt, c->ranking_json),
                                             vote->ranks, MAX_RESPONSES);
  vote_check_ranks (vote, n);
  vote->unacceptable = sqlite3_column_int (stmt, c->unacceptable) != 0;
  vote->scores_json = _rounds_store_column_dup (stmt, c->scores_json);
  if (flags != NULL)
    {
      guint n_split = _rounds_json_split_array (flags, starts, lengths, MAX_RESPONSES);

      for (guint r = 0; r < n_split; r++)
        for (guint f = 0; f < ROUNDS_N_FLAGS; f++)
          {
            g_autofree char *quoted = g_strdup_printf ("\"%s\"",
                                                       rounds_flag_to_string (1u << f));

            if (g_strstr_len (starts[r], lengths[r], quoted))
              vote->flags[r] |= 1u << f;
          }
    }
  if (sqlite3_column_type (stmt, c->shown_order) != SQLITE_NULL)
    {
      int shown[MAX_RESPONSES];

      vote->n_shown = _rounds_json_parse_ints (_rounds_export_text (stmt, c->shown_order), shown,
                                               MAX_RESPONSES);
      for (guint s = 0; s < vote->n_shown; s++)
        vote->shown[s] = (guint) shown[s];
    }
}

static gboolean
export_dataset (Exporter  *e,
                GError   **error)
{
  g_autoptr(GHashTable) verdicts = NULL;
  Cursors c = { NULL };
  Item item = { 0 };
  gboolean ok = FALSE;
  int rc;

  item.votes = g_array_new (FALSE, TRUE, sizeof (Vote));
  item.guardian = g_array_new (FALSE, TRUE, sizeof (Vote));

  if (!cursors_prepare (e, &c, error))
    goto out;

  /* Verdicts are few (disputed items): read them first, by item, rather than probe for
   * one at every item. Their responses count is known once the item is read. */
  verdicts = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, vote_free);
  while ((rc = sqlite3_step (c.verdicts)) == SQLITE_ROW)
    {
      gint64 *id = g_new (gint64, 1);
      Vote *vote = g_new0 (Vote, 1);

      *id = sqlite3_column_int64 (c.verdicts, c.verdict_columns.item_id);
      vote_from_row (e, c.verdicts, &c.verdict_columns, 0, vote);
      g_hash_table_insert (verdicts, id, vote);
    }
  if (rc != SQLITE_DONE)
    {
      _rounds_store_set_sqlite_error (e->store, error);
      goto out;
    }

  c.rc_responses = sqlite3_step (c.responses);
  c.rc_votes = sqlite3_step (c.votes);

  while ((rc = sqlite3_step (c.items)) == SQLITE_ROW)
    {
      item.id = sqlite3_column_int64 (c.items, c.item_id);
      item.key = _rounds_store_column_dup (c.items, c.item_key);
      item.scenario = _rounds_store_column_dup (c.items, c.item_scenario);
      item.reference_json = _rounds_store_column_dup (c.items, c.item_reference);

      for (; c.rc_responses == SQLITE_ROW &&
             sqlite3_column_int64 (c.responses, c.response_item_id) == item.id;
           c.rc_responses = sqlite3_step (c.responses))
        if (item.n < MAX_RESPONSES)
          {
            Response *r = &item.responses[item.n++];

            r->key = _rounds_store_column_dup (c.responses, c.response_key);
            r->text = _rounds_store_column_dup (c.responses, c.response_text);
            r->model = _rounds_store_column_dup (c.responses, c.response_model);
          }
      for (; c.rc_votes == SQLITE_ROW &&
             sqlite3_column_int64 (c.votes, c.vote_columns.item_id) == item.id;
           c.rc_votes = sqlite3_step (c.votes))
        {
          /* The guardian never makes a label: its votes go apart, or nowhere. */
          GArray *votes = !sqlite3_column_int (c.votes, c.machine) ? item.votes :
                          e->options->include_guardian ? item.guardian : NULL;

          if (votes == NULL)
            continue;
          g_array_set_size (votes, votes->len + 1);
          vote_from_row (e, c.votes, &c.vote_columns, item.n,
                         &g_array_index (votes, Vote, votes->len - 1));
        }
      if (g_hash_table_size (verdicts) > 0)
        {
          gpointer key, vote;

          if (g_hash_table_steal_extended (verdicts, &item.id, &key, &vote))
            {
              item.verdict = *(Vote *) vote;
              item.has_verdict = TRUE;
              vote_check_ranks (&item.verdict, item.n);
              g_free (key);
              g_free (vote);
            }
        }
      if (item.votes->len > 1)
        g_array_sort (item.votes, compare_votes);

      if (item.n >= 2 && !_rounds_export_item (e, &item, error))
        goto out;
      item_reset (&item);

      if (!_rounds_export_item_done (e, 256, error))
        goto out;
    }
  if (rc != SQLITE_DONE ||
      (c.rc_responses != SQLITE_DONE && c.rc_responses != SQLITE_ROW) ||
      (c.rc_votes != SQLITE_DONE && c.rc_votes != SQLITE_ROW))
    {
      _rounds_store_set_sqlite_error (e->store, error);
      goto out;
    }
  ok = TRUE;

out:
  item_reset (&item);
  g_array_unref (item.votes);
  g_array_unref (item.guardian);
  cursors_finalize (&c);
  return ok;
}

/* Running ----------------------------------------------------------------------------- */

static int
dataset_rubric_version (Exporter *e)
{
  sqlite3_stmt *stmt = NULL;
  int version = 1;

  if (_rounds_export_prepare (e, "SELECT rubric_version FROM datasets WHERE id = ?1", &stmt,
                              NULL) &&
      sqlite3_step (stmt) == SQLITE_ROW)
    version = _rounds_sql_int (stmt, "rubric_version");
  sqlite3_finalize (stmt);
  return version;
}

/* The CSV column of each criterion of the dataset being written. */
static void
map_criteria (Exporter *e)
{
  RoundsRubric *rubric = rounds_dataset_get_rubric (e->dataset);

  for (guint c = 0;
       c < rounds_rubric_get_n_criteria (rubric) && c < G_N_ELEMENTS (e->criterion_map);
       c++)
    {
      guint column = 0;

      g_ptr_array_find_with_equal_func (e->criteria, rounds_rubric_get_criterion (rubric, c)->id,
                                        g_str_equal, &column);
      e->criterion_map[c] = (int) column;
    }
}

/* The file is written: failing to log it is worth a warning, not undoing it. */
static void
log_export (RoundsStore               *store,
            const RoundsExportOptions *options,
            const char                *path,
            GPtrArray                 *datasets,
            const RoundsExportSummary *summary)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *target = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, rounds_export_format_to_string (options->format));
  json_builder_set_member_name (builder, "records");
  json_builder_add_int_value (builder, summary->n_written);
  json_builder_set_member_name (builder, "test_records");
  json_builder_add_int_value (builder, summary->n_test);
  json_builder_set_member_name (builder, "datasets");
  json_builder_begin_array (builder);
  for (guint d = 0; d < datasets->len; d++)
    json_builder_add_string_value (builder,
                                   rounds_dataset_get_name (g_ptr_array_index (datasets, d)));
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  detail = json_to_string (root, FALSE);
  target = g_str_equal (path, "-") ? g_strdup ("-") : g_path_get_basename (path);
  if (!rounds_store_audit (store, options->actor, "export.write", target, detail, &error))
    g_warning ("Could not log the export: %s", error->message);
}

/* @e comes with the store, the options, the summary, the progress function and the
 * cancellable filled in; a %NULL @path counts without writing. */
static gboolean
run (Exporter    *e,
     const char  *path,
     const char  *test_path,
     GError     **error)
{
  g_autoptr(GPtrArray) datasets = NULL;
  g_autoptr(GPtrArray) criteria = g_ptr_array_new ();
  RoundsStore *store = e->store;
  const RoundsExportOptions *options = e->options;
  RoundsExportSummary local_summary;
  const char *paths[2] = { path, test_path };
  gboolean ok = FALSE;

  if (e->summary == NULL)
    e->summary = &local_summary;
  memset (e->summary, 0, sizeof *e->summary);

  if (!rounds_export_options_check (options, error))
    return FALSE;
  if (path != NULL && options->test_fraction > 0.0 && test_path == NULL)
    return _rounds_export_option_error (error, _("--split needs a file for the test part"));
  if (path != NULL && test_path != NULL && g_str_equal (path, "-"))
    return _rounds_export_option_error (error, _("--split writes two files: give -o FILE, "
                                                 "not standard output"));
  datasets = rounds_store_get_datasets (store, (const char * const *) options->datasets, error);
  if (datasets == NULL)
    return FALSE;

  e->counting = path == NULL;
  e->pseudonyms = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  e->criteria = criteria;

  for (guint d = 0; d < datasets->len; d++)
    {
      RoundsDataset *dataset = g_ptr_array_index (datasets, d);
      RoundsRubric *rubric = rounds_dataset_get_rubric (dataset);
      guint n_items;

      if (!rounds_store_count_items (store, rounds_dataset_get_id (dataset), &n_items, error))
        goto out;
      e->n_total_items += n_items;
      for (guint c = 0; c < rounds_rubric_get_n_criteria (rubric); c++)
        {
          const char *id = rounds_rubric_get_criterion (rubric, c)->id;

          if (!g_ptr_array_find_with_equal_func (criteria, id, g_str_equal, NULL))
            g_ptr_array_add (criteria, (gpointer) id);
        }
    }

  if (!load_key (e, error))
    goto out;
  if (!e->counting)
    {
      if (!open_output (e, 0, path, error) ||
          (options->test_fraction > 0.0 && !open_output (e, 1, test_path, error)))
        goto out;
      if (options->format == ROUNDS_EXPORT_CSV)
        for (guint i = 0; i < 2; i++)
          if (e->files[i] != NULL)
            _rounds_export_append_csv_header (e, e->buffers[i]);
      e->record = e->buffers[0];
    }

  /* One read transaction: the export is one consistent picture even while the app saves. */
  if (!_rounds_store_exec (store, "BEGIN", error))
    goto out;
  if (options->format == ROUNDS_EXPORT_FULL && !_rounds_export_archive_header (e, error))
    {
      _rounds_store_exec (store, "ROLLBACK", NULL);
      goto out;
    }
  for (guint d = 0; d < datasets->len; d++)
    {
      e->dataset = g_ptr_array_index (datasets, d);
      e->rubric_version = dataset_rubric_version (e);
      map_criteria (e);
      if (!(options->format == ROUNDS_EXPORT_FULL ? _rounds_export_archive_dataset (e, error)
                                                  : export_dataset (e, error)))
        {
          _rounds_store_exec (store, "ROLLBACK", NULL);
          goto out;
        }
    }
  if (options->format == ROUNDS_EXPORT_FULL &&
      !_rounds_export_archive_audit (e, datasets, error))
    {
      _rounds_store_exec (store, "ROLLBACK", NULL);
      goto out;
    }
  _rounds_store_exec (store, "COMMIT", NULL);

  if (g_cancellable_set_error_if_cancelled (e->cancellable, error))
    goto out;
  if (!e->counting)
    {
      if (!finish_outputs (e, paths, error))
        goto out;
      log_export (store, options, path, datasets, e->summary);
    }
  if (e->progress != NULL)
    e->progress (1.0, e->progress_data);
  ok = TRUE;

out:
  discard_outputs (e);
  g_hash_table_unref (e->pseudonyms);
  g_free (e->key);
  return ok;
}

/**
 * rounds_export_count:
 *
 * Everything an export would do but write: the summary for a preview.
 */
gboolean
rounds_export_count (RoundsStore                *store,
                     const RoundsExportOptions  *options,
                     RoundsExportSummary        *summary,
                     GCancellable               *cancellable,
                     GError                    **error)
{
  Exporter e = { .store = store, .options = options, .summary = summary,
                 .cancellable = cancellable };

  g_return_val_if_fail (ROUNDS_IS_STORE (store), FALSE);
  g_return_val_if_fail (options != NULL, FALSE);

  return run (&e, NULL, NULL, error);
}

/**
 * rounds_export_write:
 * @path: the file to write, or "-" for standard output
 * @test_path: (nullable): the test file when @options asks for a split; @path then gets
 *   the training part
 *
 * Writes the export to temporary files beside the targets and renames them into place
 * once both are complete; on an error or a cancel nothing is left behind. A successful
 * export is noted in the audit log.
 */
gboolean
rounds_export_write (RoundsStore                *store,
                     const RoundsExportOptions  *options,
                     const char                 *path,
                     const char                 *test_path,
                     RoundsExportSummary        *summary,
                     RoundsExportProgressFunc    progress,
                     gpointer                    progress_data,
                     GCancellable               *cancellable,
                     GError                    **error)
{
  Exporter e = { .store = store, .options = options, .summary = summary,
                 .cancellable = cancellable, .progress = progress,
                 .progress_data = progress_data };

  g_return_val_if_fail (ROUNDS_IS_STORE (store), FALSE);
  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  return run (&e, path, test_path, error);
}

/**
 * rounds_export_split_path:
 * @part: "train" or "test"
 *
 * "pairs.jsonl" becomes "pairs.train.jsonl": the part goes before the extension.
 */
char *
rounds_export_split_path (const char *path,
                          const char *part)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  const char *dot = strrchr (base, '.');
  g_autofree char *name = NULL;

  if (dot != NULL && dot != base)
    name = g_strdup_printf ("%.*s.%s%s", (int) (dot - base), base, part, dot);
  else
    name = g_strdup_printf ("%s.%s", base, part);
  return g_build_filename (dir, name, NULL);
}

/* Off the main thread ----------------------------------------------------------------- */

typedef struct
{
  RoundsExportOptions       options;
  char                     *path;         /* NULL: count */
  char                     *test_path;
  RoundsExportSummary       summary;
  RoundsExportProgressFunc  progress;
  gpointer                  progress_data;
} Job;

typedef struct
{
  double fraction;
} Report;

static void
job_free (gpointer data)
{
  Job *job = data;

  rounds_export_options_clear (&job->options);
  g_free (job->path);
  g_free (job->test_path);
  g_free (job);
}

static void
job_progress (gpointer      source_object,
              gconstpointer report,
              gpointer      user_data)
{
  Job *job = user_data;

  job->progress (((const Report *) report)->fraction, job->progress_data);
}

static void
thread_progress (double   fraction,
                 gpointer data)
{
  Report report = { fraction };

  _rounds_worker_report (data, &report);
}

static gboolean
job_run (GTask         *task,
         RoundsStore   *store,
         gpointer       data,
         GCancellable  *cancellable,
         GError       **error)
{
  Job *job = data;

  if (job->path == NULL)
    return rounds_export_count (store, &job->options, &job->summary, cancellable, error);
  return rounds_export_write (store, &job->options, job->path, job->test_path, &job->summary,
                              thread_progress, task, cancellable, error);
}

static Job *
job_new (const RoundsExportOptions *options,
         const char                *path,
         const char                *test_path)
{
  Job *job = g_new0 (Job, 1);

  rounds_export_options_copy (options, &job->options);
  job->path = g_strdup (path);
  job->test_path = g_strdup (test_path);
  return job;
}

static void
start_job (const char          *db_path,
           Job                 *job,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data,
           gpointer             tag)
{
  GTask *task;

  /* A cancel that comes after the files took their names must not report "nothing
   * written": the result is what the thread did. Reports come very often: one in flight
   * at a time, so a slow main loop is not flooded. */
  task = _rounds_worker_new (NULL, db_path,
                             ROUNDS_WORKER_RESULT_OVER_CANCEL | ROUNDS_WORKER_LATEST_PROGRESS,
                             cancellable, callback, user_data, tag);
  if (job->progress != NULL)
    _rounds_worker_set_progress (task, sizeof (Report), job_progress, job);
  _rounds_worker_run (task, job_run, job, job_free);
}

static gboolean
job_finish (GAsyncResult         *result,
            gpointer              tag,
            RoundsExportSummary  *summary,
            GError              **error)
{
  Job *job = _rounds_worker_finish (result, NULL, tag, error);

  if (job == NULL)
    return FALSE;
  if (summary != NULL)
    *summary = job->summary;
  return TRUE;
}

void
rounds_export_write_async (const char                 *db_path,
                           const RoundsExportOptions  *options,
                           const char                 *path,
                           const char                 *test_path,
                           RoundsExportProgressFunc    progress,
                           gpointer                    progress_data,
                           GCancellable               *cancellable,
                           GAsyncReadyCallback         callback,
                           gpointer                    user_data)
{
  Job *job;

  g_return_if_fail (db_path != NULL);
  g_return_if_fail (options != NULL);
  g_return_if_fail (path != NULL);

  job = job_new (options, path, test_path);
  job->progress = progress;
  job->progress_data = progress_data;
  start_job (db_path, job, cancellable, callback, user_data, rounds_export_write_async);
}

gboolean
rounds_export_write_finish (GAsyncResult         *result,
                            RoundsExportSummary  *summary,
                            GError              **error)
{
  return job_finish (result, rounds_export_write_async, summary, error);
}

void
rounds_export_count_async (const char                 *db_path,
                           const RoundsExportOptions  *options,
                           GCancellable               *cancellable,
                           GAsyncReadyCallback         callback,
                           gpointer                    user_data)
{
  g_return_if_fail (db_path != NULL);
  g_return_if_fail (options != NULL);

  start_job (db_path, job_new (options, NULL, NULL), cancellable, callback, user_data,
             rounds_export_count_async);
}

gboolean
rounds_export_count_finish (GAsyncResult         *result,
                            RoundsExportSummary  *summary,
                            GError              **error)
{
  return job_finish (result, rounds_export_count_async, summary, error);
}
