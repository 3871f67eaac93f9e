/* rounds-datasets-page.h: the datasets of this database, with my progress and everyone's
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "rounds-store.h"

G_BEGIN_DECLS

#define ROUNDS_TYPE_DATASETS_PAGE (rounds_datasets_page_get_type ())

G_DECLARE_FINAL_TYPE (RoundsDatasetsPage, rounds_datasets_page, ROUNDS, DATASETS_PAGE, GtkWidget)

gboolean rounds_datasets_page_load (RoundsDatasetsPage  *self,
                                    RoundsStore         *store,
                                    RoundsProfile       *profile,
                                    guint               *n_datasets,
                                    GError             **error);

G_END_DECLS
