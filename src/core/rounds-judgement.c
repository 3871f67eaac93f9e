/* rounds-judgement.c: one annotator's judgement of one item, as edited and as stored
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-judgement"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "rounds-error.h"
#include "rounds-judgement-private.h"
#include "rounds-util-private.h"

G_DEFINE_BOXED_TYPE (RoundsJudgement, rounds_judgement, rounds_judgement_copy,
                     rounds_judgement_free)

static const struct { RoundsFlags flag; const char *name; const char *label; } flag_names[] = {
  { ROUNDS_FLAG_UNSAFE,          "unsafe",          N_("Unsafe") },
  { ROUNDS_FLAG_FACTUALLY_WRONG, "factually-wrong", N_("Factually wrong") },
  { ROUNDS_FLAG_OUTDATED,        "outdated",        N_("Outdated guidance") },
  { ROUNDS_FLAG_PRIVACY,         "privacy",         N_("Privacy leak") },
  { ROUNDS_FLAG_BIAS,            "bias",            N_("Bias") },
};

static const char * const require_names[] = {
  "preference", "rubric", "comment", "notes",
};

RoundsJudgement *
rounds_judgement_new (guint         n_responses,
                      RoundsRubric *rubric)
{
  RoundsJudgement *self;
  guint n_criteria;

  g_return_val_if_fail (n_responses >= 2, NULL);
  g_return_val_if_fail (rubric != NULL, NULL);

  n_criteria = rounds_rubric_get_n_criteria (rubric);
  self = g_new0 (RoundsJudgement, 1);
  self->status = ROUNDS_STATUS_DRAFT;
  self->n_responses = n_responses;
  self->n_criteria = n_criteria;
  self->ranks = g_new0 (int, n_responses);
  self->scores = g_new (int, n_responses * n_criteria);
  for (guint i = 0; i < n_responses * n_criteria; i++)
    self->scores[i] = -1;
  self->criteria = g_new0 (char *, n_criteria + 1);
  for (guint c = 0; c < n_criteria; c++)
    self->criteria[c] = g_strdup (rounds_rubric_get_criterion (rubric, c)->id);
  self->flags = g_new0 (guint, n_responses);
  self->notes = g_new0 (char *, n_responses + 1);
  self->shown_order = g_new (guint, n_responses);
  for (guint i = 0; i < n_responses; i++)
    self->shown_order[i] = i;
  return self;
}

RoundsJudgement *
rounds_judgement_copy (const RoundsJudgement *self)
{
  RoundsJudgement *copy;
  guint n = self->n_responses;

  copy = g_memdup2 (self, sizeof *self);
  copy->ranks = g_memdup2 (self->ranks, sizeof (int) * n);
  copy->scores = g_memdup2 (self->scores, sizeof (int) * n * self->n_criteria);
  copy->criteria = g_strdupv (self->criteria);
  copy->flags = g_memdup2 (self->flags, sizeof (guint) * n);
  copy->notes = g_new0 (char *, n + 1);
  for (guint i = 0; i < n; i++)
    copy->notes[i] = g_strdup (self->notes[i]);
  copy->comment = g_strdup (self->comment);
  copy->skip_reason = g_strdup (self->skip_reason);
  copy->shown_order = g_memdup2 (self->shown_order, sizeof (guint) * n);
  copy->edit_id = g_strdup (self->edit_id);
  copy->created_at = g_strdup (self->created_at);
  copy->annotator = g_strdup (self->annotator);
  return copy;
}

/* Appends @text to the block at *@end, or gives NULL for NULL. */
static char *
pack_string (char       **end,
             const char  *text)
{
  char *copy = *end;
  gsize size;

  if (text == NULL)
    return NULL;
  size = strlen (text) + 1;
  memcpy (copy, text, size);
  *end += size;
  return copy;
}

/**
 * _rounds_judgement_copy_packed:
 * @criteria: (nullable): the criterion ids of @self, kept as long as @arena, for the copy to
 *   share; %NULL to copy them too
 *
 * rounds_judgement_copy() in one block of @arena, for readers of many rows: it goes with the
 * arena, never to rounds_judgement_free().
 */
