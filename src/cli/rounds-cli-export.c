/* rounds-cli-export.c: `rounds-cli export --format F [filters] -o FILE`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-cli"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <stdlib.h>

#include "rounds-cli-private.h"
#include "rounds-error.h"
#include "rounds-export.h"
#include "rounds-judgement.h"

static gboolean
parse_double (const char *option,
              const char *text,
              double     *value)
{
  char *end = NULL;

  if (text == NULL)
    return TRUE;
  errno = 0;
  *value = g_ascii_strtod (text, &end);
  if (errno != 0 || end == text || *end != '\0')
    {
      rounds_cli_usage ("export", _("%s: expected a number, not “%s”"), option, text);
      return FALSE;
    }
  return TRUE;
}

/* The values of --rule and --kto-rule, in the order of RoundsConsensusRule and RoundsKtoRule. */
static const char *const rule_names[] = { "mean", "majority" };
static const char *const kto_rule_names[] = { "winner", "score" };

/* @text, when given, is one of @choices: @value becomes its index. */
static gboolean
parse_choice (const char        *option,
              const char        *text,
              const char *const  choices[2],
              guint             *value)
{
  if (text == NULL)
    return TRUE;
  for (guint i = 0; i < 2; i++)
    if (g_str_equal (text, choices[i]))
      {
        *value = i;
        return TRUE;
      }
  /* TRANSLATORS: an option, its two values, then what was given */
  rounds_cli_usage ("export", _("%s: expected %s or %s, not “%s”"),
                    option, choices[0], choices[1], text);
  return FALSE;
}

/* "test=0.1" */
static gboolean
parse_split (const char *text,
             double     *fraction)
{
  if (text == NULL)
    return TRUE;
  if (!g_str_has_prefix (text, "test="))
    {
      rounds_cli_usage ("export", _("--split: expected test=SHARE, such as test=0.1, not “%s”"),
                        text);
      return FALSE;
    }
  return parse_double ("--split", text + strlen ("test="), fraction);
}

static gboolean
parse_flags (char  **names,
             guint  *flags)
{
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (names[i], ",", -1);

      for (guint p = 0; parts[p] != NULL; p++)
        {
          RoundsFlags flag = rounds_flag_from_string (g_strstrip (parts[p]));

          if (flag == ROUNDS_FLAG_NONE)
            {
              rounds_cli_usage ("export",
                                _("--exclude-flag: unknown flag “%s”: use unsafe, "
                                  "factually-wrong, outdated, privacy or bias"),
                                parts[p]);
              return FALSE;
            }
          *flags |= flag;
        }
    }
  return TRUE;
}

