/* rounds-response-card.h: one response on the compare page, with its flags and note
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define ROUNDS_TYPE_RESPONSE_CARD (rounds_response_card_get_type ())

G_DECLARE_FINAL_TYPE (RoundsResponseCard, rounds_response_card, ROUNDS, RESPONSE_CARD, GtkFrame)

GtkWidget  *rounds_response_card_new       (guint               position,
                                            const char         *text,
                                            guint               flags,
                                            const char         *note);
guint       rounds_response_card_get_flags (RoundsResponseCard *self);
void        rounds_response_card_set_flags (RoundsResponseCard *self,
                                            guint               flags);
const char *rounds_response_card_get_note  (RoundsResponseCard *self);
void        rounds_response_card_set_current (RoundsResponseCard *self,
                                              gboolean            current);

G_END_DECLS