RoundsJudgement *
_rounds_judgement_copy_packed (const RoundsJudgement *self,
                               RoundsArena           *arena,
                               char                 **criteria)
{
  guint n = self->n_responses, n_criteria = self->n_criteria;
  const char *strings[] = { self->comment, self->skip_reason, self->edit_id, self->created_at,
                            self->annotator };
  gsize pointers = sizeof (char *) * ((criteria ? 0 : n_criteria + 1) + n + 1);
  gsize ints = sizeof (int) * n * (2 + n_criteria) + sizeof (guint) * n;
  gsize size = sizeof (RoundsJudgement) + pointers + ints;
  RoundsJudgement *copy;
  char *end;

  G_STATIC_ASSERT (sizeof (RoundsJudgement) % sizeof (char *) == 0);
  for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
    size += strings[i] ? strlen (strings[i]) + 1 : 0;
  for (guint c = 0; criteria == NULL && c < n_criteria; c++)
    size += strlen (self->criteria[c]) + 1;
  for (guint r = 0; r < n; r++)
    size += self->notes[r] ? strlen (self->notes[r]) + 1 : 0;

  copy = _rounds_arena_alloc (arena, size);
  *copy = *self;
  copy->notes = (char **) (copy + 1);
  copy->criteria = criteria ? criteria : copy->notes + n + 1;
  copy->ranks = (int *) (copy->notes + n + 1 + (criteria ? 0 : n_criteria + 1));
  copy->scores = copy->ranks + n;
  copy->flags = (guint *) (copy->scores + n * n_criteria);
  copy->shown_order = copy->flags + n;
  memcpy (copy->ranks, self->ranks, sizeof (int) * n);
  memcpy (copy->scores, self->scores, sizeof (int) * n * n_criteria);
  memcpy (copy->flags, self->flags, sizeof (guint) * n);
  memcpy (copy->shown_order, self->shown_order, sizeof (guint) * n);
  end = (char *) (copy->shown_order + n);
  if (criteria == NULL)
    {
      for (guint c = 0; c < n_criteria; c++)
        copy->criteria[c] = pack_string (&end, self->criteria[c]);
      copy->criteria[n_criteria] = NULL;
    }
  for (guint r = 0; r < n; r++)
    copy->notes[r] = pack_string (&end, self->notes[r]);
  copy->notes[n] = NULL;
  copy->comment = pack_string (&end, self->comment);
  copy->skip_reason = pack_string (&end, self->skip_reason);
  copy->edit_id = pack_string (&end, self->edit_id);
  copy->created_at = pack_string (&end, self->created_at);
  copy->annotator = pack_string (&end, self->annotator);
  g_assert ((gsize) (end - (char *) copy) == size);
  return copy;
}

void
rounds_judgement_free (RoundsJudgement *self)
{
  if (self == NULL)
    return;

  g_free (self->ranks);
  g_free (self->scores);
  g_strfreev (self->criteria);
  g_free (self->flags);
  for (guint i = 0; i < self->n_responses; i++)
    g_free (self->notes[i]);
  g_free (self->notes);
  g_free (self->comment);
  g_free (self->skip_reason);
  g_free (self->shown_order);
  g_free (self->edit_id);
  g_free (self->created_at);
  g_free (self->annotator);
  g_free (self);
}

/* The score cell for a response and criterion; -1 means not scored. */
int *
rounds_judgement_score (RoundsJudgement *self,
                        guint            response,
                        guint            criterion)
{
  g_return_val_if_fail (response < self->n_responses, NULL);
  g_return_val_if_fail (criterion < self->n_criteria, NULL);

  return &self->scores[response * self->n_criteria + criterion];
}

/* Whether the annotator has said which is better: a preference, a full ranking, or "all
 * unacceptable". */
gboolean
rounds_judgement_has_verdict (const RoundsJudgement *self)
{
  if (self->unacceptable)
    return TRUE;
  if (self->n_responses == 2)
    return self->has_preference;
  for (guint i = 0; i < self->n_responses; i++)
    if (self->ranks[i] <= 0)
      return FALSE;
  return TRUE;
}

/**
 * rounds_judgement_check_complete:
 *
 * Returns %FALSE with %ROUNDS_ERROR_INCOMPLETE and a message a clinician can act on when a
 * field that @required names is empty.
 */
