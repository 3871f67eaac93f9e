/* rounds-export-label.c: an item's label, its pairs' labels, and what is left out and why
 *
 * The label of an item is its verdict when a reviewer gave one; else the consensus of the
 * submitted judgements under the rule asked for (the mean preference or rank, or the
 * majority direction pair by pair); else, only when asked for, the hidden reference label
 * from import.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-export"

#include "config.h"

#include <math.h>
#include <string.h>

#include "rounds-export-private.h"
#include "rounds-json-writer-private.h"

static int
vote_direction (const Vote *vote,
                guint       n,
                guint       i,
                guint       j)
{
  if (n == 2)
    return !vote->has_preference ? NO_MAJORITY :
           vote->preference < 0 ? -1 : vote->preference > 0 ? 1 : 0;
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
      pair->direction = label->reference == (int) i ? -1 :
                        label->reference == (int) j ? 1 : NO_MAJORITY;
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

  for (guint c = 0;
       c < rounds_rubric_get_n_criteria (rubric) && c < G_N_ELEMENTS (sum->e->criterion_map);
       c++)
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
double
_rounds_export_response_scores (Exporter *e,
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
      if (_rounds_json_split_array (item->verdict.scores_json, starts, lengths, MAX_RESPONSES) > r)
        _rounds_json_for_each_score (starts[r], lengths[r], add_score, &sum);
    }
  else
    for (guint v = 0; v < item->votes->len; v++)
      {
        const Vote *vote = &g_array_index (item->votes, Vote, v);

        if (_rounds_json_split_array (vote->scores_json, starts, lengths, MAX_RESPONSES) > r)
          _rounds_json_for_each_score (starts[r], lengths[r], add_score, &sum);
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

guint
_rounds_export_response_flags (Item  *item,
                               guint  r)
{
  guint flags = 0;

  for (guint v = 0; v < item->votes->len; v++)
    flags |= g_array_index (item->votes, Vote, v).flags[r];
  return flags;
}

/* KTO takes responses one by one: the winner is desirable and the others are not, or each
 * is by its mean rubric score. */
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
          double mean = _rounds_export_response_scores (e, item, r, NULL);

          if (isnan (mean))
            {
              _rounds_export_skip (e, ROUNDS_EXPORT_SKIP_UNSCORED, 1);
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
        return _rounds_export_skip (e, tie && !undecided ? ROUNDS_EXPORT_SKIP_TIE
                                                         : ROUNDS_EXPORT_SKIP_NO_MAJORITY, n);
      if (n == 2 && label->source != ROUNDS_LABEL_REFERENCE && pair.margin < e->options->min_margin)
        return _rounds_export_skip (e, ROUNDS_EXPORT_SKIP_LOW_MARGIN, n);
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
      if (_rounds_export_response_flags (item, r) & e->options->exclude_flags)
        {
          _rounds_export_skip (e, ROUNDS_EXPORT_SKIP_FLAGGED, 1);
          continue;
        }
      if (!e->counting)
        _rounds_export_append_kto_record (e, item, label, r, desirable[r]);
      if (!_rounds_export_emit (e, test, error))
        return FALSE;
    }
  return TRUE;
}

/* Labels @item, leaves out what the options exclude (counting why) and writes the rest:
 * a record per ordered pair, or per response for KTO. */
gboolean
_rounds_export_item (Exporter  *e,
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
        return _rounds_export_skip (e, ROUNDS_EXPORT_SKIP_NOT_ADJUDICATED, 1);
      if (!e->options->include_reference || item->reference_json == NULL)
        return _rounds_export_skip (e, ROUNDS_EXPORT_SKIP_UNLABELLED, 1);
      /* Only here is the hidden reference read: asked for, and nobody judged the item. */
      {
        g_autoptr(JsonNode) node = json_from_string (item->reference_json, NULL);
        const char *preferred = NULL;

        if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
          preferred = json_object_get_string_member_with_default (json_node_get_object (node),
                                                                  "preferred", NULL);
        for (guint r = 0; preferred != NULL && r < n; r++)
          if (g_str_equal (item->responses[r].key, preferred))
            label.reference = (int) r;
        if (label.reference < 0)
          return _rounds_export_skip (e, ROUNDS_EXPORT_SKIP_UNLABELLED, 1);
      }
    }
  else if (label.source == ROUNDS_LABEL_CONSENSUS)
    {
      if (e->options->only_adjudicated)
        return _rounds_export_skip (e, ROUNDS_EXPORT_SKIP_NOT_ADJUDICATED, 1);
      if (item->votes->len < e->options->min_annotators)
        return _rounds_export_skip (e, ROUNDS_EXPORT_SKIP_FEW_ANNOTATORS, 1);
      if (e->options->min_agreement > 0.0 &&
          !(label.agreement >= e->options->min_agreement - 1e-9))
        return _rounds_export_skip (e, ROUNDS_EXPORT_SKIP_LOW_AGREEMENT, 1);
    }
  if (label.unacceptable && pairs_only)
    return _rounds_export_skip (e, ROUNDS_EXPORT_SKIP_UNACCEPTABLE, 1);

  e->summary->n_labelled[label.source]++;
  if (label.source == ROUNDS_LABEL_CONSENSUS && item->votes->len == 1)
    e->summary->n_single_annotator++;
  test = _rounds_export_is_test (e, item);
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
            _rounds_export_skip (e, ROUNDS_EXPORT_SKIP_NO_MAJORITY, 1);
            continue;
          }
        else if (pair.direction == 0)
          {
            if (pairs_only || e->options->exclude_ties)
              {
                _rounds_export_skip (e, ROUNDS_EXPORT_SKIP_TIE, 1);
                continue;
              }
            verdict = "tie";
          }
        else if (label.source != ROUNDS_LABEL_REFERENCE &&
                 pair.margin < e->options->min_margin - 1e-9)
          {
            _rounds_export_skip (e, ROUNDS_EXPORT_SKIP_LOW_MARGIN, 1);
            continue;
          }
        chosen = pair.direction == 1 ? j : i;
        rejected = pair.direction == 1 ? i : j;
        if ((_rounds_export_response_flags (item, chosen) |
             _rounds_export_response_flags (item, rejected)) & e->options->exclude_flags)
          {
            _rounds_export_skip (e, ROUNDS_EXPORT_SKIP_FLAGGED, 1);
            continue;
          }
        if (!e->counting)
          _rounds_export_append_pair_record (e, item, &label, &pair, chosen, rejected, verdict);
        if (!_rounds_export_emit (e, test, error))
          return FALSE;
      }
  return TRUE;
}

