/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Force-included into every kernel source file.  Kernel differences are
 * handled here and by the feature probes in compat/probes/ (results in the
 * generated header passed as HVSTACK_PROBED), never by version checks in
 * driver files.
 */
#ifndef _HVSTACK_COMPAT_H
#define _HVSTACK_COMPAT_H

#include <linux/version.h>

/*
 * HVSTACK_HAVE_* come from the probes.  Without a probe run (a plain
 * in-tree build) assume nothing optional is there.
 */
#ifndef HVSTACK_PROBED
#define HVSTACK_PROBED 0
#endif

#endif /* _HVSTACK_COMPAT_H */