gboolean
rounds_judgement_check_complete (const RoundsJudgement  *self,
                                 RoundsRequire           required,
                                 GError                **error)
{
  if ((required & ROUNDS_REQUIRE_PREFERENCE) && !rounds_judgement_has_verdict (self))
    {
      g_set_error_literal (error, ROUNDS_ERROR, ROUNDS_ERROR_INCOMPLETE,
                           self->n_responses == 2
                           ? _("Choose which response is better, a tie, or both unacceptable")
                           : _("Rank every response, or mark them all unacceptable"));
      return FALSE;
    }

  if (required & ROUNDS_REQUIRE_RUBRIC)
    for (guint i = 0; i < self->n_responses * self->n_criteria; i++)
      if (self->scores[i] < 0)
        {
          g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INCOMPLETE,
                       _("Score every rubric criterion for every response "
                         "(“%s” of response %c is missing)"),
                       self->criteria[i % self->n_criteria],
                       (char) ('A' + (i / self->n_criteria)));
          return FALSE;
        }

  if (required & ROUNDS_REQUIRE_COMMENT)
    {
      g_autofree char *stripped = g_strstrip (g_strdup (self->comment ? self->comment : ""));

      if (*stripped == '\0')
        {
          g_set_error_literal (error, ROUNDS_ERROR, ROUNDS_ERROR_INCOMPLETE,
                               _("Write a comment"));
          return FALSE;
        }
    }

  if (required & ROUNDS_REQUIRE_NOTES)
    for (guint i = 0; i < self->n_responses; i++)
      if (self->notes[i] == NULL || *self->notes[i] == '\0')
        {
          g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INCOMPLETE,
                       _("Write a note on response %c"), (char) ('A' + i));
          return FALSE;
        }

  return TRUE;
}

const char *
rounds_flag_to_string (RoundsFlags flag)
{
  for (guint i = 0; i < G_N_ELEMENTS (flag_names); i++)
    if (flag_names[i].flag == flag)
      return flag_names[i].name;
  return NULL;
}

RoundsFlags
rounds_flag_from_string (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (flag_names); i++)
    if (g_strcmp0 (flag_names[i].name, name) == 0)
      return flag_names[i].flag;
  return ROUNDS_FLAG_NONE;
}

const char *
rounds_flag_get_label (RoundsFlags flag)
{
  for (guint i = 0; i < G_N_ELEMENTS (flag_names); i++)
    if (flag_names[i].flag == flag)
      return _(flag_names[i].label);
  return NULL;
}

const char *
rounds_status_to_string (RoundsStatus status)
{
  switch (status)
    {
    case ROUNDS_STATUS_DRAFT: return "draft";
    case ROUNDS_STATUS_SUBMITTED: return "submitted";
    case ROUNDS_STATUS_SKIPPED: return "skipped";
    default: g_assert_not_reached ();
    }
}

gboolean
rounds_status_from_string (const char   *name,
                           RoundsStatus *status)
{
  for (RoundsStatus s = ROUNDS_STATUS_DRAFT; s <= ROUNDS_STATUS_SKIPPED; s++)
    if (g_strcmp0 (name, rounds_status_to_string (s)) == 0)
      {
        *status = s;
        return TRUE;
      }
  return FALSE;
}

RoundsRequire
rounds_require_from_string (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (require_names); i++)
    if (g_strcmp0 (name, require_names[i]) == 0)
      return 1 << i;
  return 0;
}

/* A label for a point on a symmetric scale of 2k+1 points: "A much better" … "B much better". */
const char *
rounds_preference_get_label (int preference,
                             int k)
{
  if (preference == 0)
    return _("Tie");
  if (preference == -k && k > 1)
    return _("A much better");
  if (preference == k && k > 1)
    return _("B much better");
  if (ABS (preference) == 1 && k == 3)
    return preference < 0 ? _("A somewhat better") : _("B somewhat better");
  return preference < 0 ? _("A better") : _("B better");
}

/* The store's JSON columns ------------------------------------------------------------ */
/* The JSON columns hold arrays in canonical response order, so a researcher can read them
 * with sqlite3's json functions without knowing the screen. */

char *
_rounds_judgement_ints_to_json (const int *values,
                                guint      n)
{
  GString *str = g_string_new ("[");

  for (guint i = 0; i < n; i++)
    g_string_append_printf (str, "%s%d", i ? "," : "", values[i]);
  g_string_append_c (str, ']');
  return g_string_free (str, FALSE);
}

