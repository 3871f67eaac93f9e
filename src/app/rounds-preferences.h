/* rounds-preferences.h: the preferences window: reading, the curation store, the dataset
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

GtkWindow *rounds_preferences_new (GtkWindow  *parent,
                                   GSettings  *settings,
                                   const char *profile);

G_END_DECLS
