/* rounds-test-proxy.h: a loopback HTTP proxy that breaks requests on purpose
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  ROUNDS_TEST_FAULT_PASS,          /* nothing: lets one matching request through untouched */
  ROUNDS_TEST_FAULT_DROP,          /* close the connection; the server never sees the request */
  ROUNDS_TEST_FAULT_DROP_ANSWER,   /* the server does it, the client gets no answer */
  ROUNDS_TEST_FAULT_STATUS_500,    /* answer 500; the server never sees the request */
  ROUNDS_TEST_FAULT_STATUS_413,    /* answer 413; the server never sees the request */
  ROUNDS_TEST_FAULT_CUT_SHORT,     /* the server does it, the client gets half the answer */
  ROUNDS_TEST_FAULT_STALL,         /* the server does it, the client waits until it gives up */
  ROUNDS_TEST_FAULT_STATUS_401,    /* answer 401, as to an expired session; the server never
                                    * sees the request */
} RoundsTestFault;

typedef struct _RoundsTestProxy RoundsTestProxy;

RoundsTestProxy *rounds_test_proxy_new           (const char      *upstream_root);
char            *rounds_test_proxy_url           (RoundsTestProxy *self,
                                                  const char      *db_url);
void             rounds_test_proxy_add_fault     (RoundsTestProxy *self,
                                                  const char      *match,
                                                  RoundsTestFault  fault);
void             rounds_test_proxy_set_max_body  (RoundsTestProxy *self,
                                                  gsize            max_body);
guint            rounds_test_proxy_count         (RoundsTestProxy *self,
                                                  const char      *match);
guint            rounds_test_proxy_count_faults  (RoundsTestProxy *self);
guint            rounds_test_proxy_count_passwords (RoundsTestProxy *self);
GPtrArray       *rounds_test_proxy_get_requests  (RoundsTestProxy *self);
void             rounds_test_proxy_free          (RoundsTestProxy *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RoundsTestProxy, rounds_test_proxy_free)

G_END_DECLS
