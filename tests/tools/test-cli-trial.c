/* test-cli-trial.c: `titrate-cli trial`: the fixed JSON keys, the plot files and bad input.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib.h>
#include <glib/gstdio.h>

static int
run_cli (const char * const *args,
         char              **out,
         char              **err)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  int status = 0;

  g_ptr_array_add (argv, (gpointer) g_getenv ("TITRATE_CLI"));
  g_ptr_array_add (argv, (gpointer) "trial");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, out,
                               err, &status, &error));
  g_assert_no_error (error);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

static gboolean
have_cli (void)
{
  if (g_getenv ("TITRATE_CLI") == NULL)
    {
      g_test_skip ("TITRATE_CLI is not set: run through meson test");
      return FALSE;
    }
  return TRUE;
}

static void
test_json (void)
{
  const char *args[] = { "--patients", "6", "--seed", "3", "--json", NULL };
  const char *endpoints[] = {
    "arv_mmHg_per_min", "arv_beat_mmHg_per_min", "aut65_mmHg_min", "time_below65_pct", "twa65_mmHg", "in_band_pct",
    "mdape_pct", "wobble_pct", "ne_total_ug_per_kg", "boluses",
  };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *again = NULL;

  if (!have_cli ())
    return;
  g_assert_cmpint (run_cli (args, &out, &err), ==, 0);
  g_assert_cmpstr (err, ==, "");
  g_assert_true (g_str_has_prefix (out, "{\n  \"seed\": 3,\n  \"patients\": 6,\n"));
  g_assert_nonnull (strstr (out, "\"arms\": {\n    \"advisor\": {\n      \"n\": 3,"));
  g_assert_nonnull (strstr (out, "\n    \"bolus\": {\n      \"n\": 3,"));
  g_assert_null (strstr (out, "\"fixed\""));
  g_assert_null (strstr (out, "\"none\""));
  g_assert_nonnull (strstr (out, "\"comparison\": {"));
  for (guint i = 0; i < G_N_ELEMENTS (endpoints); i++)
    {
      g_autofree char *summary = g_strdup_printf ("\"%s\": { \"mean\": ", endpoints[i]);
      g_autofree char *compare = g_strdup_printf ("\"%s\": { \"welch_p\": ", endpoints[i]);
      const char *p = strstr (out, summary);

      /* Once per arm, then once in the comparison. */
      g_assert_nonnull (p);
      g_assert_nonnull (strstr (p + 1, summary));
      g_assert_nonnull (strstr (out, compare));
      g_assert_nonnull (strstr (strstr (out, compare), "\"mannwhitney_p\": "));
    }
  g_assert_nonnull (strstr (out, "\"sd\": "));
  g_assert_nonnull (strstr (out, "\"median\": "));
  g_assert_nonnull (strstr (out, "\"q1\": "));
  g_assert_nonnull (strstr (out, "\"q3\": "));

  /* The same seed: the same output, to the last digit. */
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (args, &again, &err), ==, 0);
  g_assert_cmpstr (out, ==, again);
}

static void
test_plot (void)
{
  g_autofree char *dir = g_dir_make_tmp ("titrate-trial-XXXXXX", NULL);
  g_autofree char *png = g_build_filename (dir, "trial.png", NULL);
  g_autofree char *pdf = g_build_filename (dir, "trial.pdf", NULL);
  const char *png_args[] = { "--patients", "4", "--plot", png, NULL };
  const char *pdf_args[] = { "--patients", "4", "--plot", pdf, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *data = NULL;
  gsize length = 0;

  if (!have_cli ())
    return;
  g_assert_cmpint (run_cli (png_args, &out, &err), ==, 0);
  g_assert_true (g_file_get_contents (png, &data, &length, NULL));
  g_assert_cmpuint (length, >, 1000);
  g_assert_cmpmem (data, 8, "\x89PNG\r\n\x1a\n", 8);
  g_clear_pointer (&data, g_free);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (pdf_args, &out, &err), ==, 0);
  g_assert_true (g_file_get_contents (pdf, &data, &length, NULL));
  g_assert_true (g_str_has_prefix (data, "%PDF-"));
  g_unlink (png);
  g_unlink (pdf);
  g_rmdir (dir);
}

static void
test_bad_input (void)
{
  g_autofree char *dir = g_dir_make_tmp ("titrate-trial-XXXXXX", NULL);
  g_autofree char *cohort = g_build_filename (dir, "bad.ini", NULL);
  g_autofree char *expected = NULL;
  struct {
    const char *args[6];
    int         status;
    const char *message;
  } cases[] = {
    { { "--patients", "0", NULL }, 2,
      "titrate-cli trial: --patients 0 is out of range (allowed 1–10000)\n" },
    { { "--seed", "-1", NULL }, 2,
      "titrate-cli trial: --seed -1 is out of range (allowed 0–4294967295)\n" },
    { { "--patients", "2", "--plot", "trial.svg", NULL }, 2,
      "titrate-cli trial: --plot trial.svg: the file name must end in .pdf or .png\n" },
    { { "extra", NULL }, 2, "titrate-cli trial: unexpected argument “extra”\n" },
  };

  if (!have_cli ())
    return;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      g_assert_cmpint (run_cli (cases[i].args, &out, &err), ==, cases[i].status);
      g_assert_true (g_str_has_suffix (err, cases[i].message));
    }

  g_assert_true (g_file_set_contents (cohort, "[age]\nmean = 12\n", -1, NULL));
  {
    const char *args[] = { "--cohort", cohort, NULL };
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;

    expected = g_strdup_printf ("titrate-cli trial: %s: cohort file: [age] mean = 12 is out of "
                                "range (allowed 18–100 years)\n", cohort);
    g_assert_cmpint (run_cli (args, &out, &err), ==, 2);
    g_assert_cmpstr (err, ==, expected);
    g_assert_cmpstr (out, ==, "");
  }
  g_unlink (cohort);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli-trial/json", test_json);
  g_test_add_func ("/cli-trial/plot", test_plot);
  g_test_add_func ("/cli-trial/bad-input", test_bad_input);
  return g_test_run ();
}
