/* rounds-window-private.h: the main window's state, shared by its window, actions and sync files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rounds-compare-page.h"
#include "rounds-datasets-page.h"
#include "rounds-profile-page.h"
#include "rounds-sync.h"
#include "rounds-window.h"

G_BEGIN_DECLS

struct _RoundsWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  AdwWindowTitle       *window_title;
  GtkWidget            *back_button;
  AdwToastOverlay      *toast_overlay;
  GtkWidget            *sync_button;
  GtkImage             *sync_icon;
  GtkLabel             *sync_label;
  GtkStack             *stack;
  RoundsProfilePage    *profile_page;       /* NULL until first shown */
  RoundsDatasetsPage   *datasets_page;
  RoundsComparePage    *compare_page;
  GtkWidget            *review_page;        /* NULL until first shown */
  GtkWidget            *insights_page;      /* NULL until first shown */
  AdwStatusPage        *finished_page;
  AdwStatusPage        *error_page;

  /* Borrowed */
  RoundsStore          *store;

  /* Owned */
  RoundsProfile        *profile;
  RoundsDataset        *dataset;
  GArray               *history;            /* RoundsHistoryEntry, oldest first */
  int                   history_pos;        /* into history, or -1 at the queue */
  GTimer               *timer;              /* time on task, paused while the window is inactive */
  GtkCssProvider       *zoom_css;
  GSettings            *settings;
  GCancellable         *cancellable;        /* cancelled in dispose */
  RoundsSync           *sync;               /* while a sync runs */
  guint                 sync_timeout_id;
  guint                 datasets_idle_id;   /* the datasets page, loaded unless another opens */
  GtkWidget            *import_dialog;      /* while an import runs */
  GtkWidget            *password_dialog;    /* while the password is asked for */
  char                 *session_password;   /* without a keyring: for this run only */
  GtkWidget            *connect_dialog;     /* weak: while the store is set up or signed in to */
  GtkWidget            *conflicts_dialog;   /* weak: while the conflicts are listed */
  GtkWidget            *preferences;        /* weak: while Preferences is open */
  GHashTable           *chosen;             /* doc id → resolution + 1, for the next sync */
  GHashTable           *resolving;          /* the same, handed to the running sync */
  gboolean              looking_up;         /* while the keyring is asked for the password */
  char                 *sign_in_refusal;    /* why the store refused the password: no sync
                                             * until the person gives one */
  guint                 n_conflicts;        /* as the header last said */
  gint64                last_input_us;
  gboolean              idle;
  guint                 idle_check_id;
  GCancellable         *import_cancellable;
  char                 *last_import_error;
  guint                 draft_timeout_id;   /* the draft kept soon after a change */
  guint                 n_done;             /* items of the dataset I submitted or skipped */
  guint                 n_total;            /* those and the ones in my queue */
  gboolean              progress_counted;   /* n_done and n_total, once the first item is drawn */
  guint                 progress_tick_id;   /* on the compare page: its next frame */
  guint                 progress_idle_id;   /* the count, after that frame */
};

/* rounds-window.c */
void     _rounds_window_toast               (RoundsWindow       *self,
                                             const char         *message);
void     _rounds_window_show_datasets       (RoundsWindow       *self);
void     _rounds_window_show_profiles       (RoundsWindow       *self);
RoundsProfilePage *_rounds_window_get_profile_page (RoundsWindow    *self);
void     _rounds_window_show_next           (RoundsWindow       *self);
void     _rounds_window_show_history_entry  (RoundsWindow       *self);
void     _rounds_window_keep_draft          (RoundsWindow       *self);
void     _rounds_window_update_role_actions (RoundsWindow       *self);
void     _rounds_window_count_done          (RoundsWindow       *self);

/* rounds-window-actions.c */
void     _rounds_window_class_add_actions   (GtkWidgetClass     *widget_class);

/* rounds-window-sync.c */
void     _rounds_window_update_sync_status  (RoundsWindow       *self);
void     _rounds_window_schedule_sync       (RoundsWindow       *self);
void     _rounds_window_sync                (RoundsWindow       *self);
void     _rounds_window_show_conflicts      (RoundsWindow       *self);
void     _rounds_window_resolve_conflict    (RoundsWindow       *self,
                                             const char         *doc_id,
                                             RoundsSyncResolution resolution);
void     _rounds_window_sign_out            (RoundsWindow       *self);
void     _rounds_window_forget_password     (RoundsWindow       *self);

G_END_DECLS
