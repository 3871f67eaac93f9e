/* rounds-export.c: rated pairs out of the local store, for training and for the archive
 *
 * One pass over a dataset: four statements walk the items, their responses, the current
 * submitted judgements and the current verdict in the same order (position, id) and are
 * merged item by item, so a million judgements cost a million row steps and no JSON
 * parser. Records are written by hand into a buffer: the same input gives the same bytes,
 * whatever json-glib's number formatting does next year.
 *
 * The label of an item is its verdict when a reviewer gave one; else the consensus of the
 * submitted judgements under the rule asked for; else, only when asked for, the hidden
 * reference label from import. Everything goes to a temporary file beside the target and
 * is renamed into place at the end, so a refused option, an error or a cancel leaves no
 * partial file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-export"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "rounds-error.h"
#include "rounds-export.h"
#include "rounds-judgement.h"
#include "rounds-store-private.h"

#define MAX_RESPONSES  8     /* as the importer allows */
#define FLUSH_AT       (1 << 20)
#define PSEUDONYM_KEY  "export.pseudonym-key"

/* Options ----------------------------------------------------------------------------- */

static const struct
{
  const char *name;
  const char *label;
  const char *extension;
} formats[ROUNDS_EXPORT_N_FORMATS] = {
  [ROUNDS_EXPORT_TRL]      = { "trl", N_("TRL preference (prompt, chosen, rejected)"), "jsonl" },
  [ROUNDS_EXPORT_TRL_CHAT] = { "trl-chat", N_("TRL preference, conversational"), "jsonl" },
  [ROUNDS_EXPORT_KTO]      = { "kto", N_("TRL KTO (prompt, completion, label)"), "jsonl" },
  [ROUNDS_EXPORT_OPENAI]   = { "openai", N_("OpenAI preference fine-tuning"), "jsonl" },
  [ROUNDS_EXPORT_HH]       = { "hh", N_("Anthropic HH-RLHF"), "jsonl" },
  [ROUNDS_EXPORT_CSV]      = { "csv", N_("CSV, one row per pair, with scores"), "csv" },
  [ROUNDS_EXPORT_FULL]     = { "full", N_("Full archive (Rounds JSONL, re-importable)"), "jsonl" },
};

const char *
rounds_export_format_to_string (RoundsExportFormat format)
{
  g_return_val_if_fail (format < ROUNDS_EXPORT_N_FORMATS, NULL);
  return formats[format].name;
}

gboolean
rounds_export_format_from_string (const char         *name,
                                  RoundsExportFormat *format)
{
  for (guint i = 0; name != NULL && i < ROUNDS_EXPORT_N_FORMATS; i++)
    if (g_str_equal (name, formats[i].name))
      {
        *format = i;
        return TRUE;
      }
  return FALSE;
}

const char *
rounds_export_format_get_label (RoundsExportFormat format)
{
  g_return_val_if_fail (format < ROUNDS_EXPORT_N_FORMATS, NULL);
  return _(formats[format].label);
}

const char *
rounds_export_format_get_extension (RoundsExportFormat format)
{
  g_return_val_if_fail (format < ROUNDS_EXPORT_N_FORMATS, NULL);
  return formats[format].extension;
}

void
rounds_export_options_init (RoundsExportOptions *options)
{
  memset (options, 0, sizeof *options);
  options->format = ROUNDS_EXPORT_TRL;
  options->rule = ROUNDS_CONSENSUS_MEAN;
  options->min_annotators = 1;
  options->kto_rule = ROUNDS_KTO_WINNER;
  options->kto_min_score = 4.0;
}

void
rounds_export_options_clear (RoundsExportOptions *options)
{
  g_clear_pointer (&options->datasets, g_strfreev);
  g_clear_pointer (&options->pseudonym_key, g_free);
  g_clear_pointer (&options->actor, g_free);
}

void
rounds_export_options_copy (const RoundsExportOptions *src,
                            RoundsExportOptions       *dest)
{
  *dest = *src;
  dest->datasets = g_strdupv (src->datasets);
  dest->pseudonym_key = g_strdup (src->pseudonym_key);
  dest->actor = g_strdup (src->actor);
}

static gboolean
option_error (GError     **error,
              const char  *format,
              ...) G_GNUC_PRINTF (2, 3);

static gboolean
option_error (GError     **error,
              const char  *format,
              ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_ARGUMENT, message);
  return FALSE;
}

/**
 * rounds_export_options_check:
 *
 * Refuses options that make no sense together, before anything is read or written.
 */
gboolean
rounds_export_options_check (const RoundsExportOptions  *options,
                             GError                    **error)
{
  g_return_val_if_fail (options != NULL, FALSE);

  if (options->format >= ROUNDS_EXPORT_N_FORMATS)
    return option_error (error, _("Unknown export format"));
  if (options->min_annotators < 1)
    return option_error (error, _("--min-annotators: expected a whole number from 1"));
  if (!(options->min_agreement >= 0.0 && options->min_agreement <= 1.0))
    return option_error (error, _("--min-agreement: expected a share of annotator pairs from 0 to 1, such as 0.8"));
  if (!(options->min_margin >= 0.0 && options->min_margin <= 7.0))
    return option_error (error, _("--min-margin: expected a number from 0 to 7 (the preference scale or the rank gap)"));
  if (!(options->test_fraction >= 0.0 && options->test_fraction < 1.0))
    return option_error (error, _("--split: the test share must be at least 0 and below 1, such as test=0.1"));
  if (options->format == ROUNDS_EXPORT_FULL && options->test_fraction > 0.0)
    return option_error (error, _("--split: the full archive is not split; choose a training format"));
  if (options->kto_rule == ROUNDS_KTO_SCORE && !(options->kto_min_score >= 0.0 && options->kto_min_score <= 100.0))
    return option_error (error, _("--kto-min-score: expected a rubric score, such as 4"));
  if (options->exclude_flags & ~((1u << ROUNDS_N_FLAGS) - 1))
    return option_error (error, _("--exclude-flag: unknown flag"));
  for (guint i = 0; options->datasets != NULL && options->datasets[i] != NULL; i++)
    if (*options->datasets[i] == '\0')
      return option_error (error, _("--dataset: expected a dataset name"));
  return TRUE;
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
  unsigned long long written = summary->n_written, n_items = summary->n_items;
  unsigned long long items = 0, records = 0;

  g_return_val_if_fail (summary != NULL && options != NULL, NULL);

  g_string_append_printf (str, g_dngettext (GETTEXT_PACKAGE, "%llu record written", "%llu records written", written),
                          written);
  g_string_append_printf (str, g_dngettext (GETTEXT_PACKAGE, " from %llu item", " from %llu items", n_items), n_items);
  if (options->format == ROUNDS_EXPORT_FULL)
    return g_string_free (str, FALSE);
  if (options->test_fraction > 0.0)
    g_string_append_printf (str, _(" (%llu for training, %llu for testing)"),
                            (unsigned long long) (summary->n_written - summary->n_test),
                            (unsigned long long) summary->n_test);
  g_string_append_c (str, '\n');

  g_string_append_printf (str, _("Labels: %llu items by verdict, %llu by consensus (%s)"),
                          (unsigned long long) summary->n_labelled[ROUNDS_LABEL_VERDICT],
                          (unsigned long long) summary->n_labelled[ROUNDS_LABEL_CONSENSUS],
                          options->rule == ROUNDS_CONSENSUS_MEAN ? _("mean preference") : _("majority direction"));
  if (options->include_reference)
    g_string_append_printf (str, _(", %llu by reference label"),
                            (unsigned long long) summary->n_labelled[ROUNDS_LABEL_REFERENCE]);

  for (guint s = 0; s < ROUNDS_EXPORT_N_SKIPS; s++)
    {
      if (rounds_export_skip_counts_items (s))
        items += summary->n_skipped[s];
      else
        records += summary->n_skipped[s];
    }
  for (guint pass = 0; pass < 2; pass++)
    {
      gboolean first = TRUE;

      if ((pass == 0 ? items : records) == 0)
        continue;
      g_string_append_c (str, '\n');
      g_string_append (str, pass == 0 ? _("Items left out:") :
                            options->format == ROUNDS_EXPORT_KTO ? _("Responses left out:") : _("Pairs left out:"));
      for (guint s = 0; s < ROUNDS_EXPORT_N_SKIPS; s++)
        {
          if (rounds_export_skip_counts_items (s) != (pass == 0) || summary->n_skipped[s] == 0)
            continue;
          g_string_append_printf (str, "%s %llu %s", first ? "" : ",",
                                  (unsigned long long) summary->n_skipped[s], rounds_export_skip_get_label (s));
          first = FALSE;
        }
    }
  if (items == 0 && records == 0)
    g_string_append_printf (str, "\n%s", _("Nothing left out"));
  return g_string_free (str, FALSE);
}

/* Writing JSON by hand ---------------------------------------------------------------- */

/* Characters that stop the copying loop: the end, controls, quote and backslash. */
static const guint8 json_stop[256] = {
  [0x00] = 1, [0x01] = 1, [0x02] = 1, [0x03] = 1, [0x04] = 1, [0x05] = 1, [0x06] = 1, [0x07] = 1,
  [0x08] = 1, [0x09] = 1, [0x0a] = 1, [0x0b] = 1, [0x0c] = 1, [0x0d] = 1, [0x0e] = 1, [0x0f] = 1,
  [0x10] = 1, [0x11] = 1, [0x12] = 1, [0x13] = 1, [0x14] = 1, [0x15] = 1, [0x16] = 1, [0x17] = 1,
  [0x18] = 1, [0x19] = 1, [0x1a] = 1, [0x1b] = 1, [0x1c] = 1, [0x1d] = 1, [0x1e] = 1, [0x1f] = 1,
  ['"'] = 1, ['\\'] = 1,
};

/* g_string_append_len without the call when the buffer has room, which it nearly always
 * has: the output buffers are allocated a little over their flush size. */
static inline void
append_len (GString    *out,
            const char *text,
            gsize       len)
{
  if (G_LIKELY (out->len + len < out->allocated_len))
    {
      memcpy (out->str + out->len, text, len);
      out->len += len;
      out->str[out->len] = '\0';
    }
  else
    g_string_append_len (out, text, len);
}

#define APPEND_LITERAL(out, literal) append_len ((out), "" literal, sizeof (literal) - 1)

