/* test-renderer.c: GTK's cairo renderer and no animations where OpenGL is drawn in software,
 * unless the person chose a renderer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "rounds-renderer-private.h"
#include "rounds-test-gui.h"

typedef struct
{
  const char *path;
  const char *user_choice;   /* GSK_RENDERER as set, or NULL */
  const char *gl_renderer;   /* GL_RENDERER, or NULL when there is no OpenGL */
  const char *expected;      /* what the application asks for, or NULL for GTK's own */
} Case;

static const Case cases[] = {
  { "llvmpipe", NULL, "llvmpipe (LLVM 15.0.6, 256 bits)", "cairo" },
  { "softpipe", NULL, "softpipe", "cairo" },
  { "swrast", NULL, "Mesa X11 swrast", "cairo" },
  { "software-rasterizer", NULL, "Software Rasterizer", "cairo" },
  { "intel", NULL, "Mesa Intel(R) UHD Graphics 620 (KBL GT2)", NULL },
  /* A hardware driver built with LLVM is not llvmpipe. */
  { "radeon", NULL, "AMD Radeon RX 6600 (navi23, LLVM 15.0.6, DRM 3.49, 6.1.0-13-amd64)", NULL },
  { "nvidia", NULL, "NVIDIA GeForce RTX 3060/PCIe/SSE2", NULL },
  { "no-opengl", NULL, NULL, NULL },
  /* Whatever the person set stays, even a software OpenGL's GL, even an empty value. */
  { "user-gl-on-llvmpipe", "gl", "llvmpipe (LLVM 15.0.6, 256 bits)", NULL },
  { "user-ngl-on-llvmpipe", "ngl", "llvmpipe (LLVM 15.0.6, 256 bits)", NULL },
  { "user-empty-on-llvmpipe", "", "llvmpipe (LLVM 15.0.6, 256 bits)", NULL },
  { "user-cairo-on-intel", "cairo", "Mesa Intel(R) UHD Graphics 620 (KBL GT2)", NULL },
};

static void
test_choose (gconstpointer data)
{
  const Case *c = data;

  g_assert_cmpstr (_rounds_renderer_choose (c->user_choice, c->gl_renderer), ==, c->expected);
}

static gboolean
animations_enabled (void)
{
  gboolean enabled;

  g_object_get (gtk_settings_get_default (), "gtk-enable-animations", &enabled, NULL);
  return enabled;
}

/* Set, GSK_RENDERER is left as it is on any display, and so are the animations. Runs first:
 * afterwards the animations may be off. */
static void
test_display_user_choice (void)
{
  const char *choices[] = { "gl", "ngl", "cairo", "" };

  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", TRUE, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (choices); i++)
    {
      g_setenv ("GSK_RENDERER", choices[i], TRUE);
      _rounds_renderer_init (gdk_display_get_default ());
      g_assert_cmpstr (g_getenv ("GSK_RENDERER"), ==, choices[i]);
      g_assert_true (animations_enabled ());
    }
  g_unsetenv ("GSK_RENDERER");
}

/* On this display, whatever its OpenGL: unset, GSK_RENDERER becomes what the policy says,
 * and the animations go with cairo. */
static void
test_display_unset (void)
{
  GdkDisplay *display = gdk_display_get_default ();
  g_autofree char *gl_name = _rounds_renderer_dup_gl_name (display);
  const char *expected = _rounds_renderer_choose (NULL, gl_name);

  g_test_message ("GL_RENDERER: %s", gl_name ? gl_name : "(no OpenGL)");
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", TRUE, NULL);
  g_unsetenv ("GSK_RENDERER");
  _rounds_renderer_init (display);
  g_assert_cmpstr (g_getenv ("GSK_RENDERER"), ==, expected);
  g_assert_cmpint (animations_enabled (), ==, expected == NULL);
}

/* Where Mesa names its renderer without a context, the policy reads it so, and it says the
 * same as GL_RENDERER of a context: software or not. */
static void
test_display_name_without_context (void)
{
  GdkDisplay *display = gdk_display_get_default ();
  g_autofree char *quick = _rounds_renderer_dup_gl_name (display);
  g_autofree char *from_context = _rounds_renderer_dup_gl_name_from_context (display);

  g_test_message ("renderer named as %s; GL_RENDERER of a context: %s",
                  quick ? quick : "(no OpenGL)", from_context ? from_context : "(no OpenGL)");
  g_assert_true ((quick == NULL) == (from_context == NULL));
  g_assert_cmpint (_rounds_renderer_is_software (quick), ==,
                   _rounds_renderer_is_software (from_context));
}

int
main (int   argc,
      char *argv[])
{
  rounds_test_gui_init (&argc, &argv);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strconcat ("/rounds/renderer/choose/", cases[i].path, NULL);

      g_test_add_data_func (path, &cases[i], test_choose);
    }
  g_test_add_func ("/rounds/renderer/display/user-choice", test_display_user_choice);
  g_test_add_func ("/rounds/renderer/display/unset", test_display_unset);
  g_test_add_func ("/rounds/renderer/display/name-without-context",
                   test_display_name_without_context);
  return rounds_test_gui_run ();
}
