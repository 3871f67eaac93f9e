/* rounds-renderer.c: the cairo renderer, and no animations, where OpenGL is drawn in software
 *
 * GTK 4.8 draws with its GL renderer whenever OpenGL is there, even when that OpenGL is a
 * software rasteriser (Mesa's llvmpipe under Xvfb, in a virtual machine, over remote
 * desktops). There the GL renderer repaints the whole window for every frame, 30–40 ms for
 * this window (build-aux/bench review), so a page that animates or changes often starves the
 * main loop; GTK's cairo renderer repaints only what changed. Later GTK does not take its GL
 * renderer first on llvmpipe either (gsk/gskrenderer.c, gl_supported_platform(), since 4.14,
 * which then prefers Vulkan, a choice GTK 4.8 does not have). So when the person has not
 * chosen a renderer, the application asks for cairo on a software OpenGL before its first
 * window is realized: GTK 4.8 reads GSK_RENDERER once, when it makes its first renderer.
 * There, too, it turns GTK's animations off, as GNOME Shell does where rendering is not
 * hardware-accelerated (js/ui/main.js, AnimationsSettings): a cross-fade is a blend of two
 * window-sized layers on the processor for every frame (about 100 ms of processor for the
 * first frame of the window's switch to the review page, 30 ms without). Asking costs well
 * under a millisecond where Mesa can tell without a context (GLX_MESA_query_renderer,
 * EGL_MESA_query_driver), 11–15 ms elsewhere. A GSK_RENDERER that is set, to anything, is
 * always left as it is, and then nothing is changed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-renderer"

#include "config.h"

#include <epoxy/gl.h>

#include "rounds-renderer-private.h"

/* After gtk.h, which says which of GDK's backends there are. */
#ifdef GDK_WINDOWING_X11
#include <epoxy/glx.h>
#include <gdk/x11/gdkx.h>
#endif
#if defined(GDK_WINDOWING_X11) || defined(GDK_WINDOWING_WAYLAND)
#include <epoxy/egl.h>
#endif
#ifdef GDK_WINDOWING_WAYLAND
#include <gdk/wayland/gdkwayland.h>
#endif

/* The names Mesa and others give their software rasterisers in GL_RENDERER. */
static const char * const software_names[] = {
  "llvmpipe", "softpipe", "swrast", "Software",
};

/* Whether @gl_renderer (GL_RENDERER, or %NULL when there is no OpenGL) names a rasteriser
 * that draws on the processor. */
gboolean
_rounds_renderer_is_software (const char *gl_renderer)
{
  if (gl_renderer == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (software_names); i++)
    if (strstr (gl_renderer, software_names[i]) != NULL)
      return TRUE;
  return FALSE;
}

/* The GSK_RENDERER to ask for, given what the person set (@user_choice, %NULL when unset)
 * and the OpenGL there is; %NULL leaves GTK's own choice. */
const char *
_rounds_renderer_choose (const char *user_choice,
                         const char *gl_renderer)
{
  if (user_choice != NULL)
    return NULL;
  return _rounds_renderer_is_software (gl_renderer) ? "cairo" : NULL;
}

/* The name of @display's OpenGL renderer where Mesa tells it without a context, in well under
 * a millisecond: GLX_MESA_query_renderer (GL_RENDERER's text, on X11, where GDK 4.8 draws with
 * GLX) or EGL_MESA_query_driver (the driver's name, "swrast" for Mesa's software ones);
 * %NULL where neither is there. */
static char *
dup_name_without_context (GdkDisplay *display)
{
  gpointer egl_display = NULL;

#ifdef GDK_WINDOWING_X11
  if (GDK_IS_X11_DISPLAY (display))
    {
      Display *xdisplay = gdk_x11_display_get_xdisplay (display);
      int screen = DefaultScreen (xdisplay);

      egl_display = gdk_x11_display_get_egl_display (display);
      if (egl_display == NULL && epoxy_has_glx_extension (xdisplay, screen,
                                                          "GLX_MESA_query_renderer"))
        return g_strdup (glXQueryRendererStringMESA (xdisplay, screen, 0,
                                                     GLX_RENDERER_DEVICE_ID_MESA));
    }
#endif
#ifdef GDK_WINDOWING_WAYLAND
  if (GDK_IS_WAYLAND_DISPLAY (display))
    egl_display = gdk_wayland_display_get_egl_display (display);
#endif
#if defined(GDK_WINDOWING_X11) || defined(GDK_WINDOWING_WAYLAND)
  if (egl_display != NULL && epoxy_has_egl_extension (egl_display, "EGL_MESA_query_driver"))
    return g_strdup (eglGetDisplayDriverName (egl_display));
#endif
  return NULL;
}

/* What @display's OpenGL calls itself (GL_RENDERER, or what dup_name_without_context()
 * finds), so that _rounds_renderer_is_software() can tell; %NULL when there is no OpenGL. */
char *
_rounds_renderer_dup_gl_name (GdkDisplay *display)
{
  char *name;

  g_return_val_if_fail (GDK_IS_DISPLAY (display), NULL);

  /* GDK has set up OpenGL for the display already, when it opened it. */
  if (!gdk_display_prepare_gl (display, NULL))
    return NULL;
  if ((name = dup_name_without_context (display)) != NULL)
    return name;
  return _rounds_renderer_dup_gl_name_from_context (display);
}

/* GL_RENDERER of @display's OpenGL, from a context made and dropped for the question (about
 * 11 ms with Mesa's llvmpipe); %NULL when there is none. */
char *
_rounds_renderer_dup_gl_name_from_context (GdkDisplay *display)
{
  g_autoptr(GdkGLContext) context = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;
  char *copy;

  g_return_val_if_fail (GDK_IS_DISPLAY (display), NULL);

  if (!(context = gdk_display_create_gl_context (display, &error)) ||
      !gdk_gl_context_realize (context, &error))
    {
      g_debug ("No OpenGL to ask: %s", error->message);
      return NULL;
    }
  gdk_gl_context_make_current (context);
  name = (const char *) glGetString (GL_RENDERER);
  copy = g_strdup (name);
  gdk_gl_context_clear_current ();
  return copy;
}

/**
 * _rounds_renderer_init:
 *
 * Asks GTK for its cairo renderer and no animations when OpenGL on @display is drawn in
 * software and the person has not set GSK_RENDERER. Call it before any window is realized.
 */
void
_rounds_renderer_init (GdkDisplay *display)
{
  g_autofree char *gl_name = NULL;
  const char *choice;
  gint64 start = g_get_monotonic_time ();

  g_return_if_fail (GDK_IS_DISPLAY (display));

  if (g_getenv ("GSK_RENDERER") != NULL)
    return;
  gl_name = _rounds_renderer_dup_gl_name (display);
  if ((choice = _rounds_renderer_choose (NULL, gl_name)) != NULL)
    {
      /* At startup, before the application has started a thread that reads the
       * environment. */
      g_setenv ("GSK_RENDERER", choice, TRUE);
      g_object_set (gtk_settings_get_for_display (display), "gtk-enable-animations", FALSE,
                    NULL);
    }
  g_debug ("OpenGL “%s”: renderer %s, decided in %.1f ms", gl_name ? gl_name : "none",
           choice ? choice : "GTK’s own", (g_get_monotonic_time () - start) / 1e3);
}