char *
_rounds_judgement_order_to_json (const RoundsJudgement *judgement)
{
  GString *str = g_string_new ("[");

  for (guint i = 0; i < judgement->n_responses; i++)
    g_string_append_printf (str, "%s%u", i ? "," : "", judgement->shown_order[i]);
  g_string_append_c (str, ']');
  return g_string_free (str, FALSE);
}

/* The JSON columns that hold one element per response. */
typedef enum
{
  COLUMN_SCORES,   /* {"accuracy": 4, …}; unscored criteria are left out */
  COLUMN_FLAGS,    /* ["unsafe", …] */
  COLUMN_NOTES,    /* "note on B", or null */
} Column;

/* Adds response @r's element of @column; %TRUE when it holds anything. */
static gboolean
add_response (JsonBuilder           *builder,
              const RoundsJudgement *judgement,
              Column                 column,
              guint                  r)
{
  gboolean any = FALSE;

  switch (column)
    {
    case COLUMN_SCORES:
      json_builder_begin_object (builder);
      for (guint c = 0; c < judgement->n_criteria; c++)
        {
          int value = judgement->scores[r * judgement->n_criteria + c];

          if (value < 0)
            continue;
          any = TRUE;
          json_builder_set_member_name (builder, judgement->criteria[c]);
          json_builder_add_int_value (builder, value);
        }
      json_builder_end_object (builder);
      break;

    case COLUMN_FLAGS:
      json_builder_begin_array (builder);
      for (guint f = 0; f < ROUNDS_N_FLAGS; f++)
        if (judgement->flags[r] & (1u << f))
          {
            any = TRUE;
            json_builder_add_string_value (builder, rounds_flag_to_string (1u << f));
          }
      json_builder_end_array (builder);
      break;

    case COLUMN_NOTES:
      any = judgement->notes[r] != NULL && *judgement->notes[r] != '\0';
      if (any)
        json_builder_add_string_value (builder, judgement->notes[r]);
      else
        json_builder_add_null_value (builder);
      break;

    default:
      g_assert_not_reached ();
    }
  return any;
}

/* An array of @column's element for each response; NULL when none holds anything. */
static char *
column_to_json (const RoundsJudgement *judgement,
                Column                 column)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  gboolean any = FALSE;

  json_builder_begin_array (builder);
  for (guint r = 0; r < judgement->n_responses; r++)
    any |= add_response (builder, judgement, column, r);
  json_builder_end_array (builder);

  return any ? _rounds_json_builder_to_string (builder) : NULL;
}

/* [{"accuracy": 4, …}, …]; NULL when nothing is scored. */
char *
_rounds_judgement_scores_to_json (const RoundsJudgement *judgement)
{
  return column_to_json (judgement, COLUMN_SCORES);
}

/* [["unsafe"], []]; NULL when nothing is flagged. */
char *
_rounds_judgement_flags_to_json (const RoundsJudgement *judgement)
{
  return column_to_json (judgement, COLUMN_FLAGS);
}

/* [null, "note on B"]; NULL when there are no notes. */
char *
_rounds_judgement_notes_to_json (const RoundsJudgement *judgement)
{
  return column_to_json (judgement, COLUMN_NOTES);
}

