/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small helpers shared by every file.
 */
#ifndef HVHOST_UTIL_H
#define HVHOST_UTIL_H

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#endif /* HVHOST_UTIL_H */