static void
append_json_string (GString    *out,
                    const char *text)
{
  const unsigned char *p = (const unsigned char *) text;

  g_string_append_c (out, '"');
  for (;;)
    {
      const unsigned char *run = p;
      char buffer[8];
      const char *escape;

      while (!json_stop[*p])
        p++;
      append_len (out, (const char *) run, p - run);
      if (*p == '\0')
        break;
      switch (*p)
        {
        case '"': escape = "\\\""; break;
        case '\\': escape = "\\\\"; break;
        case '\n': escape = "\\n"; break;
        case '\r': escape = "\\r"; break;
        case '\t': escape = "\\t"; break;
        case '\b': escape = "\\b"; break;
        case '\f': escape = "\\f"; break;
        default:
          g_snprintf (buffer, sizeof buffer, "\\u%04x", *p);
          escape = buffer;
        }
      g_string_append (out, escape);
      p++;
    }
  g_string_append_c (out, '"');
}

static void
append_uint (GString *out,
             guint64  value)
{
  char buffer[24];
  int i = sizeof buffer;

  do
    buffer[--i] = (char) ('0' + value % 10);
  while ((value /= 10) != 0);
  g_string_append_len (out, buffer + i, sizeof buffer - i);
}

static void
append_member (GString    *out,
               gboolean   *first,
               const char *name)
{
  if (!*first)
    g_string_append_c (out, ',');
  *first = FALSE;
  append_json_string (out, name);
  g_string_append_c (out, ':');
}

/* Up to four decimals, no trailing zeros, no "-0": stable across platforms. */
static void
append_number (GString *out,
               double   value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  gsize len;

  if (!isfinite (value))
    {
      APPEND_LITERAL (out, "null");
      return;
    }
  value = round (value * 10000.0) / 10000.0;
  if (value == 0.0)
    value = 0.0;
  if (value == (double) (gint64) value && fabs (value) < 1e15)
    {
      g_string_append_printf (out, "%" G_GINT64_FORMAT, (gint64) value);
      return;
    }
  g_ascii_formatd (buffer, sizeof buffer, "%.4f", value);
  len = strlen (buffer);
  while (len > 0 && buffer[len - 1] == '0')
    buffer[--len] = '\0';
  g_string_append (out, buffer);
}

/* A JSON value kept as the store wrote it (json-glib's compact form). */
static void
append_raw (GString    *out,
            const char *json)
{
  g_string_append (out, json != NULL ? json : "null");
}

/* Splits a JSON array the store wrote ("[{…},{…}]", "[[\"unsafe\"],[]]") into its
 * top-level elements, without a parser: the store's own output is trusted. */
/* Characters split_array stops at; everything else is copied over. */
static const guint8 split_stop[256] = {
  [0] = 1, ['"'] = 1, ['['] = 1, [']'] = 1, ['{'] = 1, ['}'] = 1, [','] = 1,
};

static guint
split_array (const char  *json,
             const char **starts,
             guint       *lengths,
             guint        max)
{
  const char *p = json;
  const char *start = NULL;
  int depth = 0;
  guint n = 0;

  if (json == NULL)
    return 0;
  for (;; p++)
    {
      while (!split_stop[(unsigned char) *p])
        {
          if (depth == 1 && start == NULL && *p != ' ')
            start = p;
          p++;
        }
      switch (*p)
        {
        case '\0':
          return n;
        case '"':
          if (depth == 1 && start == NULL)
            start = p;
          for (p++; *p && *p != '"'; p++)
            if (*p == '\\' && p[1])
              p++;
          if (!*p)
            return n;
          break;
        case '[': case '{':
          if (depth == 1 && start == NULL)
            start = p;
          depth++;
          break;
        case ']': case '}':
          depth--;
          if (depth == 0 && start != NULL && n < max)
            {
              starts[n] = start;
              lengths[n++] = p - start;
              start = NULL;
            }
          break;
        case ',':
          if (depth == 1 && start != NULL && n < max)
            {
              starts[n] = start;
              lengths[n++] = p - start;
              start = NULL;
            }
          break;
        default:
          g_assert_not_reached ();
        }
    }
}

static guint
parse_ints (const char *json,
            int        *values,
            guint       max)
{
  const char *p = json;
  guint n = 0;

  if (json == NULL)
    return 0;
  while (*p && n < max)
    {
      char *end;
      long value;

      while (*p && *p != '-' && !g_ascii_isdigit (*p))
        p++;
      if (!*p)
        break;
      value = strtol (p, &end, 10);
      values[n++] = (int) value;
      p = end;
    }
  return n;
}

/* Calls @func for every "criterion": score of one response's object "{\"a\":4,…}". */
static void
for_each_score (const char *object,
                guint       len,
                void      (*func) (const char *name, guint name_len, int value, gpointer data),
                gpointer    data)
{
  const char *p = object, *end = object + len;

  while (p < end)
    {
      const char *name, *name_end;
      char *number_end;
      long value;

      if (*p != '"')
        {
          p++;
          continue;
        }
      name = ++p;
      while (p < end && *p != '"')
        p += (*p == '\\') ? 2 : 1;
      name_end = p++;
      while (p < end && (*p == ':' || *p == ' '))
        p++;
      value = strtol (p, &number_end, 10);
      if (number_end == p)
        continue;
      func (name, name_end - name, (int) value, data);
      p = number_end;
    }
}

/* The rows of one item ---------------------------------------------------------------- */

typedef struct
{
  char *key;
  char *text;
  char *model;
} Response;

/* A judgement or a verdict: what the label is made of. */
typedef struct
{
  char     *name;                     /* as written out: a pseudonym unless asked */
  gboolean  has_preference;
  int       preference;
  gboolean  has_ranks;               /* a complete ranking of the item's responses */
  guint     n_ranks;
  int       ranks[MAX_RESPONSES];
  gboolean  unacceptable;
  char     *scores_json;
  guint     flags[MAX_RESPONSES];
  guint     shown[MAX_RESPONSES];
  guint     n_shown;
} Vote;

typedef struct
{
  gint64     id;
  char      *key;
  char      *scenario;
  char      *reference_json;
  guint      n;
  Response   responses[MAX_RESPONSES];
  GArray    *votes;                   /* Vote, by name */
  gboolean   has_verdict;
  Vote       verdict;
} Item;

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

typedef struct
{
  RoundsStore               *store;
  const RoundsExportOptions *options;
  RoundsExportSummary       *summary;
  GCancellable              *cancellable;
  RoundsExportProgressFunc   progress;
  gpointer                   progress_data;
  guint64                    n_total_items;
  gboolean                   counting;     /* a preview: nothing is built or written */

  FILE                      *files[2];     /* train (or all), test */
  char                      *temp_paths[2];
  GString                   *buffers[2];
  GString                   *record;       /* the buffer the record goes to */

  GHashTable                *pseudonyms;   /* user name → name written */
  char                      *key;

  /* The dataset being written. */
  RoundsDataset             *dataset;
  int                        rubric_version;
  GPtrArray                 *criteria;     /* CSV columns: criterion ids of every dataset */
  int                        criterion_map[32];   /* dataset criterion → column */
} Exporter;

static const char *
written_name (Exporter   *e,
              const char *user_name)
{
  const char *name;
  g_autofree char *hmac = NULL;
  char *pseudonym;
  gsize len = strlen (user_name);

  if (e->options->real_names)
    return user_name;
  if ((name = g_hash_table_lookup (e->pseudonyms, user_name)))
    return name;

  /* A name that already is a pseudonym stays itself, so an archive made with pseudonyms
   * and imported elsewhere exports with the same names again. */
  if (len == 14 && g_str_has_prefix (user_name, "p-") &&
      strspn (user_name + 2, "0123456789abcdef") == 12)
    pseudonym = g_strdup (user_name);
  else
    {
      hmac = g_compute_hmac_for_string (G_CHECKSUM_SHA256, (const guchar *) e->key, strlen (e->key),
                                        user_name, -1);
      pseudonym = g_strdup_printf ("p-%.12s", hmac);
    }
  g_hash_table_insert (e->pseudonyms, g_strdup (user_name), pseudonym);
  return pseudonym;
}

