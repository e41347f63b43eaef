/* fuzz-hl7.c: the HL7 v2 parser and the ACK it leads to, on arbitrary bytes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "fuzz-common.h"
#include "tt-hl7.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(TtHl7Message) header = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TtHl7Message) message = tt_hl7_parse ((const char *) data, size, NULL, &header,
                                                  &error);
  g_autofree char *ack = NULL;

  if (message != NULL)
    ack = tt_hl7_build_ack (message, "AA", NULL, 1700000000000);
  else
    {
      g_assert (error != NULL && g_utf8_validate (error->message, -1, NULL));
      ack = tt_hl7_build_ack (header, header != NULL ? "AE" : "AR", error->message, 1700000000000);
    }
  /* An ACK never carries a segment break inside a field. */
  g_assert (g_str_has_prefix (ack, "MSH|") && strstr (ack, "\rMSA|") != NULL);
  return 0;
}
