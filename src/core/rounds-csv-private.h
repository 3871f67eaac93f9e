/* rounds-csv-private.h: a streaming reader of CSV records (RFC 4180)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _RoundsCsvReader RoundsCsvReader;

RoundsCsvReader *_rounds_csv_reader_new        (GDataInputStream  *stream,
                                                char               separator);
void             _rounds_csv_reader_free       (RoundsCsvReader   *reader);
GPtrArray       *_rounds_csv_reader_next       (RoundsCsvReader   *reader,
                                                guint             *line,
                                                GCancellable      *cancellable,
                                                GError           **error);
guint            _rounds_csv_reader_get_error_field (RoundsCsvReader *reader);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RoundsCsvReader, _rounds_csv_reader_free)

G_END_DECLS
