/* rounds-test-proxy.c: a loopback HTTP proxy that breaks requests on purpose
 *
 * It stands between Rounds and pouchdb-server and passes requests through, one connection
 * each ("Connection: close"), except those a test asked it to break: a fault applies once,
 * to the next request whose request line ("POST /db/_bulk_docs HTTP/1.1") contains the
 * fault's match. It also plays a server with a body size limit. It serves one connection
 * at a time in a thread of its own, which is all a RoundsCouch needs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>
#include <string.h>

#include "rounds-test-proxy.h"

typedef struct
{
  char            *match;
  RoundsTestFault  fault;
} Fault;

struct _RoundsTestProxy
{
  GMutex            lock;
  char             *upstream_host;
  guint16           upstream_port;
  GSocketListener  *listener;
  guint16           port;
  GCancellable     *cancellable;
  GThread          *thread;
  GQueue            faults;       /* Fault */
  gsize             max_body;     /* 0: no limit */
  GPtrArray        *requests;     /* request lines */
  guint             n_with_password;
};

static void
fault_free (gpointer data)
{
  Fault *fault = data;

  g_free (fault->match);
  g_free (fault);
}

static gboolean
header_is (const char *line,
           const char *name)
{
  gsize n = strlen (name);

  return g_ascii_strncasecmp (line, name, n) == 0 && line[n] == ':';
}

/* Whether a request sends the password: a login, or basic auth. */
static gboolean
carries_password (const char *head)
{
  g_auto(GStrv) lines = g_strsplit (head, "\r\n", -1);

  if (g_str_has_prefix (head, "POST /_session "))
    return TRUE;
  for (guint i = 1; lines[i]; i++)
    if (header_is (lines[i], "Authorization"))
      return TRUE;
  return FALSE;
}

/* The header block with the hop-by-hop headers replaced by "Connection: close". */
static GString *
rewrite_head (const char *head)
{
  g_auto(GStrv) lines = g_strsplit (head, "\r\n", -1);
  GString *out = g_string_new (NULL);

  for (guint i = 0; lines[i]; i++)
    {
      if (*lines[i] == '\0')
        continue;
      if (i > 0 && (header_is (lines[i], "Connection") || header_is (lines[i], "Keep-Alive") ||
                    header_is (lines[i], "Expect")))
        continue;
      g_string_append_printf (out, "%s\r\n", lines[i]);
    }
  g_string_append (out, "Connection: close\r\n\r\n");
  return out;
}

static gboolean
write_all (GOutputStream *out,
           const char    *data,
           gsize          len)
{
  return g_output_stream_write_all (out, data, len, NULL, NULL, NULL);
}

static void
answer_status (GOutputStream *out,
               guint          status,
               const char    *reason,
               const char    *body)
{
  g_autofree char *response = g_strdup_printf ("HTTP/1.1 %u %s\r\nContent-Type: "
                                               "application/json\r\n"
                                               "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
                                               status, reason, strlen (body), body);

  write_all (out, response, strlen (response));
}

/* Reads one request: the header block (without the blank line) and the body. */
static gboolean
read_request (GInputStream  *in,
              GCancellable  *cancellable,
              char         **head,
              GString      **body)
{
  g_autoptr(GString) buffer = g_string_new (NULL);
  char chunk[16384];
  const char *end = NULL;
  gsize content_length = 0;
  g_auto(GStrv) lines = NULL;

  while ((end = strstr (buffer->str, "\r\n\r\n")) == NULL)
    {
      gssize n = g_input_stream_read (in, chunk, sizeof chunk, cancellable, NULL);

      if (n <= 0)
        return FALSE;
      g_string_append_len (buffer, chunk, n);
    }

  *head = g_strndup (buffer->str, end - buffer->str);
  *body = g_string_new_len (end + 4, buffer->len - (end + 4 - buffer->str));
  lines = g_strsplit (*head, "\r\n", -1);
  for (guint i = 1; lines[i]; i++)
    if (header_is (lines[i], "Content-Length"))
      content_length = g_ascii_strtoull (strchr (lines[i], ':') + 1, NULL, 10);

  while ((*body)->len < content_length)
    {
      gssize n = g_input_stream_read (in, chunk, MIN (sizeof chunk, content_length - (*body)->len),
                                      cancellable, NULL);

      if (n <= 0)
        return FALSE;
      g_string_append_len (*body, chunk, n);
    }
  return TRUE;
}

