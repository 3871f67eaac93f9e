/* rounds-export-options.c: what an export is asked for: formats, options and their checks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-export"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "rounds-error.h"
#include "rounds-export-private.h"
#include "rounds-judgement.h"

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

/**
 * rounds_export_format_has_ties:
 *
 * Whether @format can hold a tied pair, so that @exclude_ties changes what it writes: only
 * CSV does. A pair format needs a chosen and a rejected response, KTO labels one response at
 * a time, and the full archive keeps every judgement as it was.
 */
gboolean
rounds_export_format_has_ties (RoundsExportFormat format)
{
  g_return_val_if_fail (format < ROUNDS_EXPORT_N_FORMATS, FALSE);
  return format == ROUNDS_EXPORT_CSV;
}

void
rounds_export_options_init (RoundsExportOptions *options)
{
  memset (options, 0, sizeof *options);
  options->format = ROUNDS_EXPORT_TRL;
  options->rule = ROUNDS_CONSENSUS_MEAN;
  /* One person's judgement is not a consensus: a label needs two unless asked otherwise. */
  options->min_annotators = ROUNDS_EXPORT_DEFAULT_MIN_ANNOTATORS;
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

gboolean
_rounds_export_option_error (GError     **error,
                             const char  *format,
                             ...)
{
  va_list args;

  va_start (args, format);
  g_propagate_error (error, g_error_new_valist (ROUNDS_ERROR, ROUNDS_ERROR_INVALID_ARGUMENT,
                                                format, args));
  va_end (args);
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
    return _rounds_export_option_error (error, _("Unknown export format"));
  if (options->min_annotators < 1)
    return _rounds_export_option_error (error,
                                        _("--min-annotators: expected a whole number from 1"));
  if (!(options->min_agreement >= 0.0 && options->min_agreement <= 1.0))
    return _rounds_export_option_error (error, _("--min-agreement: expected a share of "
                                                 "annotator pairs from 0 to 1, such as 0.8"));
  if (!(options->min_margin >= 0.0 && options->min_margin <= 7.0))
    return _rounds_export_option_error (error, _("--min-margin: expected a number from 0 to 7 "
                                                 "(the preference scale or the rank gap)"));
  if (!(options->test_fraction >= 0.0 && options->test_fraction < 1.0))
    return _rounds_export_option_error (error, _("--split: the test share must be at least 0 "
                                                 "and below 1, such as test=0.1"));
  if (options->format == ROUNDS_EXPORT_FULL && options->test_fraction > 0.0)
    return _rounds_export_option_error (error, _("--split: the full archive is not split; "
                                                 "choose a training format"));
  if (options->kto_rule == ROUNDS_KTO_SCORE &&
      !(options->kto_min_score >= 0.0 && options->kto_min_score <= 100.0))
    return _rounds_export_option_error (error,
                                        _("--kto-min-score: expected a rubric score, such as 4"));
  if (options->exclude_flags & ~((1u << ROUNDS_N_FLAGS) - 1))
    return _rounds_export_option_error (error, _("--exclude-flag: unknown flag"));
  for (guint i = 0; options->datasets != NULL && options->datasets[i] != NULL; i++)
    if (*options->datasets[i] == '\0')
      return _rounds_export_option_error (error, _("--dataset: expected a dataset name"));
  return TRUE;
}