/* _rounds_judgement_fill_from_json() with json-glib only. */
static void
fill_from_json_glib (RoundsJudgement *j,
                     const char      *ranking_json,
                     const char      *scores_json,
                     const char      *flags_json,
                     const char      *notes_json,
                     const char      *order_json)
{
  g_autoptr(JsonArray) ranking = _rounds_json_parse_array (ranking_json);
  g_autoptr(JsonArray) scores = _rounds_json_parse_array (scores_json);
  g_autoptr(JsonArray) flags = _rounds_json_parse_array (flags_json);
  g_autoptr(JsonArray) notes = _rounds_json_parse_array (notes_json);
  g_autoptr(JsonArray) order = _rounds_json_parse_array (order_json);
  guint n = j->n_responses;

  for (guint r = 0; ranking && r < MIN (n, json_array_get_length (ranking)); r++)
    j->ranks[r] = (int) json_array_get_int_element (ranking, r);

  for (guint r = 0; scores && r < MIN (n, json_array_get_length (scores)); r++)
    {
      JsonNode *element = json_array_get_element (scores, r);

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      for (guint c = 0; c < j->n_criteria; c++)
        {
          JsonObject *object = json_node_get_object (element);

          if (json_object_has_member (object, j->criteria[c]))
            j->scores[r * j->n_criteria + c] =
              (int) json_object_get_int_member (object, j->criteria[c]);
        }
    }

  for (guint r = 0; flags && r < MIN (n, json_array_get_length (flags)); r++)
    {
      JsonNode *element = json_array_get_element (flags, r);
      JsonArray *names;

      if (!JSON_NODE_HOLDS_ARRAY (element))
        continue;
      names = json_node_get_array (element);
      for (guint f = 0; f < json_array_get_length (names); f++)
        j->flags[r] |= rounds_flag_from_string (json_array_get_string_element (names, f));
    }

  for (guint r = 0; notes && r < MIN (n, json_array_get_length (notes)); r++)
    {
      JsonNode *element = json_array_get_element (notes, r);

      if (JSON_NODE_HOLDS_VALUE (element))
        j->notes[r] = g_strdup (json_node_get_string (element));
    }

  if (order && json_array_get_length (order) == n)
    for (guint r = 0; r < n; r++)
      j->shown_order[r] = (guint) json_array_get_int_element (order, r);
}

/* Reads rubric scores as _rounds_judgement_scores_to_json() writes them
 * ([{"accuracy":4,…},…]; spaces allowed) into @j: %TRUE, or %FALSE, @j unchanged, when
 * @json is anything else (an element that is not an object, a name with an escape or
 * beyond ASCII, a value other than an integer of up to 9 digits, bad JSON), which the caller
 * leaves to json-glib. A fast path for readers of many rows: what it accepts, json-glib
 * reads the same (the last of two members of one name wins; unknown names are ignored). */
gboolean
_rounds_judgement_scores_from_json (RoundsJudgement *j,
                                    const char      *json)
{
  guint n_scores = j->n_responses * j->n_criteria;
  int stack[64];
  g_autofree int *heap = n_scores > G_N_ELEMENTS (stack) ? g_new (int, n_scores) : NULL;
  int *scores = heap != NULL ? heap : stack;
  const char *p = json;
  guint r = 0;

  memcpy (scores, j->scores, n_scores * sizeof (int));
#define SKIP_SPACE() while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') p++
  SKIP_SPACE ();
  if (*p++ != '[')
    return FALSE;
  SKIP_SPACE ();
  while (*p != ']')
    {
      if (r > 0 && *p++ != ',')
        return FALSE;
      SKIP_SPACE ();
      if (*p++ != '{')
        return FALSE;
      SKIP_SPACE ();
      for (gboolean first = TRUE; *p != '}'; first = FALSE)
        {
          const char *name;
          gsize length;
          gboolean negative;
          guint digits = 0;
          int value = 0;

          if (!first && *p++ != ',')
            return FALSE;
          SKIP_SPACE ();
          if (*p++ != '"')
            return FALSE;
          for (name = p; *p != '"'; p++)
            if (*p == '\\' || (guchar) *p < 0x20 || (guchar) *p >= 0x80)
              return FALSE;
          length = (gsize) (p++ - name);
          SKIP_SPACE ();
          if (*p++ != ':')
            return FALSE;
          SKIP_SPACE ();
          if ((negative = *p == '-'))
            p++;
          if (*p == '0' && g_ascii_isdigit (p[1]))
            return FALSE;
          for (; g_ascii_isdigit (*p); p++, digits++)
            value = value * 10 + (*p - '0');
          if (digits == 0 || digits > 9)
            return FALSE;
          SKIP_SPACE ();
          if (*p != ',' && *p != '}')
            return FALSE;
          for (guint c = 0; r < j->n_responses && c < j->n_criteria; c++)
            if (strncmp (j->criteria[c], name, length) == 0 && j->criteria[c][length] == '\0')
              scores[r * j->n_criteria + c] = negative ? -value : value;
        }
      p++;
      r++;
      SKIP_SPACE ();
    }
  p++;
  SKIP_SPACE ();
#undef SKIP_SPACE
  if (*p != '\0')
    return FALSE;
  memcpy (j->scores, scores, n_scores * sizeof (int));
  return TRUE;
}