/* Sends the request on to the server and reads its whole answer. */
static GString *
forward (RoundsTestProxy *self,
         const char      *head,
         GString         *body)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) upstream = NULL;
  g_autoptr(GString) request = rewrite_head (head);
  GString *response = g_string_new (NULL);
  GInputStream *in;
  char chunk[16384];
  gssize n;

  if (!(upstream = g_socket_client_connect_to_host (client, self->upstream_host,
                                                    self->upstream_port,
                                                    self->cancellable, NULL)))
    return response;
  g_string_append_len (request, body->str, body->len);
  if (!write_all (g_io_stream_get_output_stream (G_IO_STREAM (upstream)),
                  request->str, request->len))
    return response;
  in = g_io_stream_get_input_stream (G_IO_STREAM (upstream));
  while ((n = g_input_stream_read (in, chunk, sizeof chunk, self->cancellable, NULL)) > 0)
    g_string_append_len (response, chunk, n);
  g_io_stream_close (G_IO_STREAM (upstream), NULL, NULL);
  return response;
}

static void
handle (RoundsTestProxy   *self,
        GSocketConnection *connection)
{
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_autofree char *head = NULL;
  g_autofree char *request_line = NULL;
  g_autoptr(GString) body = NULL;
  g_autoptr(GString) response = NULL;
  Fault *fault = NULL;
  gboolean too_large;
  const char *end;

  if (!read_request (in, self->cancellable, &head, &body))
    return;
  end = strstr (head, "\r\n");
  request_line = end ? g_strndup (head, end - head) : g_strdup (head);

  g_mutex_lock (&self->lock);
  g_ptr_array_add (self->requests, g_strdup (request_line));
  if (carries_password (head))
    self->n_with_password++;
  for (GList *l = self->faults.head; l; l = l->next)
    if (strstr (request_line, ((Fault *) l->data)->match) != NULL)
      {
        fault = l->data;
        g_queue_delete_link (&self->faults, l);
        break;
      }
  too_large = self->max_body > 0 && body->len > self->max_body;
  g_mutex_unlock (&self->lock);

  if (too_large && fault == NULL)
    {
      answer_status (out, 413, "Request Entity Too Large",
                     "{\"error\":\"too_large\",\"reason\":\"the request entity is too large\"}");
      return;
    }

  if (fault != NULL && fault->fault == ROUNDS_TEST_FAULT_PASS)
    g_clear_pointer (&fault, fault_free);

  if (fault != NULL)
    {
      RoundsTestFault kind = fault->fault;

      fault_free (fault);
      switch (kind)
        {
        case ROUNDS_TEST_FAULT_DROP:
          return;
        case ROUNDS_TEST_FAULT_STATUS_500:
          answer_status (out, 500, "Internal Server Error",
                         "{\"error\":\"internal_server_error\",\"reason\":\"the test "
                         "proxy failed on purpose\"}");
          return;
        case ROUNDS_TEST_FAULT_STATUS_401:
          answer_status (out, 401, "Unauthorized",
                         "{\"error\":\"unauthorized\",\"reason\":\"You are not authorized "
                         "to access this db.\"}");
          return;
        case ROUNDS_TEST_FAULT_STATUS_413:
          answer_status (out, 413, "Request Entity Too Large",
                         "{\"error\":\"too_large\",\"reason\":\"the request "
                         "entity is too large\"}");
          return;
        case ROUNDS_TEST_FAULT_DROP_ANSWER:
          response = forward (self, head, body);
          return;
        case ROUNDS_TEST_FAULT_STALL:
          {
            char chunk[256];

            response = forward (self, head, body);
            /* Until the client gives up and closes, or the proxy goes. */
            while (g_input_stream_read (in, chunk, sizeof chunk, self->cancellable, NULL) > 0)
              ;
          }
          return;
        case ROUNDS_TEST_FAULT_CUT_SHORT:
          {
            const char *split;

            response = forward (self, head, body);
            if ((split = strstr (response->str, "\r\n\r\n")) != NULL)
              {
                g_autofree char *response_head = g_strndup (response->str, split - response->str);
                g_autoptr(GString) new_head = rewrite_head (response_head);
                gsize body_len = response->len - (split + 4 - response->str);

                write_all (out, new_head->str, new_head->len);
                write_all (out, split + 4, body_len / 2);
              }
          }
          return;
        default:
          g_assert_not_reached ();
        }
    }

  response = forward (self, head, body);
  {
    const char *split = strstr (response->str, "\r\n\r\n");

    if (split != NULL)
      {
        g_autofree char *response_head = g_strndup (response->str, split - response->str);
        g_autoptr(GString) new_head = rewrite_head (response_head);

        write_all (out, new_head->str, new_head->len);
        write_all (out, split + 4, response->len - (split + 4 - response->str));
      }
  }
}