int
rounds_cli_export (RoundsCli  *cli,
                   int         argc,
                   char      **argv)
{
  g_autofree char *format = NULL, *output = NULL, *rule = NULL, *kto_rule = NULL;
  g_autofree char *min_agreement = NULL, *min_margin = NULL, *kto_min_score = NULL;
  g_autofree char *split = NULL, *seed = NULL, *key = NULL, *actor = NULL;
  g_auto(GStrv) datasets = NULL, flags = NULL;
  gboolean exclude_ties = FALSE, only_adjudicated = FALSE, include_reference = FALSE;
  gboolean real_names = FALSE, count_only = FALSE, quiet = FALSE, include_guardian = FALSE;
  int min_annotators = ROUNDS_EXPORT_DEFAULT_MIN_ANNOTATORS;
  const GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format,
      N_("trl, trl-chat, kto, openai, hh, csv or full"), N_("FORMAT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("The file to write, or - for standard output"), N_("FILE") },
    { "dataset", 'd', 0, G_OPTION_ARG_STRING_ARRAY, &datasets,
      N_("Export this dataset only (repeatable; default: all)"), N_("NAME") },
    { "rule", 0, 0, G_OPTION_ARG_STRING, &rule,
      N_("Consensus where there is no verdict: mean (default) or majority"), N_("RULE") },
    { "min-annotators", 0, 0, G_OPTION_ARG_INT, &min_annotators,
      N_("Consensus labels need this many judgements (default 2)"), N_("N") },
    { "min-agreement", 0, 0, G_OPTION_ARG_STRING, &min_agreement,
      N_("Consensus labels need this share of annotator pairs agreeing, 0 to 1"), N_("SHARE") },
    { "min-margin", 0, 0, G_OPTION_ARG_STRING, &min_margin,
      N_("Pairs need this |mean preference| (two responses) or rank gap"), N_("X") },
    { "exclude-ties", 0, 0, G_OPTION_ARG_NONE, &exclude_ties,
      N_("Leave out tied pairs (CSV; the pair formats always do)"), NULL },
    { "exclude-flag", 0, 0, G_OPTION_ARG_STRING_ARRAY, &flags,
      N_("Leave out records with a response flagged so (repeatable)"), N_("FLAG") },
    { "only-adjudicated", 0, 0, G_OPTION_ARG_NONE, &only_adjudicated,
      N_("Only items with a reviewer’s verdict"), NULL },
    { "include-reference", 0, 0, G_OPTION_ARG_NONE, &include_reference,
      N_("Let hidden reference labels out: in metadata, and as the label of unjudged items"),
      NULL },
    { "include-guardian", 0, 0, G_OPTION_ARG_NONE, &include_guardian,
      N_("Let the guardian’s judgements out, beside the labels they never make"), NULL },
    { "real-names", 0, 0, G_OPTION_ARG_NONE, &real_names,
      N_("Name annotators by user name instead of pseudonyms"), NULL },
    { "pseudonym-key", 0, 0, G_OPTION_ARG_STRING, &key,
      N_("Make pseudonyms with this key (default: the database’s own)"), N_("KEY") },
    { "kto-rule", 0, 0, G_OPTION_ARG_STRING, &kto_rule,
      N_("KTO: a response is desirable when it won (winner, default) or by score"), N_("RULE") },
    { "kto-min-score", 0, 0, G_OPTION_ARG_STRING, &kto_min_score,
      N_("KTO by score: the mean rubric score that is acceptable (default 4)"), N_("X") },
    { "split", 0, 0, G_OPTION_ARG_STRING, &split,
      N_("Write FILE.train and FILE.test, split by scenario: test=SHARE"), N_("test=SHARE") },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &seed,
      N_("Seed of the split (default 0)"), N_("S") },
    { "count", 0, 0, G_OPTION_ARG_NONE, &count_only,
      N_("Write nothing: print what would be written"), NULL },
    { "as", 0, 0, G_OPTION_ARG_STRING, &actor,
      N_("Who exports, for the audit log (default: the current profile)"), N_("USER") },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet,
      N_("No summary on standard error"), NULL },
    { NULL }
  };
  const char *description =
    _("Each item’s label is its verdict where a reviewer gave one, else the consensus of the\n"
      "submitted judgements under --rule. Rankings of three or more responses give every ordered\n"
      "pair. Annotators are pseudonyms unless --real-names. The output is written to a temporary\n"
      "file and renamed when complete: an error leaves no partial file. A summary of what was\n"
      "written and skipped goes to standard error.");
  g_autoptr(GError) error = NULL;
  g_autofree char *summary_text = NULL;
  g_autofree char *train_path = NULL, *test_path = NULL;
  RoundsExportOptions options;
  RoundsExportSummary summary;
  RoundsStore *store;
  guint rule_value, kto_rule_value;
  gboolean ok;
  int status = ROUNDS_CLI_EXIT_USAGE;

  if (!rounds_cli_parse ("export", _("— export rated pairs for training, or the full archive"),
                         entries, description, &argc, &argv))
    return ROUNDS_CLI_EXIT_USAGE;
  if (argc > 1)
    return rounds_cli_usage ("export", _("unexpected argument “%s”"), argv[1]);

  rounds_export_options_init (&options);
  if (format == NULL)
    {
      rounds_cli_usage ("export", "%s",
                        _("give --format: trl, trl-chat, kto, openai, hh, csv or full"));
      goto out;
    }
  if (!rounds_export_format_from_string (format, &options.format))
    {
      rounds_cli_usage ("export",
                        _("--format: unknown format “%s”: use trl, trl-chat, kto, openai, hh, "
                          "csv or full"),
                        format);
      goto out;
    }
  if (output == NULL && !count_only)
    {
      rounds_cli_usage ("export", "%s",
                        _("give -o FILE (or - for standard output), or --count"));
      goto out;
    }
  rule_value = options.rule;
  kto_rule_value = options.kto_rule;
  if (!parse_choice ("--rule", rule, rule_names, &rule_value) ||
      !parse_choice ("--kto-rule", kto_rule, kto_rule_names, &kto_rule_value))
    goto out;
  options.rule = (RoundsConsensusRule) rule_value;
  options.kto_rule = (RoundsKtoRule) kto_rule_value;
  if (min_annotators < 1)
    {
      rounds_cli_usage ("export", "%s", _("--min-annotators: expected a whole number from 1"));
      goto out;
    }
  options.min_annotators = (guint) min_annotators;
  if (!parse_double ("--min-agreement", min_agreement, &options.min_agreement) ||
      !parse_double ("--min-margin", min_margin, &options.min_margin) ||
      !parse_double ("--kto-min-score", kto_min_score, &options.kto_min_score) ||
      !parse_split (split, &options.test_fraction) ||
      !parse_flags (flags, &options.exclude_flags))
    goto out;
  if (seed != NULL)
    {
      guint64 value;

      if (!g_ascii_string_to_unsigned (seed, 10, 0, G_MAXUINT64, &value, NULL))
        {
          rounds_cli_usage ("export", _("--seed: expected a whole number, not “%s”"), seed);
          goto out;
        }
      options.seed = value;
    }
  if (seed != NULL && split == NULL)
    {
      rounds_cli_usage ("export", "%s", _("--seed goes with --split"));
      goto out;
    }
  options.exclude_ties = exclude_ties;
  options.only_adjudicated = only_adjudicated;
  options.include_reference = include_reference;
  options.include_guardian = include_guardian;
  options.real_names = real_names;
  options.datasets = g_steal_pointer (&datasets);
  options.pseudonym_key = g_steal_pointer (&key);
  if (!rounds_export_options_check (&options, &error))
    {
      rounds_cli_usage ("export", "%s", error->message);
      goto out;
    }
  if (options.test_fraction > 0.0 && output != NULL && g_str_equal (output, "-"))
    {
      rounds_cli_usage ("export", "%s",
                        _("--split writes two files: give -o FILE, not standard output"));
      goto out;
    }

  if (!(store = rounds_cli_open_store (cli, &error)))
    {
      status = rounds_cli_fail ("export", error);
      goto out;
    }
  options.actor = rounds_cli_get_actor (store, actor);

  if (count_only)
    ok = rounds_export_count (store, &options, &summary, NULL, &error);
  else
    {
      if (options.test_fraction > 0.0)
        {
          train_path = rounds_export_split_path (output, "train");
          test_path = rounds_export_split_path (output, "test");
        }
      ok = rounds_export_write (store, &options, train_path ? train_path : output, test_path,
                                &summary, NULL, NULL, NULL, &error);
    }
  if (!ok)
    {
      status = g_error_matches (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_ARGUMENT) ||
               g_error_matches (error, ROUNDS_ERROR, ROUNDS_ERROR_NOT_FOUND)
               ? rounds_cli_usage ("export", "%s", error->message)
               : rounds_cli_fail ("export", error);
      goto out;
    }

  summary_text = rounds_export_summary_to_string (&summary, &options);
  if (count_only)
    g_print ("%s\n", summary_text);
  else if (!quiet)
    {
      if (train_path != NULL)
        g_printerr (_("Wrote %s and %s\n"), train_path, test_path);
      else if (!g_str_equal (output, "-"))
        g_printerr (_("Wrote %s\n"), output);
      g_printerr ("%s\n", summary_text);
    }
  status = ROUNDS_CLI_EXIT_OK;

out:
  rounds_export_options_clear (&options);
  return status;
}
