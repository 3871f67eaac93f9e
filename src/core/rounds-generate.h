/* rounds-generate.h: responses for items awaiting them, from chat-completions endpoints
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "rounds-endpoint.h"
#include "rounds-store.h"

G_BEGIN_DECLS

/* An item may have at most this many responses (as the importer allows). */
#define ROUNDS_GENERATE_MAX_RESPONSES 8

/**
 * RoundsGenerateProgress:
 * @n_items: items awaiting responses that this run looked at
 * @n_planned: responses missing when the run began, that it set out to generate
 * @n_present: responses that were there already (a rerun generates only what is missing)
 * @n_answered: answers saved
 * @n_refused: refusals saved (as what they are)
 * @n_empty: empty answers saved (as what they are)
 * @n_failed: responses not saved: the endpoint failed after its retries, or its answer was
 *   not a chat completion; a rerun tries them again
 * @n_skipped: responses not asked for: their item has judgements already, or would have
 *   more than %ROUNDS_GENERATE_MAX_RESPONSES
 * @elapsed_ms: since the run began
 *
 * Counts of responses, so that planned = answered + refused + empty + failed when a run
 * ends without being cancelled.
 */
typedef struct
{
  guint   n_items;
  guint   n_planned;
  guint   n_present;
  guint   n_answered;
  guint   n_refused;
  guint   n_empty;
  guint   n_failed;
  guint   n_skipped;
  gint64  elapsed_ms;
} RoundsGenerateProgress;

typedef enum
{
  ROUNDS_GENERATE_NOTE_REFUSED,
  ROUNDS_GENERATE_NOTE_EMPTY,
  ROUNDS_GENERATE_NOTE_FAILED,
  ROUNDS_GENERATE_NOTE_SKIPPED,
} RoundsGenerateNoteKind;

/**
 * RoundsGenerateNote:
 * @kind: what happened
 * @item: the item's key
 * @endpoint: the endpoint's name
 * @sample: the sample number, from 0
 * @reason: the model's refusal, the error, or why the item was skipped
 *
 * What a person must hear of: every refusal, empty answer, failure and skip, naming the
 * item and the reason.
 */
typedef struct
{
  RoundsGenerateNoteKind  kind;
  char                   *item;
  char                   *endpoint;
  guint                   sample;
  char                   *reason;
} RoundsGenerateNote;

typedef void (*RoundsGenerateProgressFunc) (const RoundsGenerateProgress *progress,
                                            gpointer                      user_data);
typedef void (*RoundsGenerateNoteFunc)     (const RoundsGenerateNote     *note,
                                            gpointer                      user_data);

#define ROUNDS_TYPE_GENERATOR (rounds_generator_get_type ())

G_DECLARE_FINAL_TYPE (RoundsGenerator, rounds_generator, ROUNDS, GENERATOR, GObject)

RoundsGenerator *rounds_generator_new              (const char                  *dataset);
void             rounds_generator_add_endpoint     (RoundsGenerator             *self,
                                                    const RoundsEndpoint        *endpoint,
                                                    const char                  *api_key);
void             rounds_generator_set_system       (RoundsGenerator             *self,
                                                    const char                  *system);
void             rounds_generator_set_n_samples    (RoundsGenerator             *self,
                                                    guint                        n_samples);
void             rounds_generator_set_jobs         (RoundsGenerator             *self,
                                                    guint                        jobs);
void             rounds_generator_set_actor        (RoundsGenerator             *self,
                                                    const char                  *actor);
void             rounds_generator_set_retries      (RoundsGenerator             *self,
                                                    guint                        max_attempts,
                                                    guint                        first_delay_ms,
                                                    guint                        max_delay_ms);
void             rounds_generator_set_progress_func (RoundsGenerator            *self,
                                                     RoundsGenerateProgressFunc  progress,
                                                     RoundsGenerateNoteFunc      note,
                                                     gpointer                    user_data);
char            *rounds_generator_response_key     (RoundsGenerator             *self,
                                                    const RoundsEndpoint        *endpoint,
                                                    guint                        sample);

gboolean         rounds_generator_run              (RoundsGenerator             *self,
                                                    RoundsStore                 *store,
                                                    GCancellable                *cancellable,
                                                    RoundsGenerateProgress      *result,
                                                    GError                     **error);
void             rounds_generator_run_async        (RoundsGenerator             *self,
                                                    const char                  *db_path,
                                                    GCancellable                *cancellable,
                                                    GAsyncReadyCallback          callback,
                                                    gpointer                     user_data);
gboolean         rounds_generator_run_finish       (RoundsGenerator             *self,
                                                    GAsyncResult                *result,
                                                    RoundsGenerateProgress      *progress,
                                                    GPtrArray                  **notes,
                                                    GError                     **error);

void             rounds_generate_note_free         (RoundsGenerateNote          *note);
char            *rounds_generate_note_to_string    (const RoundsGenerateNote    *note);

G_END_DECLS
