/* rounds-window.h: the main window: who is working, the datasets, the compare page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "rounds-application.h"

G_BEGIN_DECLS

#define ROUNDS_TYPE_WINDOW (rounds_window_get_type ())

G_DECLARE_FINAL_TYPE (RoundsWindow, rounds_window, ROUNDS, WINDOW, AdwApplicationWindow)

RoundsWindow *rounds_window_new           (RoundsApplication *app,
                                           RoundsStore       *store,
                                           const GError      *open_error);
void          rounds_window_open_dataset  (RoundsWindow      *self,
                                           const char        *name);
RoundsItem   *rounds_window_get_item      (RoundsWindow      *self);
const char   *rounds_window_get_page      (RoundsWindow      *self);
gboolean      rounds_window_review_dataset (RoundsWindow     *self,
                                            const char       *name,
                                            GError          **error);
GtkWidget    *rounds_window_get_review_page (RoundsWindow    *self);
gboolean      rounds_window_show_insights   (RoundsWindow    *self,
                                             const char      *name,
                                             GError         **error);
GtkWidget    *rounds_window_get_insights_page (RoundsWindow  *self);
double        rounds_window_get_text_scale  (RoundsWindow    *self);
const char   *rounds_window_get_sync_status (RoundsWindow    *self);
gboolean      rounds_window_is_syncing      (RoundsWindow    *self);
gboolean      rounds_window_is_asking_password (RoundsWindow *self);
const char   *rounds_window_get_sync_detail (RoundsWindow    *self);
gboolean      rounds_window_answer_password (RoundsWindow    *self,
                                             const char      *password);
void          rounds_window_import_file     (RoundsWindow    *self,
                                             GFile           *file);
gboolean      rounds_window_is_importing    (RoundsWindow    *self);
gboolean      rounds_window_responses_are_stacked (RoundsWindow *self);
const char   *rounds_window_get_last_import_error (RoundsWindow *self);

G_END_DECLS
