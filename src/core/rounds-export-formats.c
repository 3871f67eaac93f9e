/* rounds-export-formats.c: records for training: TRL, TRL chat, KTO, OpenAI, HH-RLHF, CSV
 *
 * Every record but OpenAI's carries its provenance: where its label came from, who judged,
 * in what order the responses were shown, scores and flags.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-export"

#include "config.h"

#include <math.h>
#include <string.h>

#include "rounds-export-private.h"
#include "rounds-json-writer-private.h"
#include "rounds-judgement.h"

/* The judgements of a single annotator are no consensus: such a label (asked for with
 * min_annotators 1) is named for what it is, with no rule. */
static gboolean
is_consensus (const Item      *item,
              const ItemLabel *label)
{
  return label->source == ROUNDS_LABEL_CONSENSUS && item->votes->len > 1;
}

static const char *
source_name (const Item      *item,
             const ItemLabel *label)
{
  return label->source == ROUNDS_LABEL_VERDICT ? "verdict" :
         is_consensus (item, label) ? "consensus" :
         label->source == ROUNDS_LABEL_CONSENSUS ? "annotator" : "reference";
}

static const char *
rule_name (Exporter *e)
{
  return e->options->rule == ROUNDS_CONSENSUS_MEAN ? "mean" : "majority";
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

/* Which of a pair the guardian's @vote prefers: "chosen", "rejected", "tie", or %NULL. */
static const char *
guardian_prefers (const Item  *item,
                  const Vote  *vote,
                  guint        chosen,
                  guint        rejected)
{
  int d;

  if (item->n == 2 && vote->has_preference)
    d = chosen == 0 ? vote->preference : -vote->preference;
  else if (item->n > 2 && vote->has_ranks)
    d = vote->ranks[chosen] - vote->ranks[rejected];
  else
    return NULL;
  return d < 0 ? "chosen" : d > 0 ? "rejected" : "tie";
}

/* With --include-guardian: what each machine annotator said of the record's responses,
 * beside the label it never makes. */
static void
append_guardian (const Item  *item,
                 const guint *responses,
                 guint        n_responses,
                 gboolean    *first,
                 GString     *out)
{
  gboolean inner = TRUE;

  _rounds_json_append_member (out, first, "guardian");
  g_string_append_c (out, '{');
  for (guint v = 0; v < item->guardian->len; v++)
    {
      const Vote *vote = &g_array_index (item->guardian, Vote, v);
      const char *prefers = n_responses == 2 ? guardian_prefers (item, vote, responses[0],
                                                                 responses[1]) : NULL;
      gboolean member = TRUE;

      _rounds_json_append_member (out, &inner, vote->name);
      g_string_append_c (out, '{');
      if (prefers != NULL)
        {
          _rounds_json_append_member (out, &member, "prefers");
          _rounds_json_append_string (out, prefers);
        }
      _rounds_json_append_member (out, &member, "unsafe");
      g_string_append_c (out, '[');
      for (guint k = 0, any = 0; k < n_responses; k++)
        if (vote->flags[responses[k]] & ROUNDS_FLAG_UNSAFE)
          {
            if (any++)
              g_string_append_c (out, ',');
            _rounds_json_append_string (out, item->responses[responses[k]].key);
          }
      g_string_append (out, "]}");
    }
  g_string_append_c (out, '}');
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
  _rounds_json_append_member (out, &first, "dataset");
  _rounds_json_append_string (out, rounds_dataset_get_name (e->dataset));
  _rounds_json_append_member (out, &first, "item");
  _rounds_json_append_string (out, item->key);
  if (n_responses == 2)
    {
      _rounds_json_append_member (out, &first, "chosen");
      _rounds_json_append_string (out, item->responses[responses[0]].key);
      _rounds_json_append_member (out, &first, "rejected");
      _rounds_json_append_string (out, item->responses[responses[1]].key);
    }
  else
    {
      _rounds_json_append_member (out, &first, "response");
      _rounds_json_append_string (out, item->responses[responses[0]].key);
    }

  _rounds_json_append_member (out, &first, "models");
  g_string_append_c (out, '{');
  inner = TRUE;
  for (guint k = 0; k < n_responses; k++)
    if (item->responses[responses[k]].model != NULL)
      {
        _rounds_json_append_member (out, &inner, item->responses[responses[k]].key);
        _rounds_json_append_string (out, item->responses[responses[k]].model);
      }
  g_string_append_c (out, '}');

  _rounds_json_append_member (out, &first, "label");
  g_string_append_c (out, '{');
  inner = TRUE;
  _rounds_json_append_member (out, &inner, "source");
  _rounds_json_append_string (out, source_name (item, label));
  if (is_consensus (item, label))
    {
      _rounds_json_append_member (out, &inner, "rule");
      _rounds_json_append_string (out, rule_name (e));
    }
  if (e->options->format == ROUNDS_EXPORT_KTO)
    {
      _rounds_json_append_member (out, &inner, "kto_rule");
      _rounds_json_append_string (out,
                                  e->options->kto_rule == ROUNDS_KTO_WINNER ? "winner" : "score");
    }
  if (label->unacceptable)
    {
      _rounds_json_append_member (out, &inner, "unacceptable");
      ROUNDS_JSON_APPEND_LITERAL (out, "true");
    }
  if (pair != NULL && label->source != ROUNDS_LABEL_REFERENCE)
    {
      _rounds_json_append_member (out, &inner, item->n == 2 ? "margin" : "rank_gap");
      _rounds_json_append_number (out, pair->margin);
      if (item->n == 2)
        {
          _rounds_json_append_member (out, &inner, "scale");
          _rounds_json_append_uint (out, rounds_dataset_get_scale (e->dataset));
        }
      if (label->source == ROUNDS_LABEL_CONSENSUS)
        {
          /* Votes oriented to the record: for the chosen, tie, for the rejected. */
          gboolean flipped = n_responses == 2 && responses[0] > responses[1];

          _rounds_json_append_member (out, &inner, "votes");
          g_string_append_c (out, '[');
          _rounds_json_append_uint (out, pair->votes[flipped ? 2 : 0]);
          g_string_append_c (out, ',');
          _rounds_json_append_uint (out, pair->votes[1]);
          g_string_append_c (out, ',');
          _rounds_json_append_uint (out, pair->votes[flipped ? 0 : 2]);
          g_string_append_c (out, ']');
        }
    }
  g_string_append_c (out, '}');

  _rounds_json_append_member (out, &first, "agreement");
  _rounds_json_append_number (out, label->agreement);

  _rounds_json_append_member (out, &first, "annotators");
  g_string_append_c (out, '[');
  for (guint v = 0; v < item->votes->len; v++)
    {
      if (v)
        g_string_append_c (out, ',');
      _rounds_json_append_string (out, g_array_index (item->votes, Vote, v).name);
    }
  g_string_append_c (out, ']');
  if (item->has_verdict)
    {
      _rounds_json_append_member (out, &first, "reviewer");
      _rounds_json_append_string (out, item->verdict.name);
    }

  _rounds_json_append_member (out, &first, "shown_order");
  g_string_append_c (out, '{');
  inner = TRUE;
  for (guint v = 0; v < item->votes->len; v++)
    {
      const Vote *vote = &g_array_index (item->votes, Vote, v);

      _rounds_json_append_member (out, &inner, vote->name);
      g_string_append_c (out, '[');
      for (guint s = 0; s < vote->n_shown; s++)
        {
          if (s)
            g_string_append_c (out, ',');
          _rounds_json_append_string (out, vote->shown[s] < item->n
                                           ? item->responses[vote->shown[s]].key : "?");
        }
      g_string_append_c (out, ']');
    }
  g_string_append_c (out, '}');

  _rounds_json_append_member (out, &first, "scores");
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
      n_split = _rounds_json_split_array (vote->scores_json, starts, lengths, MAX_RESPONSES);
      for (guint k = 0; k < n_responses; k++)
        any |= responses[k] < n_split && lengths[responses[k]] > 2;
      if (!any)
        continue;
      _rounds_json_append_member (out, &inner, v < item->votes->len ? vote->name : "verdict");
      g_string_append_c (out, '{');
      {
        gboolean per = TRUE;

        for (guint k = 0; k < n_responses; k++)
          if (responses[k] < n_split && lengths[responses[k]] > 2)
            {
              _rounds_json_append_member (out, &per, item->responses[responses[k]].key);
              g_string_append_len (out, starts[responses[k]], lengths[responses[k]]);
            }
      }
      g_string_append_c (out, '}');
    }
  g_string_append_c (out, '}');

  _rounds_json_append_member (out, &first, "flags");
  g_string_append_c (out, '{');
  inner = TRUE;
  for (guint k = 0; k < n_responses; k++)
    {
      guint flags = _rounds_export_response_flags (item, responses[k]);

      if (flags == 0)
        continue;
      _rounds_json_append_member (out, &inner, item->responses[responses[k]].key);
      g_string_append_c (out, '[');
      for (guint f = 0, any = 0; f < ROUNDS_N_FLAGS; f++)
        if (flags & (1u << f))
          {
            if (any++)
              g_string_append_c (out, ',');
            _rounds_json_append_string (out, rounds_flag_to_string (1u << f));
          }
      g_string_append_c (out, ']');
    }
  g_string_append_c (out, '}');

  if (e->options->include_guardian)
    append_guardian (item, responses, n_responses, &first, out);

  if (e->options->include_reference && item->reference_json != NULL)
    {
      _rounds_json_append_member (out, &first, "reference");
      _rounds_json_append_raw (out, item->reference_json);
    }
  _rounds_json_append_member (out, &first, "rubric_version");
  _rounds_json_append_uint (out, e->rubric_version);
  _rounds_json_append_member (out, &first, "rounds_version");
  _rounds_json_append_string (out, PACKAGE_VERSION);
  g_string_append_c (out, '}');
}