static gboolean
load_key (Exporter  *e,
          GError   **error)
{
  g_autoptr(GError) local_error = NULL;

  if (e->options->real_names)
    return TRUE;
  if (e->options->pseudonym_key != NULL)
    {
      e->key = g_strdup (e->options->pseudonym_key);
      return TRUE;
    }
  /* The database's own key, made on the first export: the same annotator has the same
   * pseudonym in every export of this database, and nobody can tell who it is by hashing
   * the team's user names. */
  if ((e->key = _rounds_store_get_meta (e->store, PSEUDONYM_KEY, &local_error)))
    return TRUE;
  if (local_error != NULL)
    return g_propagate_error (error, g_steal_pointer (&local_error)), FALSE;
  {
    guint32 words[4];

    for (guint i = 0; i < G_N_ELEMENTS (words); i++)
      words[i] = g_random_int ();
    e->key = g_strdup_printf ("%08x%08x%08x%08x", words[0], words[1], words[2], words[3]);
  }
  return _rounds_store_set_meta (e->store, PSEUDONYM_KEY, e->key, error);
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
static gboolean
emit (Exporter  *e,
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

/* Labels ------------------------------------------------------------------------------ */

typedef struct
{
  RoundsLabelSource source;
  gboolean          unacceptable;
  double            agreement;        /* NaN when fewer than two annotators compare */
  guint             n_voters;
  double            mean_preference;  /* two responses */
  double            mean_rank[MAX_RESPONSES];
  int               reference;        /* the preferred response, or -1 */
} ItemLabel;

/* The label of one pair i < j (canonical order): -1 when i is better, +1 when j is, 0 for
 * a tie, 2 when no majority decides. */
typedef struct
{
  int    direction;
  double margin;        /* |preference| for two responses, the rank gap otherwise */
  guint  votes[3];      /* i better, tie, j better */
} PairLabel;

#define NO_MAJORITY 2

static int
vote_direction (const Vote *vote,
                guint       n,
                guint       i,
                guint       j)
{
  if (n == 2)
    return vote->has_preference ? (vote->preference < 0 ? -1 : vote->preference > 0 ? 1 : 0) : NO_MAJORITY;
  if (!vote->has_ranks)
    return NO_MAJORITY;
  return vote->ranks[i] < vote->ranks[j] ? -1 : vote->ranks[i] > vote->ranks[j] ? 1 : 0;
}

static gboolean
vote_voted (const Vote *vote,
            guint       n)
{
  return n == 2 ? vote->has_preference : vote->has_ranks;
}

static void
label_item (Exporter  *e,
            Item      *item,
            ItemLabel *label)
{
  guint n = item->n, n_unacceptable = 0, agree = 0, compared = 0;

  memset (label, 0, sizeof *label);
  label->reference = -1;
  label->agreement = NAN;

  for (guint v = 0; v < item->votes->len; v++)
    {
      const Vote *vote = &g_array_index (item->votes, Vote, v);

      n_unacceptable += vote->unacceptable;
      if (!vote_voted (vote, n))
        continue;
      label->n_voters++;
      label->mean_preference += vote->preference;
      for (guint r = 0; r < n && n > 2; r++)
        label->mean_rank[r] += vote->ranks[r];
    }
  if (label->n_voters > 0)
    {
      label->mean_preference /= label->n_voters;
      for (guint r = 0; r < n && n > 2; r++)
        label->mean_rank[r] /= label->n_voters;
    }

  /* Agreement on the direction, pair of annotators by pair of responses. */
  for (guint a = 0; a < item->votes->len; a++)
    for (guint b = a + 1; b < item->votes->len; b++)
      {
        const Vote *va = &g_array_index (item->votes, Vote, a);
        const Vote *vb = &g_array_index (item->votes, Vote, b);

        if (!vote_voted (va, n) || !vote_voted (vb, n))
          continue;
        for (guint i = 0; i < n; i++)
          for (guint j = i + 1; j < n; j++)
            {
              compared++;
              agree += vote_direction (va, n, i, j) == vote_direction (vb, n, i, j);
            }
      }
  if (compared > 0)
    label->agreement = (double) agree / compared;

  if (item->has_verdict)
    {
      label->source = ROUNDS_LABEL_VERDICT;
      label->unacceptable = item->verdict.unacceptable;
    }
  else if (item->votes->len > 0)
    {
      label->source = ROUNDS_LABEL_CONSENSUS;
      label->unacceptable = n_unacceptable * 2 > item->votes->len;
    }
  else
    label->source = ROUNDS_LABEL_REFERENCE;
}

static void
label_pair (Exporter        *e,
            Item            *item,
            const ItemLabel *label,
            guint            i,
            guint            j,
            PairLabel       *pair)
{
  guint n = item->n;

  memset (pair, 0, sizeof *pair);
  for (guint v = 0; v < item->votes->len; v++)
    {
      int d = vote_direction (&g_array_index (item->votes, Vote, v), n, i, j);

      if (d != NO_MAJORITY)
        pair->votes[d + 1]++;
    }

  switch (label->source)
    {
    case ROUNDS_LABEL_VERDICT:
      pair->direction = vote_direction (&item->verdict, n, i, j);
      if (n == 2)
        pair->margin = ABS (item->verdict.preference);
      else
        pair->margin = ABS (item->verdict.ranks[j] - item->verdict.ranks[i]);
      break;

    case ROUNDS_LABEL_REFERENCE:
      pair->direction = label->reference == (int) i ? -1 : label->reference == (int) j ? 1 : NO_MAJORITY;
      pair->margin = 1.0;
      break;

    case ROUNDS_LABEL_CONSENSUS:
      if (n == 2)
        {
          pair->margin = fabs (label->mean_preference);
          pair->direction = label->mean_preference < 0 ? -1 : label->mean_preference > 0 ? 1 : 0;
        }
      else
        {
          double gap = label->mean_rank[j] - label->mean_rank[i];

          pair->margin = fabs (gap);
          pair->direction = gap > 0 ? -1 : gap < 0 ? 1 : 0;
        }
      if (e->options->rule == ROUNDS_CONSENSUS_MAJORITY)
        {
          guint voters = pair->votes[0] + pair->votes[1] + pair->votes[2];

          pair->direction = NO_MAJORITY;
          for (int d = -1; d <= 1; d++)
            if (pair->votes[d + 1] * 2 > voters)
              pair->direction = d;
        }
      break;

    default:
      g_assert_not_reached ();
    }
}

/* Mean scores per response for CSV and KTO: sums and counts by criterion column. */
typedef struct
{
  Exporter *e;
  double   *sums;
  guint    *counts;
} ScoreSum;

static void
add_score (const char *name,
           guint       name_len,
           int         value,
           gpointer    data)
{
  ScoreSum *sum = data;
  RoundsRubric *rubric = rounds_dataset_get_rubric (sum->e->dataset);

  for (guint c = 0; c < rounds_rubric_get_n_criteria (rubric) && c < G_N_ELEMENTS (sum->e->criterion_map); c++)
    {
      const RoundsCriterion *criterion = rounds_rubric_get_criterion (rubric, c);

      if (strncmp (criterion->id, name, name_len) == 0 && criterion->id[name_len] == '\0')
        {
          sum->sums[sum->e->criterion_map[c]] += value;
          sum->counts[sum->e->criterion_map[c]]++;
          return;
        }
    }
}

/* Mean score of response @r per criterion column: from the verdict's corrected rubric if
 * the reviewer gave one, else over the annotators. Returns the mean over every criterion,
 * NaN when nothing is scored. */
static double
response_scores (Exporter *e,
                 Item     *item,
                 guint     r,
                 double   *columns)
{
  g_autofree double *sums = g_new0 (double, e->criteria->len);
  g_autofree guint *counts = g_new0 (guint, e->criteria->len);
  ScoreSum sum = { e, sums, counts };
  const char *starts[MAX_RESPONSES];
  guint lengths[MAX_RESPONSES];
  double total = 0;
  guint n_total = 0;

  if (item->has_verdict && item->verdict.scores_json != NULL)
    {
      if (split_array (item->verdict.scores_json, starts, lengths, MAX_RESPONSES) > r)
        for_each_score (starts[r], lengths[r], add_score, &sum);
    }
  else
    for (guint v = 0; v < item->votes->len; v++)
      {
        const Vote *vote = &g_array_index (item->votes, Vote, v);

        if (split_array (vote->scores_json, starts, lengths, MAX_RESPONSES) > r)
          for_each_score (starts[r], lengths[r], add_score, &sum);
      }

  for (guint c = 0; c < e->criteria->len; c++)
    {
      if (columns != NULL)
        columns[c] = counts[c] ? sums[c] / counts[c] : NAN;
      if (counts[c])
        {
          total += sums[c] / counts[c];
          n_total++;
        }
    }
  return n_total ? total / n_total : NAN;
}

static guint
response_flags (Item  *item,
                guint  r)
{
  guint flags = 0;

  for (guint v = 0; v < item->votes->len; v++)
    flags |= g_array_index (item->votes, Vote, v).flags[r];
  return flags;
}

/* Records ----------------------------------------------------------------------------- */

static gboolean
is_test (Exporter *e,
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

static const char *
flag_names (guint   flags,
            GString *out)
{
  g_string_truncate (out, 0);
  for (guint f = 0; f < ROUNDS_N_FLAGS; f++)
    if (flags & (1u << f))
      {
        if (out->len)
          g_string_append_c (out, ';');
        g_string_append (out, rounds_flag_to_string (1u << f));
      }
  return out->str;
}

/* The provenance of a record. @responses lists the canonical indices it is about. */
static void
append_metadata (Exporter        *e,
                 Item            *item,
                 const ItemLabel *label,
                 const PairLabel *pair,
                 const guint     *responses,
                 guint            n_responses,
                 GString         *out)
{
  const char *starts[MAX_RESPONSES];
  guint lengths[MAX_RESPONSES];
  gboolean first = TRUE, inner;

  g_string_append_c (out, '{');
  append_member (out, &first, "dataset");
  append_json_string (out, rounds_dataset_get_name (e->dataset));
  append_member (out, &first, "item");
  append_json_string (out, item->key);
  if (n_responses == 2)
    {
      append_member (out, &first, "chosen");
      append_json_string (out, item->responses[responses[0]].key);
      append_member (out, &first, "rejected");
      append_json_string (out, item->responses[responses[1]].key);
    }
  else
    {
      append_member (out, &first, "response");
      append_json_string (out, item->responses[responses[0]].key);
    }

  append_member (out, &first, "models");
  g_string_append_c (out, '{');
  inner = TRUE;
  for (guint k = 0; k < n_responses; k++)
    if (item->responses[responses[k]].model != NULL)
      {
        append_member (out, &inner, item->responses[responses[k]].key);
        append_json_string (out, item->responses[responses[k]].model);
      }
  g_string_append_c (out, '}');

  append_member (out, &first, "label");
  g_string_append_c (out, '{');
  inner = TRUE;
  append_member (out, &inner, "source");
  append_json_string (out, label->source == ROUNDS_LABEL_VERDICT ? "verdict" :
                           label->source == ROUNDS_LABEL_CONSENSUS ? "consensus" : "reference");
  if (label->source == ROUNDS_LABEL_CONSENSUS)
    {
      append_member (out, &inner, "rule");
      append_json_string (out, e->options->rule == ROUNDS_CONSENSUS_MEAN ? "mean" : "majority");
    }
  if (e->options->format == ROUNDS_EXPORT_KTO)
    {
      append_member (out, &inner, "kto_rule");
      append_json_string (out, e->options->kto_rule == ROUNDS_KTO_WINNER ? "winner" : "score");
    }
  if (label->unacceptable)
    {
      append_member (out, &inner, "unacceptable");
      APPEND_LITERAL (out, "true");
    }
  if (pair != NULL && label->source != ROUNDS_LABEL_REFERENCE)
    {
      append_member (out, &inner, item->n == 2 ? "margin" : "rank_gap");
      append_number (out, pair->margin);
      if (item->n == 2)
        {
          append_member (out, &inner, "scale");
          append_uint (out, rounds_dataset_get_scale (e->dataset));
        }
      if (label->source == ROUNDS_LABEL_CONSENSUS)
        {
          /* Votes oriented to the record: for the chosen, tie, for the rejected. */
          gboolean flipped = n_responses == 2 && responses[0] > responses[1];

          append_member (out, &inner, "votes");
          g_string_append_c (out, '[');
          append_uint (out, pair->votes[flipped ? 2 : 0]);
          g_string_append_c (out, ',');
          append_uint (out, pair->votes[1]);
          g_string_append_c (out, ',');
          append_uint (out, pair->votes[flipped ? 0 : 2]);
          g_string_append_c (out, ']');
        }
    }
  g_string_append_c (out, '}');

  append_member (out, &first, "agreement");
  append_number (out, label->agreement);

  append_member (out, &first, "annotators");
  g_string_append_c (out, '[');
  for (guint v = 0; v < item->votes->len; v++)
    {
      if (v)
        g_string_append_c (out, ',');
      append_json_string (out, g_array_index (item->votes, Vote, v).name);
    }
  g_string_append_c (out, ']');
  if (item->has_verdict)
    {
      append_member (out, &first, "reviewer");
      append_json_string (out, item->verdict.name);
    }

  append_member (out, &first, "shown_order");
  g_string_append_c (out, '{');
  inner = TRUE;
  for (guint v = 0; v < item->votes->len; v++)
    {
      const Vote *vote = &g_array_index (item->votes, Vote, v);

      append_member (out, &inner, vote->name);
      g_string_append_c (out, '[');
      for (guint s = 0; s < vote->n_shown; s++)
        {
          if (s)
            g_string_append_c (out, ',');
          append_json_string (out, vote->shown[s] < item->n ? item->responses[vote->shown[s]].key : "?");
        }
      g_string_append_c (out, ']');
    }
  g_string_append_c (out, '}');

  append_member (out, &first, "scores");
  g_string_append_c (out, '{');
  inner = TRUE;
  for (guint v = 0; v <= item->votes->len; v++)
    {
      const Vote *vote = v < item->votes->len ? &g_array_index (item->votes, Vote, v) :
                         item->has_verdict ? &item->verdict : NULL;
      guint n_split;
      gboolean any = FALSE;

      if (vote == NULL || vote->scores_json == NULL)
        continue;
      n_split = split_array (vote->scores_json, starts, lengths, MAX_RESPONSES);
      for (guint k = 0; k < n_responses; k++)
        any |= responses[k] < n_split && lengths[responses[k]] > 2;
      if (!any)
        continue;
      append_member (out, &inner, v < item->votes->len ? vote->name : "verdict");
      g_string_append_c (out, '{');
      {
        gboolean per = TRUE;

        for (guint k = 0; k < n_responses; k++)
          if (responses[k] < n_split && lengths[responses[k]] > 2)
            {
              append_member (out, &per, item->responses[responses[k]].key);
              g_string_append_len (out, starts[responses[k]], lengths[responses[k]]);
            }
      }
      g_string_append_c (out, '}');
    }
  g_string_append_c (out, '}');

  {
    g_autoptr(GString) names = g_string_new (NULL);

    append_member (out, &first, "flags");
    g_string_append_c (out, '{');
    inner = TRUE;
    for (guint k = 0; k < n_responses; k++)
      {
        guint flags = response_flags (item, responses[k]);

        if (flags == 0)
          continue;
        append_member (out, &inner, item->responses[responses[k]].key);
        g_string_append_c (out, '[');
        for (guint f = 0, any = 0; f < ROUNDS_N_FLAGS; f++)
          if (flags & (1u << f))
            {
              if (any++)
                g_string_append_c (out, ',');
              append_json_string (out, rounds_flag_to_string (1u << f));
            }
        g_string_append_c (out, ']');
      }
    g_string_append_c (out, '}');
  }

  if (e->options->include_reference && item->reference_json != NULL)
    {
      append_member (out, &first, "reference");
      append_raw (out, item->reference_json);
    }
  append_member (out, &first, "rubric_version");
  append_uint (out, e->rubric_version);
  append_member (out, &first, "rounds_version");
  append_json_string (out, PACKAGE_VERSION);
  g_string_append_c (out, '}');
}

static void
append_message_list (GString    *out,
                     const char *role,
                     const char *content)
{
  APPEND_LITERAL (out, "[{\"role\":");
  append_json_string (out, role);
  APPEND_LITERAL (out, ",\"content\":");
  append_json_string (out, content);
  APPEND_LITERAL (out, "}]");
}

static void
append_hh (GString    *out,
           const char *prompt,
           const char *answer)
{
  g_autofree char *text = g_strconcat ("\n\nHuman: ", prompt, "\n\nAssistant: ", answer, NULL);

  append_json_string (out, text);
}

static void
append_csv_field (GString    *out,
                  const char *text)
{
  if (text == NULL)
    text = "";
  if (strpbrk (text, ",\"\r\n") == NULL)
    {
      g_string_append (out, text);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = text; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static const char * const csv_columns[] = {
  "dataset", "item", "chosen_id", "rejected_id", "label", "label_source", "rule", "margin",
  "rank_gap", "agreement", "n_annotators", "annotators", "reviewer", "chosen_model",
  "rejected_model", "chosen_flags", "rejected_flags",
};

static void
append_csv_header (Exporter *e,
                   GString  *out)
{
  for (guint c = 0; c < G_N_ELEMENTS (csv_columns); c++)
    g_string_append_printf (out, "%s%s", c ? "," : "", csv_columns[c]);
  for (guint side = 0; side < 2; side++)
    for (guint c = 0; c < e->criteria->len; c++)
      g_string_append_printf (out, ",%s_%s", side ? "rejected" : "chosen",
                              (const char *) g_ptr_array_index (e->criteria, c));
  APPEND_LITERAL (out, ",rubric_version,rounds_version,prompt,chosen,rejected\r\n");
}

static void
append_csv_number (GString *out,
                   double   value)
{
  g_string_append_c (out, ',');
  if (isfinite (value))
    append_number (out, value);
}

static void
append_csv_row (Exporter        *e,
                Item            *item,
                const ItemLabel *label,
                const PairLabel *pair,
                guint            chosen,
                guint            rejected,
                const char      *verdict)
{
  GString *out = e->record;
  g_autoptr(GString) names = g_string_new (NULL);
  g_autofree double *scores = g_new0 (double, e->criteria->len * 2);

  append_csv_field (out, rounds_dataset_get_name (e->dataset));
  g_string_append_c (out, ',');
  append_csv_field (out, item->key);
  g_string_append_c (out, ',');
  append_csv_field (out, item->responses[chosen].key);
  g_string_append_c (out, ',');
  append_csv_field (out, item->responses[rejected].key);
  g_string_append_printf (out, ",%s,%s,%s", verdict,
                          label->source == ROUNDS_LABEL_VERDICT ? "verdict" :
                          label->source == ROUNDS_LABEL_CONSENSUS ? "consensus" : "reference",
                          label->source != ROUNDS_LABEL_CONSENSUS ? "" :
                          e->options->rule == ROUNDS_CONSENSUS_MEAN ? "mean" : "majority");
  append_csv_number (out, item->n == 2 && label->source != ROUNDS_LABEL_REFERENCE ? pair->margin : NAN);
  append_csv_number (out, item->n > 2 && label->source != ROUNDS_LABEL_REFERENCE ? pair->margin : NAN);
  append_csv_number (out, label->agreement);
  g_string_append_printf (out, ",%u,", item->votes->len);
  for (guint v = 0; v < item->votes->len; v++)
    g_string_append_printf (out, "%s%s", v ? ";" : "", g_array_index (item->votes, Vote, v).name);
  g_string_append_c (out, ',');
  if (item->has_verdict)
    append_csv_field (out, item->verdict.name);
  g_string_append_c (out, ',');
  append_csv_field (out, item->responses[chosen].model);
  g_string_append_c (out, ',');
  append_csv_field (out, item->responses[rejected].model);
  g_string_append_c (out, ',');
  append_csv_field (out, flag_names (response_flags (item, chosen), names));
  g_string_append_c (out, ',');
  append_csv_field (out, flag_names (response_flags (item, rejected), names));
  response_scores (e, item, chosen, scores);
  response_scores (e, item, rejected, scores + e->criteria->len);
  for (guint c = 0; c < e->criteria->len * 2; c++)
    append_csv_number (out, scores[c]);
  g_string_append_printf (out, ",%d,%s,", e->rubric_version, PACKAGE_VERSION);
  append_csv_field (out, item->scenario);
  g_string_append_c (out, ',');
  append_csv_field (out, item->responses[chosen].text);
  g_string_append_c (out, ',');
  append_csv_field (out, item->responses[rejected].text);
  APPEND_LITERAL (out, "\r\n");
}

static void
append_pair_record (Exporter        *e,
                    Item            *item,
                    const ItemLabel *label,
                    const PairLabel *pair,
                    guint            chosen,
                    guint            rejected)
{
  GString *out = e->record;
  const char *prompt = item->scenario;
  const char *chosen_text = item->responses[chosen].text;
  const char *rejected_text = item->responses[rejected].text;
  guint responses[2] = { chosen, rejected };

  switch (e->options->format)
    {
    case ROUNDS_EXPORT_TRL:
      APPEND_LITERAL (out, "{\"prompt\":");
      append_json_string (out, prompt);
      APPEND_LITERAL (out, ",\"chosen\":");
      append_json_string (out, chosen_text);
      APPEND_LITERAL (out, ",\"rejected\":");
      append_json_string (out, rejected_text);
      break;

    case ROUNDS_EXPORT_TRL_CHAT:
      APPEND_LITERAL (out, "{\"prompt\":");
      append_message_list (out, "user", prompt);
      APPEND_LITERAL (out, ",\"chosen\":");
      append_message_list (out, "assistant", chosen_text);
      APPEND_LITERAL (out, ",\"rejected\":");
      append_message_list (out, "assistant", rejected_text);
      break;

    case ROUNDS_EXPORT_OPENAI:
      /* OpenAI's validator takes only these members: no metadata here. */
      APPEND_LITERAL (out, "{\"input\":{\"messages\":");
      append_message_list (out, "user", prompt);
      APPEND_LITERAL (out, "},\"preferred_output\":");
      append_message_list (out, "assistant", chosen_text);
      APPEND_LITERAL (out, ",\"non_preferred_output\":");
      append_message_list (out, "assistant", rejected_text);
      APPEND_LITERAL (out, "}\n");
      return;

    case ROUNDS_EXPORT_HH:
      APPEND_LITERAL (out, "{\"chosen\":");
      append_hh (out, prompt, chosen_text);
      APPEND_LITERAL (out, ",\"rejected\":");
      append_hh (out, prompt, rejected_text);
      break;

    default:
      g_assert_not_reached ();
    }
  APPEND_LITERAL (out, ",\"metadata\":");
  append_metadata (e, item, label, pair, responses, 2, out);
  APPEND_LITERAL (out, "}\n");
}

static gboolean
skip (Exporter         *e,
      RoundsExportSkip  reason,
      guint64           count)
{
  e->summary->n_skipped[reason] += count;
  return TRUE;
}

static gboolean
export_kto (Exporter        *e,
            Item            *item,
            const ItemLabel *label,
            gboolean         test,
            GError         **error)
{
  guint n = item->n;
  gboolean desirable[MAX_RESPONSES] = { FALSE };
  gboolean decided[MAX_RESPONSES] = { FALSE };
  PairLabel pair = { 0 };

  if (label->unacceptable)
    {
      for (guint r = 0; r < n; r++)
        decided[r] = TRUE;
    }
  else if (e->options->kto_rule == ROUNDS_KTO_SCORE)
    {
      for (guint r = 0; r < n; r++)
        {
          double mean = response_scores (e, item, r, NULL);

          if (isnan (mean))
            {
              skip (e, ROUNDS_EXPORT_SKIP_UNSCORED, 1);
              continue;
            }
          desirable[r] = mean >= e->options->kto_min_score;
          decided[r] = TRUE;
        }
    }
  else
    {
      /* The winner beats every other response under the label; then the others lose. */
      int winner = -1;
      gboolean tie = FALSE, undecided = FALSE;

      for (guint w = 0; w < n && winner < 0; w++)
        {
          gboolean beats_all = TRUE;

          for (guint o = 0; o < n && beats_all; o++)
            {
              PairLabel p;
              int d;

              if (o == w)
                continue;
              label_pair (e, item, label, MIN (w, o), MAX (w, o), &p);
              d = w < o ? p.direction : (p.direction == NO_MAJORITY ? NO_MAJORITY : -p.direction);
              tie |= d == 0;
              undecided |= d == NO_MAJORITY;
              beats_all = d == -1;
              if (n == 2)
                pair = p;
            }
          if (beats_all)
            winner = (int) w;
        }
      if (winner < 0)
        return skip (e, tie && !undecided ? ROUNDS_EXPORT_SKIP_TIE : ROUNDS_EXPORT_SKIP_NO_MAJORITY, n);
      if (n == 2 && label->source != ROUNDS_LABEL_REFERENCE && pair.margin < e->options->min_margin)
        return skip (e, ROUNDS_EXPORT_SKIP_LOW_MARGIN, n);
      for (guint r = 0; r < n; r++)
        {
          decided[r] = TRUE;
          desirable[r] = (int) r == winner;
        }
    }

  for (guint r = 0; r < n; r++)
    {
      if (!decided[r])
        continue;
      if (response_flags (item, r) & e->options->exclude_flags)
        {
          skip (e, ROUNDS_EXPORT_SKIP_FLAGGED, 1);
          continue;
        }
      if (!e->counting)
        {
          APPEND_LITERAL (e->record, "{\"prompt\":");
          append_json_string (e->record, item->scenario);
          APPEND_LITERAL (e->record, ",\"completion\":");
          append_json_string (e->record, item->responses[r].text);
          g_string_append (e->record, desirable[r] ? ",\"label\":true,\"metadata\":" : ",\"label\":false,\"metadata\":");
          append_metadata (e, item, label, NULL, &r, 1, e->record);
          APPEND_LITERAL (e->record, "}\n");
        }
      if (!emit (e, test, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
export_item (Exporter  *e,
             Item      *item,
             GError   **error)
{
  RoundsExportFormat format = e->options->format;
  gboolean pairs_only = format != ROUNDS_EXPORT_CSV && format != ROUNDS_EXPORT_KTO;
  guint n = item->n;
  gboolean test;
  ItemLabel label;

  e->summary->n_items++;
  label_item (e, item, &label);

  if (label.source == ROUNDS_LABEL_REFERENCE)
    {
      if (e->options->only_adjudicated)
        return skip (e, ROUNDS_EXPORT_SKIP_NOT_ADJUDICATED, 1);
      if (!e->options->include_reference || item->reference_json == NULL)
        return skip (e, ROUNDS_EXPORT_SKIP_UNLABELLED, 1);
      /* Only here is the hidden reference read: asked for, and nobody judged the item. */
      {
        g_autoptr(JsonNode) node = json_from_string (item->reference_json, NULL);
        const char *preferred = NULL;

        if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
          preferred = json_object_get_string_member_with_default (json_node_get_object (node), "preferred", NULL);
        for (guint r = 0; preferred != NULL && r < n; r++)
          if (g_str_equal (item->responses[r].key, preferred))
            label.reference = (int) r;
        if (label.reference < 0)
          return skip (e, ROUNDS_EXPORT_SKIP_UNLABELLED, 1);
      }
    }
  else if (label.source == ROUNDS_LABEL_CONSENSUS)
    {
      if (e->options->only_adjudicated)
        return skip (e, ROUNDS_EXPORT_SKIP_NOT_ADJUDICATED, 1);
      if (item->votes->len < e->options->min_annotators)
        return skip (e, ROUNDS_EXPORT_SKIP_FEW_ANNOTATORS, 1);
      if (e->options->min_agreement > 0.0 &&
          !(label.agreement >= e->options->min_agreement - 1e-9))
        return skip (e, ROUNDS_EXPORT_SKIP_LOW_AGREEMENT, 1);
    }
  if (label.unacceptable && pairs_only)
    return skip (e, ROUNDS_EXPORT_SKIP_UNACCEPTABLE, 1);

  e->summary->n_labelled[label.source]++;
  test = is_test (e, item);
  if (!e->counting)
    e->record = e->buffers[test && e->files[1] != NULL ? 1 : 0];

  if (format == ROUNDS_EXPORT_KTO)
    return export_kto (e, item, &label, test, error);

  for (guint i = 0; i < n; i++)
    for (guint j = i + 1; j < n; j++)
      {
        PairLabel pair;
        guint chosen, rejected;
        const char *verdict = "chosen";

        label_pair (e, item, &label, i, j, &pair);
        if (label.source == ROUNDS_LABEL_REFERENCE && pair.direction == NO_MAJORITY)
          continue;    /* the reference names one best response, nothing about the rest */
        if (label.unacceptable)
          verdict = "unacceptable";
        else if (pair.direction == NO_MAJORITY)
          {
            skip (e, ROUNDS_EXPORT_SKIP_NO_MAJORITY, 1);
            continue;
          }
        else if (pair.direction == 0)
          {
            if (pairs_only || e->options->exclude_ties)
              {
                skip (e, ROUNDS_EXPORT_SKIP_TIE, 1);
                continue;
              }
            verdict = "tie";
          }
        else if (label.source != ROUNDS_LABEL_REFERENCE && pair.margin < e->options->min_margin - 1e-9)
          {
            skip (e, ROUNDS_EXPORT_SKIP_LOW_MARGIN, 1);
            continue;
          }
        chosen = pair.direction == 1 ? j : i;
        rejected = pair.direction == 1 ? i : j;
        if ((response_flags (item, chosen) | response_flags (item, rejected)) & e->options->exclude_flags)
          {
            skip (e, ROUNDS_EXPORT_SKIP_FLAGGED, 1);
            continue;
          }
        if (!e->counting)
          {
            if (format == ROUNDS_EXPORT_CSV)
              append_csv_row (e, item, &label, &pair, chosen, rejected, verdict);
            else
              append_pair_record (e, item, &label, &pair, chosen, rejected);
          }
        if (!emit (e, test, error))
          return FALSE;
      }
  return TRUE;
}

/* Reading ----------------------------------------------------------------------------- */

typedef struct
{
  sqlite3_stmt *items;
  sqlite3_stmt *responses;
  sqlite3_stmt *votes;
  sqlite3_stmt *verdicts;
  int           rc_responses;
  int           rc_votes;
} Cursors;

static void
cursors_finalize (Cursors *c)
{
  sqlite3_finalize (c->items);
  sqlite3_finalize (c->responses);
  sqlite3_finalize (c->votes);
  sqlite3_finalize (c->verdicts);
}

static gboolean
prepare (Exporter      *e,
         const char    *sql,
         sqlite3_stmt **stmt,
         GError       **error)
{
  if (sqlite3_prepare_v2 (_rounds_store_get_db (e->store), sql, -1, stmt, NULL) != SQLITE_OK)
    return _rounds_store_set_sqlite_error (e->store, error);
  sqlite3_bind_int64 (*stmt, 1, rounds_dataset_get_id (e->dataset));
  return TRUE;
}

/* Fills a vote from a row of (item_id, user_name, preference, ranking_json, unacceptable,
 * scores_json, flags_json, shown_order). */
static void
vote_from_row (Exporter     *e,
               sqlite3_stmt *stmt,
               guint         n,
               Vote         *vote)
{
  const char *starts[MAX_RESPONSES];
  guint lengths[MAX_RESPONSES];
  const char *flags = (const char *) sqlite3_column_text (stmt, 6);

  memset (vote, 0, sizeof *vote);
  vote->name = g_strdup (written_name (e, (const char *) sqlite3_column_text (stmt, 1)));
  vote->has_preference = sqlite3_column_type (stmt, 2) != SQLITE_NULL;
  vote->preference = sqlite3_column_int (stmt, 2);
  if (sqlite3_column_type (stmt, 3) != SQLITE_NULL)
    vote->n_ranks = parse_ints ((const char *) sqlite3_column_text (stmt, 3), vote->ranks, MAX_RESPONSES);
  vote_check_ranks (vote, n);
  vote->unacceptable = sqlite3_column_int (stmt, 4) != 0;
  vote->scores_json = _rounds_store_column_dup (stmt, 5);
  if (flags != NULL)
    {
      guint n_split = split_array (flags, starts, lengths, MAX_RESPONSES);

      for (guint r = 0; r < n_split; r++)
        for (guint f = 0; f < ROUNDS_N_FLAGS; f++)
          {
            g_autofree char *quoted = g_strdup_printf ("\"%s\"", rounds_flag_to_string (1u << f));

            if (g_strstr_len (starts[r], lengths[r], quoted))
              vote->flags[r] |= 1u << f;
          }
    }
  if (sqlite3_column_type (stmt, 7) != SQLITE_NULL)
    {
      int shown[MAX_RESPONSES];

      vote->n_shown = parse_ints ((const char *) sqlite3_column_text (stmt, 7), shown, MAX_RESPONSES);
      for (guint s = 0; s < vote->n_shown; s++)
        vote->shown[s] = (guint) shown[s];
    }
}

static gboolean
export_dataset (Exporter  *e,
                guint64   *items_done,
                GError   **error)
{
  g_autoptr(GHashTable) verdicts = NULL;
  Cursors c = { NULL };
  Item item = { 0 };
  gboolean ok = FALSE;
  int rc;

  item.votes = g_array_new (FALSE, TRUE, sizeof (Vote));

  if (!prepare (e, "SELECT id, key, scenario, reference_json FROM items WHERE dataset_id = ?1"
                   " ORDER BY position, id", &c.items, error) ||
      !prepare (e, "SELECT r.item_id, r.idx, r.key, r.text, r.model FROM responses r"
                   " JOIN items i ON i.id = r.item_id WHERE i.dataset_id = ?1"
                   " ORDER BY i.position, i.id, r.idx", &c.responses, error) ||
      !prepare (e, "SELECT a.item_id, an.user_name, a.preference, a.ranking_json, a.unacceptable,"
                   " a.scores_json, a.flags_json, a.shown_order FROM items i"
                   " JOIN annotations a ON a.item_id = i.id AND a.is_current = 1 AND a.status = 'submitted'"
                   " JOIN annotators an ON an.id = a.annotator_id"
                   " WHERE i.dataset_id = ?1 ORDER BY i.position, i.id", &c.votes, error) ||
      !prepare (e, "SELECT j.item_id, an.user_name, j.preference, j.ranking_json, j.unacceptable,"
                   " j.scores_json, NULL, NULL FROM adjudications j"
                   " JOIN items i ON i.id = j.item_id JOIN annotators an ON an.id = j.reviewer_id"
                   " WHERE j.is_current = 1 AND i.dataset_id = ?1", &c.verdicts, error))
    goto out;

  /* Verdicts are few (disputed items): read them first, by item, rather than probe for
   * one at every item. Their responses count is known once the item is read. */
  verdicts = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, vote_free);
  while ((rc = sqlite3_step (c.verdicts)) == SQLITE_ROW)
    {
      gint64 *id = g_new (gint64, 1);
      Vote *vote = g_new0 (Vote, 1);

      *id = sqlite3_column_int64 (c.verdicts, 0);
      vote_from_row (e, c.verdicts, 0, vote);
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
      item.id = sqlite3_column_int64 (c.items, 0);
      item.key = _rounds_store_column_dup (c.items, 1);
      item.scenario = _rounds_store_column_dup (c.items, 2);
      item.reference_json = _rounds_store_column_dup (c.items, 3);

      for (; c.rc_responses == SQLITE_ROW && sqlite3_column_int64 (c.responses, 0) == item.id;
           c.rc_responses = sqlite3_step (c.responses))
        if (item.n < MAX_RESPONSES)
          {
            Response *r = &item.responses[item.n++];

            r->key = _rounds_store_column_dup (c.responses, 2);
            r->text = _rounds_store_column_dup (c.responses, 3);
            r->model = _rounds_store_column_dup (c.responses, 4);
          }
      for (; c.rc_votes == SQLITE_ROW && sqlite3_column_int64 (c.votes, 0) == item.id;
           c.rc_votes = sqlite3_step (c.votes))
        {
          g_array_set_size (item.votes, item.votes->len + 1);
          vote_from_row (e, c.votes, item.n, &g_array_index (item.votes, Vote, item.votes->len - 1));
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

      if (item.n >= 2 && !export_item (e, &item, error))
        goto out;
      item_reset (&item);

      if ((++*items_done & 255) == 0)
        {
          if (g_cancellable_set_error_if_cancelled (e->cancellable, error))
            goto out;
          if (e->progress != NULL && e->n_total_items > 0)
            e->progress ((double) *items_done / e->n_total_items, e->progress_data);
        }
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
  cursors_finalize (&c);
  return ok;
}

/* The full archive -------------------------------------------------------------------- */

typedef struct
{
  char *name;
  int   revision;
  char *created_at;
  char *edit;
  char *line;
} Line;

static void
line_free (gpointer data)
{
  Line *line = data;

  g_free (line->name);
  g_free (line->created_at);
  g_free (line->edit);
  g_free (line->line);
  g_free (line);
}

static int
compare_lines (gconstpointer a,
               gconstpointer b)
{
  const Line *x = *(const Line * const *) a, *y = *(const Line * const *) b;
  int cmp;

  if ((cmp = strcmp (x->name, y->name)) != 0)
    return cmp;
  if (x->revision != y->revision)
    return x->revision < y->revision ? -1 : 1;
  if ((cmp = strcmp (x->created_at, y->created_at)) != 0)
    return cmp;
  return strcmp (x->edit, y->edit);
}

static void
member_text (GString      *out,
             gboolean     *first,
             const char   *name,
             sqlite3_stmt *stmt,
             int           column)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return;
  append_member (out, first, name);
  append_json_string (out, (const char *) sqlite3_column_text (stmt, column));
}

static void
member_raw (GString      *out,
            gboolean     *first,
            const char   *name,
            sqlite3_stmt *stmt,
            int           column)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return;
  append_member (out, first, name);
  append_raw (out, (const char *) sqlite3_column_text (stmt, column));
}

/* A canonical array column as an object keyed by response id, leaving out empty entries. */
static void
member_keyed (GString      *out,
              gboolean     *first,
              const char   *name,
              sqlite3_stmt *stmt,
              int           column,
              char * const *keys,
              guint         n)
{
  const char *starts[MAX_RESPONSES];
  guint lengths[MAX_RESPONSES];
  guint n_split;
  gboolean inner = TRUE;

  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return;
  n_split = split_array ((const char *) sqlite3_column_text (stmt, column), starts, lengths, MAX_RESPONSES);
  append_member (out, first, name);
  g_string_append_c (out, '{');
  for (guint r = 0; r < MIN (n, n_split); r++)
    {
      if (lengths[r] == 4 && strncmp (starts[r], "null", 4) == 0)
        continue;
      if (lengths[r] <= 2 && (*starts[r] == '{' || *starts[r] == '['))
        continue;
      append_member (out, &inner, keys[r]);
      g_string_append_len (out, starts[r], lengths[r]);
    }
  g_string_append_c (out, '}');
}

static void
member_ranking (GString      *out,
                gboolean     *first,
                sqlite3_stmt *stmt,
                int           column,
                char * const *keys,
                guint         n)
{
  int ranks[MAX_RESPONSES];
  guint n_ranks;
  gboolean inner = TRUE;

  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return;
  n_ranks = parse_ints ((const char *) sqlite3_column_text (stmt, column), ranks, MAX_RESPONSES);
  append_member (out, first, "ranking");
  g_string_append_c (out, '{');
  for (guint r = 0; r < MIN (n, n_ranks); r++)
    if (ranks[r] > 0)
      {
        append_member (out, &inner, keys[r]);
        g_string_append_printf (out, "%d", ranks[r]);
      }
  g_string_append_c (out, '}');
}

static gboolean
step_error (Exporter  *e,
            int        rc,
            GError   **error)
{
  if (rc == SQLITE_DONE)
    return TRUE;
  return _rounds_store_set_sqlite_error (e->store, error);
}

static gboolean
write_line (Exporter  *e,
            GString   *line,
            GError   **error)
{
  if (!e->counting)
    g_string_append_len (e->record, line->str, line->len);
  return emit (e, FALSE, error);
}

/* A preference, ranking, "unacceptable" and scores, from four columns from @column on:
 * what judgement and verdict lines share. */
static void
append_decision (GString      *line,
                 gboolean     *first,
                 sqlite3_stmt *stmt,
                 int           column,
                 char * const *keys,
                 guint         n)
{
  if (sqlite3_column_type (stmt, column) != SQLITE_NULL)
    g_string_append_printf (line, ",\"preference\":%d", sqlite3_column_int (stmt, column));
  member_ranking (line, first, stmt, column + 1, keys, n);
  if (sqlite3_column_int (stmt, column + 2))
    APPEND_LITERAL (line, ",\"unacceptable\":true");
  member_keyed (line, first, "scores", stmt, column + 3, keys, n);
}

/* Every edit of one item's judgements (@type "judgement") or verdict ("verdict"), as the
 * importer reads them, oldest first per annotator: the order does not depend on the names
 * being pseudonyms, so an archive imported elsewhere exports the same again. @stmt's
 * first columns are user name, revision, time and edit id. */
static gboolean
write_edits (Exporter      *e,
             sqlite3_stmt  *stmt,
             const char    *type,
             gint64         item_id,
             const char    *item_key,
             char * const  *keys,
             guint          n,
             GPtrArray     *lines,
             GError       **error)
{
  gboolean judgement = g_str_equal (type, "judgement");
  g_autoptr(GString) line = g_string_new (NULL);
  int rc;

  g_ptr_array_set_size (lines, 0);
  sqlite3_reset (stmt);
  sqlite3_bind_int64 (stmt, 2, item_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Line *l = g_new0 (Line, 1);
      gboolean first = TRUE;

      l->name = g_strdup (written_name (e, (const char *) sqlite3_column_text (stmt, 0)));
      l->revision = sqlite3_column_int (stmt, 1);
      l->created_at = _rounds_store_column_dup (stmt, 2);
      l->edit = _rounds_store_column_dup (stmt, 3);
      g_ptr_array_add (lines, l);

      g_string_truncate (line, 0);
      g_string_append_c (line, '{');
      append_member (line, &first, "type");
      append_json_string (line, type);
      append_member (line, &first, "dataset");
      append_json_string (line, rounds_dataset_get_name (e->dataset));
      append_member (line, &first, "item");
      append_json_string (line, item_key);
      append_member (line, &first, judgement ? "annotator" : "reviewer");
      append_json_string (line, l->name);
      append_member (line, &first, "edit");
      append_json_string (line, l->edit);
      g_string_append_printf (line, ",\"revision\":%d", l->revision);
      if (judgement)
        {
          member_text (line, &first, "status", stmt, 4);
          append_decision (line, &first, stmt, 5, keys, n);
          member_keyed (line, &first, "flags", stmt, 9, keys, n);
          member_keyed (line, &first, "notes", stmt, 10, keys, n);
          member_text (line, &first, "comment", stmt, 11);
          member_text (line, &first, "skip_reason", stmt, 12);
          if (sqlite3_column_type (stmt, 13) != SQLITE_NULL)
            {
              int shown[MAX_RESPONSES];
              guint n_shown = parse_ints ((const char *) sqlite3_column_text (stmt, 13), shown, MAX_RESPONSES);

              APPEND_LITERAL (line, ",\"shown_order\":[");
              for (guint k = 0; k < n_shown; k++)
                {
                  if (k)
                    g_string_append_c (line, ',');
                  append_json_string (line, shown[k] >= 0 && (guint) shown[k] < n ? keys[shown[k]] : "?");
                }
              g_string_append_c (line, ']');
            }
          g_string_append_printf (line, ",\"time_spent_ms\":%" G_GINT64_FORMAT, (gint64) sqlite3_column_int64 (stmt, 14));
        }
      else
        {
          append_decision (line, &first, stmt, 4, keys, n);
          member_text (line, &first, "rationale", stmt, 8);
          member_raw (line, &first, "resolves", stmt, 9);
          if (sqlite3_column_int (stmt, 10))
            APPEND_LITERAL (line, ",\"models_revealed\":true");
        }
      append_member (line, &first, "created_at");
      append_json_string (line, l->created_at);
      APPEND_LITERAL (line, "}\n");
      l->line = g_strdup (line->str);
    }
  if (!step_error (e, rc, error))
    return FALSE;

  g_ptr_array_sort (lines, compare_lines);
  for (guint i = 0; i < lines->len; i++)
    {
      g_string_assign (line, ((Line *) g_ptr_array_index (lines, i))->line);
      if (!write_line (e, line, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
full_dataset (Exporter  *e,
              guint64   *items_done,
              GError   **error)
{
  g_autoptr(GString) line = g_string_new (NULL);
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (line_free);
  sqlite3_stmt *items = NULL, *responses = NULL, *edits = NULL, *verdicts = NULL, *dataset = NULL;
  gboolean ok = FALSE, first;
  char *keys[MAX_RESPONSES] = { NULL };
  guint n = 0;
  int rc;

  if (!prepare (e, "SELECT name, title, description, instructions, overlap, scale, dispute_spread,"
                   " required, rubric_json, metadata_json FROM datasets WHERE id = ?1", &dataset, error) ||
      !prepare (e, "SELECT id, key, title, scenario, specialty, language, metadata_json, reference_json"
                   " FROM items WHERE dataset_id = ?1 ORDER BY position, id", &items, error) ||
      !prepare (e, "SELECT r.idx, r.key, r.text, r.model, r.metadata_json FROM responses r"
                   " WHERE r.item_id = ?2 ORDER BY r.idx", &responses, error) ||
      !prepare (e, "SELECT an.user_name, a.revision, a.created_at, a.edit_id, a.status, a.preference,"
                   " a.ranking_json, a.unacceptable, a.scores_json, a.flags_json, a.notes_json, a.comment,"
                   " a.skip_reason, a.shown_order, a.time_spent_ms"
                   " FROM annotations a JOIN annotators an ON an.id = a.annotator_id"
                   " WHERE a.item_id = ?2", &edits, error) ||
      !prepare (e, "SELECT an.user_name, j.revision, j.created_at, j.edit_id, j.preference, j.ranking_json,"
                   " j.unacceptable, j.scores_json, j.rationale, j.resolves_json, j.models_revealed"
                   " FROM adjudications j JOIN annotators an ON an.id = j.reviewer_id"
                   " WHERE j.item_id = ?2", &verdicts, error))
    goto out;

  /* The dataset, as the importer reads it. */
  if ((rc = sqlite3_step (dataset)) != SQLITE_ROW)
    {
      step_error (e, rc, error);
      goto out;
    }
  first = TRUE;
  g_string_append_c (line, '{');
  append_member (line, &first, "type");
  append_json_string (line, "dataset");
  append_member (line, &first, "id");
  append_json_string (line, (const char *) sqlite3_column_text (dataset, 0));
  member_text (line, &first, "title", dataset, 1);
  member_text (line, &first, "description", dataset, 2);
  member_text (line, &first, "instructions", dataset, 3);
  g_string_append_printf (line, ",\"overlap\":%d,\"scale\":%d,\"dispute_spread\":%d,\"required\":[",
                          sqlite3_column_int (dataset, 4), sqlite3_column_int (dataset, 5),
                          sqlite3_column_int (dataset, 6));
  {
    g_auto(GStrv) required = g_strsplit ((const char *) sqlite3_column_text (dataset, 7), ",", -1);

    for (guint i = 0; required[i] != NULL; i++)
      {
        if (i)
          g_string_append_c (line, ',');
        append_json_string (line, required[i]);
      }
  }
  g_string_append_c (line, ']');
  member_raw (line, &first, "rubric", dataset, 8);
  APPEND_LITERAL (line, ",\"rubric_version\":");
  append_uint (line, e->rubric_version);
  member_raw (line, &first, "metadata", dataset, 9);
  APPEND_LITERAL (line, "}\n");
  if (!write_line (e, line, error))
    goto out;

  while ((rc = sqlite3_step (items)) == SQLITE_ROW)
    {
      gint64 item_id = sqlite3_column_int64 (items, 0);
      const char *item_key = (const char *) sqlite3_column_text (items, 1);

      e->summary->n_items++;
      for (guint r = 0; r < n; r++)
        g_clear_pointer (&keys[r], g_free);
      n = 0;

      g_string_truncate (line, 0);
      first = TRUE;
      g_string_append_c (line, '{');
      append_member (line, &first, "type");
      append_json_string (line, "item");
      append_member (line, &first, "dataset");
      append_json_string (line, rounds_dataset_get_name (e->dataset));
      append_member (line, &first, "id");
      append_json_string (line, item_key);
      member_text (line, &first, "title", items, 2);
      member_text (line, &first, "scenario", items, 3);
      member_text (line, &first, "specialty", items, 4);
      member_text (line, &first, "language", items, 5);
      member_raw (line, &first, "metadata", items, 6);
      append_member (line, &first, "responses");
      g_string_append_c (line, '[');
      sqlite3_reset (responses);
      sqlite3_bind_int64 (responses, 2, item_id);
      while ((rc = sqlite3_step (responses)) == SQLITE_ROW)
        {
          gboolean inner = TRUE;

          if (n < MAX_RESPONSES)
            keys[n++] = _rounds_store_column_dup (responses, 1);
          g_string_append (line, n > 1 ? ",{" : "{");
          member_text (line, &inner, "id", responses, 1);
          member_text (line, &inner, "text", responses, 2);
          member_text (line, &inner, "model", responses, 3);
          member_raw (line, &inner, "metadata", responses, 4);
          g_string_append_c (line, '}');
        }
      if (!step_error (e, rc, error))
        goto out;
      g_string_append_c (line, ']');
      if (e->options->include_reference)
        member_raw (line, &first, "reference", items, 7);
      APPEND_LITERAL (line, "}\n");
      if (!write_line (e, line, error))
        goto out;

      /* Every edit of every judgement, then of the verdict. */
      if (!write_edits (e, edits, "judgement", item_id, item_key, keys, n, lines, error) ||
          !write_edits (e, verdicts, "verdict", item_id, item_key, keys, n, lines, error))
        goto out;

      if ((++*items_done & 63) == 0)
        {
          if (g_cancellable_set_error_if_cancelled (e->cancellable, error))
            goto out;
          if (e->progress != NULL && e->n_total_items > 0)
            e->progress ((double) *items_done / e->n_total_items, e->progress_data);
        }
    }
  ok = step_error (e, rc, error);

out:
  for (guint r = 0; r < n; r++)
    g_free (keys[r]);
  sqlite3_finalize (dataset);
  sqlite3_finalize (items);
  sqlite3_finalize (responses);
  sqlite3_finalize (edits);
  sqlite3_finalize (verdicts);
  return ok;
}

/* How the archive was made: what importing it cannot tell from the records. No time, so
 * the same database gives the same bytes. */
static gboolean
full_header (Exporter  *e,
             GError   **error)
{
  g_autoptr(GString) line = g_string_new ("{\"type\":\"export\",\"format\":\"full\",\"rounds_version\":");

  append_json_string (line, PACKAGE_VERSION);
  APPEND_LITERAL (line, ",\"schema\":");
  append_uint (line, (guint64) rounds_store_get_schema_version (e->store));
  g_string_append_printf (line, ",\"annotators\":\"%s\",\"reference\":%s}\n",
                          e->options->real_names ? "user-names" : "pseudonyms",
                          e->options->include_reference ? "true" : "false");
  return write_line (e, line, error);
}

/* The audit facts about the labelled data: who submitted, revised, adjudicated, sent back
 * and revealed what. A machine's own log (files imported, sync runs, exports, profiles)
 * stays with that machine. */
static gboolean
full_audit (Exporter   *e,
            GPtrArray  *datasets,
            GError    **error)
{
  g_autoptr(GString) line = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (_rounds_store_get_db (e->store),
                          "SELECT at, actor, action, target, detail_json FROM audit_log"
                          " WHERE action GLOB 'judgement.*' OR action GLOB 'verdict.*'"
                          " OR action GLOB 'item.*' OR action GLOB 'review.*'"
                          " ORDER BY at, id", -1, &stmt, NULL) != SQLITE_OK)
    return _rounds_store_set_sqlite_error (e->store, error);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *target = (const char *) sqlite3_column_text (stmt, 3);
      gboolean wanted = FALSE, first = TRUE;

      for (guint d = 0; d < datasets->len && !wanted; d++)
        {
          const char *name = rounds_dataset_get_name (g_ptr_array_index (datasets, d));
          gsize len = strlen (name);

          wanted = target != NULL && strncmp (target, name, len) == 0 &&
                   (target[len] == '/' || target[len] == '\0');
        }
      if (!wanted)
        continue;

      g_string_truncate (line, 0);
      g_string_append_c (line, '{');
      append_member (line, &first, "type");
      append_json_string (line, "audit");
      member_text (line, &first, "at", stmt, 0);
      if (sqlite3_column_type (stmt, 1) != SQLITE_NULL)
        {
          append_member (line, &first, "actor");
          append_json_string (line, written_name (e, (const char *) sqlite3_column_text (stmt, 1)));
        }
      member_text (line, &first, "action", stmt, 2);
      member_text (line, &first, "target", stmt, 3);
      member_raw (line, &first, "detail", stmt, 4);
      APPEND_LITERAL (line, "}\n");
      if (!write_line (e, line, error))
        {
          sqlite3_finalize (stmt);
          return FALSE;
        }
    }
  sqlite3_finalize (stmt);
  return step_error (e, rc, error);
}

/* Running ----------------------------------------------------------------------------- */

static GPtrArray *
chosen_datasets (RoundsStore                *store,
                 const RoundsExportOptions  *options,
                 GError                    **error)
{
  g_autoptr(GPtrArray) datasets = g_ptr_array_new_with_free_func (g_object_unref);

  if (options->datasets != NULL && options->datasets[0] != NULL)
    {
      for (guint i = 0; options->datasets[i] != NULL; i++)
        {
          RoundsDataset *dataset = rounds_store_get_dataset (store, options->datasets[i], NULL);

          if (dataset == NULL)
            {
              g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_NOT_FOUND,
                           _("--dataset: no dataset “%s” in this database"), options->datasets[i]);
              return NULL;
            }
          g_ptr_array_add (datasets, dataset);
        }
    }
  else
    {
      g_autoptr(GListModel) list = rounds_store_list_datasets (store, error);

      if (list == NULL)
        return NULL;
      for (guint i = 0; i < g_list_model_get_n_items (list); i++)
        g_ptr_array_add (datasets, g_list_model_get_item (list, i));
    }
  return g_steal_pointer (&datasets);
}

static int
dataset_rubric_version (Exporter *e)
{
  sqlite3_stmt *stmt = NULL;
  int version = 1;

  if (sqlite3_prepare_v2 (_rounds_store_get_db (e->store), "SELECT rubric_version FROM datasets WHERE id = ?1",
                          -1, &stmt, NULL) == SQLITE_OK)
    {
      sqlite3_bind_int64 (stmt, 1, rounds_dataset_get_id (e->dataset));
      if (sqlite3_step (stmt) == SQLITE_ROW)
        version = sqlite3_column_int (stmt, 0);
    }
  sqlite3_finalize (stmt);
  return version;
}

static gboolean
run (RoundsStore                *store,
     const RoundsExportOptions  *options,
     const char                 *path,
     const char                 *test_path,
     RoundsExportSummary        *summary,
     RoundsExportProgressFunc    progress,
     gpointer                    progress_data,
     GCancellable               *cancellable,
     GError                    **error)
{
  g_autoptr(GPtrArray) datasets = NULL;
  g_autoptr(GPtrArray) criteria = g_ptr_array_new ();
  RoundsExportSummary local_summary;
  Exporter e = { 0 };
  const char *paths[2] = { path, test_path };
  guint64 items_done = 0;
  gboolean ok = FALSE;

  if (summary == NULL)
    summary = &local_summary;
  memset (summary, 0, sizeof *summary);

  if (!rounds_export_options_check (options, error))
    return FALSE;
  if (path != NULL && options->test_fraction > 0.0 && test_path == NULL)
    return option_error (error, _("--split needs a file for the test part"));
  if (path != NULL && test_path != NULL && g_str_equal (path, "-"))
    return option_error (error, _("--split writes two files: give -o FILE, not standard output"));
  if (!(datasets = chosen_datasets (store, options, error)))
    return FALSE;

  e.store = store;
  e.options = options;
  e.summary = summary;
  e.cancellable = cancellable;
  e.progress = progress;
  e.progress_data = progress_data;
  e.counting = path == NULL;
  e.pseudonyms = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  e.criteria = criteria;

  for (guint d = 0; d < datasets->len; d++)
    {
      RoundsDataset *dataset = g_ptr_array_index (datasets, d);
      RoundsRubric *rubric = rounds_dataset_get_rubric (dataset);

      e.n_total_items += rounds_dataset_get_n_items (dataset);
      for (guint c = 0; c < rounds_rubric_get_n_criteria (rubric); c++)
        {
          const char *id = rounds_rubric_get_criterion (rubric, c)->id;

          if (!g_ptr_array_find_with_equal_func (criteria, id, g_str_equal, NULL))
            g_ptr_array_add (criteria, (gpointer) id);
        }
    }

  if (!load_key (&e, error))
    goto out;
  if (!e.counting)
    {
      if (!open_output (&e, 0, path, error) ||
          (options->test_fraction > 0.0 && !open_output (&e, 1, test_path, error)))
        goto out;
      if (options->format == ROUNDS_EXPORT_CSV)
        for (guint i = 0; i < 2; i++)
          if (e.files[i] != NULL)
            append_csv_header (&e, e.buffers[i]);
      e.record = e.buffers[0];
    }

  /* One read transaction: the export is one consistent picture even while the app saves. */
  if (!_rounds_store_exec (store, "BEGIN", error))
    goto out;
  if (options->format == ROUNDS_EXPORT_FULL && !full_header (&e, error))
    {
      _rounds_store_exec (store, "ROLLBACK", NULL);
      goto out;
    }
  for (guint d = 0; d < datasets->len; d++)
    {
      e.dataset = g_ptr_array_index (datasets, d);
      e.rubric_version = dataset_rubric_version (&e);
      {
        RoundsRubric *rubric = rounds_dataset_get_rubric (e.dataset);

        for (guint c = 0; c < rounds_rubric_get_n_criteria (rubric) && c < G_N_ELEMENTS (e.criterion_map); c++)
          {
            guint column = 0;

            g_ptr_array_find_with_equal_func (criteria, rounds_rubric_get_criterion (rubric, c)->id,
                                              g_str_equal, &column);
            e.criterion_map[c] = (int) column;
          }
      }
      if (!(options->format == ROUNDS_EXPORT_FULL ? full_dataset (&e, &items_done, error)
                                                  : export_dataset (&e, &items_done, error)))
        {
          _rounds_store_exec (store, "ROLLBACK", NULL);
          goto out;
        }
    }
  if (options->format == ROUNDS_EXPORT_FULL && !full_audit (&e, datasets, error))
    {
      _rounds_store_exec (store, "ROLLBACK", NULL);
      goto out;
    }
  _rounds_store_exec (store, "COMMIT", NULL);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    goto out;
  if (!e.counting)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *detail = NULL;
      g_autofree char *target = NULL;

      if (!finish_outputs (&e, paths, error))
        goto out;

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
        json_builder_add_string_value (builder, rounds_dataset_get_name (g_ptr_array_index (datasets, d)));
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      detail = json_to_string (root, FALSE);
      target = g_str_equal (path, "-") ? g_strdup ("-") : g_path_get_basename (path);
      /* The file is written: failing to log it is worth a warning, not undoing it. */
      {
        g_autoptr(GError) audit_error = NULL;

        if (!rounds_store_audit (store, options->actor, "export.write", target, detail, &audit_error))
          g_warning ("Could not log the export: %s", audit_error->message);
      }
    }
  if (progress != NULL)
    progress (1.0, progress_data);
  ok = TRUE;

out:
  discard_outputs (&e);
  g_hash_table_unref (e.pseudonyms);
  g_free (e.key);
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
  g_return_val_if_fail (ROUNDS_IS_STORE (store), FALSE);
  g_return_val_if_fail (options != NULL, FALSE);

  return run (store, options, NULL, NULL, summary, NULL, NULL, cancellable, error);
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
  g_return_val_if_fail (ROUNDS_IS_STORE (store), FALSE);
  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  return run (store, options, path, test_path, summary, progress, progress_data, cancellable, error);
}

/* Off the main thread ----------------------------------------------------------------- */

typedef struct
{
  char                     *db_path;
  RoundsExportOptions       options;
  char                     *path;
  char                     *test_path;
  RoundsExportSummary       summary;
  RoundsExportProgressFunc  progress;
  gpointer                  progress_data;
  GMainContext             *context;
  gint                      pending;      /* a progress report is on its way */
} Job;

static void
job_free (gpointer data)
{
  Job *job = data;

  g_free (job->db_path);
  rounds_export_options_clear (&job->options);
  g_free (job->path);
  g_free (job->test_path);
  g_clear_pointer (&job->context, g_main_context_unref);
  g_free (job);
}

typedef struct
{
  GTask  *task;
  double  fraction;
} Report;

static gboolean
report_progress (gpointer data)
{
  Report *report = data;
  Job *job = g_task_get_task_data (report->task);

  g_atomic_int_set (&job->pending, 0);
  if (!g_task_had_error (report->task) && !g_cancellable_is_cancelled (g_task_get_cancellable (report->task)))
    job->progress (report->fraction, job->progress_data);
  g_object_unref (report->task);
  g_free (report);
  return G_SOURCE_REMOVE;
}

static void
thread_progress (double   fraction,
                 gpointer data)
{
  GTask *task = data;
  Job *job = g_task_get_task_data (task);
  Report *report;

  /* One report in flight at a time: a slow main loop is not flooded. */
  if (job->progress == NULL || !g_atomic_int_compare_and_exchange (&job->pending, 0, 1))
    return;
  report = g_new0 (Report, 1);
  report->task = g_object_ref (task);
  report->fraction = fraction;
  g_main_context_invoke (job->context, report_progress, report);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(RoundsStore) store = NULL;
  GError *error = NULL;
  gboolean ok;

  if (!(store = rounds_store_open (job->db_path, &error)))
    {
      g_task_return_error (task, error);
      return;
    }
  if (job->path == NULL)
    ok = rounds_export_count (store, &job->options, &job->summary, cancellable, &error);
  else
    ok = rounds_export_write (store, &job->options, job->path, job->test_path, &job->summary,
                              thread_progress, task, cancellable, &error);
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
start_job (const char                 *db_path,
           const RoundsExportOptions  *options,
           const char                 *path,
           const char                 *test_path,
           RoundsExportProgressFunc    progress,
           gpointer                    progress_data,
           GCancellable               *cancellable,
           GAsyncReadyCallback         callback,
           gpointer                    user_data,
           gpointer                    tag)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  Job *job = g_new0 (Job, 1);

  job->db_path = g_strdup (db_path);
  rounds_export_options_copy (options, &job->options);
  job->path = g_strdup (path);
  job->test_path = g_strdup (test_path);
  job->progress = progress;
  job->progress_data = progress_data;
  job->context = g_main_context_ref_thread_default ();
  g_task_set_source_tag (task, tag);
  g_task_set_task_data (task, job, job_free);
  /* A cancel that comes after the files took their names must not report "nothing
   * written": the result is what the thread did. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_run_in_thread (task, export_thread);
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
  g_return_if_fail (db_path != NULL);
  g_return_if_fail (options != NULL);
  g_return_if_fail (path != NULL);

  start_job (db_path, options, path, test_path, progress, progress_data, cancellable, callback, user_data,
             rounds_export_write_async);
}

static gboolean
job_finish (GAsyncResult         *result,
            gpointer              tag,
            RoundsExportSummary  *summary,
            GError              **error)
{
  GTask *task = G_TASK (result);

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (task) == tag, FALSE);

  if (!g_task_propagate_boolean (task, error))
    return FALSE;
  if (summary != NULL)
    *summary = ((Job *) g_task_get_task_data (task))->summary;
  return TRUE;
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

  start_job (db_path, options, NULL, NULL, NULL, NULL, cancellable, callback, user_data,
             rounds_export_count_async);
}

gboolean
rounds_export_count_finish (GAsyncResult         *result,
                            RoundsExportSummary  *summary,
                            GError              **error)
{
  return job_finish (result, rounds_export_count_async, summary, error);
}
