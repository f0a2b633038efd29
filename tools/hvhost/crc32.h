/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CRC-32 as zlib and IEEE 802.3 define it (reflected polynomial
 * 0xedb88320, initial value and final xor 0xffffffff), the checksum of the
 * echo device (include/hyperv/hvecho.h).
 */
#ifndef HVHOST_CRC32_H
#define HVHOST_CRC32_H

#include <stddef.h>
#include <stdint.h>

/*
 * zlib's crc32(): continue @crc (0 to start) over @len bytes at @buf.
 * crc32_update(0, "123456789", 9) == 0xcbf43926.  Thread-safe.
 */
uint32_t crc32_update(uint32_t crc, const void *buf, size_t len);

#endif /* HVHOST_CRC32_H */