/* Fills @j's arrays from the JSON columns; what is missing or unreadable stays unset. The
 * columns as the store writes them are read without json-glib (a review reads 60 000
 * judgements at once), anything else with it. */
void
_rounds_judgement_fill_from_json (RoundsJudgement *j,
                                  const char      *ranking_json,
                                  const char      *scores_json,
                                  const char      *flags_json,
                                  const char      *notes_json,
                                  const char      *order_json)
{
  int values[16];
  int n_values;

  if (ranking_json != NULL &&
      (n_values = _rounds_judgement_ints_from_json (ranking_json, values,
                                                    G_N_ELEMENTS (values))) >= 0)
    {
      for (guint r = 0; r < MIN (j->n_responses, (guint) n_values); r++)
        j->ranks[r] = values[r];
      ranking_json = NULL;
    }
  if (order_json != NULL &&
      (n_values = _rounds_judgement_ints_from_json (order_json, values,
                                                    G_N_ELEMENTS (values))) >= 0)
    {
      if ((guint) n_values == j->n_responses)
        for (guint r = 0; r < j->n_responses; r++)
          j->shown_order[r] = (guint) values[r];
      order_json = NULL;
    }
  if (scores_json != NULL && _rounds_judgement_scores_from_json (j, scores_json))
    scores_json = NULL;
  fill_from_json_glib (j, ranking_json, scores_json, flags_json, notes_json, order_json);
}

/* Reads a JSON array of small integers as _rounds_judgement_ints_to_json() writes it ("[2,1,3]";
 * spaces allowed) into @values: the number of elements, or -1 when @json is anything else (more
 * than @max elements, numbers of more than 9 digits, fractions, strings, nesting, bad JSON),
 * which the caller leaves to _rounds_judgement_fill_from_json(). A fast path for readers of
 * many rows: what it accepts, json-glib reads the same. */
int
_rounds_judgement_ints_from_json (const char *json,
                                  int        *values,
                                  guint       max)
{
  const char *p = json;
  guint n = 0;

#define SKIP_SPACE() while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') p++
  SKIP_SPACE ();
  if (*p++ != '[')
    return -1;
  SKIP_SPACE ();
  if (*p == ']')
    n = 0;
  else
    for (;;)
      {
        gboolean negative = *p == '-';
        guint digits = 0;
        int value = 0;

        if (negative)
          p++;
        /* JSON has no leading zeros: "01" is json-glib's to refuse */
        if (*p == '0' && g_ascii_isdigit (p[1]))
          return -1;
        for (; g_ascii_isdigit (*p); p++, digits++)
          value = value * 10 + (*p - '0');
        if (digits == 0 || digits > 9 || n >= max)
          return -1;
        values[n++] = negative ? -value : value;
        SKIP_SPACE ();
        if (*p == ']')
          break;
        if (*p++ != ',')
          return -1;
        SKIP_SPACE ();
      }
  p++;
  SKIP_SPACE ();
#undef SKIP_SPACE
  return *p == '\0' ? (int) n : -1;
}

/* Reads a screen order: %TRUE when @order_json holds @n indexes below @n, written to @order. */
gboolean
_rounds_judgement_order_from_json (const char *order_json,
                                   guint       n,
                                   guint      *order)
{
  g_autoptr(JsonArray) array = _rounds_json_parse_array (order_json);
  gboolean valid = array != NULL && json_array_get_length (array) == n;

  for (guint i = 0; valid && i < n; i++)
    {
      order[i] = (guint) json_array_get_int_element (array, i);
      valid = order[i] < n;
    }
  return valid;
}

/**
 * rounds_judgement_get_pair_value:
 * @value: (out): the pair (@r, @s) on the preference scale: for two responses the
 *   preference, for more rank(@r) - rank(@s); negative means @r is better
 *
 * Returns: whether @self placed the pair
 */
gboolean
rounds_judgement_get_pair_value (const RoundsJudgement *self,
                                 guint                  r,
                                 guint                  s,
                                 int                   *value)
{
  g_return_val_if_fail (self != NULL && value != NULL, FALSE);

  if (self->n_responses == 2)
    {
      *value = self->preference;
      return self->has_preference;
    }
  *value = self->ranks[r] - self->ranks[s];
  return self->ranks[r] > 0 && self->ranks[s] > 0;
}
