// SPDX-License-Identifier: GPL-2.0
/*
 * Extracting vmlinux from a bzImage (x86 boot protocol >= 2.08: the
 * compressed payload's offset and length are in the setup header).
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"
#include "pvh.h"
#include "util.h"

/* Setup header fields (Documentation/arch/x86/boot.rst). */
#define BZ_SETUP_SECTS		0x1f1
#define BZ_HDRS			0x202
#define BZ_VERSION		0x206
#define BZ_PAYLOAD_OFFSET	0x248
#define BZ_PAYLOAD_LENGTH	0x24c

static const unsigned char elf_magic[4] = { 0x7f, 'E', 'L', 'F' };

struct decompressor {
	const unsigned char *magic;
	size_t magic_len;
	const char *const *argv;
};

static const unsigned char xz_magic[] = { 0xfd, '7', 'z', 'X', 'Z', 0 };
static const unsigned char gz_magic[] = { 0x1f, 0x8b };
static const unsigned char zst_magic[] = { 0x28, 0xb5, 0x2f, 0xfd };
static const char *const xz_argv[] = { "xz", "-dc", "--single-stream", NULL };
static const char *const gz_argv[] = { "gzip", "-dc", NULL };
static const char *const zst_argv[] = { "zstd", "-dcq", NULL };

static const struct decompressor decompressors[] = {
	{ xz_magic, sizeof(xz_magic), xz_argv },
	{ gz_magic, sizeof(gz_magic), gz_argv },
	{ zst_magic, sizeof(zst_magic), zst_argv },
};

static uint32_t get_le(const unsigned char *p, int bytes)
{
	uint32_t v = 0;
	int i;

	for (i = bytes - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static unsigned char *read_file(const char *path, size_t *len)
{
	unsigned char *buf = NULL;
	struct stat st;
	ssize_t n;
	size_t got = 0;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) || st.st_size <= 0)
		goto fail;
	buf = malloc(st.st_size);
	if (!buf)
		goto fail;
	while (got < (size_t)st.st_size) {
		n = read(fd, buf + got, st.st_size - got);
		if (n <= 0)
			goto fail;
		got += n;
	}
	close(fd);
	*len = got;
	return buf;
fail:
	free(buf);
	if (fd >= 0)
		close(fd);
	return NULL;
}

/* Run @argv with stdin = @in_path, stdout = @out_path.  0 on exit status 0. */
static int run_filter(const char *const *argv, const char *in_path, const char *out_path)
{
	int status, in, out;
	pid_t pid;

	pid = fork();
	if (pid == 0) {
		in = open(in_path, O_RDONLY);
		out = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (in < 0 || out < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0)
			_exit(127);
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int is_elf(const char *path)
{
	unsigned char m[4];
	int fd = open(path, O_RDONLY | O_CLOEXEC), ok = 0;

	if (fd >= 0) {
		ok = read(fd, m, 4) == 4 && !memcmp(m, elf_magic, 4);
		close(fd);
	}
	return ok;
}

static void cache_dir(char *buf, size_t size)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");

	if (xdg && *xdg)
		snprintf(buf, size, "%s/hvhost", xdg);
	else if (home && *home)
		snprintf(buf, size, "%s/.cache/hvhost", home);
	else
		snprintf(buf, size, "/tmp/hvhost-cache-%u", (unsigned int)getuid());
}

static int mkdir_p(char *dir)
{
	char *s;

	for (s = dir + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		mkdir(dir, 0755);
		*s = '/';
	}
	return mkdir(dir, 0755) && errno != EEXIST ? -1 : 0;
}

static int extract(const unsigned char *img, size_t len, const char *out)
{
	char payload_tmp[4200], out_tmp[4200];
	const struct decompressor *d = NULL;
	uint32_t setup, off, plen, start;
	unsigned int i;
	int fd, rc = -1;

	if (len < 0x250 || memcmp(img + BZ_HDRS, "HdrS", 4) || get_le(img + BZ_VERSION, 2) < 0x208) {
		hv_err("--vmlinux-pvh: not a bzImage (boot protocol >= 2.08)");
		return -1;
	}
	setup = img[BZ_SETUP_SECTS] ? img[BZ_SETUP_SECTS] : 4;
	off = get_le(img + BZ_PAYLOAD_OFFSET, 4);
	plen = get_le(img + BZ_PAYLOAD_LENGTH, 4);
	start = (setup + 1) * 512 + off;
	if (start > len || plen > len - start) {
		hv_err("--vmlinux-pvh: bad payload offset/length in the setup header");
		return -1;
	}
	for (i = 0; i < ARRAY_SIZE(decompressors); i++)
		if (plen >= decompressors[i].magic_len &&
		    !memcmp(img + start, decompressors[i].magic, decompressors[i].magic_len))
			d = &decompressors[i];
	if (!d) {
		hv_err("--vmlinux-pvh: unsupported payload compression");
		return -1;
	}
	snprintf(payload_tmp, sizeof(payload_tmp), "%s.payload.%d", out, (int)getpid());
	snprintf(out_tmp, sizeof(out_tmp), "%s.tmp.%d", out, (int)getpid());
	fd = open(payload_tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, img + start, plen) != (ssize_t)plen) {
		hv_err("--vmlinux-pvh: cannot write %s", payload_tmp);
		goto out;
	}
	hv_info("extracting vmlinux with %s into %s", d->argv[0], out);
	run_filter(d->argv, payload_tmp, out_tmp);	/* trailing data may upset gzip */
	if (!is_elf(out_tmp)) {
		hv_err("--vmlinux-pvh: %s did not produce an ELF image", d->argv[0]);
		goto out;
	}
	rc = rename(out_tmp, out);
out:
	if (fd >= 0)
		close(fd);
	unlink(payload_tmp);
	unlink(out_tmp);
	return rc;
}

int pvh_vmlinux(const char *kernel, char *out, size_t size)
{
	char dir[4096], name[4096];
	unsigned char *img;
	struct stat st;
	size_t len;
	int rc;

	if (is_elf(kernel)) {
		snprintf(out, size, "%s", kernel);
		return 0;
	}
	if (stat(kernel, &st)) {
		hv_err("%s: %s", kernel, strerror(errno));
		return -1;
	}
	cache_dir(dir, sizeof(dir));
	if (mkdir_p(dir)) {
		hv_err("cannot create cache directory %s", dir);
		return -1;
	}
	snprintf(name, sizeof(name), "%s", kernel);
	snprintf(out, size, "%s/vmlinux-%s-%lld-%lld", dir, basename(name),
		 (long long)st.st_size, (long long)st.st_mtime);
	if (is_elf(out))
		return 0;
	img = read_file(kernel, &len);
	if (!img) {
		hv_err("cannot read %s", kernel);
		return -1;
	}
	rc = extract(img, len, out);
	free(img);
	return rc;
}