static void
append_message_list (GString    *out,
                     const char *role,
                     const char *content)
{
  ROUNDS_JSON_APPEND_LITERAL (out, "[{\"role\":");
  _rounds_json_append_string (out, role);
  ROUNDS_JSON_APPEND_LITERAL (out, ",\"content\":");
  _rounds_json_append_string (out, content);
  ROUNDS_JSON_APPEND_LITERAL (out, "}]");
}

/* A part of a TRL record: the text itself, or in the conversational layout a list of one
 * message. */
static void
append_trl_part (GString    *out,
                 gboolean    chat,
                 const char *role,
                 const char *content)
{
  if (chat)
    append_message_list (out, role, content);
  else
    _rounds_json_append_string (out, content);
}

static void
append_hh (GString    *out,
           const char *prompt,
           const char *answer)
{
  g_autofree char *text = g_strconcat ("\n\nHuman: ", prompt, "\n\nAssistant: ", answer, NULL);

  _rounds_json_append_string (out, text);
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

void
_rounds_export_append_csv_header (Exporter *e,
                                  GString  *out)
{
  for (guint c = 0; c < G_N_ELEMENTS (csv_columns); c++)
    g_string_append_printf (out, "%s%s", c ? "," : "", csv_columns[c]);
  for (guint side = 0; side < 2; side++)
    for (guint c = 0; c < e->criteria->len; c++)
      g_string_append_printf (out, ",%s_%s", side ? "rejected" : "chosen",
                              (const char *) g_ptr_array_index (e->criteria, c));
  ROUNDS_JSON_APPEND_LITERAL (out, ",rubric_version,rounds_version,prompt,chosen,rejected\r\n");
}

static void
append_csv_number (GString *out,
                   double   value)
{
  g_string_append_c (out, ',');
  if (isfinite (value))
    _rounds_json_append_number (out, value);
}

/* @responses: the chosen and the rejected response */
static void
append_csv_row (Exporter        *e,
                Item            *item,
                const ItemLabel *label,
                const PairLabel *pair,
                const guint     *responses,
                const char      *verdict)
{
  GString *out = e->record;
  guint chosen = responses[0], rejected = responses[1];
  g_autoptr(GString) names = g_string_new (NULL);
  g_autofree double *scores = g_new0 (double, e->criteria->len * 2);

  append_csv_field (out, rounds_dataset_get_name (e->dataset));
  g_string_append_c (out, ',');
  append_csv_field (out, item->key);
  g_string_append_c (out, ',');
  append_csv_field (out, item->responses[chosen].key);
  g_string_append_c (out, ',');
  append_csv_field (out, item->responses[rejected].key);
  g_string_append_printf (out, ",%s,%s,%s", verdict, source_name (item, label),
                          is_consensus (item, label) ? rule_name (e) : "");
  append_csv_number (out, item->n == 2 && label->source != ROUNDS_LABEL_REFERENCE
                          ? pair->margin : NAN);
  append_csv_number (out, item->n > 2 && label->source != ROUNDS_LABEL_REFERENCE
                          ? pair->margin : NAN);
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
  append_csv_field (out, flag_names (_rounds_export_response_flags (item, chosen), names));
  g_string_append_c (out, ',');
  append_csv_field (out, flag_names (_rounds_export_response_flags (item, rejected), names));
  _rounds_export_response_scores (e, item, chosen, scores);
  _rounds_export_response_scores (e, item, rejected, scores + e->criteria->len);
  for (guint c = 0; c < e->criteria->len * 2; c++)
    append_csv_number (out, scores[c]);
  g_string_append_printf (out, ",%d,%s,", e->rubric_version, PACKAGE_VERSION);
  append_csv_field (out, item->scenario);
  g_string_append_c (out, ',');
  append_csv_field (out, item->responses[chosen].text);
  g_string_append_c (out, ',');
  append_csv_field (out, item->responses[rejected].text);
  ROUNDS_JSON_APPEND_LITERAL (out, "\r\n");
}

/* A record for the ordered pair @chosen over @rejected; @verdict ("chosen" or "tie") is
 * a column of CSV only. */
void
_rounds_export_append_pair_record (Exporter        *e,
                                   Item            *item,
                                   const ItemLabel *label,
                                   const PairLabel *pair,
                                   guint            chosen,
                                   guint            rejected,
                                   const char      *verdict)
{
  GString *out = e->record;
  const char *prompt = item->scenario;
  const char *chosen_text = item->responses[chosen].text;
  const char *rejected_text = item->responses[rejected].text;
  guint responses[2] = { chosen, rejected };
  gboolean chat;

  switch (e->options->format)
    {
    case ROUNDS_EXPORT_CSV:
      append_csv_row (e, item, label, pair, responses, verdict);
      return;

    case ROUNDS_EXPORT_TRL:
    case ROUNDS_EXPORT_TRL_CHAT:
      chat = e->options->format == ROUNDS_EXPORT_TRL_CHAT;
      ROUNDS_JSON_APPEND_LITERAL (out, "{\"prompt\":");
      append_trl_part (out, chat, "user", prompt);
      ROUNDS_JSON_APPEND_LITERAL (out, ",\"chosen\":");
      append_trl_part (out, chat, "assistant", chosen_text);
      ROUNDS_JSON_APPEND_LITERAL (out, ",\"rejected\":");
      append_trl_part (out, chat, "assistant", rejected_text);
      break;

    case ROUNDS_EXPORT_OPENAI:
      /* OpenAI's validator takes only these members: no metadata here. */
      ROUNDS_JSON_APPEND_LITERAL (out, "{\"input\":{\"messages\":");
      append_message_list (out, "user", prompt);
      ROUNDS_JSON_APPEND_LITERAL (out, "},\"preferred_output\":");
      append_message_list (out, "assistant", chosen_text);
      ROUNDS_JSON_APPEND_LITERAL (out, ",\"non_preferred_output\":");
      append_message_list (out, "assistant", rejected_text);
      ROUNDS_JSON_APPEND_LITERAL (out, "}\n");
      return;

    case ROUNDS_EXPORT_HH:
      ROUNDS_JSON_APPEND_LITERAL (out, "{\"chosen\":");
      append_hh (out, prompt, chosen_text);
      ROUNDS_JSON_APPEND_LITERAL (out, ",\"rejected\":");
      append_hh (out, prompt, rejected_text);
      break;

    default:
      g_assert_not_reached ();
    }
  ROUNDS_JSON_APPEND_LITERAL (out, ",\"metadata\":");
  append_metadata (e, item, label, pair, responses, 2, out);
  ROUNDS_JSON_APPEND_LITERAL (out, "}\n");
}

void
_rounds_export_append_kto_record (Exporter        *e,
                                  Item            *item,
                                  const ItemLabel *label,
                                  guint            r,
                                  gboolean         desirable)
{
  ROUNDS_JSON_APPEND_LITERAL (e->record, "{\"prompt\":");
  _rounds_json_append_string (e->record, item->scenario);
  ROUNDS_JSON_APPEND_LITERAL (e->record, ",\"completion\":");
  _rounds_json_append_string (e->record, item->responses[r].text);
  g_string_append (e->record, desirable ? ",\"label\":true,\"metadata\":"
                                        : ",\"label\":false,\"metadata\":");
  append_metadata (e, item, label, NULL, &r, 1, e->record);
  ROUNDS_JSON_APPEND_LITERAL (e->record, "}\n");
}