static gpointer
serve (gpointer data)
{
  RoundsTestProxy *self = data;

  while (!g_cancellable_is_cancelled (self->cancellable))
    {
      g_autoptr(GSocketConnection) connection = g_socket_listener_accept (self->listener, NULL,
                                                                          self->cancellable, NULL);

      if (connection == NULL)
        continue;
      handle (self, connection);
      g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
    }
  return NULL;
}

/**
 * rounds_test_proxy_new:
 * @upstream_root: the server, "http://[USER:PASSWORD@]HOST:PORT/"
 */
RoundsTestProxy *
rounds_test_proxy_new (const char *upstream_root)
{
  RoundsTestProxy *self = g_new0 (RoundsTestProxy, 1);
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) error = NULL;

  uri = g_uri_parse (upstream_root, G_URI_FLAGS_NONE, &error);
  g_assert_no_error (error);
  self->upstream_host = g_strdup (g_uri_get_host (uri));
  self->upstream_port = (guint16) g_uri_get_port (uri);

  g_mutex_init (&self->lock);
  g_queue_init (&self->faults);
  self->requests = g_ptr_array_new_with_free_func (g_free);
  self->cancellable = g_cancellable_new ();
  self->listener = g_socket_listener_new ();
  {
    g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
    g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
    g_autoptr(GSocketAddress) bound = NULL;

    g_socket_listener_add_address (self->listener, address, G_SOCKET_TYPE_STREAM,
                                   G_SOCKET_PROTOCOL_TCP,
                                   NULL, &bound, &error);
    g_assert_no_error (error);
    self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  }
  self->thread = g_thread_new ("test-proxy", serve, self);
  return self;
}

/* @db_url, "http://127.0.0.1:PORT/DB", through the proxy. */
char *
rounds_test_proxy_url (RoundsTestProxy *self,
                       const char      *db_url)
{
  const char *db = strrchr (db_url, '/');

  g_assert (db != NULL);
  return g_strdup_printf ("http://127.0.0.1:%u%s", self->port, db);
}

void
rounds_test_proxy_add_fault (RoundsTestProxy *self,
                             const char      *match,
                             RoundsTestFault  kind)
{
  Fault *fault = g_new0 (Fault, 1);

  fault->match = g_strdup (match);
  fault->fault = kind;
  g_mutex_lock (&self->lock);
  g_queue_push_tail (&self->faults, fault);
  g_mutex_unlock (&self->lock);
}

/* Answers 413 to every request with a larger body, as a server with a limit does. */
void
rounds_test_proxy_set_max_body (RoundsTestProxy *self,
                                gsize            max_body)
{
  g_mutex_lock (&self->lock);
  self->max_body = max_body;
  g_mutex_unlock (&self->lock);
}

/* How many requests whose request line contains @match went through the proxy. */
guint
rounds_test_proxy_count (RoundsTestProxy *self,
                         const char      *match)
{
  guint n = 0;

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < self->requests->len; i++)
    if (strstr (g_ptr_array_index (self->requests, i), match) != NULL)
      n++;
  g_mutex_unlock (&self->lock);
  return n;
}

/* How many requests sent the password: `POST /_session`, or any with basic auth. */
guint
rounds_test_proxy_count_passwords (RoundsTestProxy *self)
{
  guint n;

  g_mutex_lock (&self->lock);
  n = self->n_with_password;
  g_mutex_unlock (&self->lock);
  return n;
}

/* Faults asked for that no request has met yet. */
guint
rounds_test_proxy_count_faults (RoundsTestProxy *self)
{
  guint n;

  g_mutex_lock (&self->lock);
  n = self->faults.length;
  g_mutex_unlock (&self->lock);
  return n;
}

/* A copy of the request lines seen so far. */
GPtrArray *
rounds_test_proxy_get_requests (RoundsTestProxy *self)
{
  GPtrArray *copy = g_ptr_array_new_with_free_func (g_free);

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < self->requests->len; i++)
    g_ptr_array_add (copy, g_strdup (g_ptr_array_index (self->requests, i)));
  g_mutex_unlock (&self->lock);
  return copy;
}

void
rounds_test_proxy_free (RoundsTestProxy *self)
{
  g_cancellable_cancel (self->cancellable);
  g_thread_join (self->thread);
  g_socket_listener_close (self->listener);
  g_object_unref (self->listener);
  g_object_unref (self->cancellable);
  g_queue_clear_full (&self->faults, fault_free);
  g_ptr_array_unref (self->requests);
  g_free (self->upstream_host);
  g_mutex_clear (&self->lock);
  g_free (self);
}
