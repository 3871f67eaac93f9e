/* rounds-field-path.c: paths into JSON records, such as "answers[].text"
 *
 * A path is member names joined by dots, each optionally followed by [N] (one element) or
 * [] (every element, which makes the path a list). Evaluating it yields the nodes found
 * and the concrete path of each ("answers[1].text"), which error messages name.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-import"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rounds-error.h"
#include "rounds-field-path-private.h"

typedef struct
{
  char *name;     /* NULL for an index step */
  int   index;    /* -1: every element */
} Step;

struct _RoundsFieldPath
{
  char     *text;
  GArray   *steps;
  gboolean  is_list;
};

static void
step_clear (gpointer data)
{
  g_free (((Step *) data)->name);
}

void
_rounds_field_path_free (RoundsFieldPath *path)
{
  g_free (path->text);
  g_array_unref (path->steps);
  g_free (path);
}

RoundsFieldPath *
_rounds_field_path_parse (const char  *text,
                          GError     **error)
{
  g_autoptr(RoundsFieldPath) path = g_new0 (RoundsFieldPath, 1);
  const char *p = text;

  path->text = g_strdup (text);
  path->steps = g_array_new (FALSE, TRUE, sizeof (Step));
  g_array_set_clear_func (path->steps, step_clear);

  while (*p)
    {
      const char *start = p;
      Step step = { NULL, 0 };

      while (*p && *p != '.' && *p != '[')
        p++;
      if (p == start)
        goto bad;
      step.name = g_strndup (start, p - start);
      g_array_append_val (path->steps, step);

      while (*p == '[')
        {
          Step index = { NULL, -1 };

          p++;
          if (*p == ']')
            path->is_list = TRUE;
          else
            {
              char *end = NULL;
              guint64 n = g_ascii_strtoull (p, &end, 10);

              if (end == p || *end != ']' || n > G_MAXINT)
                goto bad;
              index.index = (int) n;
              p = end;
            }
          p++;
          g_array_append_val (path->steps, index);
        }

      if (*p == '.')
        {
          p++;
          if (*p == '\0')
            goto bad;
        }
      else if (*p != '\0')
        goto bad;
    }

  if (path->steps->len == 0)
    goto bad;
  return g_steal_pointer (&path);

bad:
  g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_ARGUMENT,
               _("“%s” is not a field path: write names joined by dots, with [N] for one "
                 "element or [] for all, as in “answers[].text”"),
               text);
  return NULL;
}

const char *
_rounds_field_path_get_text (RoundsFieldPath *path)
{
  return path->text;
}

gboolean
_rounds_field_path_is_list (RoundsFieldPath *path)
{
  return path->is_list;
}

static void
eval_step (RoundsFieldPath *path,
           guint            i,
           JsonNode        *node,
           GString         *name,
           GPtrArray       *nodes,
           GPtrArray       *names)
{
  const Step *step;
  gsize len = name->len;

  if (i == path->steps->len)
    {
      g_ptr_array_add (nodes, node);
      if (names)
        g_ptr_array_add (names, g_strdup (name->str));
      return;
    }

  step = &g_array_index (path->steps, Step, i);
  if (step->name != NULL)
    {
      JsonNode *child;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return;
      child = json_object_get_member (json_node_get_object (node), step->name);
      if (child == NULL)
        return;
      if (name->len > 0)
        g_string_append_c (name, '.');
      g_string_append (name, step->name);
      eval_step (path, i + 1, child, name, nodes, names);
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      guint n = json_array_get_length (array);

      for (guint k = 0; k < n; k++)
        {
          if (step->index >= 0 && (guint) step->index != k)
            continue;
          g_string_append_printf (name, "[%u]", k);
          eval_step (path, i + 1, json_array_get_element (array, k), name, nodes, names);
          g_string_truncate (name, len);
        }
    }
  g_string_truncate (name, len);
}

/**
 * _rounds_field_path_eval:
 * @nodes: where the nodes found are appended (borrowed from @root)
 * @names: (nullable): where their concrete paths are appended, as strings to free
 */
void
_rounds_field_path_eval (RoundsFieldPath *path,
                         JsonNode        *root,
                         GPtrArray       *nodes,
                         GPtrArray       *names)
{
  g_autoptr(GString) name = g_string_new (NULL);

  eval_step (path, 0, root, name, nodes, names);
}
